"""I/O: the Inspector facade, paginated fetchers and region fan-out (the only boto3 user).

This package's ``__init__`` is its surface; the modules behind it are private:
``_core`` (session, clients, merged ``Config``, the one fan-out mechanism), one module per
area (``_findings``, ``_coverage``, ``_account``, ``_exports``, ``_inventory``, ``_scans``) and the
``_inspector`` facade that delegates to them.

Examples:
    >>> from inspector_kit.fetch import FindingCriteria, StringFilter
    >>> FindingCriteria(vulnerability_id=StringFilter.prefix("CVE-2024-")).to_api()
    {'vulnerabilityId': [{'comparison': 'PREFIX', 'value': 'CVE-2024-'}]}
"""

from typing import Any

from inspector_kit.criteria import (
    CoverageCriteria,
    DateFilter,
    FindingCriteria,
    MapFilter,
    NumberFilter,
    PackageFilter,
    PortRangeFilter,
    StringFilter,
)
from inspector_kit.errors import (
    ExportFailedError,
    ExportInProgressError,
    ExportTimeoutError,
    OnDemandScanFailedError,
    OnDemandScanTimeoutError,
)

from ._accounts import (
    AccountRegionOutcome,
    MemberDeepInspection,
    MemberRole,
    OrgInspector,
    OrgStream,
)
from ._client import CONNECTION_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS
from ._exports import ExportRecordIssue, ExportSettings, FindingsExport, SbomExport
from ._inspector import EXPORT_THRESHOLD, Inspector
from ._org import OrgAccount, Organization
from ._pricelist import fetch_price_table
from ._results import (
    AccountStatuses,
    CountRow,
    CoverageStatistics,
    FindingCounts,
    FindingDetails,
)
from ._scale import FindingsAtScale
from ._stream import PAGES_AHEAD, FindingStream, ItemIssue, Progress, RegionOutcome, ResultStream
from ._trial import FreeTrials

__all__ = [
    "CONNECTION_MAX_ATTEMPTS",
    "DEFAULT_MAX_ATTEMPTS",
    "EXPORT_THRESHOLD",
    "PAGES_AHEAD",
    "AccountRegionOutcome",
    "AccountStatuses",
    "CountRow",
    "CoverageCriteria",
    "CoverageStatistics",
    "DateFilter",
    "ExportFailedError",
    "ExportInProgressError",
    "ExportRecordIssue",
    "ExportSettings",
    "ExportTimeoutError",
    "FindingCounts",
    "FindingCriteria",
    "FindingDetails",
    "FindingStream",
    "FindingsAtScale",
    "FindingsExport",
    "FreeTrials",
    "Inspector",
    "ItemIssue",
    "MapFilter",
    "MemberDeepInspection",
    "MemberRole",
    "NumberFilter",
    "OnDemandScanFailedError",
    "OnDemandScanTimeoutError",
    "OrgAccount",
    "OrgInspector",
    "OrgStream",
    "Organization",
    "PackageFilter",
    "PortRangeFilter",
    "Progress",
    "RegionOutcome",
    "ResultStream",
    "SbomExport",
    "StringFilter",
    "fetch_price_table",
]

# Renamed value classes (they are values, not exceptions): the old names still work.
_RENAMED = {"ItemError": "ItemIssue", "ExportRecordError": "ExportRecordIssue"}


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        import warnings

        new = _RENAMED[name]
        warnings.warn(
            f"inspector_kit.fetch.{name} is deprecated: use inspector_kit.fetch.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[new]
    raise AttributeError(f"module 'inspector_kit.fetch' has no attribute {name!r}")
