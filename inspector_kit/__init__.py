"""inspector_kit: a typed Python SDK over Amazon Inspector (boto3 ``inspector2``).

The names here are the curated public API (pinned by a test). Models live in
[`inspector_kit.models`][inspector_kit.models], Package URLs in
[`inspector_kit.purl`][inspector_kit.purl].

Importing the package is cheap: each name's module is loaded when the name is first used,
so a Lambda handler that reads findings with ``load_findings`` loads the finding models and
the loader, not the criteria, the other models, the scoring or the fetch layer (boto3).

Examples:
    >>> import inspector_kit as ik
    >>> findings = list(ik.sample_findings())
    >>> critical = [f for f in findings if f.severity == ik.Severity.CRITICAL]
    >>> all(f.severity == "CRITICAL" for f in critical)
    True
"""

from typing import TYPE_CHECKING, Any

from ._lazy import lazy_surface
from ._version import __version__
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

if TYPE_CHECKING:
    from ._accounts_dir import AccountDirectory, AccountGroups
    from .criteria import FindingCriteria
    from .fetch import FindingStream, Inspector
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

# Where each name lives: a name's module is imported when the name is first read (issue 19),
# so that a Lambda handler given EventBridge events loads the finding models and the loader,
# not the criteria, the sample estate, the other models or the fetch layer (boto3, ~0.15 s).
# The exceptions are imported eagerly: every module needs them anyway. The TYPE_CHECKING
# imports above say the same for type checkers and the API docs (tests/test_footprint.py
# compares the two).
_EXPORTS = {
    "._accounts_dir": ("AccountDirectory", "AccountGroups"),
    ".criteria": ("FindingCriteria",),
    ".fetch": ("FindingStream", "Inspector"),
    ".loaders": ("LoadedFindings", "RecordIssue", "SkippedRecord", "load_findings"),
    ".models": (
        "CvssChoice",
        "Finding",
        "FindingStatus",
        "FindingType",
        "FixAvailable",
        "PackageManager",
        "Resource",
        "ResourceType",
        "Severity",
        "VulnerablePackage",
    ),
    ".sample": ("sample_estate_path", "sample_findings"),
}
# The modules that read as attributes of the package after ``import inspector_kit`` before
# the names became lazy: they still do, imported on first use.
_SUBMODULES = ("criteria", "formats", "loaders", "models", "sample", "scoring")

_lazy_getattr, __dir__ = lazy_surface(globals(), _EXPORTS, _SUBMODULES)


def __getattr__(name: str) -> Any:
    if name == "RecordError":  # deprecated spelling of RecordIssue (a value, not an exception)
        import warnings

        warnings.warn(
            "inspector_kit.RecordError is deprecated; use inspector_kit.RecordIssue",
            DeprecationWarning,
            stacklevel=2,
        )
        return _lazy_getattr("RecordIssue")
    return _lazy_getattr(name)


__all__ = [
    "AccessDeniedError",
    "AccountDirectory",
    "AccountGroups",
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
