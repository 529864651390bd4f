"""The result of applying a triage policy: one item per finding, in due-date order.

``days_overdue`` counts **business days** in the plan's calendar: the business days after the
due date up to and including today (due Friday, today Monday: 1). It is what a business-day
SLA misses by; ``0`` when the item is not overdue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from inspector_kit._html import html_table
from inspector_kit._records import RecordsMixin
from inspector_kit._values import _printable
from inspector_kit.models import Finding

from ._reviews import Review
from ._values import _name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from inspector_kit._accounts_dir import AccountDirectory, AccountGroups


__all__ = [
    "ACCOUNT_RECORD_COLUMNS",
    "RECORD_COLUMNS",
    "TRIAGE_GROUP_COLUMNS",
    "TriageItem",
    "TriagePlan",
]


@attrs.frozen(kw_only=True)
class TriageItem:
    """One finding's place in a [`TriagePlan`][inspector_kit.triage.TriagePlan].

    Attributes:
        finding: The finding.
        due: The due date (calendar time zone), or ``None`` for no deadline.
        queue: The queue (``"unmatched"`` when no rule matched).
        rule: The matching rule's name, or ``None``.
        why: Why: the rule, the condition's reasons, the deadline and any KEV tightening.
        kev_due: CISA's KEV due date (the calendar date CISA publishes), if any.
        overdue: ``due`` is before today.
        due_today: ``due`` is today.
        days_overdue: Business days past ``due`` (0 when not overdue; see the module docs).
        review: The finding's last review in the plan's review log, or ``None``.
        counted_from: The local date the deadline counts from (first seen, the last review,
            the end of an accepted risk...), or ``None`` when no deadline was counted.
        first_seen_unknown: The finding's ``firstObservedAt`` is the Unix epoch (a source
            with no timestamp, such as an Inspector Scan API report): its deadline counted
            from ``now`` instead.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> f = Finding.from_api(finding_payload(severity="INFORMATIONAL"))
        >>> item = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
        ...     now=datetime(2026, 11, 20, tzinfo=timezone.utc)).items[0]
        >>> item.queue, item.due, item.overdue
        ('informational', None, False)
    """

    finding: Finding
    due: date | None
    queue: str
    rule: str | None
    why: str
    kev_due: date | None
    overdue: bool
    due_today: bool
    days_overdue: int = 0
    review: Review | None = None
    counted_from: date | None = None
    first_seen_unknown: bool = False

    def to_record(self) -> dict[str, Any]:
        """One flat row (the keys of ``TriagePlan.columns``), so a tuple of items, such as
        ``plan.overdue``, goes through every writer of ``inspector_kit.formats``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> f = Finding.from_api(finding_payload(severity="HIGH",
            ...     firstObservedAt="2026-10-01T00:00:00Z"))
            >>> item = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 6, 12, tzinfo=timezone.utc)).items[0]
            >>> row = item.to_record()
            >>> row["due"], row["days_overdue"], row["region"]
            (datetime.date(2026, 10, 2), 2, 'eu-west-1')
        """  # noqa: D205
        review = self.review
        return {
            "finding_arn": self.finding.finding_arn,
            "aws_account_id": self.finding.aws_account_id,
            "region": self.finding.region,
            "resource_id": self.finding.primary_resource.id,
            "vulnerability_id": self.finding.vulnerability_id,
            "severity": _name(self.finding.severity),
            "status": _name(self.finding.status),
            "queue": self.queue,
            "rule": self.rule,
            "due": self.due,
            "kev_due": self.kev_due,
            "overdue": self.overdue,
            "due_today": self.due_today,
            "days_overdue": self.days_overdue,
            "first_seen_unknown": self.first_seen_unknown,
            "review_decision": None if review is None else review.decision.value,
            "reviewed_at": None if review is None else review.reviewed_at,
            "reviewer": None if review is None else review.reviewer,
            "why": self.why,
        }


RECORD_COLUMNS: tuple[str, ...] = (
    "finding_arn",
    "aws_account_id",
    "region",
    "resource_id",
    "vulnerability_id",
    "severity",
    "status",
    "queue",
    "rule",
    "due",
    "kev_due",
    "overdue",
    "due_today",
    "days_overdue",
    "first_seen_unknown",
    "review_decision",
    "reviewed_at",
    "reviewer",
    "why",
)


ACCOUNT_RECORD_COLUMNS: tuple[str, ...] = (
    *RECORD_COLUMNS[: RECORD_COLUMNS.index("aws_account_id") + 1],
    "account_name",
    "ou",
    *RECORD_COLUMNS[RECORD_COLUMNS.index("aws_account_id") + 1 :],
)
"""The keys of ``TriagePlan.to_records(directory=...)``: ``RECORD_COLUMNS`` with the account's
``account_name`` and ``ou`` after ``aws_account_id``."""

TRIAGE_GROUP_COLUMNS: tuple[str, ...] = (
    "queued",
    "overdue",
    "due_today",
    "no_deadline",
    "most_days_overdue",
    "acknowledged",
)
"""The counts of [`TriagePlan.by_ou`][inspector_kit.triage.TriagePlan.by_ou] and
[`counts_by_account`][inspector_kit.triage.TriagePlan.counts_by_account], after the group's
own columns: findings in the queue (``items``), of them overdue, due today and without a
deadline, the most business days an item is overdue (0 when none), and findings out of the
queue after a review (``acknowledged``)."""


def _group(
    items: Iterable[TriageItem], key: Callable[[TriageItem], str | None]
) -> dict[str, tuple[TriageItem, ...]]:
    groups: dict[str, list[TriageItem]] = {}
    for item in items:
        name = key(item)
        if name is not None:
            groups.setdefault(name, []).append(item)
    return {name: tuple(group) for name, group in groups.items()}


@attrs.frozen(kw_only=True)
class TriagePlan(RecordsMixin):
    """The result of ``TriagePolicy.plan``: items sorted by due date (``None`` last),
    then severity (highest first), then finding ARN.

    Groupings keep that order and are keyed in order of first appearance.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> fs = [Finding.from_api(finding_payload(severity=s, findingArn=f"arn:{s}"))
        ...       for s in ("LOW", "CRITICAL")]
        >>> plan = TriagePolicy.default().plan(fs, calendar=BusinessCalendar("US"),
        ...     now=datetime(2026, 10, 2, 12, tzinfo=timezone.utc))
        >>> [(i.queue, str(i.due)) for i in plan.items]
        [('next-business-day', '2026-10-02'), ('monthly', '2026-11-02')]
        >>> [i.finding.finding_arn for i in plan.due_today], list(plan.by_queue())
        (['arn:CRITICAL'], ['next-business-day', 'monthly'])
    """  # noqa: D205

    columns: ClassVar[tuple[str, ...]] = RECORD_COLUMNS
    """The keys of [`to_records`][inspector_kit.triage.TriagePlan.to_records], in order."""

    items: tuple[TriageItem, ...]
    today: date
    """The local date of ``now`` in the calendar's time zone."""
    statuses: tuple[str, ...] = ("ACTIVE",)
    """The finding statuses the policy plans (``TriagePolicy.statuses``)."""
    excluded_by_status: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    """How many findings were left out, per status not in ``statuses`` (sorted by status)."""
    acknowledged: tuple[TriageItem, ...] = ()
    """Items out of the queue because of a review: risk accepted until a later date
    (``due`` is when it returns) or a false positive (``due`` is ``None``)."""

    @property
    def overdue(self) -> tuple[TriageItem, ...]:
        """Items whose due date is before today."""
        return tuple(i for i in self.items if i.overdue)

    @property
    def due_today(self) -> tuple[TriageItem, ...]:
        """Items due today."""
        return tuple(i for i in self.items if i.due_today)

    def by_queue(self) -> dict[str, tuple[TriageItem, ...]]:
        """Items per queue."""
        return _group(self.items, lambda i: i.queue)

    def by_account(self) -> dict[str, tuple[TriageItem, ...]]:
        """Items per AWS account."""
        return _group(self.items, lambda i: i.finding.aws_account_id)

    def by_resource(self) -> dict[str, tuple[TriageItem, ...]]:
        """Items per primary resource id."""
        return _group(self.items, lambda i: i.finding.primary_resource.id)

    def by_cve(self) -> dict[str, tuple[TriageItem, ...]]:
        """Items per vulnerability id; findings without one (network reachability) are left out."""
        return _group(self.items, lambda i: i.finding.vulnerability_id)

    def counts_by_account(self, directory: AccountDirectory | None = None) -> AccountGroups:
        """How many findings each account has queued, overdue and acknowledged.

        Columns ``account_id``, ``account_name``, ``ou`` (from ``directory``), then
        [`TRIAGE_GROUP_COLUMNS`][inspector_kit.triage.TRIAGE_GROUP_COLUMNS]. (``by_account``
        gives the items themselves.)

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> fs = [Finding.from_api(finding_payload(findingArn=f"arn:{n}", awsAccountId=a))
            ...       for n, a in enumerate(["111122223333", "111122223333", "444455556666"])]
            >>> plan = TriagePolicy.default().plan(fs, calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, 12, tzinfo=timezone.utc))
            >>> [(r["account_id"], r["queued"], r["overdue"]) for r in plan.counts_by_account()]
            [('111122223333', 2, 2), ('444455556666', 1, 1)]
        """
        return self._grouped("account", directory, None)

    def by_ou(self, directory: AccountDirectory, *, depth: int | None = None) -> AccountGroups:
        """How many findings each organisational unit has queued, overdue and acknowledged.

        OU paths are cut to ``depth`` names (``None``: whole); accounts ``directory`` does not
        know are counted under ``"(unknown OU)"``, never dropped. Columns ``ou``, ``accounts``,
        then [`TRIAGE_GROUP_COLUMNS`][inspector_kit.triage.TRIAGE_GROUP_COLUMNS].

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import AccountDirectory, Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> fs = [Finding.from_api(finding_payload(findingArn=f"arn:{n}", awsAccountId=a))
            ...       for n, a in enumerate(["111122223333", "444455556666", "999999999999"])]
            >>> plan = TriagePolicy.default().plan(fs, calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, 12, tzinfo=timezone.utc))
            >>> d = AccountDirectory.from_mappings({"111122223333": "Root/Workloads/Prod",
            ...                                     "444455556666": "Root/Workloads/Staging"})
            >>> [(r["ou"], r["accounts"], r["queued"]) for r in plan.by_ou(d, depth=2)]
            [('Root/Workloads', 2, 2), ('(unknown OU)', 1, 1)]
        """
        return self._grouped("ou", directory, depth)

    def _grouped(
        self, by: str, directory: AccountDirectory | None, depth: int | None
    ) -> AccountGroups:
        from inspector_kit._accounts_dir import grouped

        tagged = [(i, True) for i in self.items] + [(i, False) for i in self.acknowledged]

        def count(members: list[tuple[TriageItem, bool]]) -> dict[str, Any]:
            queued = [i for i, in_queue in members if in_queue]
            return {
                "queued": len(queued),
                "overdue": sum(i.overdue for i in queued),
                "due_today": sum(i.due_today for i in queued),
                "no_deadline": sum(i.due is None for i in queued),
                "most_days_overdue": max((i.days_overdue for i in queued), default=0),
                "acknowledged": len(members) - len(queued),
            }

        return grouped(
            tagged,
            lambda pair: pair[0].finding.aws_account_id,
            count,
            TRIAGE_GROUP_COLUMNS,
            by=by,
            directory=directory,
            depth=depth,
            title=f"Triage plan for {self.today} by {'account' if by == 'account' else 'OU'}",
        )

    def to_records(self, *, directory: AccountDirectory | None = None) -> list[dict[str, Any]]:
        """One flat dict per item, with the keys of ``columns`` in that order.

        ``due`` and ``kev_due`` are ``datetime.date`` values (or ``None``), as every
        result's records keep dates; the writers in [`inspector_kit.formats`][inspector_kit.formats]
        show them as ISO 8601. Severity is the finding's own.

        With a ``directory``, each record also has the account's ``account_name`` and ``ou``
        (``"(unknown OU)"`` for an account it does not know), after ``aws_account_id``: the
        keys of [`ACCOUNT_RECORD_COLUMNS`][inspector_kit.triage.ACCOUNT_RECORD_COLUMNS].

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> f = Finding.from_api(finding_payload())
            >>> rec = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 1, tzinfo=timezone.utc)).to_records()[0]
            >>> rec["queue"], rec["due"], rec["overdue"]
            ('next-business-day', datetime.date(2026, 10, 2), False)
            >>> from inspector_kit.sample import sample_accounts
            >>> f = Finding.from_api(finding_payload(awsAccountId="444455556666"))
            >>> rec = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 1, tzinfo=timezone.utc)).to_records(
            ...     directory=sample_accounts())[0]
            >>> rec["aws_account_id"], rec["account_name"], rec["ou"]
            ('444455556666', 'shop-staging', 'Root/Workloads/Staging')
        """
        records = [i.to_record() for i in self.items]
        if directory is None:
            return records
        out = []
        for record in records:
            account = str(record["aws_account_id"])
            extra = {"account_name": directory.name_of(account), "ou": directory.ou_of(account)}
            out.append({c: extra[c] if c in extra else record[c] for c in ACCOUNT_RECORD_COLUMNS})
        return out

    def to_text(self, *, limit: int | None = 10) -> str:
        """A summary for people: counts per queue, then the overdue and due-today items.

        At most ``limit`` items are listed per section (``None``: all), with a count of
        the rest; resources are shown by their short name. Each listed item shows its due
        date, business days overdue, severity, vulnerability, resource, account, region and
        queue. Findings left out by status and findings out of the queue after a review are
        counted.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> fs = [Finding.from_api(finding_payload()),
            ...       Finding.from_api(finding_payload(findingArn="arn:closed", status="CLOSED"))]
            >>> print(TriagePolicy.default().plan(fs, calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, 12, tzinfo=timezone.utc)).to_text())
            ... # doctest: +NORMALIZE_WHITESPACE
            Triage plan for 2026-10-05: 1 finding, 1 overdue, 0 due today
              next-business-day: 1 (1 overdue)
              left out by status (the policy plans ACTIVE): CLOSED 1
            Overdue:
              2026-10-02  1d late  HIGH  - i-0123456789abcdef0 111122223333 eu-west-1
              [next-business-day]
        """
        count = len(self.items)
        lines = [
            f"Triage plan for {self.today}: {count} finding{'s' if count != 1 else ''}, "
            f"{len(self.overdue)} overdue, {len(self.due_today)} due today"
        ]
        for queue, items in self.by_queue().items():
            late = sum(i.overdue for i in items)
            late_text = f" ({late} overdue)" if late else ""
            lines.append(f"  {_printable(queue)}: {len(items)}{late_text}")
        if self.excluded_by_status:
            counts = ", ".join(f"{_printable(s)} {n}" for s, n in self.excluded_by_status.items())
            lines.append(
                f"  left out by status (the policy plans {', '.join(self.statuses)}): {counts}"
            )
        if self.acknowledged:
            decisions: dict[str, int] = {}
            for i in self.acknowledged:
                name = "?" if i.review is None else i.review.decision.value
                decisions[name] = decisions.get(name, 0) + 1
            shown = ", ".join(f"{d} {n}" for d, n in sorted(decisions.items()))
            lines.append(f"  out of the queue after review: {len(self.acknowledged)} ({shown})")
        for title, items in (("Overdue:", self.overdue), ("Due today:", self.due_today)):
            if items:
                lines.append(title)
                shown_items = items if limit is None else items[:limit]
                # Finding data is shown as one printable line each: a line break or an
                # escape sequence in an id must not start a fake line or reach a terminal.
                lines.extend(
                    f"  {i.due}  "
                    + (f"{i.days_overdue}d late  " if i.overdue else "")
                    + f"{_printable(_name(i.finding.severity))}  "
                    f"{_printable(i.finding.vulnerability_id or '-')} "
                    f"{_printable(i.finding.primary_resource.short_name)} "
                    f"{_printable(i.finding.aws_account_id)} "
                    f"{_printable(i.finding.region or '-')} [{_printable(i.queue)}]"
                    for i in shown_items
                )
                if len(items) > len(shown_items):
                    lines.append(f"  ... and {len(items) - len(shown_items)} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = (
            f"Triage plan for {self.today}: {len(self.items)} finding(s), "
            f"{len(self.overdue)} overdue, {len(self.due_today)} due today"
        )
        if self.excluded_by_status:
            counts = ", ".join(f"{s} {n}" for s, n in self.excluded_by_status.items())
            caption += f"; left out by status (plans {', '.join(self.statuses)}): {counts}"
        if self.acknowledged:
            caption += f"; {len(self.acknowledged)} out of the queue after review"
        rows = [
            {
                "due": i.due,
                "days_overdue": i.days_overdue,
                "severity": i.finding.severity,
                "vulnerability": i.finding.vulnerability_id,
                "resource": i.finding.primary_resource.short_name,
                "account": i.finding.aws_account_id,
                "region": i.finding.region,
                "queue": i.queue,
                "review": None if i.review is None else str(i.review),
                "why": i.why,
            }
            for i in self.items
        ]
        return html_table(rows, caption=caption, severity_column="severity")
