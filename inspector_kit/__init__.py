"""inspector_kit: a typed Python SDK over Amazon Inspector (boto3 ``inspector2``)."""

from ._version import __version__
from .errors import FindingParseError, InspectorKitError, SourceFormatError

__all__ = ["FindingParseError", "InspectorKitError", "SourceFormatError", "__version__"]
