"""inspector_kit: a typed Python SDK over Amazon Inspector (boto3 ``inspector2``).

The names here are the curated public API (pinned by a test). Models live in
:mod:`inspector_kit.models`, Package URLs in :mod:`inspector_kit.purl`.

Example:
    >>> import inspector_kit as ik
    >>> findings = list(ik.sample_findings())
    >>> critical = [f for f in findings if f.severity == ik.Severity.CRITICAL]
    >>> all(f.severity == "CRITICAL" for f in critical)
    True
"""

from ._version import __version__
from .errors import (
    AccessDeniedError,
    CriteriaError,
    FetchError,
    FindingParseError,
    InspectorKitError,
    PaginationError,
    PartialResultError,
    ServiceUnavailableError,
    ServiceValidationError,
    SourceFormatError,
    ThrottledError,
)
from .loaders import LoadedFindings, RecordError, SkippedRecord, load_findings
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
from .sample import sample_estate_path, sample_findings

__all__ = [
    "AccessDeniedError",
    "CriteriaError",
    "CvssChoice",
    "FetchError",
    "Finding",
    "FindingParseError",
    "FindingStatus",
    "FindingType",
    "FixAvailable",
    "InspectorKitError",
    "LoadedFindings",
    "PackageManager",
    "PaginationError",
    "PartialResultError",
    "RecordError",
    "Resource",
    "ResourceType",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "Severity",
    "SkippedRecord",
    "SourceFormatError",
    "ThrottledError",
    "VulnerablePackage",
    "__version__",
    "load_findings",
    "sample_estate_path",
    "sample_findings",
]
