"""Triage: SLA policies on business calendars, and a transparent risk ranking.

:class:`TriagePolicy` (ordered rules, editable as YAML) gives every finding a queue and a due
date counted on a :class:`BusinessCalendar` in the team's time zone; :func:`rank` orders
findings by a documented score whose components are shown per finding; :func:`by_cve` and
:func:`by_resource` roll them up.

Example:
    >>> from datetime import datetime, timezone
    >>> from inspector_kit import sample_findings
    >>> active = [f for f in sample_findings() if f.status == "ACTIVE"]
    >>> plan = TriagePolicy.default().plan(active, calendar=BusinessCalendar("JP",
    ...     timezone="Asia/Tokyo"), now=datetime(2026, 11, 22, tzinfo=timezone.utc))
    >>> sorted(plan.by_queue())
    ['monthly', 'next-business-day']
"""

from __future__ import annotations

from ._calendar import BusinessCalendar, CalendarError
from ._policy import (
    MAX_POLICY_BYTES,
    Condition,
    Deadline,
    PolicyFileError,
    Rule,
    TriageItem,
    TriagePlan,
    TriagePolicy,
)
from ._rank import (
    Component,
    CveRollup,
    RankedFinding,
    ResourceRollup,
    Weights,
    by_cve,
    by_resource,
    rank,
    records,
)

__all__ = [
    "MAX_POLICY_BYTES",
    "BusinessCalendar",
    "CalendarError",
    "Component",
    "Condition",
    "CveRollup",
    "Deadline",
    "PolicyFileError",
    "RankedFinding",
    "ResourceRollup",
    "Rule",
    "TriageItem",
    "TriagePlan",
    "TriagePolicy",
    "Weights",
    "by_cve",
    "by_resource",
    "rank",
    "records",
]
