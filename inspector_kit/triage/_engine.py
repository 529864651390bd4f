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
) -> tuple[TriageItem, bool]:
    start, note, out, fixed = _start(finding, now, today, review)
    counted: date | None = None
    for rule in rules:
        ok, reason = rule.condition.matches(
            finding, kev_due=kev_due, exposure=exposure, rescored_severity=rescored
        )
        if not ok:
            continue
        queue, name = rule.queue, rule.name
        why = f"rule {rule.name}: {reason}; "
        if out:
            due = review.until if review is not None else None
            why += f"out of the queue: {note}"
            break
        try:
            seen = calendar.local_date(start) if isinstance(start, datetime) else start
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
        days_overdue=calendar.business_days_between(due, today) if overdue and due else 0,
        review=review,
        counted_from=counted,
        first_seen_unknown=finding.first_observed_at == _NO_OBSERVATION,
    )
    return item, out
