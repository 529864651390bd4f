"""The :class:`Inspector` facade: every read operation, typed, paginated, over regions."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import boto3

from inspector_kit.criteria import CoverageCriteria, FindingCriteria
from inspector_kit.errors import CriteriaError, FindingParseError, InspectorKitError
from inspector_kit.models import (
    AccountAggregationResponse,
    AccountState,
    Configuration,
    Counts,
    CoveredResource,
    DeepInspectionConfiguration,
    FailedAccount,
    Finding,
    FindingDetail,
    FindingDetailsError,
    Member,
    RegionalModel,
    TitleAggregationResponse,
    UsageTotal,
    severity_rank,
)

from ._client import CONNECTION_MAX_ATTEMPTS, ClientFactory, ServiceClients, resolve_regions
from ._errors import translate
from ._pages import call, pages
from ._scale import FindingsAtScale
from .exports import (
    FINDINGS_FORMATS,
    SBOM_FORMATS,
    FindingsExport,
    SbomExport,
    conflict,
)
from .results import (
    AccountStatuses,
    CountRow,
    CoverageStatistics,
    FindingCounts,
    FindingDetails,
)
from .stream import FindingStream, ItemError, Progress, ResultStream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from botocore.config import Config

    from inspector_kit.coverage import Inventory

    from ._pages import RawPage

__all__ = ["EXPORT_THRESHOLD", "Inspector"]

EXPORT_THRESHOLD = 100_000
"""Above this many findings in a region, :meth:`Inspector.findings_at_scale` exports."""

R = TypeVar("R")
_ExportT = TypeVar("_ExportT", FindingsExport, SbomExport)

logger = logging.getLogger("inspector_kit.fetch")

FINDINGS_PAGE = 100  # ListFindings maxResults 1..100; AWS serves at most 25 per page
COVERAGE_PAGE = 200  # ListCoverage maxResults 1..200
USAGE_PAGE = 500  # ListUsageTotals maxResults 1..500
MEMBERS_PAGE = 50  # ListMembers maxResults 1..50
AGGREGATION_PAGE = 100  # ListFindingAggregations maxResults 1..100
DETAILS_BATCH = 10  # BatchGetFindingDetails findingArns 1..10
ACCOUNT_STATUS_BATCH = 100  # BatchGetAccountStatus accountIds 0..100

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


def _finding_criteria(criteria: FindingCriteria | Mapping[str, Any] | None) -> FindingCriteria:
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
    """ACTIVE findings only, unless asked (DOMAIN.md §3: CLOSED leaking into reports)."""
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


class Inspector:
    """Amazon Inspector (``inspector2``), read side: typed, paginated, over many regions.

    Args:
        session: The boto3 ``Session`` to use (credentials, profile); a default one when
            omitted.
        regions: Regions to read: a list, ``"all"`` (every region botocore knows for
            ``inspector2`` in the session's partition), or ``None`` for the session's
            own region.
        config: A botocore ``Config``, merged over inspector_kit's defaults
            (throttling-proof retries, ``user_agent_extra``); yours wins option by option.
        endpoint_url: Send every call here (e.g. a
            :class:`~inspector_kit.testing.LoopbackInspector`). When omitted, botocore's
            ``AWS_ENDPOINT_URL_INSPECTOR2`` / ``AWS_ENDPOINT_URL`` settings apply.
        max_workers: Regions fetched at once (default: all of them, at most 16).
        connection_attempts: Attempts, the first included, for a call that cannot
            connect (refused, unknown host, timed out); default
            :data:`~inspector_kit.fetch.CONNECTION_MAX_ATTEMPTS` (3). Throttling and server
            errors keep the ``Config``'s ``max_attempts`` (12 by default); configuration
            errors (an unusable endpoint URL, TLS failures) are never retried.

    Example:
        >>> from inspector_kit import Inspector
        >>> from inspector_kit.testing import LoopbackInspector
        >>> with LoopbackInspector() as server:
        ...     inspector = Inspector(regions=["us-east-1", "eu-west-1", "ap-northeast-1"],
        ...                           endpoint_url=server.endpoint_url)
        ...     findings = list(inspector.findings())
        >>> len(findings) > 100, all(f.status == "ACTIVE" for f in findings)
        (True, True)
    """

    def __init__(
        self,
        session: boto3.session.Session | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        config: Config | None = None,
        endpoint_url: str | None = None,
        max_workers: int | None = None,
        connection_attempts: int = CONNECTION_MAX_ATTEMPTS,
    ) -> None:
        if (
            isinstance(connection_attempts, bool)
            or not isinstance(connection_attempts, int)
            or connection_attempts < 1
        ):
            raise ValueError(
                f"connection_attempts must be a positive integer, got {connection_attempts!r}"
            )
        self.session = session if session is not None else boto3.session.Session()
        self.regions: tuple[str, ...] = resolve_regions(self.session, regions)
        if max_workers is not None and (isinstance(max_workers, bool) or max_workers < 1):
            raise ValueError(f"max_workers must be a positive integer, got {max_workers!r}")
        self.max_workers = max_workers or min(16, len(self.regions))
        self._clients = ClientFactory(
            self.session,
            config=config,
            endpoint_url=endpoint_url,
            connection_attempts=connection_attempts,
        )
        # EC2 and SSM, for inventory(): same session and Config, never endpoint_url.
        self._services = ServiceClients(
            self.session, config=config, connection_attempts=connection_attempts
        )

    def __repr__(self) -> str:
        return f"Inspector(regions={list(self.regions)!r}, max_workers={self.max_workers})"

    def client(self, region: str | None = None) -> Any:
        """The boto3 ``inspector2`` client this facade uses for ``region`` (default: first).

        For operations the facade does not wrap; it carries the merged ``Config``.
        """
        return self._clients.get(region or self.regions[0])

    # -- findings --------------------------------------------------------------------

    def findings(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        include_suppressed: bool = False,
        include_closed: bool = False,
        sort: str | tuple[str, str] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> FindingStream:
        """Findings matching ``criteria`` in every region, as a lazy :class:`FindingStream`.

        ACTIVE findings only unless ``include_suppressed`` / ``include_closed`` (or the
        criteria filter ``findingStatus`` themselves). Regions are fetched in parallel;
        findings arrive as pages do, de-duplicated by ``findingArn``.

        Args:
            criteria: A :class:`FindingCriteria`, or an API ``filterCriteria`` mapping
                (validated the same way).
            regions: Override the facade's regions for this call.
            include_suppressed: Also return SUPPRESSED findings.
            include_closed: Also return CLOSED findings (Inspector keeps them briefly).
            sort: A ``SortField`` (descending) or ``(field, "ASC"|"DESC")``. Each region is
                sorted by Inspector and regions are merged in that order.
            limit: Stop after this many findings (over all regions).
            strict: Raise on the first region failure or bad finding instead of
                finishing the other regions.
            on_progress: Called with a :class:`Progress` after every page, in the
                iterating thread.

        Raises:
            CriteriaError: The criteria or sort break the service model's limits (at
                call time, before any request).

        Example:
            >>> from inspector_kit import FindingCriteria, Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     top = list(inspector.findings(FindingCriteria(severity="CRITICAL"),
            ...                                   sort="INSPECTOR_SCORE", limit=3))
            >>> [f.severity.value for f in top]
            ['CRITICAL', 'CRITICAL', 'CRITICAL']
            >>> top[0].inspector_score >= top[-1].inspector_score
            True
        """
        crit = _with_status(
            _finding_criteria(criteria),
            include_suppressed=include_suppressed,
            include_closed=include_closed,
        )
        params: dict[str, Any] = {"maxResults": FINDINGS_PAGE, "filterCriteria": crit.to_api()}
        sort_criteria = _sort_criteria(sort)
        merge_key = None
        if sort_criteria is not None:
            params["sortCriteria"] = sort_criteria
            merge_key = _merge_key(sort_criteria["field"])
        return FindingStream(
            regions=self._regions(regions),
            fetch_region=self._pager("ListFindings", "list_findings", params, "findings"),
            decode=_decode_finding,
            key=_finding_key,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
            max_workers=self.max_workers,
            merge_key=merge_key,
            merge_reverse=bool(sort_criteria and sort_criteria["sortOrder"] == "DESC"),
            prepare=self._clients.prepare,
        )

    def count(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> FindingCounts:
        """Count ACTIVE findings by severity with ``ListFindingAggregations``: no listing.

        Inspector's aggregations take only some filters, so ``criteria`` may use only
        ``awsAccountId``, ``findingType`` and ``resourceType`` (one EQUALS value each for
        the last two), plus ``title`` / ``vulnerabilityId`` (then counted by title), and
        ``findingStatus`` EQUALS ACTIVE. Anything else raises :class:`CriteriaError`:
        count with ``sum(1 for _ in inspector.findings(criteria))`` instead.

        Example:
            >>> from inspector_kit import FindingCriteria, Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions=["us-east-1", "eu-west-1"],
            ...                           endpoint_url=server.endpoint_url)
            ...     packages = FindingCriteria(finding_type="PACKAGE_VULNERABILITY")
            ...     counts = inspector.count(packages)
            ...     listed = sum(1 for f in inspector.findings(packages))
            >>> counts.total == listed
            True
        """
        crit = _finding_criteria(criteria)
        params, aggregation = _aggregation_request(crit)
        targets = self._regions(regions)

        def one(region: str) -> tuple[list[CountRow], list[ItemError]]:
            records = _Records(region, strict=strict)
            rows: list[CountRow] = []
            for page in self._pager(
                "ListFindingAggregations", "list_finding_aggregations", params, "responses"
            )(region, lambda: False):
                for index, raw in enumerate(page.items):
                    rows.extend(_count_rows(raw, region, records, page.number, index))
            return rows, records.errors

        results, errors = self._fan_out(targets, one, strict=strict)
        return FindingCounts(
            rows=tuple(row for r in targets if r in results for row in results[r][0]),
            aggregation=aggregation,
            errors=errors,
            item_errors=tuple(e for r in targets if r in results for e in results[r][1]),
        )

    def finding_details(self, arns: Iterable[str], *, strict: bool = False) -> FindingDetails:
        """``BatchGetFindingDetails`` for any number of findings (10 per call, per region).

        Gives KEV data (``cisa_data``), ``exploit_observed``, EPSS and more per finding.
        ARNs are grouped by their region; duplicates are asked once. An ARN that is not
        a finding ARN is reported in ``failed`` (code ``INVALID_FINDING_ARN``), not
        raised, so the rest of the batch goes on.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     arns = [f.finding_arn for f in inspector.findings(limit=12)]
            ...     details = inspector.finding_details([*arns, "not-an-arn"])
            >>> len(details) + len(details.failed) == 13, details.failed["not-an-arn"].error_code
            (True, 'INVALID_FINDING_ARN')
        """
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
        ) -> tuple[list[FindingDetail], list[FindingDetailsError], list[ItemError]]:
            client = self._clients.get(region)
            records = _Records(region, strict=strict)
            got: list[FindingDetail] = []
            bad: list[FindingDetailsError] = []
            todo = by_region[region]
            for number, start in enumerate(range(0, len(todo), DETAILS_BATCH), 1):
                batch = todo[start : start + DETAILS_BATCH]
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

        results, errors = self._fan_out(list(by_region), one, strict=strict)
        details: dict[str, FindingDetail] = {}
        for got, bad, _ in results.values():
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

    # -- coverage and configuration -------------------------------------------------

    def coverage(
        self,
        criteria: CoverageCriteria | Mapping[str, Any] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[CoveredResource]:
        """Resources Inspector covers (``ListCoverage``), as a stream of ``CoveredResource``.

        Each resource has ``region`` set (the API does not say it).

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.fetch import CoverageCriteria
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     only_ec2 = CoverageCriteria(resource_type="AWS_EC2_INSTANCE")
            ...     ec2 = list(inspector.coverage(only_ec2))
            >>> {r.resource_type.value for r in ec2}, {r.region for r in ec2}
            ({'AWS_EC2_INSTANCE'}, {'us-east-1'})
        """
        crit = _coverage_criteria(criteria)
        params: dict[str, Any] = {"maxResults": COVERAGE_PAGE}
        if crit:
            params["filterCriteria"] = crit.to_api()
        return self._stream(
            "ListCoverage",
            "list_coverage",
            params,
            "coveredResources",
            _regional(CoveredResource),
            regions=regions,
            key=_coverage_key,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
        )

    def coverage_statistics(
        self,
        criteria: CoverageCriteria | Mapping[str, Any] | None = None,
        *,
        group_by: str | None = None,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> CoverageStatistics:
        """``ListCoverageStatistics`` over regions: resources counted per ``group_by`` key.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions=["us-east-1", "eu-west-1"],
            ...                           endpoint_url=server.endpoint_url)
            ...     stats = inspector.coverage_statistics(group_by="RESOURCE_TYPE")
            >>> sum(stats.by_group().values()) == stats.total > 0
            True
        """
        crit = _coverage_criteria(criteria)
        params: dict[str, Any] = {}
        if crit:
            params["filterCriteria"] = crit.to_api()
        if group_by is not None:
            params["groupBy"] = str(getattr(group_by, "value", group_by))
        targets = self._regions(regions)

        pager = self._pager(
            "ListCoverageStatistics", "list_coverage_statistics", params, "countsByGroup"
        )

        def one(region: str) -> tuple[list[Counts], int, list[ItemError]]:
            records = _Records(region, strict=strict)
            counts: list[Counts] = []
            total = 0
            for page in pager(region, lambda: False):
                counts.extend(records.decode(Counts, page.items, page.number))
                total = records.integer(page.response.get("totalCounts"), total, page.number)
            return counts, total, records.errors

        results, errors = self._fan_out(targets, one, strict=strict)
        counts = tuple(c for r in targets if r in results for c in results[r][0])
        by_region = {r: results[r][1] for r in targets if r in results}
        return CoverageStatistics(
            counts=counts,
            by_region=by_region,
            group_by=params.get("groupBy"),
            errors=errors,
            item_errors=tuple(e for r in targets if r in results for e in results[r][2]),
        )

    def configuration(self, region: str | None = None) -> Configuration:
        """``GetConfiguration`` in one region: the EC2 scan mode and its status, ECR settings.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     cfg = Inspector(regions="eu-west-1",
            ...                     endpoint_url=server.endpoint_url).configuration()
            >>> cfg.ec2_scan_mode == "EC2_HYBRID", cfg.region
            (True, 'eu-west-1')
        """
        region = region or self.regions[0]
        response = call(
            self._clients.get(region), "GetConfiguration", "get_configuration", {}, region=region
        )
        return Configuration.from_api(_strip_metadata(response), region=region)

    def deep_inspection_configuration(
        self, region: str | None = None
    ) -> DeepInspectionConfiguration:
        """``GetEc2DeepInspectionConfiguration`` in one region: paths and activation status.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     deep = inspector.deep_inspection_configuration()
            >>> deep.status is not None
            True
        """
        region = region or self.regions[0]
        response = call(
            self._clients.get(region),
            "GetEc2DeepInspectionConfiguration",
            "get_ec2_deep_inspection_configuration",
            {},
            region=region,
        )
        return DeepInspectionConfiguration.from_api(_strip_metadata(response), region=region)

    def account_status(
        self,
        account_ids: Iterable[str] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> AccountStatuses:
        """``BatchGetAccountStatus`` in every region: is Inspector enabled, and for what.

        ``account_ids`` default to the caller's own account (or, for a delegated
        administrator, as Inspector decides). Enablement is regional: a region that
        fails is in ``errors`` and :meth:`AccountStatuses.is_enabled` answers ``None``
        for it, never "disabled" and never "clean".

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions=["us-east-1", "eu-west-1"],
            ...                           endpoint_url=server.endpoint_url)
            ...     status = inspector.account_status(["111122223333"])
            >>> status.is_enabled("111122223333", "eu-west-1", "EC2")
            True
        """
        ids = list(dict.fromkeys(account_ids)) if account_ids is not None else None
        targets = self._regions(regions)

        def one(region: str) -> tuple[list[AccountState], list[FailedAccount], list[ItemError]]:
            client = self._clients.get(region)
            records = _Records(region, strict=strict)
            batches = (
                [
                    ids[i : i + ACCOUNT_STATUS_BATCH]
                    for i in range(0, len(ids), ACCOUNT_STATUS_BATCH)
                ]
                if ids
                else [None]
            )
            states: list[AccountState] = []
            failed: list[FailedAccount] = []
            for number, batch in enumerate(batches, 1):
                params = {"accountIds": batch} if batch is not None else {}
                response = call(
                    client,
                    "BatchGetAccountStatus",
                    "batch_get_account_status",
                    params,
                    region=region,
                )
                states.extend(records.decode(AccountState, response.get("accounts"), number))
                failed.extend(records.decode(FailedAccount, response.get("failedAccounts"), number))
            return states, failed, records.errors

        results, errors = self._fan_out(targets, one, strict=strict)
        return AccountStatuses(
            accounts=tuple(s for r in targets if r in results for s in results[r][0]),
            failed=tuple(f for r in targets if r in results for f in results[r][1]),
            errors=errors,
            item_errors=tuple(e for r in targets if r in results for e in results[r][2]),
        )

    def usage_totals(
        self,
        account_ids: Iterable[str] | None = None,
        *,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[UsageTotal]:
        """``ListUsageTotals`` (last 30 days) per account and region, as a stream.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     totals = list(inspector.usage_totals())
            >>> all(t.region == "us-east-1" for t in totals) and len(totals) > 0
            True
        """
        params: dict[str, Any] = {"maxResults": USAGE_PAGE}
        if account_ids is not None:
            params["accountIds"] = list(dict.fromkeys(account_ids))
        return self._stream(
            "ListUsageTotals",
            "list_usage_totals",
            params,
            "totals",
            _regional(UsageTotal),
            regions=regions,
            strict=strict,
            on_progress=on_progress,
        )

    def members(
        self,
        *,
        only_associated: bool = True,
        regions: str | Iterable[str] | None = None,
        strict: bool = False,
    ) -> ResultStream[Member]:
        """``ListMembers``: the accounts of a delegated administrator, per region.

        Example:
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with LoopbackInspector() as server:
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     ids = sorted(m.account_id for m in inspector.members())
            >>> "111122223333" in ids
            True
        """
        params: dict[str, Any] = {"maxResults": MEMBERS_PAGE, "onlyAssociated": only_associated}
        return self._stream(
            "ListMembers",
            "list_members",
            params,
            "members",
            _regional(Member),
            regions=regions,
            key=lambda m: (m.region, m.account_id),
            strict=strict,
        )

    # -- EC2 inventory ---------------------------------------------------------------

    def inventory(
        self,
        regions: str | Iterable[str] | None = None,
        *,
        clients: Callable[[str, str], Any] | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Inventory:
        """Gather the inputs of the EC2 coverage analysis from EC2, SSM and Inspector.

        Per region, in parallel: instances (``DescribeInstances``) with their volumes
        (``DescribeVolumes``), SSM status (``DescribeInstanceInformation``) and last
        inventory time (``GetInventory``, type ``AWS:InstanceInformation``), the OS as SSM
        reports it or, when SSM is silent, inferred from the image (``DescribeImages``;
        ``os_source="image"``); then Inspector's EC2 coverage records, the account status
        of every account seen, the scan mode and deep inspection settings. Call
        :meth:`~inspector_kit.coverage.Inventory.analyze` on the result.

        What you get, and what is assumed:

        * ``ssm`` is ``SsmStatus(managed=False)`` for an instance SSM does not list, and
          ``None`` when SSM could not be read at all (the error is in ``errors``); the
          analysis treats both as unmanaged. When ``GetInventory`` fails, managed
          instances get ``inventory_checked=False``.
        * Volumes have ``filesystem=None`` (EC2 does not expose it).
        * ``configurations`` and ``deep_inspection`` hold the caller's own account only
          (what ``GetConfiguration`` / ``GetEc2DeepInspectionConfiguration`` return without
          an account id). EC2 lists only the caller's instances, so that is the account the
          analysis needs; a delegated administrator's member accounts, seen only in
          coverage records, get no entry.
        * ``account_enabled`` is True when EC2 scanning is ``ENABLED``, False for any other
          state, ``None`` when it could not be read; for the caller and every account
          among instances and coverage records.
        * A failed call is recorded in ``errors`` (a :class:`FetchError` naming region,
          operation and code) and the rest goes on; a region whose ``ListCoverage`` failed
          part way contributes no coverage records (a partial list would read as "not
          covered").

        Args:
            regions: Override the facade's regions for this call.
            clients: ``(service, region) -> boto3 client`` for ``"ec2"`` and ``"ssm"``
                (return ``None`` to use the default). The default clients use this
                facade's session and merged ``Config`` but not ``endpoint_url`` (that is
                inspector2's); botocore's ``AWS_ENDPOINT_URL_EC2`` /
                ``AWS_ENDPOINT_URL_SSM`` apply to them. Called in the calling thread; if
                it raises, that service's calls in that region are recorded as failed.
            strict: Raise the first error (in region order) once every region is done,
                instead of returning it in ``errors``.
            on_progress: Called with a :class:`Progress` as each region finishes, in the
                calling thread (``pages``: AWS responses; ``items``: instances).

        Example:
            >>> import boto3
            >>> from botocore.stub import Stubber
            >>> from inspector_kit import Inspector
            >>> from inspector_kit.testing import LoopbackInspector
            >>> ec2 = boto3.client("ec2", region_name="us-east-1")
            >>> ssm = boto3.client("ssm", region_name="us-east-1")
            >>> with Stubber(ec2) as e, Stubber(ssm) as s, LoopbackInspector() as server:
            ...     e.add_response("describe_instances", {"Reservations": [{
            ...         "OwnerId": "123456789012", "Instances": [{"InstanceId": "i-0abc",
            ...         "State": {"Name": "running"}, "RootDeviceType": "ebs"}]}]})
            ...     e.add_response("describe_volumes", {"Volumes": []})
            ...     s.add_response("describe_instance_information", {
            ...         "InstanceInformationList": [{"InstanceId": "i-0abc",
            ...         "PingStatus": "Online", "PlatformName": "Ubuntu",
            ...         "PlatformVersion": "22.04"}]})
            ...     s.add_response("get_inventory", {"Entities": []})
            ...     inspector = Inspector(regions="us-east-1", endpoint_url=server.endpoint_url)
            ...     inv = inspector.inventory(clients=lambda service, region: {
            ...         "ec2": ec2, "ssm": ssm}[service])
            >>> i = inv.instances[0]
            >>> i.os_name, i.os_version, i.os_source, i.ssm.online, inv.errors
            ('Ubuntu', '22.04', 'ssm', True, ())
            >>> inv.account_enabled[("123456789012", "us-east-1")]
            True
        """
        from .inventory import gather_inventory

        return gather_inventory(
            self,
            self._regions(regions),
            clients=clients,
            strict=strict,
            on_progress=on_progress,
        )

    # -- exports ---------------------------------------------------------------------

    def export_findings(
        self,
        bucket: str,
        kms_key_arn: str,
        *,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        format: str = "JSON",
        prefix: str | None = None,
        wait: bool = True,
        timeout: float = 600,
        region: str | None = None,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> FindingsExport:
        """Have Inspector write a findings report to S3, then stream it back as findings.

        ``CreateFindingsReport`` (``ACTIVE`` findings unless ``criteria`` filter
        ``findingStatus``), then, with ``wait``, ``GetFindingsReportStatus`` polled with
        exponential backoff (``sleep``/``clock`` injectable). Iterate the result for the
        findings, read from S3 object by object as a stream. See
        :mod:`inspector_kit.fetch.exports` for the errors and the CSV caveat.

        Args:
            bucket: The S3 bucket; its policy must let ``inspector2.amazonaws.com`` put
                objects.
            kms_key_arn: The KMS key; its policy must let Inspector generate data keys.
            criteria: A :class:`FindingCriteria` or API ``filterCriteria`` mapping.
            format: ``"JSON"`` (streamed into findings) or ``"CSV"`` (objects only).
            prefix: The S3 key prefix.
            wait: Wait for the report (else poll :meth:`FindingsExport.wait` yourself).
            timeout: Seconds to wait before :class:`ExportTimeoutError`.
            region: The region (default: the first of :attr:`regions`).
            s3_client: The S3 client to read with (default: one from :attr:`session`).
            sleep: Sleeps between polls (default :func:`time.sleep`; tests pass a fake).
            clock: Monotonic seconds for the timeout (default :func:`time.monotonic`).

        Raises:
            ExportInProgressError: another findings report is in progress in the account.
            ExportFailedError: the report failed; the message names the missing policy.
            ExportTimeoutError: not done within ``timeout``.

        Example:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="reports")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = Inspector(regions=["us-east-1"],
            ...                               endpoint_url=server.endpoint_url)
            ...         export = inspector.export_findings(
            ...             "reports", "arn:aws:kms:us-east-1:111122223333:key/k",
            ...             s3_client=s3, sleep=lambda s: None)
            ...         n = sum(1 for _ in export)
            >>> export.status, n > 0, len(export.objects)
            ('SUCCEEDED', True, 1)
        """
        if format not in FINDINGS_FORMATS:
            raise ValueError(f"format must be one of {FINDINGS_FORMATS}, got {format!r}")
        where = region or self.regions[0]
        client = self.client(where)
        params: dict[str, Any] = {
            "reportFormat": format,
            "s3Destination": _destination(bucket, kms_key_arn, prefix),
        }
        api = _finding_criteria(criteria).to_api()
        if api:
            params["filterCriteria"] = api
        try:
            response = client.create_findings_report(**params)
        except Exception as exc:
            raise conflict(exc, region=where) or translate(
                exc, region=where, operation="CreateFindingsReport"
            ) from exc
        return self._started(
            FindingsExport,
            client,
            where,
            response,
            bucket,
            kms_key_arn,
            prefix,
            format,
            s3_client=s3_client,
            sleep=sleep,
            clock=clock,
            wait=wait,
            timeout=timeout,
        )

    def findings_at_scale(
        self,
        criteria: FindingCriteria | Mapping[str, Any] | None = None,
        *,
        bucket: str,
        kms_key_arn: str,
        threshold: int = EXPORT_THRESHOLD,
        prefix: str | None = None,
        timeout: float = 600,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
        strict: bool = False,
    ) -> FindingsAtScale:
        """Findings, read per region by a server-side export where there are many of them.

        :meth:`findings` pages through ``ListFindings`` (at most 100 per call: 10,000
        calls for a million findings). With your permission (a bucket and a KMS key),
        this method first counts each region's ACTIVE findings with
        ``ListFindingAggregations`` and reads a region with more than ``threshold``
        (default :data:`EXPORT_THRESHOLD`, 100,000) through :meth:`export_findings`
        instead: a handful of calls and S3 reads. Other regions use :meth:`findings`.

        Counting is never a reason to fail: where it cannot be done (criteria that
        aggregations cannot count, see :meth:`count`; ``ListFindingAggregations`` denied
        or missing; a region failing), and where a report cannot be made before anything
        was read from it, the region is read with :meth:`findings` and the result's
        :attr:`~FindingsAtScale.fallbacks` says why (also logged as a warning). Regions
        that fail are in :attr:`~FindingsAtScale.errors`, as with :meth:`findings`;
        ``strict`` raises the first failure instead.

        Example:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="reports")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = Inspector(regions=["us-east-1", "eu-west-1"],
            ...                               endpoint_url=server.endpoint_url)
            ...         result = inspector.findings_at_scale(
            ...             bucket="reports", kms_key_arn="arn:aws:kms:us-east-1:1:key/k",
            ...             threshold=75, s3_client=s3, sleep=lambda s: None)
            ...         found = list(result)
            >>> len(found) == len({f.finding_arn for f in found}), result.errors
            (True, {})
        """
        return FindingsAtScale(
            self,
            _finding_criteria(criteria),
            threshold=threshold,
            strict=strict,
            export_options={
                "bucket": bucket,
                "kms_key_arn": kms_key_arn,
                "prefix": prefix,
                "timeout": timeout,
                "s3_client": s3_client,
                "sleep": sleep,
            },
        )

    def export_sbom(
        self,
        bucket: str,
        kms_key_arn: str,
        *,
        format: str = "CYCLONEDX_1_4",
        resource_criteria: Mapping[str, Any] | None = None,
        prefix: str | None = None,
        wait: bool = True,
        timeout: float = 600,
        region: str | None = None,
        s3_client: Any = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> SbomExport:
        """Have Inspector write SBOMs to S3 (``CreateSbomExport``), then read them back.

        Like :meth:`export_findings`; ``resource_criteria`` is an API
        ``ResourceFilterCriteria`` mapping. Iterate the result for ``(key, document)``.

        Example:
            >>> import boto3
            >>> from moto import mock_aws
            >>> from inspector_kit.testing import LoopbackInspector
            >>> with mock_aws():
            ...     s3 = boto3.client("s3", region_name="us-east-1")
            ...     _ = s3.create_bucket(Bucket="sboms")
            ...     with LoopbackInspector(s3=s3) as server:
            ...         inspector = Inspector(regions=["us-east-1"],
            ...                               endpoint_url=server.endpoint_url)
            ...         export = inspector.export_sbom(
            ...             "sboms", "arn:aws:kms:us-east-1:111122223333:key/k",
            ...             s3_client=s3, sleep=lambda s: None)
            ...         documents = list(export)
            >>> export.status, len(documents) > 0
            ('SUCCEEDED', True)
        """
        if format not in SBOM_FORMATS:
            raise ValueError(f"format must be one of {SBOM_FORMATS}, got {format!r}")
        where = region or self.regions[0]
        client = self.client(where)
        params: dict[str, Any] = {
            "reportFormat": format,
            "s3Destination": _destination(bucket, kms_key_arn, prefix),
        }
        if resource_criteria:
            params["resourceFilterCriteria"] = dict(resource_criteria)
        response = call(client, "CreateSbomExport", "create_sbom_export", params, region=where)
        return self._started(
            SbomExport,
            client,
            where,
            response,
            bucket,
            kms_key_arn,
            prefix,
            format,
            s3_client=s3_client,
            sleep=sleep,
            clock=clock,
            wait=wait,
            timeout=timeout,
        )

    def _started(
        self,
        cls: type[_ExportT],
        client: Any,
        region: str,
        response: Mapping[str, Any],
        bucket: str,
        kms_key_arn: str,
        prefix: str | None,
        format: str,
        *,
        s3_client: Any,
        sleep: Callable[[float], None] | None,
        clock: Callable[[], float] | None,
        wait: bool,
        timeout: float,
    ) -> _ExportT:
        """The export handle for a created report, waited for when asked."""
        export = cls(
            client=client,
            s3_client=s3_client or self._s3(region),
            region=region,
            report_id=str(response["reportId"]),
            bucket=bucket,
            kms_key_arn=kms_key_arn,
            prefix=prefix,
            format=format,
            sleep=sleep,
            clock=clock,
        )
        if wait:
            export.wait(timeout)
        return export

    def _s3(self, region: str) -> Any:
        # Same session and merged Config (retries, user agent) as the EC2 and SSM clients.
        return self._services.get("s3", region)

    # -- plumbing --------------------------------------------------------------------

    def _regions(self, regions: str | Iterable[str] | None) -> tuple[str, ...]:
        return self.regions if regions is None else resolve_regions(self.session, regions)

    def _stream(
        self,
        operation: str,
        method: str,
        params: Mapping[str, Any],
        items_key: str,
        decode: Callable[[Any, str], tuple[R, Sequence[InspectorKitError]]],
        *,
        regions: str | Iterable[str] | None,
        key: Callable[[R], Any] | None = None,
        limit: int | None = None,
        strict: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ResultStream[R]:
        return ResultStream(
            regions=self._regions(regions),
            fetch_region=self._pager(operation, method, params, items_key),
            decode=decode,
            key=key,
            limit=limit,
            strict=strict,
            on_progress=on_progress,
            max_workers=self.max_workers,
            prepare=self._clients.prepare,
        )

    def _pager(
        self, operation: str, method: str, params: Mapping[str, Any], items_key: str
    ) -> Callable[[str, Callable[[], bool]], Iterator[RawPage]]:
        def fetch(region: str, stopped: Callable[[], bool]) -> Iterator[RawPage]:
            return pages(
                self._clients.get(region),
                operation,
                method,
                params,
                items_key=items_key,
                region=region,
                stopped=stopped,
            )

        return fetch

    def _fan_out(
        self, regions: Sequence[str], fn: Callable[[str], R], *, strict: bool
    ) -> tuple[dict[str, R], dict[str, InspectorKitError]]:
        """Run ``fn(region)`` for every region in parallel; collect results and errors."""
        # (strict: the first error, in region order, is raised once all have finished)
        if not regions:
            return {}, {}
        self._clients.prepare(regions)
        results: dict[str, R] = {}
        errors: dict[str, InspectorKitError] = {}
        workers = max(1, min(self.max_workers, len(regions)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inspector-kit") as pool:
            futures = {region: pool.submit(fn, region) for region in regions}
            for region, future in futures.items():
                try:
                    results[region] = future.result()
                # A failed call, or an answer that does not fit the model: the region
                # failed, visibly; the others' results stand.
                except InspectorKitError as exc:
                    if strict:
                        raise
                    errors[region] = exc
        if errors:
            logger.warning(
                "%d of %d regions failed: %s",
                len(errors),
                len(regions),
                "; ".join(str(e) for _, e in sorted(errors.items())),
            )
        return results, errors


def _decode_finding(raw: Any, region: str) -> tuple[Finding, tuple[FindingParseError, ...]]:
    return Finding.from_api_lenient(raw)


def _finding_key(finding: Finding) -> str:
    return finding.finding_arn


def _coverage_key(resource: CoveredResource) -> tuple[Any, ...]:
    return (resource.region, resource.account_id, resource.resource_id, str(resource.scan_type))


def _regional(cls: Any) -> Callable[[Any, str], tuple[Any, tuple[FindingParseError, ...]]]:
    """Lenient decoding of one response item, with the region it came from."""

    def decode(raw: Any, region: str) -> tuple[Any, tuple[FindingParseError, ...]]:
        decoded: tuple[Any, tuple[FindingParseError, ...]] = cls.from_api_lenient(
            raw, region=region
        )
        return decoded

    return decode


def _destination(bucket: str, kms_key_arn: str, prefix: str | None) -> dict[str, str]:
    destination = {"bucketName": bucket, "kmsKeyArn": kms_key_arn}
    if prefix:
        destination["keyPrefix"] = prefix
    return destination


def _strip_metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _coverage_criteria(criteria: CoverageCriteria | Mapping[str, Any] | None) -> CoverageCriteria:
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
    params: dict[str, Any] = {"maxResults": AGGREGATION_PAGE}
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


def _count_rows(raw: Any, region: str, records: _Records, page: int, index: int) -> list[CountRow]:
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


class _Records:
    """Lenient, per-record decoding of one region's answers, collecting what was wrong.

    One record that does not fit the service model never fails its region: it is kept
    without the broken members, or skipped when it cannot be kept, and each problem
    becomes an :class:`ItemError` (see ``ApiModel.from_api_lenient``). With ``strict``
    the first problem is raised instead.
    """

    def __init__(self, region: str, *, strict: bool) -> None:
        self.region = region
        self.strict = strict
        self.errors: list[ItemError] = []

    def decode(self, cls: type[Any], raws: Any, page: int) -> list[Any]:
        """The records of one response member (a list, or absent) that could be kept."""
        if raws is None:
            return []
        if not isinstance(raws, list):
            self.skip(FindingParseError(f"expected a list of {cls.__name__}", raws), page, 0)
            return []
        out = []
        for index, raw in enumerate(raws):
            item = self.one(cls, raw, page, index)
            if item is not None:
                out.append(item)
        return out

    def one(self, cls: type[Any], raw: Any, page: int, index: int, *, path: str = "") -> Any:
        """One record, or ``None`` when it could not be kept (reported either way)."""
        regional = issubclass(cls, RegionalModel)
        try:
            if regional:
                item, problems = cls.from_api_lenient(raw, region=self.region)
            else:
                item, problems = cls.from_api_lenient(raw)
        except FindingParseError as exc:
            if path:
                exc._prepend(path)
            self.skip(exc, page, index)
            return None
        for problem in problems:
            if path:
                problem._prepend(path)
            self._report(ItemError(self.region, page, index, problem, kept=True))
        return item

    def integer(self, raw: Any, default: int, page: int) -> int:
        """A count from a response (``totalCounts``); a bad one is reported, not raised."""
        if raw is None:
            return default
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        self.skip(FindingParseError("expected an integer", raw), page, 0)
        return default

    def skip(self, error: FindingParseError, page: int, index: int) -> None:
        """Report a record that could not be kept."""
        self._report(ItemError(self.region, page, index, error))

    def _report(self, item_error: ItemError) -> None:
        if self.strict:
            raise item_error.error
        self.errors.append(item_error)
