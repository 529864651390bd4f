"""Findings: ``ListFindings`` streams, counts by aggregation, and finding details."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inspector_kit import _limits
from inspector_kit.criteria import FindingCriteria
from inspector_kit.errors import CriteriaError, FindingParseError
from inspector_kit.models import (
    AccountAggregationResponse,
    Finding,
    FindingDetail,
    FindingDetailsError,
    TitleAggregationResponse,
    severity_rank,
)

from ._pages import call
from ._records import Records
from ._results import CountRow, FindingCounts, FindingDetails
from ._stream import FindingStream, ItemIssue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ._core import Core
    from ._stream import Progress

__all__ = ["count", "finding_criteria", "finding_details", "findings"]

_SORT_FIELDS = (
    "AWS_ACCOUNT_ID",
    "FINDING_TYPE",
    "SEVERITY",
    "FIRST_OBSERVED_AT",
    "LAST_OBSERVED_AT",
    "FINDING_STATUS",
    "RESOURCE_TYPE",
    "ECR_IMAGE_PUSHED_AT",
    "ECR_IMAGE_REPOSITORY_NAME",
    "ECR_IMAGE_REGISTRY",
    "NETWORK_PROTOCOL",
    "COMPONENT_TYPE",
    "VULNERABILITY_ID",
    "VULNERABILITY_SOURCE",
    "INSPECTOR_SCORE",
    "VENDOR_SEVERITY",
    "EPSS_SCORE",
)
_FINDING_ARN = re.compile(
    r"^arn:aws[a-z-]*:inspector2:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):finding/.+$"
)


def _merge_key(field: str) -> Callable[[Finding], Any] | None:
    """How to order findings across regions for a sort field, mirroring Inspector's order.

    Each region is sorted by Inspector; streams from several regions are merged with
    these keys. A missing value counts as the lowest (last when descending, first when
    ascending), as the loopback server does (Inspector's own rule is UNCONFIRMED).
    Fields with no key here keep each region's order and interleave regions.
    """

    def present(value: Any) -> tuple[int, Any]:
        return (1, value) if value is not None else (0, 0)

    def details(f: Finding) -> Any:
        return f.primary_resource.details

    def ecr(f: Finding) -> Any:
        d = details(f)
        return d.aws_ecr_container_image if d is not None else None

    getters: dict[str, Callable[[Finding], Any]] = {
        "AWS_ACCOUNT_ID": lambda f: f.aws_account_id,
        "FINDING_TYPE": lambda f: str(f.type),
        "SEVERITY": lambda f: severity_rank(f.severity),
        "FIRST_OBSERVED_AT": lambda f: f.first_observed_at,
        "LAST_OBSERVED_AT": lambda f: f.last_observed_at,
        "FINDING_STATUS": lambda f: str(f.status),
        "RESOURCE_TYPE": lambda f: str(f.primary_resource.type),
        "ECR_IMAGE_PUSHED_AT": lambda f: e.pushed_at if (e := ecr(f)) else None,
        "ECR_IMAGE_REPOSITORY_NAME": lambda f: e.repository_name if (e := ecr(f)) else None,
        "ECR_IMAGE_REGISTRY": lambda f: e.registry if (e := ecr(f)) else None,
        "VULNERABILITY_ID": lambda f: f.vulnerability_id,
        "INSPECTOR_SCORE": lambda f: f.inspector_score,
        "EPSS_SCORE": lambda f: f.epss_score,
    }
    getter = getters.get(field)
    if getter is None:
        return None
    return lambda f: present(getter(f))


def _sort_criteria(sort: Any) -> dict[str, str] | None:
    if sort is None:
        return None
    if isinstance(sort, str):
        field, order = sort, "DESC"
    elif isinstance(sort, tuple) and len(sort) == 2:
        field, order = sort
    else:
        raise CriteriaError(
            f"sort must be a field name or (field, 'ASC'|'DESC'), got {sort!r}", path="sortCriteria"
        )
    field, order = str(getattr(field, "value", field)), str(getattr(order, "value", order)).upper()
    if field not in _SORT_FIELDS:
        raise CriteriaError(
            f"unknown sort field {field!r}; one of {', '.join(_SORT_FIELDS)}",
            path="sortCriteria.field",
        )
    if order not in ("ASC", "DESC"):
        raise CriteriaError(
            f"sort order must be 'ASC' or 'DESC', got {order!r}", path="sortCriteria.sortOrder"
        )
    return {"field": field, "sortOrder": order}


def finding_criteria(criteria: FindingCriteria | Mapping[str, Any] | None) -> FindingCriteria:
    if criteria is None:
        return FindingCriteria()
    if isinstance(criteria, FindingCriteria):
        return criteria
    if isinstance(criteria, Mapping):
        return FindingCriteria.from_api(criteria)
    raise CriteriaError(
        "criteria must be a FindingCriteria or an API filterCriteria mapping, "
        f"got {type(criteria).__name__}"
    )


def _with_status(
    criteria: FindingCriteria, *, include_suppressed: bool, include_closed: bool
) -> FindingCriteria:
    """ACTIVE findings only, unless asked (docs/facts.md#api: CLOSED leaking into reports)."""
    if criteria.finding_status:
        if include_suppressed or include_closed:
            raise CriteriaError(
                "criteria already filter findingStatus; drop include_suppressed/"
                "include_closed or the findingStatus filter",
                path="findingStatus",
            )
        return criteria
    statuses = ["ACTIVE"]
    if include_suppressed:
        statuses.append("SUPPRESSED")
    if include_closed:
        statuses.append("CLOSED")
    return criteria.where(finding_status=statuses)


def findings(
    core: Core,
    criteria: FindingCriteria | Mapping[str, Any] | None,
    *,
    regions: str | Iterable[str] | None,
    include_suppressed: bool,
    include_closed: bool,
    sort: str | tuple[str, str] | None,
    limit: int | None,
    strict: bool,
    on_progress: Callable[[Progress], None] | None,
) -> FindingStream:
    """``Inspector.findings <inspector_kit.Inspector.findings>``, on ``core``."""
    crit = _with_status(
        finding_criteria(criteria),
        include_suppressed=include_suppressed,
        include_closed=include_closed,
    )
    params: dict[str, Any] = {
        "maxResults": _limits.FINDINGS_PAGE,
        "filterCriteria": crit.to_api(),
    }
    sort_criteria = _sort_criteria(sort)
    merge_key = None
    if sort_criteria is not None:
        params["sortCriteria"] = sort_criteria
        merge_key = _merge_key(sort_criteria["field"])
    stream = core.stream(
        "ListFindings",
        "list_findings",
        params,
        "findings",
        _decode_finding,
        regions=regions,
        key=_finding_key,
        limit=limit,
        strict=strict,
        on_progress=on_progress,
        merge_key=merge_key,
        merge_reverse=bool(sort_criteria and sort_criteria["sortOrder"] == "DESC"),
        cls=FindingStream,
    )
    assert isinstance(stream, FindingStream)
    return stream


def count(
    core: Core,
    criteria: FindingCriteria | Mapping[str, Any] | None,
    *,
    regions: str | Iterable[str] | None,
    strict: bool,
) -> FindingCounts:
    """``Inspector.count <inspector_kit.Inspector.count>``, on ``core``."""
    crit = finding_criteria(criteria)
    params, aggregation = _aggregation_request(crit)
    targets = core.resolve(regions)
    pager = core.pager("ListFindingAggregations", "list_finding_aggregations", params, "responses")

    def one(region: str) -> tuple[list[CountRow], list[ItemIssue]]:
        records = Records(region, strict=strict)
        rows: list[CountRow] = []
        for page in pager(region, lambda: False):
            for index, raw in enumerate(page.items):
                rows.extend(_count_rows(raw, region, records, page.number, index))
        return rows, records.errors

    results, errors = core.per_region(targets, one, strict=strict)
    return FindingCounts(
        rows=tuple(row for r in targets if r in results for row in results[r][0]),
        aggregation=aggregation,
        errors=errors,
        item_errors=tuple(e for r in targets if r in results for e in results[r][1]),
    )


def finding_details(core: Core, arns: Iterable[str], *, strict: bool) -> FindingDetails:
    """``Inspector.finding_details <inspector_kit.Inspector.finding_details>``."""
    by_region: dict[str, list[str]] = {}
    failed: dict[str, FindingDetailsError] = {}
    for arn in dict.fromkeys(arns):
        match = _FINDING_ARN.match(arn) if isinstance(arn, str) else None
        if match is None:
            failed[str(arn)] = FindingDetailsError.from_api(
                {
                    "findingArn": str(arn),
                    "errorCode": "INVALID_FINDING_ARN",
                    "errorMessage": "not an inspector2 finding ARN "
                    "(arn:aws:inspector2:<region>:<account>:finding/<id>)",
                }
            )
            continue
        by_region.setdefault(match.group(1), []).append(arn)

    def one(
        region: str,
    ) -> tuple[list[FindingDetail], list[FindingDetailsError], list[ItemIssue]]:
        client = core.clients.get(region)
        records = Records(region, strict=strict)
        got: list[FindingDetail] = []
        bad: list[FindingDetailsError] = []
        todo = by_region[region]
        batch_size = _limits.FINDING_DETAILS_BATCH
        for number, start in enumerate(range(0, len(todo), batch_size), 1):
            batch = todo[start : start + batch_size]
            response = call(
                client,
                "BatchGetFindingDetails",
                "batch_get_finding_details",
                {"findingArns": batch},
                region=region,
            )
            got.extend(records.decode(FindingDetail, response.get("findingDetails"), number))
            bad.extend(records.decode(FindingDetailsError, response.get("errors"), number))
        return got, bad, records.errors

    results, errors = core.per_region(list(by_region), one, strict=strict)
    details: dict[str, FindingDetail] = {}
    for region in by_region:
        if region not in results:
            continue
        got, bad, _ = results[region]
        details.update((d.finding_arn, d) for d in got if d.finding_arn)
        failed.update((e.finding_arn, e) for e in bad)
    for region, err in errors.items():
        for arn in by_region[region]:
            failed.setdefault(
                arn,
                FindingDetailsError.from_api(
                    {"findingArn": arn, "errorCode": "REGION_FAILED", "errorMessage": str(err)}
                ).with_region(region),
            )
    return FindingDetails(
        details=details,
        failed=failed,
        errors=errors,
        item_errors=tuple(e for r in by_region if r in results for e in results[r][2]),
    )


def _decode_finding(raw: Any, region: str) -> tuple[Finding, tuple[FindingParseError, ...]]:
    return Finding.from_api_lenient(raw)


def _finding_key(finding: Finding) -> str:
    return finding.finding_arn


_COUNTABLE = frozenset(
    {"awsAccountId", "findingType", "resourceType", "title", "vulnerabilityId", "findingStatus"}
)


def _single_equals(api: Mapping[str, Any], name: str) -> str | None:
    filters = api.get(name)
    if not filters:
        return None
    if len(filters) != 1 or filters[0].get("comparison") != "EQUALS":
        raise CriteriaError(
            "count() takes one EQUALS value here (ListFindingAggregations takes a single value)",
            path=name,
        )
    return str(filters[0]["value"])


def _aggregation_request(crit: FindingCriteria) -> tuple[dict[str, Any], str]:
    api = crit.to_api()
    unsupported = sorted(set(api) - _COUNTABLE)
    if unsupported:
        raise CriteriaError(
            "count() uses ListFindingAggregations, which cannot filter on "
            f"{', '.join(unsupported)}; count with sum(1 for _ in inspector.findings(criteria))",
            path=unsupported[0],
        )
    status = api.get("findingStatus")
    if status and (len(status) != 1 or status[0] != {"comparison": "EQUALS", "value": "ACTIVE"}):
        raise CriteriaError("count() counts ACTIVE findings only", path="findingStatus")
    inner: dict[str, Any] = {}
    finding_type = _single_equals(api, "findingType")
    if finding_type is not None:
        inner["findingType"] = finding_type
    resource_type = _single_equals(api, "resourceType")
    if resource_type is not None:
        inner["resourceType"] = resource_type
    params: dict[str, Any] = {"maxResults": _limits.AGGREGATION_PAGE}
    if "awsAccountId" in api:
        params["accountIds"] = api["awsAccountId"]
    if "title" in api or "vulnerabilityId" in api:
        if "title" in api:
            inner["titles"] = api["title"]
        if "vulnerabilityId" in api:
            inner["vulnerabilityIds"] = api["vulnerabilityId"]
        params.update(aggregationType="TITLE", aggregationRequest={"titleAggregation": inner})
        return params, "TITLE"
    params.update(aggregationType="ACCOUNT", aggregationRequest={"accountAggregation": inner})
    return params, "ACCOUNT"


def _count_rows(raw: Any, region: str, records: Records, page: int, index: int) -> list[CountRow]:
    rows: list[CountRow] = []
    if not isinstance(raw, Mapping):
        records.skip(FindingParseError("expected an object", raw), page, index)
        return rows
    for member, cls in (
        ("accountAggregation", AccountAggregationResponse),
        ("titleAggregation", TitleAggregationResponse),
    ):
        if member in raw:
            agg = records.one(cls, raw[member], page, index, path=member)
            if agg is not None and agg.severity_counts is not None:
                rows.append(CountRow(region, agg.account_id, agg.severity_counts))
    return rows
