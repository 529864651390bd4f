"""inspector_kit: a typed Python SDK over Amazon Inspector (boto3 ``inspector2``).

The names here are the curated public API (pinned by a test). Models live in
[`inspector_kit.models`][inspector_kit.models], Package URLs in
[`inspector_kit.purl`][inspector_kit.purl].

Examples:
    >>> import inspector_kit as ik
    >>> findings = list(ik.sample_findings())
    >>> critical = [f for f in findings if f.severity == ik.Severity.CRITICAL]
    >>> all(f.severity == "CRITICAL" for f in critical)
    True
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .criteria import FindingCriteria
from .errors import (
    AccessDeniedError,
    ConfigurationError,
    CriteriaError,
    FetchError,
    FindingParseError,
    InspectorKitError,
    PaginationError,
    PartialResultError,
    ServiceUnavailableError,
    ServiceValidationError,
    SnapshotError,
    SnapshotQueryError,
    SourceFormatError,
    ThrottledError,
    TimestampError,
)
from .loaders import LoadedFindings, RecordIssue, SkippedRecord, load_findings
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

if TYPE_CHECKING:
    from .fetch import FindingStream, Inspector

# The fetch layer imports boto3 (~0.2 s); load it on first use, so that code that only
# reads findings (a Lambda handler given EventBridge events, say) starts fast.
_LAZY = {"FindingStream", "Inspector"}


def __getattr__(name: str) -> Any:
    if name == "RecordError":  # deprecated spelling of RecordIssue (a value, not an exception)
        import warnings

        warnings.warn(
            "inspector_kit.RecordError is deprecated; use inspector_kit.RecordIssue",
            DeprecationWarning,
            stacklevel=2,
        )
        return RecordIssue
    if name in _LAZY:
        from . import fetch

        value = getattr(fetch, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'inspector_kit' has no attribute {name!r}")


__all__ = [
    "AccessDeniedError",
    "ConfigurationError",
    "CriteriaError",
    "CvssChoice",
    "FetchError",
    "Finding",
    "FindingCriteria",
    "FindingParseError",
    "FindingStatus",
    "FindingStream",
    "FindingType",
    "FixAvailable",
    "Inspector",
    "InspectorKitError",
    "LoadedFindings",
    "PackageManager",
    "PaginationError",
    "PartialResultError",
    "RecordIssue",
    "Resource",
    "ResourceType",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "Severity",
    "SkippedRecord",
    "SnapshotError",
    "SnapshotQueryError",
    "SourceFormatError",
    "ThrottledError",
    "TimestampError",
    "VulnerablePackage",
    "__version__",
    "load_findings",
    "sample_estate_path",
    "sample_findings",
]
