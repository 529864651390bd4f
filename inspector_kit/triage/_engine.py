"""Applying a triage policy: the first matching rule gives each finding a queue and a due date.

Pure: the policy's rules, the findings, ``now`` and a calendar in; a
[`TriagePlan`][inspector_kit.triage.TriagePlan] out. :meth:`TriagePolicy.plan
<inspector_kit.triage.TriagePolicy.plan>` is the public entry point.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, NamedTuple

from inspector_kit.errors import CalendarError
from inspector_kit.models import severity_rank
from inspector_kit.scoring import NetworkExposure, rescore
from inspector_kit.scoring._gcpause import paused_gc

from ._plan import TriageItem, TriagePlan
from ._reviews import Decision, review_change
from ._values import _name

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from inspector_kit.models import Finding, FindingDetail, Severity

    from ._calendar import BusinessCalendar
    from ._reviews import Review, ReviewLog
    from ._values import Deadline, Rule

__all__ = ["UNMATCHED", "apply_policy"]

UNMATCHED = "unmatched"
"""The queue of a finding no rule matches."""


def _utc_date(moment: datetime) -> date:
    try:
        return moment.astimezone(timezone.utc).date()
    except OverflowError:  # within a day of 0001-01-01 or 9999-12-31: the date as sent
        return moment.date()


def _order(item: TriageItem) -> tuple[bool, date, int, str]:
    return (
        item.due is None,
        item.due or date.min,
        -severity_rank(item.finding.severity),
        item.finding.finding_arn,
    )


#: The first-seen time of findings read from a source with no timestamp (Inspector Scan API
#: reports: ``inspector_kit._scan_sbom.NO_OBSERVATION_TIME``): it means "unknown".
_NO_OBSERVATION = datetime(1970, 1, 1, tzinfo=timezone.utc)


def apply_policy(
    rules: tuple[Rule, ...],
    name: str,
    findings: Iterable[Finding],
    *,
    now: datetime,
    calendar: BusinessCalendar,
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    details: Mapping[str, FindingDetail] | None = None,
    statuses: tuple[str, ...] = ("ACTIVE",),
    reviews: ReviewLog | None = None,
) -> TriagePlan:
    """Triage ``findings`` under ``rules`` (of the policy called ``name``); see ``plan()``."""
    today = calendar.local_date(now)
    exposures = exposures or {}
    details = details or {}
    rescoring = any(r.condition.rescored_severities is not None for r in rules)
    items: list[TriageItem] = []
    acknowledged: list[TriageItem] = []
    excluded: dict[str, int] = {}
    dues: dict[tuple[Deadline, date], date | None] = {}  # one count per rule and day
    # Which rule matches, and its reason, depend only on the values the conditions read:
    # one decision per distinct tuple of them (none when a rule reads resource tags).
    matching = _Matching(rules, memo=all(r.condition.tags is None for r in rules))
    late: dict[date, int] = {}  # due date -> business days overdue (today is fixed)
    local: dict[datetime, date] = {}  # start moment -> local date in the calendar
    with paused_gc():  # one item per finding, no cycles: see scoring._gcpause
        for finding in findings:
            status = _name(finding.status)
            if status not in statuses:
                excluded[status] = excluded.get(status, 0) + 1
                continue
            exposure = NetworkExposure(
                _name(exposures.get(finding.primary_resource.id, NetworkExposure.UNKNOWN))
            )
            rescored = rescore(finding, exposure).severity if rescoring else None
            detail = details.get(finding.finding_arn)
            cisa = None if detail is None else detail.cisa_data
            kev_due = (
                None
                if cisa is None or cisa.date_due is None
                # CISA's due date is a calendar date sent as UTC midnight: take the UTC date,
                # or a team west of UTC would see it a day early.
                else _utc_date(cisa.date_due)
            )
            review = None if reviews is None else reviews.latest(finding.finding_arn)
            item, out = _item(
                rules,
                name,
                finding,
                now,
                today,
                calendar,
                kev_due,
                exposure,
                rescored,
                dues,
                review,
                matching,
                late,
                local,
            )
            (acknowledged if out else items).append(item)
        items.sort(key=_order)
        acknowledged.sort(key=_order)
    return TriagePlan(
        items=tuple(items),
        today=today,
        statuses=statuses,
        excluded_by_status=dict(sorted(excluded.items())),
        acknowledged=tuple(acknowledged),
    )


class _Start(NamedTuple):
    """Where a finding's deadline counts from, and what its last review does to it."""

    start: datetime | date
    note: str | None  # said in ``why`` after the date counted from (None: first seen)
    out: bool = False  # out of the queue (accepted risk, false positive)
    fixed: date | None = None  # FIX_BY: the due date itself


def _start(finding: Finding, now: datetime, today: date, review: Review | None) -> _Start:
    first = finding.first_observed_at
    if first == _NO_OBSERVATION:
        plain = _Start(now, "first seen unknown: the source had no timestamp, counted from now")
    else:
        plain = _Start(first, None)
    if review is None:
        return plain
    change = review_change(finding, review)
    if change is not None:
        updated = finding.updated_at
        moment = updated if updated is not None and updated > review.reviewed_at else None
        return _Start(moment or review.reviewed_at, f"re-entered: {change}; last review {review}")
    decision = review.decision
    if decision is Decision.REVIEWED:
        return _Start(review.reviewed_at, f"last review {review}")
    if decision is Decision.FIX_BY:
        return _Start(review.reviewed_at, str(review), fixed=review.until)
    if decision is Decision.FALSE_POSITIVE:
        return _Start(review.reviewed_at, str(review), out=True)
    assert review.until is not None  # ACCEPT_RISK: out until that date, then counted from it
    if today < review.until:
        return _Start(review.until, str(review), out=True)
    return _Start(review.until, f"accepted risk ended: {review}")


def _item(
    rules: tuple[Rule, ...],
    policy_name: str,
    finding: Finding,
    now: datetime,
    today: date,
    calendar: BusinessCalendar,
    kev_due: date | None,
    exposure: NetworkExposure,
    rescored: Severity | None,
    dues: dict[tuple[Deadline, date], date | None],
    review: Review | None,
    matching: _Matching,
    late: dict[date, int],
    local: dict[datetime, date],
) -> tuple[TriageItem, bool]:
    start, note, out, fixed = _start(finding, now, today, review)
    counted: date | None = None
    found = matching(finding, kev_due, exposure, rescored)
    for rule, reason in () if found is None else (found,):  # the matching rule, if any
        queue, name = rule.queue, rule.name
        why = f"rule {rule.name}: {reason}; "
        if out:
            due = review.until if review is not None else None
            why += f"out of the queue: {note}"
            break
        try:
            if isinstance(start, datetime):
                seen = local.get(start)
                if seen is None:
                    seen = local[start] = calendar.local_date(start)
            else:
                seen = start
            if fixed is not None:
                due, counted = fixed, seen
                why += f"{note} -> {fixed}"
                break
            key = (rule.deadline, seen)
            if key not in dues:
                dues[key] = rule.deadline.due(seen, calendar)
        except CalendarError as exc:
            due = None
            why += f"{rule.deadline} from {start.isoformat()}: no due date: {exc}"
            break
        due, counted = dues[key], seen
        why += f"{rule.deadline} from {seen}" + ("" if note is None else f" ({note})")
        if due is not None:
            why += f" -> {due}"
        break
    else:
        due, queue, name = None, UNMATCHED, None
        why = f"no rule of policy {policy_name} matched; no deadline"
        if review is not None:
            why += f"; last review {review}"
    if kev_due is not None and not out:
        if due is None or kev_due < due:
            due = kev_due
            why += f"; CISA KEV due date {kev_due} tightens it to {kev_due}"
        else:
            why += f"; CISA KEV due date {kev_due} is not earlier"
    overdue = not out and due is not None and due < today
    item = TriageItem(
        finding=finding,
        due=due,
        queue=queue,
        rule=name,
        why=why,
        kev_due=kev_due,
        overdue=overdue,
        due_today=not out and due == today,
        days_overdue=_days_late(calendar, due, today, late) if overdue and due else 0,
        review=review,
        counted_from=counted,
        first_seen_unknown=finding.first_observed_at == _NO_OBSERVATION,
    )
    return item, out


def _days_late(calendar: BusinessCalendar, due: date, today: date, late: dict[date, int]) -> int:
    days = late.get(due)
    if days is None:
        days = late[due] = calendar.business_days_between(due, today)
    return days


def _plain(value: object) -> object:
    """An Enum member's value, anything else as it is: a cheap, exact part of a key."""
    return getattr(value, "_value_", value)


class _Matching:
    """The first rule whose condition matches a finding, and the condition's reason.

    ``Condition.matches`` reads the finding's severity, type, exploit and fix availability
    and account, the KEV due date, the exposure and the rescored severity (and resource
    tags, when a condition names some: then nothing is remembered). Findings that agree on
    all of them get the same answer, so it is worked out (reasons included) once per
    distinct tuple of them instead of once per rule and finding.
    """

    __slots__ = ("memo", "rules", "seen")

    def __init__(self, rules: tuple[Rule, ...], *, memo: bool) -> None:
        self.rules = rules
        self.memo = memo
        self.seen: dict[tuple[object, ...], tuple[Rule, str] | None] = {}

    def __call__(
        self,
        finding: Finding,
        kev_due: date | None,
        exposure: NetworkExposure,
        rescored: Severity | None,
    ) -> tuple[Rule, str] | None:
        if not self.memo:
            return self._first(finding, kev_due, exposure, rescored)
        key = (
            _plain(finding.severity),
            _plain(rescored),
            _plain(finding.type),
            kev_due,
            _plain(finding.exploit_available),
            _plain(finding.fix_available),
            exposure._value_,
            finding.aws_account_id,
        )
        try:
            return self.seen[key]
        except KeyError:
            found = self.seen[key] = self._first(finding, kev_due, exposure, rescored)
            return found

    def _first(
        self,
        finding: Finding,
        kev_due: date | None,
        exposure: NetworkExposure,
        rescored: Severity | None,
    ) -> tuple[Rule, str] | None:
        for rule in self.rules:
            ok, reason = rule.condition.matches(
                finding, kev_due=kev_due, exposure=exposure, rescored_severity=rescored
            )
            if ok:
                return rule, reason
        return None
