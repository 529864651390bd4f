"""Coverage: ``ListCoverage`` streams and ``ListCoverageStatistics`` over regions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.criteria import CoverageCriteria
from inspector_kit.errors import CriteriaError
from inspector_kit.models import Counts, CoveredResource

from ._records import Records, regional
from ._results import CoverageStatistics

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ._core import Core
    from ._stream import ItemIssue, Progress, ResultStream

__all__ = ["coverage", "coverage_criteria", "coverage_statistics"]


def coverage(
    core: Core,
    criteria: CoverageCriteria | Mapping[str, Any] | None,
    *,
    regions: str | Iterable[str] | None,
    limit: int | None,
    strict: bool,
    on_progress: Callable[[Progress], None] | None,
) -> ResultStream[CoveredResource]:
    """``Inspector.coverage <inspector_kit.Inspector.coverage>``, on ``core``."""
    crit = coverage_criteria(criteria)
    params: dict[str, Any] = {"maxResults": _limits.COVERAGE_PAGE}
    if crit:
        params["filterCriteria"] = crit.to_api()
    return core.stream(
        "ListCoverage",
        "list_coverage",
        params,
        "coveredResources",
        regional(CoveredResource),
        regions=regions,
        key=_coverage_key,
        limit=limit,
        strict=strict,
        on_progress=on_progress,
    )


def coverage_statistics(
    core: Core,
    criteria: CoverageCriteria | Mapping[str, Any] | None,
    *,
    group_by: str | None,
    regions: str | Iterable[str] | None,
    strict: bool,
) -> CoverageStatistics:
    """``Inspector.coverage_statistics <inspector_kit.Inspector.coverage_statistics>``."""
    crit = coverage_criteria(criteria)
    params: dict[str, Any] = {}
    if crit:
        params["filterCriteria"] = crit.to_api()
    if group_by is not None:
        params["groupBy"] = str(getattr(group_by, "value", group_by))
    targets = core.resolve(regions)
    pager = core.pager(
        "ListCoverageStatistics", "list_coverage_statistics", params, "countsByGroup"
    )

    def one(region: str) -> tuple[list[Counts], int, list[ItemIssue]]:
        records = Records(region, strict=strict)
        counts: list[Counts] = []
        total = 0
        for page in pager(region, lambda: False):
            counts.extend(records.decode(Counts, page.items, page.number))
            total = records.integer(page.response.get("totalCounts"), total, page.number)
        return counts, total, records.errors

    results, errors = core.per_region(targets, one, strict=strict)
    counts = tuple(c for r in targets if r in results for c in results[r][0])
    by_region = {r: results[r][1] for r in targets if r in results}
    return CoverageStatistics(
        counts=counts,
        by_region=by_region,
        group_by=params.get("groupBy"),
        errors=errors,
        item_errors=tuple(e for r in targets if r in results for e in results[r][2]),
    )


def _coverage_key(resource: CoveredResource) -> tuple[Any, ...]:
    return (resource.region, resource.account_id, resource.resource_id, str(resource.scan_type))


def coverage_criteria(criteria: CoverageCriteria | Mapping[str, Any] | None) -> CoverageCriteria:
    if criteria is None:
        return CoverageCriteria()
    if isinstance(criteria, CoverageCriteria):
        return criteria
    if isinstance(criteria, Mapping):
        return CoverageCriteria.from_api(criteria)
    raise CriteriaError(
        "criteria must be a CoverageCriteria or an API filterCriteria mapping, "
        f"got {type(criteria).__name__}"
    )
