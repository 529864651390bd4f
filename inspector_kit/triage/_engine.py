"""Applying a triage policy: the first matching rule gives each finding a queue and a due date.

Pure: the policy's rules, the findings, ``now`` and a calendar in; a
[`TriagePlan`][inspector_kit.triage.TriagePlan] out. :meth:`TriagePolicy.plan
<inspector_kit.triage.TriagePolicy.plan>` is the public entry point.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from inspector_kit.errors import CalendarError
from inspector_kit.models import severity_rank
from inspector_kit.scoring import NetworkExposure, rescore

from ._plan import TriageItem, TriagePlan
from ._values import _name

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from inspector_kit.models import Finding, FindingDetail, Severity

    from ._calendar import BusinessCalendar
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


def apply_policy(
    rules: tuple[Rule, ...],
    name: str,
    findings: Iterable[Finding],
    *,
    now: datetime,
    calendar: BusinessCalendar,
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    details: Mapping[str, FindingDetail] | None = None,
) -> TriagePlan:
    """Triage ``findings`` under ``rules`` (of the policy called ``name``); see ``plan()``."""
    today = calendar.local_date(now)
    exposures = exposures or {}
    details = details or {}
    rescoring = any(r.condition.rescored_severities is not None for r in rules)
    items = []
    dues: dict[tuple[Deadline, date], date | None] = {}  # one count per rule and day
    for finding in findings:
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
        items.append(
            _item(rules, name, finding, today, calendar, kev_due, exposure, rescored, dues)
        )
    items.sort(key=_order)
    return TriagePlan(items=tuple(items), today=today)


def _item(
    rules: tuple[Rule, ...],
    policy_name: str,
    finding: Finding,
    today: date,
    calendar: BusinessCalendar,
    kev_due: date | None,
    exposure: NetworkExposure,
    rescored: Severity | None,
    dues: dict[tuple[Deadline, date], date | None],
) -> TriageItem:
    for rule in rules:
        ok, reason = rule.condition.matches(
            finding, kev_due=kev_due, exposure=exposure, rescored_severity=rescored
        )
        if ok:
            queue, name = rule.queue, rule.name
            try:
                seen = calendar.local_date(finding.first_observed_at)
                key = (rule.deadline, seen)
                if key not in dues:
                    dues[key] = rule.deadline.due(seen, calendar)
            except CalendarError as exc:
                due = None
                first = finding.first_observed_at.isoformat()
                why = f"rule {rule.name}: {reason}; {rule.deadline} from {first}: "
                why += f"no due date: {exc}"
                break
            due = dues[key]
            why = f"rule {rule.name}: {reason}; {rule.deadline} from {seen}"
            if due is not None:
                why += f" -> {due}"
            break
    else:
        due, queue, name = None, UNMATCHED, None
        why = f"no rule of policy {policy_name} matched; no deadline"
    if kev_due is not None:
        if due is None or kev_due < due:
            due = kev_due
            why += f"; CISA KEV due date {kev_due} tightens it to {kev_due}"
        else:
            why += f"; CISA KEV due date {kev_due} is not earlier"
    return TriageItem(
        finding=finding,
        due=due,
        queue=queue,
        rule=name,
        why=why,
        kev_due=kev_due,
        overdue=due is not None and due < today,
        due_today=due == today,
    )
