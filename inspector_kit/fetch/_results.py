"""Typed results of the facade's one-shot, multi-region calls.

Each result holds what the regions that answered returned, and ``errors`` for the regions
that did not: a failed region is never reported as "nothing there".
``raise_for_errors()`` turns the failures into one
[`PartialResultError`][inspector_kit.errors.PartialResultError].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from inspector_kit._records import RecordsMixin, RecordValue
from inspector_kit.errors import InspectorKitError, PartialResultError
from inspector_kit.models import (
    AccountState,
    Counts,
    FailedAccount,
    FindingDetail,
    FindingDetailsError,
    SeverityCounts,
)

from ._stream import ItemIssue

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping


__all__ = [
    "AccountStatuses",
    "CountRow",
    "CoverageStatistics",
    "FindingCounts",
    "FindingDetails",
]


def _frozen_errors(value: Mapping[str, InspectorKitError]) -> dict[str, InspectorKitError]:
    return dict(value)


def _item_errors(value: Iterable[ItemIssue]) -> tuple[ItemIssue, ...]:
    return tuple(value)


@attrs.frozen
class _Regional:
    errors: dict[str, InspectorKitError] = attrs.field(
        factory=dict, converter=_frozen_errors, kw_only=True
    )
    """Region -> the error that kept it from answering; empty when all answered."""
    item_errors: tuple[ItemIssue, ...] = attrs.field(
        default=(), converter=_item_errors, kw_only=True
    )
    """Records that did not fit the service model: kept without the broken members
    (``kept=True``) or skipped; each names its region, batch and field path."""

    def raise_for_errors(self) -> None:
        """Raise ``PartialResultError`` when a region failed or a record was bad."""
        if self.errors or self.item_errors:
            raise PartialResultError(self.errors, item_errors=self.item_errors)

    @property
    def ok(self) -> bool:
        """True when every region answered and every record decoded."""
        return not self.errors and not self.item_errors


@attrs.frozen
class CoverageStatistics(RecordsMixin, _Regional):
    """``ListCoverageStatistics`` over regions: counts per group and in total.

    Attributes:
        counts: One [`Counts`][inspector_kit.models.Counts] per region and group (each with
            its ``region`` set), in region order.
        by_region: Region -> ``totalCounts`` for that region.
        group_by: The ``groupBy`` key used, or ``None``.

    Examples:
        >>> from inspector_kit.models import Counts
        >>> counts = (Counts.from_api({"count": 3, "groupKey": "ACTIVE"}),)
        >>> stats = CoverageStatistics(counts=counts, by_region={"us-east-1": 3})
        >>> stats.total, stats.by_group()
        (3, {'ACTIVE': 3})
    """

    counts: tuple[Counts, ...] = ()
    by_region: dict[str, int] = attrs.field(factory=dict)
    group_by: str | None = None

    columns: ClassVar[tuple[str, ...]] = ("region", "group_key", "count")
    """The keys of [`to_records`][inspector_kit.fetch.CoverageStatistics.to_records], in order."""

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per region and group: ``region``, ``group_key`` and ``count``.

        Examples:
            >>> from inspector_kit.models import Counts
            >>> counts = (Counts.from_api({"count": 3, "groupKey": "ACTIVE"}, region="eu-west-1"),)
            >>> CoverageStatistics(counts=counts, by_region={"eu-west-1": 3}).to_records()
            [{'region': 'eu-west-1', 'group_key': 'ACTIVE', 'count': 3}]
        """
        return [
            {
                "region": c.region,
                "group_key": None if c.group_key is None else str(c.group_key),
                "count": c.count,
            }
            for c in self.counts
        ]

    @property
    def total(self) -> int:
        """Resources counted, over every region that answered."""
        return sum(self.by_region.values())

    def by_group(self) -> dict[str, int]:
        """Group key -> count, summed over regions."""
        out: dict[str, int] = {}
        for c in self.counts:
            key = str(c.group_key) if c.group_key is not None else ""
            out[key] = out.get(key, 0) + (c.count or 0)
        return out


@attrs.frozen
class AccountStatuses(_Regional):
    """``BatchGetAccountStatus`` over regions: is Inspector enabled, per account and type.

    Attributes:
        accounts: One [`AccountState`][inspector_kit.models.AccountState] per account and region
            (``region`` set).
        failed: Accounts Inspector could not report on (``failedAccounts``), per region.

    Examples:
        >>> from inspector_kit.models import AccountState
        >>> state = AccountState.from_api({
        ...     "accountId": "111122223333",
        ...     "state": {"status": "ENABLED", "errorCode": "", "errorMessage": ""},
        ...     "resourceState": {
        ...         "ec2": {"status": "ENABLED", "errorCode": "", "errorMessage": ""},
        ...         "ecr": {"status": "DISABLED", "errorCode": "", "errorMessage": ""},
        ...     },
        ... }).with_region("eu-west-1")
        >>> statuses = AccountStatuses(accounts=(state,))
        >>> statuses.is_enabled("111122223333", "eu-west-1", "EC2")
        True
        >>> statuses.is_enabled("111122223333", "eu-west-1", "ECR")
        False
        >>> print(statuses.is_enabled("111122223333", "us-east-1", "EC2"))
        None
    """

    accounts: tuple[AccountState, ...] = ()
    failed: tuple[FailedAccount, ...] = ()

    def get(self, account_id: str, region: str) -> AccountState | None:
        """The state of one account in one region, or ``None`` when not reported."""
        for state in self.accounts:
            if state.account_id == account_id and state.region == region:
                return state
        return None

    def is_enabled(self, account_id: str, region: str, resource_type: str) -> bool | None:
        """Whether scanning of ``resource_type`` is ENABLED; ``None`` when unknown.

        ``None`` (not ``False``) when the region failed or the account was not reported:
        unknown is not "disabled", and never "clean".
        """
        state = self.get(account_id, region)
        if state is None:
            return None
        return state.is_enabled(resource_type)


@attrs.frozen
class FindingDetails(_Regional):
    """``BatchGetFindingDetails`` for many findings: finding ARN -> details.

    Attributes:
        details: ARN -> [`FindingDetail`][inspector_kit.models.FindingDetail] (KEV ``cisa_data``,
            ``exploit_observed``, ``epss_score``, ...).
        failed: ARN -> [`FindingDetailsError`][inspector_kit.models.FindingDetailsError] for ARNs
            Inspector answered with an error, or that are not finding ARNs (local
            ``errorCode`` ``INVALID_FINDING_ARN``), or whose region failed
            (``errorCode`` ``REGION_FAILED``; the region's error is in ``errors``).

    Examples:
        >>> from inspector_kit.models import FindingDetail
        >>> arn = "arn:aws:inspector2:us-east-1:111122223333:finding/abc"
        >>> detail = FindingDetail.from_api({"findingArn": arn, "epssScore": 0.5})
        >>> d = FindingDetails(details={arn: detail})
        >>> d[arn].epss_score, arn in d, len(d)
        (0.5, True, 1)
    """

    details: dict[str, FindingDetail] = attrs.field(factory=dict)
    failed: dict[str, FindingDetailsError] = attrs.field(factory=dict)

    def __getitem__(self, arn: str) -> FindingDetail:
        return self.details[arn]

    def __contains__(self, arn: object) -> bool:
        return arn in self.details

    def __iter__(self) -> Iterator[str]:
        return iter(self.details)

    def __len__(self) -> int:
        return len(self.details)

    def get(self, arn: str) -> FindingDetail | None:
        """The details of one finding, or ``None``."""
        return self.details.get(arn)


@attrs.frozen
class CountRow:
    """One row of ``FindingCounts``: a region, an account, its severity counts.

    Examples:
        >>> from inspector_kit.models import SeverityCounts
        >>> row = CountRow("us-east-1", "111122223333",
        ...                SeverityCounts.from_api({"all": 5, "critical": 2, "high": 3}))
        >>> row.region, row.account_id, row.severity_counts.critical
        ('us-east-1', '111122223333', 2)
    """

    region: str
    account_id: str | None
    severity_counts: SeverityCounts


_SEVERITIES = ("critical", "high", "medium", "low", "informational", "untriaged")


@attrs.frozen
class FindingCounts(RecordsMixin, _Regional):
    """Finding counts by severity from ``ListFindingAggregations``, without listing findings.

    Attributes:
        rows: One [`CountRow`][inspector_kit.fetch.CountRow] per region and account (or per title).
        aggregation: The aggregation type used (``ACCOUNT`` or ``TITLE``).

    Examples:
        >>> from inspector_kit.models import SeverityCounts
        >>> rows = (CountRow("us-east-1", "111122223333",
        ...                  SeverityCounts.from_api({"all": 5, "critical": 2, "high": 3})),)
        >>> counts = FindingCounts(rows=rows, aggregation="ACCOUNT")
        >>> counts.total, counts.by_severity()["critical"], counts.by_region()
        (5, 2, {'us-east-1': 5})
    """

    rows: tuple[CountRow, ...] = ()
    aggregation: str = "ACCOUNT"

    columns: ClassVar[tuple[str, ...]] = ("region", "account_id", "all", *_SEVERITIES)
    """The keys of [`to_records`][inspector_kit.fetch.FindingCounts.to_records], in order."""

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per region and account (or title): the count of each severity.

        Examples:
            >>> from inspector_kit.models import SeverityCounts
            >>> row = CountRow("us-east-1", "111122223333", SeverityCounts.from_api({"all": 2}))
            >>> FindingCounts(rows=(row,)).to_records()[0]["all"]
            2
        """
        return [
            {
                "region": r.region,
                "account_id": r.account_id,
                "all": _count(r.severity_counts, "all"),
                **{s: _count(r.severity_counts, s) for s in _SEVERITIES},
            }
            for r in self.rows
        ]

    @property
    def total(self) -> int:
        """All counted findings, over every region that answered."""
        return sum(_count(r.severity_counts, "all") for r in self.rows)

    def by_severity(self) -> dict[str, int]:
        """``critical``/``high``/``medium``/``low``/``informational``/``untriaged`` -> count."""
        return {s: sum(_count(r.severity_counts, s) for r in self.rows) for s in _SEVERITIES}

    def by_region(self) -> dict[str, int]:
        """Region -> count."""
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.region] = out.get(r.region, 0) + _count(r.severity_counts, "all")
        return out

    def by_account(self) -> dict[str, int]:
        """Account -> count (over regions)."""
        out: dict[str, int] = {}
        for r in self.rows:
            key = r.account_id or ""
            out[key] = out.get(key, 0) + _count(r.severity_counts, "all")
        return out


def _count(counts: Any, name: str) -> int:
    value = getattr(counts, name, None)
    return int(value) if value is not None else 0
