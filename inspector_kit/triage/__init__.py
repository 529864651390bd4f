"""Triage: SLA policies on business calendars, and a transparent risk ranking.

[`TriagePolicy`][inspector_kit.triage.TriagePolicy] (ordered rules, editable as YAML) gives every
finding a queue and a due date counted on a
[`BusinessCalendar`][inspector_kit.triage.BusinessCalendar] in the team's time zone;
[`rank`][inspector_kit.triage.rank] orders findings by a documented score whose components are shown
per finding; [`rollup_by_cve`][inspector_kit.triage.rollup_by_cve] and
[`rollup_by_resource`][inspector_kit.triage.rollup_by_resource] roll a ranking up. Every result
([`TriagePlan`][inspector_kit.triage.TriagePlan], [`Ranking`][inspector_kit.triage.Ranking],
[`CveRollups`][inspector_kit.triage.CveRollups],
[`ResourceRollups`][inspector_kit.triage.ResourceRollups]) has ``columns`` and ``to_records()``.

In operation: a policy plans the statuses it names (``statuses``, default ACTIVE only);
a [`ReviewLog`][inspector_kit.triage.ReviewLog] of [`Review`][inspector_kit.triage.Review]
decisions (accept risk, fix by, false positive, reviewed) moves due dates and takes
acknowledged findings out of the queue; [`route`][inspector_kit.triage.route] decides for one
finding or EventBridge event (notify now, hold to the next business morning, the monthly
review, drop) and [`digest`][inspector_kit.triage.digest] gathers the held ones.

Renamed (the old spellings still work, with a ``DeprecationWarning``): ``by_cve`` is
[`rollup_by_cve`][inspector_kit.triage.rollup_by_cve] and ``by_resource`` is
[`rollup_by_resource`][inspector_kit.triage.rollup_by_resource], so they are not mistaken for
``TriagePlan.by_cve``/``TriagePlan.by_resource`` (items grouped by CVE or resource).
``records(rows)`` is deprecated: use ``rows.to_records()``.

Examples:
    >>> from datetime import datetime, timezone
    >>> from inspector_kit import sample_findings
    >>> active = [f for f in sample_findings() if f.status == "ACTIVE"]
    >>> plan = TriagePolicy.default().plan(active, calendar=BusinessCalendar("JP",
    ...     timezone="Asia/Tokyo"), now=datetime(2026, 11, 22, tzinfo=timezone.utc))
    >>> sorted(plan.by_queue())
    ['monthly', 'next-business-day']
"""

from __future__ import annotations

import warnings
from typing import Any

from inspector_kit.errors import CalendarError, PolicyFileError, ReviewLogError

from ._calendar import BusinessCalendar
from ._plan import ACCOUNT_RECORD_COLUMNS, TRIAGE_GROUP_COLUMNS, TriageItem, TriagePlan
from ._policy import MAX_POLICY_BYTES, TriagePolicy
from ._rank import (
    Component,
    CveRollup,
    CveRollups,
    RankedFinding,
    Ranking,
    ResourceRollup,
    ResourceRollups,
    Weights,
    rank,
    records,
    rollup_by_cve,
    rollup_by_resource,
)
from ._reviews import MAX_REVIEW_LOG_BYTES, Decision, Review, ReviewLog
from ._route import DEFAULT_MORNING, Action, Digest, Route, digest, route
from ._table import RANK_TABLE_INPUT_COLUMNS, rank_table
from ._values import Condition, Deadline, Rule

__all__ = [
    "ACCOUNT_RECORD_COLUMNS",
    "DEFAULT_MORNING",
    "MAX_POLICY_BYTES",
    "MAX_REVIEW_LOG_BYTES",
    "RANK_TABLE_INPUT_COLUMNS",
    "TRIAGE_GROUP_COLUMNS",
    "Action",
    "BusinessCalendar",
    "CalendarError",
    "Component",
    "Condition",
    "CveRollup",
    "CveRollups",
    "Deadline",
    "Decision",
    "Digest",
    "PolicyFileError",
    "RankedFinding",
    "Ranking",
    "ResourceRollup",
    "ResourceRollups",
    "Review",
    "ReviewLog",
    "ReviewLogError",
    "Route",
    "Rule",
    "TriageItem",
    "TriagePlan",
    "TriagePolicy",
    "Weights",
    "digest",
    "rank",
    "rank_table",
    "records",
    "rollup_by_cve",
    "rollup_by_resource",
    "route",
]

_DEPRECATED = {
    "by_cve": ("rollup_by_cve", rollup_by_cve),
    "by_resource": ("rollup_by_resource", rollup_by_resource),
}


def __getattr__(name: str) -> Any:
    """The deprecated spellings: warn, naming the new one, and give the new object."""
    if name in _DEPRECATED:
        new, value = _DEPRECATED[name]
        warnings.warn(
            f"inspector_kit.triage.{name} is deprecated: use inspector_kit.triage.{new} "
            f"(TriagePlan.{name}() is a different thing: plan items grouped by "
            f"{'CVE' if name == 'by_cve' else 'resource'})",
            DeprecationWarning,
            stacklevel=2,
        )
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
