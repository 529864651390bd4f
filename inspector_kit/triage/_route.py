"""Routing one finding event: notify now, hold to the morning, the monthly review, or drop.

[`route`][inspector_kit.triage.route] is what a Lambda function on the EventBridge rule for
``Inspector2 Finding`` events calls (docs/facts.md#triage-ops). It plans the one finding with
the policy (statuses, rules, deadlines, reviews) and turns the result into a
[`Route`][inspector_kit.triage.Route]:

- ``DROP``: the finding's status is not planned (CLOSED, SUPPRESSED under the default
  policy), a review took it out of the queue (risk accepted, false positive) or
  acknowledged it and it is not due yet (FIX_BY a later date, REVIEWED with the next due
  date still ahead), no rule matched, or its rule sets no deadline (INFORMATIONAL); a
  finding that re-entered (re-opened, severity rose) is routed as new;
- ``NOTIFY_NOW``: its rule says ``notify_now`` (night or day);
- ``MONTHLY``: its rule's deadline is monthly: it rolls into the monthly review, whose
  date is the due date (``review_on``);
- ``HOLD``: every other deadline: held to the next business morning (``notify_at``: the
  first business day's ``morning`` in the calendar's time zone that is after ``now``),
  when a [`digest`][inspector_kit.triage.digest] of the held findings goes out.

So the default policy never notifies at night: CRITICAL and HIGH are held to the next
business morning. [`digest`][inspector_kit.triage.digest] builds the message for the held
routes: plain text for SNS or e-mail, or Slack ``mrkdwn`` with ``&``, ``<`` and ``>``
escaped (finding data cannot inject a mention or a link).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from inspector_kit._records import RecordsMixin
from inspector_kit._values import _printable
from inspector_kit.errors import TriageError, TriageTypeError
from inspector_kit.loaders import load_findings
from inspector_kit.models import Finding, severity_rank

from ._plan import TriageItem
from ._reviews import review_change
from ._values import _name, _short

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._calendar import BusinessCalendar
    from ._policy import TriagePolicy
    from ._reviews import ReviewLog

__all__ = ["DEFAULT_MORNING", "Action", "Digest", "Route", "digest", "route"]

#: When held findings are sent: 09:00 in the calendar's time zone.
DEFAULT_MORNING = time(9, 0)

_FINDING_EVENT = "Inspector2 Finding"


class Action(str, Enum):
    """What to do with one finding event (see the module docs).

    Examples:
        >>> [a.value for a in Action]
        ['NOTIFY_NOW', 'HOLD', 'MONTHLY', 'DROP']
    """

    NOTIFY_NOW = "NOTIFY_NOW"
    HOLD = "HOLD"
    MONTHLY = "MONTHLY"
    DROP = "DROP"


def _line(finding: Finding) -> str:
    """One finding as one line of plain text (finding data: unprintables escaped)."""
    return (
        f"{_printable(_name(finding.severity))} "
        f"{_printable(finding.vulnerability_id or '-')} on "
        f"{_printable(finding.primary_resource.short_name)} "
        f"({_printable(finding.aws_account_id)}, {_printable(finding.region or '-')})"
    )


@attrs.frozen(kw_only=True)
class Route:
    """The decision for one finding.

    Attributes:
        action: An [`Action`][inspector_kit.triage.Action].
        reason: Why, in words: the status, the review, or the rule and its deadline.
        finding: The finding.
        notify_at: NOTIFY_NOW: ``now``; HOLD: the next business morning (aware, in the
            calendar's time zone); otherwise ``None``.
        review_on: MONTHLY: the date of the monthly review (the due date); otherwise ``None``.
        item: The finding's plan item (queue, rule, due date, review), or ``None`` when the
            finding was left out by status.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> f = Finding.from_api(finding_payload(severity="HIGH", status="CLOSED"))
        >>> r = route(f, TriagePolicy.default(), BusinessCalendar("US"),
        ...           datetime(2026, 12, 7, tzinfo=timezone.utc))
        >>> r.action, r.reason
        (<Action.DROP: 'DROP'>, 'status CLOSED is not planned (the policy plans ACTIVE)')
    """

    action: Action
    reason: str
    finding: Finding
    notify_at: datetime | None = None
    review_on: date | None = None
    item: TriageItem | None = None

    def message(self) -> str:
        """The finding in two plain-text lines: what, and why (for SNS or e-mail).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> f = Finding.from_api(finding_payload(severity="MEDIUM"))
            >>> print(route(f, TriagePolicy.default(), BusinessCalendar("US"),
            ...             datetime(2026, 12, 7, tzinfo=timezone.utc)).message())
            ... # doctest: +NORMALIZE_WHITESPACE
            MONTHLY: MEDIUM - on i-0123456789abcdef0 (111122223333, eu-west-1)
            rule medium-low: severity MEDIUM in {MEDIUM, LOW}; by business day 1 of the next
            month from 2026-10-01 -> 2026-11-02
        """
        return f"{self.action.value}: {_line(self.finding)}\n{_printable(self.reason)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (what the example Lambda handler returns).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> f = Finding.from_api(finding_payload(severity="CRITICAL"))
            >>> d = route(f, TriagePolicy.default(), BusinessCalendar("US"),
            ...           datetime(2026, 12, 7, 3, tzinfo=timezone.utc)).to_dict()
            >>> d["action"], d["notify_at"], d["queue"]
            ('HOLD', '2026-12-07T09:00:00+00:00', 'next-business-day')
        """
        item = self.item
        return {
            "action": self.action.value,
            "reason": self.reason,
            "finding_arn": self.finding.finding_arn,
            "severity": _name(self.finding.severity),
            "status": _name(self.finding.status),
            "vulnerability_id": self.finding.vulnerability_id,
            "resource_id": self.finding.primary_resource.id,
            "aws_account_id": self.finding.aws_account_id,
            "region": self.finding.region,
            "notify_at": None if self.notify_at is None else self.notify_at.isoformat(),
            "review_on": None if self.review_on is None else self.review_on.isoformat(),
            "queue": None if item is None else item.queue,
            "rule": None if item is None else item.rule,
            "due": None if item is None or item.due is None else item.due.isoformat(),
        }

    def to_json(self) -> str:
        """[`to_dict`][inspector_kit.triage.Route.to_dict] as JSON text.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
            >>> f = Finding.from_api(finding_payload(severity="INFORMATIONAL"))
            >>> route(f, TriagePolicy.default(), BusinessCalendar("US"),
            ...       datetime(2026, 12, 7, tzinfo=timezone.utc)).to_json()[:18]
            '{"action": "DROP",'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _finding(finding_or_event: Finding | Mapping[str, Any]) -> Finding:
    """The one finding of an event, read by the library's loader.

    The loader knows every event shape that carries a finding (``Inspector2 Finding``,
    on-demand AMI scan findings...).
    """
    if isinstance(finding_or_event, Finding):
        return finding_or_event
    if not isinstance(finding_or_event, Mapping):
        raise TriageTypeError(
            f"expected a Finding or an EventBridge event (a dict), got {_short(finding_or_event)}"
        )
    loaded = load_findings(dict(finding_or_event), strict=True)
    found = list(loaded)
    if len(found) == 1:
        return found[0]
    why = "; ".join(s.reason for s in loaded.skipped) or f"{len(found)} findings"
    raise TriageError(
        f"expected an EventBridge {_FINDING_EVENT!r} event holding one finding, got: {why}"
    )


def next_morning(now: datetime, calendar: BusinessCalendar, morning: time) -> datetime:
    """The first business day's ``morning`` in the calendar's time zone after ``now``.

    Examples:
        >>> from datetime import datetime, time, timezone
        >>> from inspector_kit.triage import BusinessCalendar
        >>> jp = BusinessCalendar("JP", timezone="Asia/Tokyo")
        >>> next_morning(datetime(2026, 12, 4, 10, tzinfo=timezone.utc), jp, time(9))
        datetime.datetime(2026, 12, 7, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Tokyo'))
    """
    day = calendar.local_date(now)
    local = now.astimezone(calendar.timezone)
    candidate = datetime.combine(day, morning, tzinfo=calendar.timezone)
    if not calendar.is_business_day(day) or candidate <= local:
        candidate = datetime.combine(
            calendar.next_business_day(day), morning, tzinfo=calendar.timezone
        )
    return candidate


def route(
    finding_or_event: Finding | Mapping[str, Any],
    policy: TriagePolicy,
    calendar: BusinessCalendar,
    now: datetime,
    *,
    reviews: ReviewLog | None = None,
    morning: time = DEFAULT_MORNING,
) -> Route:
    """Decide what to do with one finding, or one EventBridge ``Inspector2 Finding`` event.

    See the module docs for the four actions. ``morning`` is when held findings go out
    (default 09:00 in the calendar's time zone).

    An event is read by [`load_findings`][inspector_kit.loaders.load_findings], so every
    event shape that carries one finding is accepted (``Inspector2 Finding``, and the
    ``OnDemand AMI Scan Findings`` of on-demand machine image scans), and so is one finding
    in its API shape.

    Raises:
        TriageError: an event that holds no finding (``Inspector2 Scan``...) or several, or
            a naive ``now`` (a ``CalendarError``); ``FindingParseError`` for a ``detail``
            that is not a finding.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> event = {"detail-type": "Inspector2 Finding", "source": "aws.inspector2",
        ...          "detail": finding_payload(severity="CRITICAL")}
        >>> tokyo = BusinessCalendar("JP", timezone="Asia/Tokyo")
        >>> monday_night = datetime(2026, 12, 7, 14, tzinfo=timezone.utc)  # 23:00 in Tokyo
        >>> r = route(event, TriagePolicy.default(), tokyo, monday_night)
        >>> r.action.value, r.notify_at.isoformat()
        ('HOLD', '2026-12-08T09:00:00+09:00')
    """
    if not isinstance(morning, time):
        raise TriageTypeError(f"morning must be a datetime.time, got {_short(morning)}")
    finding = _finding(finding_or_event)
    plan = policy.plan([finding], now=now, calendar=calendar, reviews=reviews)
    if plan.excluded_by_status:
        status = _name(finding.status)
        planned = ", ".join(policy.statuses)
        return Route(
            action=Action.DROP,
            reason=f"status {status} is not planned (the policy plans {planned})",
            finding=finding,
        )
    if plan.acknowledged:
        item = plan.acknowledged[0]
        review = item.review
        assert review is not None
        return Route(
            action=Action.DROP,
            reason=f"out of the queue after review: {review}",
            finding=finding,
            item=item,
        )
    item = plan.items[0]
    review = item.review
    if (
        review is not None
        and review_change(finding, review) is None
        and item.due is not None
        and item.due > plan.today
    ):
        # Acknowledged and not due yet (FIX_BY a later date, REVIEWED recently): an update
        # event (a tag changed, a rescan) must not bring it back before its due date.
        return Route(
            action=Action.DROP,
            reason=f"acknowledged: {review}; next due {item.due}",
            finding=finding,
            item=item,
        )
    rule = next((r for r in policy.rules if r.name == item.rule), None)
    if rule is None:
        return Route(action=Action.DROP, reason=item.why, finding=finding, item=item)
    if rule.notify_now:
        return Route(
            action=Action.NOTIFY_NOW,
            reason=f"rule {rule.name} says notify now; {item.why}",
            finding=finding,
            notify_at=now,
            item=item,
        )
    if item.due is None:
        return Route(action=Action.DROP, reason=item.why, finding=finding, item=item)
    if rule.deadline.kind == "monthly":
        return Route(
            action=Action.MONTHLY,
            reason=item.why,
            finding=finding,
            review_on=item.due,
            item=item,
        )
    at = next_morning(now, calendar, morning)
    return Route(
        action=Action.HOLD,
        reason=f"held to the next business morning {at.isoformat()}; {item.why}",
        finding=finding,
        notify_at=at,
        item=item,
    )


# ----------------------------------------------------------------------------- digest

_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _slack(text: str) -> str:
    """Text Slack shows as written: its three control characters escaped, per Slack's docs."""
    return _printable(text).translate(_SLACK)


@attrs.frozen(kw_only=True)
class Digest(RecordsMixin):
    """The held findings, grouped by when they go out, highest severity first.

    ``to_text()`` is plain text (for SNS or e-mail; finding data shown printable);
    ``to_slack()`` is Slack ``mrkdwn`` with finding data escaped.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
        >>> f = Finding.from_api(finding_payload(severity="HIGH",
        ...     firstObservedAt="2026-12-07T02:00:00Z"))
        >>> r = route(f, TriagePolicy.default(), BusinessCalendar("US"),
        ...           datetime(2026, 12, 7, 3, tzinfo=timezone.utc))
        >>> print(digest([r]).to_text())  # doctest: +NORMALIZE_WHITESPACE
        Inspector digest: 1 held finding (HIGH 1)
        2026-12-07 09:00 UTC: 1
          HIGH - on i-0123456789abcdef0 (111122223333, eu-west-1) due 2026-12-08
          [next-business-day]
    """

    columns: ClassVar[tuple[str, ...]] = (
        "notify_at",
        "severity",
        "vulnerability_id",
        "resource_id",
        "aws_account_id",
        "region",
        "due",
        "queue",
        "finding_arn",
    )

    routes: tuple[Route, ...]
    """The held routes, by ``notify_at``, then severity (highest first), then finding ARN."""

    def __len__(self) -> int:
        return len(self.routes)

    def counts(self) -> dict[str, int]:
        """Held findings per severity, highest first.

        Examples:
            >>> digest([]).counts()
            {}
        """
        out: dict[str, int] = {}
        for r in self.routes:
            name = _name(r.finding.severity)
            out[name] = out.get(name, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-severity_rank(kv[0]), kv[0])))

    def by_time(self) -> dict[datetime, tuple[Route, ...]]:
        """The held routes per ``notify_at``, earliest first.

        Examples:
            >>> digest([]).by_time()
            {}
        """
        groups: dict[datetime, list[Route]] = {}
        for r in self.routes:
            assert r.notify_at is not None
            groups.setdefault(r.notify_at, []).append(r)
        return {at: tuple(rs) for at, rs in groups.items()}

    def to_records(self) -> list[dict[str, Any]]:
        """One row per held finding (``columns``).

        Examples:
            >>> digest([]).to_records()
            []
        """
        return [
            {
                # The records convention: timestamps in UTC (to_text shows local time).
                "notify_at": None if r.notify_at is None else r.notify_at.astimezone(timezone.utc),
                "severity": _name(r.finding.severity),
                "vulnerability_id": r.finding.vulnerability_id,
                "resource_id": r.finding.primary_resource.id,
                "aws_account_id": r.finding.aws_account_id,
                "region": r.finding.region,
                "due": None if r.item is None else r.item.due,
                "queue": None if r.item is None else r.item.queue,
                "finding_arn": r.finding.finding_arn,
            }
            for r in self.routes
        ]

    def _lines(self, escape: Any, bold: str) -> list[str]:
        count = len(self.routes)
        counts = ", ".join(f"{s} {n}" for s, n in self.counts().items())
        head = f"Inspector digest: {count} held finding{'s' if count != 1 else ''}"
        lines = [f"{bold}{head}{bold}" + (f" ({escape(counts)})" if counts else "")]
        for at, routes in self.by_time().items():
            lines.append(f"{at:%Y-%m-%d %H:%M} {escape(at.tzname() or '')}: {len(routes)}")
            for r in routes:
                item = r.item
                due = "" if item is None or item.due is None else f" due {item.due}"
                queue = "" if item is None else f" [{escape(item.queue)}]"
                lines.append(f"  {escape(_line(r.finding))}{due}{queue}")
        return lines

    def to_text(self, **_: Any) -> str:
        """Plain text: a heading with the counts, then one line per finding per send time.

        Examples:
            >>> digest([]).to_text()
            'Inspector digest: 0 held findings'
        """
        return "\n".join(self._lines(lambda s: s, ""))

    def to_slack(self) -> str:
        """Slack ``mrkdwn``: the heading in bold, every piece of finding data escaped.

        ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;`` (Slack's own
        escaping), so text in a finding cannot mention ``<!channel>`` or make a link.

        Examples:
            >>> digest([]).to_slack()
            '*Inspector digest: 0 held findings*'
        """
        return "\n".join(self._lines(_slack, "*"))


def digest(routes: Iterable[Route]) -> Digest:
    """A [`Digest`][inspector_kit.triage.Digest] of the ``HOLD`` routes among ``routes``.

    Examples:
        >>> len(digest([]))
        0
    """
    held = [r for r in routes if r.action is Action.HOLD and r.notify_at is not None]
    held.sort(
        key=lambda r: (
            r.notify_at.timestamp() if r.notify_at is not None else 0.0,
            -severity_rank(r.finding.severity),
            r.finding.finding_arn,
        )
    )
    return Digest(routes=tuple(held))
