"""inspector_kit: a typed Python SDK over Amazon Inspector (boto3 ``inspector2``)."""

from ._version import __version__
from .errors import FindingParseError, InspectorKitError, SourceFormatError
from .models import (
    CvssChoice,
    Finding,
    FindingStatus,
    FindingType,
    FixAvailable,
    PackageManager,
    Resource,
    ResourceType,
    Severity,
    VulnerablePackage,
)

__all__ = [
    "CvssChoice",
    "Finding",
    "FindingParseError",
    "FindingStatus",
    "FindingType",
    "FixAvailable",
    "InspectorKitError",
    "PackageManager",
    "Resource",
    "ResourceType",
    "Severity",
    "SourceFormatError",
    "VulnerablePackage",
    "__version__",
]
