"""I/O: the Inspector facade, paginated fetchers and region fan-out (the only boto3 user).

Example:
    >>> from inspector_kit.fetch import FindingCriteria, StringFilter
    >>> FindingCriteria(vulnerability_id=StringFilter.prefix("CVE-2024-")).to_api()
    {'vulnerabilityId': [{'comparison': 'PREFIX', 'value': 'CVE-2024-'}]}
"""

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

from ._client import CONNECTION_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS
from ._pricelist import fetch_price_table
from ._scale import FindingsAtScale
from .exports import (
    ExportFailedError,
    ExportInProgressError,
    ExportTimeoutError,
    FindingsExport,
    SbomExport,
)
from .inspector import Inspector
from .results import (
    AccountStatuses,
    CountRow,
    CoverageStatistics,
    FindingCounts,
    FindingDetails,
)
from .stream import PAGES_AHEAD, FindingStream, ItemError, Progress, RegionOutcome, ResultStream

__all__ = [
    "CONNECTION_MAX_ATTEMPTS",
    "DEFAULT_MAX_ATTEMPTS",
    "PAGES_AHEAD",
    "AccountStatuses",
    "CountRow",
    "CoverageCriteria",
    "CoverageStatistics",
    "DateFilter",
    "ExportFailedError",
    "ExportInProgressError",
    "ExportTimeoutError",
    "FindingCounts",
    "FindingCriteria",
    "FindingDetails",
    "FindingStream",
    "FindingsAtScale",
    "FindingsExport",
    "Inspector",
    "ItemError",
    "MapFilter",
    "NumberFilter",
    "PackageFilter",
    "PortRangeFilter",
    "Progress",
    "RegionOutcome",
    "ResultStream",
    "SbomExport",
    "StringFilter",
    "fetch_price_table",
]
