"""Triage policies: which queue a finding goes to, and by when someone must look at it.

A :class:`TriagePolicy` is an ordered list of rules (:class:`Rule`); the first rule whose
:class:`Condition` matches a finding wins, and its :class:`Deadline` (counted from the
finding's ``firstObservedAt`` in a :class:`~inspector_kit.triage.BusinessCalendar`'s time
zone) gives the due date. A finding no rule matches goes to the queue ``"unmatched"`` with
no deadline. A CISA KEV due date (``FindingDetail.cisa_data.date_due``: CISA publishes a
calendar date, which Inspector sends as UTC midnight, so it is read as that UTC date and never
shifted by the team's time zone) tightens any deadline: due = min(rule due, KEV due), and a
finding with no deadline gets the KEV one.

:meth:`TriagePolicy.default` is the operations policy of DOMAIN.md §1: CRITICAL and HIGH by
the next business day, MEDIUM and LOW by the first business day of the next month,
INFORMATIONAL never. UNTRIAGED (the vendor has not scored it yet) is treated like MEDIUM
and LOW (monthly, queue ``"monthly"``): it may turn out to be anything, and once Inspector
scores it the next plan triages it by its real severity.

Condition semantics (every field optional, all given fields must hold):

- ``severities`` / ``rescored_severities``: Inspector's severity / the severity after
  :func:`inspector_kit.scoring.rescore` for the primary resource's exposure (when the
  rescorer computes none, e.g. UNTRIAGED or network reachability findings, the finding's
  own severity stands).
- ``kev``: whether the details carry a CISA KEV due date.
- ``exploit_available``: ``true`` matches ``YES``; ``false`` matches ``NO`` or absent.
- ``fix_available``: ``true`` matches ``YES`` and ``PARTIAL`` (some packages can be fixed,
  so there is work to do); ``false`` matches ``NO`` or absent.
- ``exposures``: the primary resource's :class:`~inspector_kit.scoring.NetworkExposure`
  (resources missing from ``exposures`` are ``UNKNOWN``).
- ``tags``: every key must be on some resource of the finding with that value (``"*"``:
  any value).
- ``accounts``: the finding's ``awsAccountId``.

The YAML file form (``rules`` is required; in ``when`` every field is optional and an
absent ``when`` matches everything; ``deadline`` is one of the four forms shown)::

    name: operations
    rules:
      - name: kev-or-exploited             # unique; reported as the item's rule
        queue: urgent                      # any label
        when:
          severities: [CRITICAL, HIGH]     # Severity names
          rescored_severities: [CRITICAL]  # after rescoring for exposure
          finding_types: [PACKAGE_VULNERABILITY]
          kev: true
          exploit_available: true
          fix_available: true              # YES or PARTIAL
          exposures: [INTERNET]            # INTERNET, INTERNAL, ISOLATED, UNKNOWN
          tags: {env: prod, owner: "*"}    # quote "*": unquoted it is a YAML alias
          accounts: ["111122223333"]
        deadline:
          business_days: 1                 # 1 = the next business day
      - name: monthly
        queue: monthly
        deadline:
          monthly: {business_day: 1}       # by business day 1 of the next month
      - name: month-out
        queue: later
        deadline:
          calendar_days: 30
      - name: never
        queue: informational
        deadline: none

Reading a file is bounded and strict (see docs/triage.md): at most ``max_bytes``
(:data:`MAX_POLICY_BYTES`, 256 KiB) of UTF-8, nested at most 32 levels; deadline numbers in plain
decimal digits (YAML 1.1's octal ``010``, base-60 ``1:30``, ``0x10``, ``0b1`` and ``1_000``
are refused, saying what YAML would read), at most :attr:`Deadline.MAX_BUSINESS_DAYS`
(1000) business days or :attr:`Deadline.MAX_CALENDAR_DAYS` (1500) calendar days; names,
queues and tags free of control characters. Every problem is a :class:`PolicyFileError`.

Example:
    >>> from datetime import datetime, timezone
    >>> from inspector_kit import Finding
    >>> from inspector_kit.testing import finding_payload
    >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
    >>> f = Finding.from_api(finding_payload(severity="HIGH",
    ...     firstObservedAt="2026-05-01T10:00:00Z"))
    >>> plan = TriagePolicy.default().plan([f], calendar=BusinessCalendar("JP",
    ...     timezone="Asia/Tokyo"), now=datetime(2026, 5, 8, tzinfo=timezone.utc))
    >>> item = plan.items[0]
    >>> item.queue, item.due.isoformat(), item.overdue
    ('next-business-day', '2026-05-07', True)
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import attrs
import yaml

from inspector_kit._html import html_table
from inspector_kit.errors import InspectorKitError
from inspector_kit.formats._text import _printable
from inspector_kit.models import Finding, FindingType, Severity, severity_rank
from inspector_kit.scoring import NetworkExposure, rescore

from ._calendar import CalendarError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from inspector_kit.models import FindingDetail

    from ._calendar import BusinessCalendar

__all__ = [
    "MAX_POLICY_BYTES",
    "Condition",
    "Deadline",
    "PolicyFileError",
    "Rule",
    "TriageItem",
    "TriagePlan",
    "TriagePolicy",
]

UNMATCHED = "unmatched"
_ANY = "*"
_ACCOUNT = re.compile(r"\d{12}")

#: The largest policy file (or text) read, in bytes: override with ``max_bytes=``. PyYAML
#: composes about 250 KB a second, so this keeps the worst case near one second.
MAX_POLICY_BYTES = 256 * 1024
#: How deep a policy file may nest; a valid policy nests 6 levels, so this never limits one.
_MAX_DEPTH = 32
#: How many problems a PolicyFileError's message lists (``problems`` holds them all).
_MAX_LISTED = 100
# C0 and C1 controls, DEL, and the bidirectional overrides that reorder text on a terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _short(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to about ``limit`` characters (a value may be huge)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        # str() of a huge int is slow, and refused past 4,300 digits: say how big it is.
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


DeadlineKind = Literal["business_days", "monthly", "calendar_days", "none"]


class PolicyFileError(InspectorKitError, ValueError):
    """A triage policy file is not valid; ``problems`` lists every problem found.

    Each problem names the source, the line and the field path.

    Example:
        >>> text = '''
        ... rules:
        ...   - name: a
        ...     queue: q
        ...     colour: red
        ...     deadline: {business_days: two}
        ... '''
        >>> try:
        ...     TriagePolicy.from_yaml(text, source="policy.yaml")
        ... except PolicyFileError as err:
        ...     for problem in err.problems:
        ...         print(problem)
        policy.yaml line 5: rules[0].colour is not a known field (expected one of: deadline, name, queue, when)
        policy.yaml line 6: rules[0].deadline.business_days must be a non-negative integer, got "two"
    """  # noqa: E501

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the triage policy"
        listed = list(self.problems[:_MAX_LISTED])
        if count > _MAX_LISTED:
            listed.append(f"... and {count - _MAX_LISTED} more (see .problems)")
        super().__init__("\n  ".join((head, *listed)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))


# ----------------------------------------------------------------------------- converters


def _name(value: Enum | str) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _severity(value: Severity | str) -> Severity:
    try:
        return Severity(_name(value).upper())
    except ValueError:
        known = ", ".join(s.value for s in Severity)
        raise ValueError(
            f"unknown severity {_short(_name(value))} (expected one of: {known})"
        ) from None


def _finding_type(value: FindingType | str) -> FindingType:
    try:
        return FindingType(_name(value).upper())
    except ValueError:
        known = ", ".join(t.value for t in FindingType)
        raise ValueError(
            f"unknown finding type {_short(_name(value))} (expected one of: {known})"
        ) from None


def _exposure(value: NetworkExposure | str) -> NetworkExposure:
    try:
        return NetworkExposure(_name(value).upper())
    except ValueError:
        known = ", ".join(e.value for e in NetworkExposure)
        raise ValueError(
            f"unknown exposure {_short(_name(value))} (expected one of: {known})"
        ) from None


def _account(value: str) -> str:
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value):
        raise ValueError(f"account ids are 12 digits, got {_short(value)}")
    return value


def _to_set(value: Any, item: Callable[[Any], Any]) -> frozenset[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, Enum)):
        value = (value,)
    converted = frozenset(item(v) for v in value)
    if not converted:
        raise ValueError("an empty set matches nothing: leave the field out (None) instead")
    return converted


def _severity_set(value: Iterable[Severity | str] | None) -> frozenset[Severity] | None:
    return _to_set(value, _severity)


def _type_set(value: Iterable[FindingType | str] | None) -> frozenset[FindingType] | None:
    return _to_set(value, _finding_type)


def _exposure_set(
    value: Iterable[NetworkExposure | str] | None,
) -> frozenset[NetworkExposure] | None:
    return _to_set(value, _exposure)


def _account_set(value: Iterable[str] | None) -> frozenset[str] | None:
    return _to_set(value, _account)


def _tags(value: Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    tags = {str(k): str(v) for k, v in value.items()}
    if not tags:
        raise ValueError("an empty tag mapping: leave the field out (None) instead")
    for key, wanted in tags.items():
        if _CONTROL.search(key) or _CONTROL.search(wanted):
            raise ValueError(f"tag {_short(key)}: {_short(wanted)} holds control characters")
    return tags


def _show(values: Iterable[Enum | str]) -> str:
    names = [_name(v) for v in values]
    return "{" + ", ".join(sorted(names, key=lambda n: (-severity_rank(n), n))) + "}"


# ----------------------------------------------------------------------------- condition


@attrs.frozen(kw_only=True)
class Condition:
    """What a rule matches: every given field must hold (``None`` = any).

    See the module docs for each field's meaning. Names are validated
    (``ValueError`` for unknown severities, finding types or exposures).

    Example:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.scoring import NetworkExposure
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(severity="HIGH", fixAvailable="PARTIAL"))
        >>> c = Condition(severities={"CRITICAL", "HIGH"}, fix_available=True)
        >>> c.matches(f, kev_due=None, exposure=NetworkExposure.UNKNOWN,
        ...           rescored_severity=None)
        (True, 'severity HIGH in {CRITICAL, HIGH}; fix available (PARTIAL)')
    """

    severities: frozenset[Severity] | None = attrs.field(default=None, converter=_severity_set)
    rescored_severities: frozenset[Severity] | None = attrs.field(
        default=None, converter=_severity_set
    )
    finding_types: frozenset[FindingType] | None = attrs.field(default=None, converter=_type_set)
    kev: bool | None = None
    exploit_available: bool | None = None
    fix_available: bool | None = None
    exposures: frozenset[NetworkExposure] | None = attrs.field(
        default=None, converter=_exposure_set
    )
    tags: dict[str, str] | None = attrs.field(default=None, converter=_tags, hash=False)
    accounts: frozenset[str] | None = attrs.field(default=None, converter=_account_set)

    def matches(
        self,
        finding: Finding,
        *,
        kev_due: date | None,
        exposure: NetworkExposure,
        rescored_severity: Severity | str | None,
    ) -> tuple[bool, str]:
        """Whether ``finding`` matches, and why (or the first reason it does not).

        ``rescored_severity`` ``None`` means the finding's own severity.
        """
        reasons: list[str] = []

        def check(ok: bool, yes: str, no: str) -> bool:
            reasons.append(yes if ok else no)
            return ok

        severity = _name(finding.severity)
        if self.severities is not None:
            shown = _show(self.severities)
            ok = severity in {s.value for s in self.severities}
            if not check(
                ok, f"severity {severity} in {shown}", f"severity {severity} not in {shown}"
            ):
                return False, reasons[-1]
        if self.rescored_severities is not None:
            rescored = severity if rescored_severity is None else _name(rescored_severity)
            shown = _show(self.rescored_severities)
            ok = rescored in {s.value for s in self.rescored_severities}
            label = f"rescored severity {rescored} ({exposure.value} exposure)"
            if not check(ok, f"{label} in {shown}", f"{label} not in {shown}"):
                return False, reasons[-1]
        if self.finding_types is not None:
            kind = _name(finding.type)
            shown = _show(self.finding_types)
            ok = kind in {t.value for t in self.finding_types}
            if not check(ok, f"type {kind} in {shown}", f"type {kind} not in {shown}"):
                return False, reasons[-1]
        if self.kev is not None:
            is_kev = kev_due is not None
            yes, no = f"in CISA KEV (due {kev_due})", "not in CISA KEV"
            if not check(is_kev == self.kev, *((yes, no) if is_kev else (no, yes))):
                return False, reasons[-1]
        if self.exploit_available is not None:
            value = (
                "absent" if finding.exploit_available is None else _name(finding.exploit_available)
            )
            has = value == "YES"
            text = f"exploit {'available' if has else 'not available'} ({value})"
            if not check(has == self.exploit_available, text, text):
                return False, reasons[-1]
        if self.fix_available is not None:
            value = "absent" if finding.fix_available is None else _name(finding.fix_available)
            has = value in ("YES", "PARTIAL")
            text = f"fix {'available' if has else 'not available'} ({value})"
            if not check(has == self.fix_available, text, text):
                return False, reasons[-1]
        if self.exposures is not None:
            shown = _show(self.exposures)
            ok = exposure in self.exposures
            text = f"exposure {exposure.value}"
            if not check(ok, f"{text} in {shown}", f"{text} not in {shown}"):
                return False, reasons[-1]
        if self.tags is not None:
            for key, wanted in sorted(self.tags.items()):
                found = sorted(
                    r.tags[key] for r in finding.resources if r.tags is not None and key in r.tags
                )
                ok = bool(found) if wanted == _ANY else wanted in found
                shown = f"tag {key}={wanted}" if wanted != _ANY else f"tag {key}"
                got = f"tag {key}={'|'.join(found)}" if found else f"no tag {key}"
                if not check(ok, f"{shown} present", f"{shown} wanted, {got}"):
                    return False, reasons[-1]
        if self.accounts is not None:
            account = finding.aws_account_id
            shown = _show(self.accounts)
            ok = account in self.accounts
            if not check(ok, f"account {account} in {shown}", f"account {account} not in {shown}"):
                return False, reasons[-1]
        return True, "; ".join(reasons) or "matches every finding"


# ----------------------------------------------------------------------------- deadline


def _check_deadline(instance: Deadline, _attribute: object, n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an integer, got {_short(n)}")
    label = "monthly(business_day=n)" if instance.kind == "monthly" else instance.kind
    if instance.kind == "monthly" and n < 1:
        raise ValueError(f"{label} needs n >= 1, got {_short(n)}")
    if n < 0:
        raise ValueError(f"{label} needs n >= 0, got {_short(n)}")
    most = type(instance).bound(instance.kind)
    if most is not None and n > most:
        raise ValueError(f"{label} needs n <= {most}, got {_short(n)}")


@attrs.frozen
class Deadline:
    """By when a finding must be looked at, counted from when it was first seen.

    Build one with :meth:`business_days`, :meth:`monthly`, :meth:`calendar_days` or
    :meth:`none`. Dates are in the calendar's time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.triage import BusinessCalendar
        >>> jp = BusinessCalendar("JP", timezone="Asia/Tokyo")
        >>> seen = datetime(2026, 11, 20, 3, tzinfo=timezone.utc)
        >>> Deadline.monthly(business_day=1).due(seen, jp), str(Deadline.business_days(1))
        (datetime.date(2026, 12, 1), 'next business day')
    """

    KINDS: ClassVar[tuple[str, ...]] = ("business_days", "monthly", "calendar_days", "none")
    MAX_BUSINESS_DAYS: ClassVar[int] = 1000
    """The most business days a deadline may give (about four years); raise it by setting
    ``Deadline.MAX_BUSINESS_DAYS`` (process-wide)."""
    MAX_CALENDAR_DAYS: ClassVar[int] = 1500
    """The most calendar days a deadline may give (about four years); settable likewise."""
    MAX_BUSINESS_DAY: ClassVar[int] = 31
    """``monthly(business_day=n)``: no month has more than 31 days."""

    kind: DeadlineKind = attrs.field(validator=attrs.validators.in_(KINDS))
    n: int = attrs.field(default=0, validator=_check_deadline)

    @classmethod
    def bound(cls, kind: str) -> int | None:
        """The largest ``n`` a deadline of ``kind`` accepts (``None`` for ``none``).

        Example:
            >>> Deadline.bound("business_days"), Deadline.bound("monthly")
            (1000, 31)
        """
        return {
            "business_days": cls.MAX_BUSINESS_DAYS,
            "calendar_days": cls.MAX_CALENDAR_DAYS,
            "monthly": cls.MAX_BUSINESS_DAY,
        }.get(kind)

    @classmethod
    def business_days(cls, n: int) -> Deadline:
        """``n`` business days after first seen (1: the next business day; 0: that day).

        Example:
            >>> Deadline.business_days(3)
            Deadline(kind='business_days', n=3)
        """
        return cls("business_days", n)

    @classmethod
    def monthly(cls, business_day: int = 1) -> Deadline:
        """By the ``business_day``-th business day of the month after first seen.

        Example:
            >>> str(Deadline.monthly(business_day=2))
            'by business day 2 of the next month'
        """
        return cls("monthly", business_day)

    @classmethod
    def calendar_days(cls, n: int) -> Deadline:
        """``n`` calendar days after the local date first seen.

        Example:
            >>> str(Deadline.calendar_days(30))
            '30 calendar days'
        """
        return cls("calendar_days", n)

    @classmethod
    def none(cls) -> Deadline:
        """No deadline.

        Example:
            >>> Deadline.none().due(None, None) is None  # type: ignore[arg-type]
            True
        """
        return cls("none")

    def due(self, first_seen: datetime | date, calendar: BusinessCalendar) -> date | None:
        """The due date for a finding first seen at ``first_seen``, or ``None``.

        ``first_seen`` is an aware moment (read in the calendar's time zone) or a local date.

        Raises:
            CalendarError: the due date would fall past 9999-12-31 (or ``first_seen`` is
                outside the calendar); :meth:`TriagePolicy.plan` reports it on the item.

        Example:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit.triage import BusinessCalendar
            >>> Deadline.calendar_days(30).due(datetime(2026, 1, 31, 20, tzinfo=timezone.utc),
            ...                                BusinessCalendar("JP", timezone="Asia/Tokyo"))
            datetime.date(2026, 3, 3)
        """
        if self.kind == "none":
            return None
        local = calendar.local_date(first_seen) if isinstance(first_seen, datetime) else first_seen
        if self.kind == "business_days":
            return calendar.add_business_days(local, self.n)
        try:
            if self.kind == "calendar_days":
                return local + timedelta(days=self.n)
            year, month = (
                (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
            )
            first = date(year, month, 1)
        except (OverflowError, ValueError):
            raise CalendarError(
                f"{self} from {local.isoformat()} would fall past 9999-12-31, "
                "the last date Python can represent"
            ) from None
        days = (first + timedelta(days=i) for i in range(31))
        business = [d for d in days if d.month == month and calendar.is_business_day(d)]
        if len(business) >= self.n:
            return business[self.n - 1]
        if business:  # fewer business days than asked for that month: its last business day
            return business[-1]
        last = first.replace(day=28)
        while (last + timedelta(days=1)).month == month:
            last += timedelta(days=1)
        while not calendar.is_business_day(last):
            last -= timedelta(days=1)
        return last

    def __str__(self) -> str:
        if self.kind == "business_days":
            if self.n == 1:
                return "next business day"
            return f"{self.n} business day{'s' if self.n != 1 else ''}"
        if self.kind == "monthly":
            return f"by business day {self.n} of the next month"
        if self.kind == "calendar_days":
            return f"{self.n} calendar day{'s' if self.n != 1 else ''}"
        return "no deadline"


# ----------------------------------------------------------------------------- rules


def _nonempty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string, got {_short(value)}")
    if _CONTROL.search(value):
        raise ValueError(f"{attribute.name} must not hold control characters, got {_short(value)}")


@attrs.frozen
class Rule:
    """A named condition, the deadline it sets and the queue it sends findings to.

    Example:
        >>> r = Rule("prod-critical", Condition(severities={"CRITICAL"}, tags={"env": "prod"}),
        ...          Deadline.business_days(1), "urgent")
        >>> r.queue, str(r.deadline)
        ('urgent', 'next business day')
    """

    name: str = attrs.field(validator=_nonempty)
    condition: Condition
    deadline: Deadline
    queue: str = attrs.field(validator=_nonempty)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ValueError(f"rule names must be unique, {rule.name!r} is given twice")
        seen.add(rule.name)
    return rules


@attrs.frozen(kw_only=True)
class TriageItem:
    """One finding's place in a :class:`TriagePlan`.

    Attributes:
        finding: The finding.
        due: The due date (calendar time zone), or ``None`` for no deadline.
        queue: The queue (``"unmatched"`` when no rule matched).
        rule: The matching rule's name, or ``None``.
        why: Why: the rule, the condition's reasons, the deadline and any KEV tightening.
        kev_due: CISA's KEV due date (the calendar date CISA publishes), if any.
        overdue: ``due`` is before today.
        due_today: ``due`` is today.

    Example:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar
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


RECORD_COLUMNS = (
    "finding_arn",
    "aws_account_id",
    "resource_id",
    "vulnerability_id",
    "severity",
    "queue",
    "rule",
    "due",
    "kev_due",
    "overdue",
    "due_today",
    "why",
)


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
class TriagePlan:
    """The result of :meth:`TriagePolicy.plan`: items sorted by due date (``None`` last),
    then severity (highest first), then finding ARN.

    Groupings keep that order and are keyed in order of first appearance.

    Example:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit.triage import BusinessCalendar
        >>> fs = [Finding.from_api(finding_payload(severity=s, findingArn=f"arn:{s}"))
        ...       for s in ("LOW", "CRITICAL")]
        >>> plan = TriagePolicy.default().plan(fs, calendar=BusinessCalendar("US"),
        ...     now=datetime(2026, 10, 2, 12, tzinfo=timezone.utc))
        >>> [(i.queue, str(i.due)) for i in plan.items]
        [('next-business-day', '2026-10-02'), ('monthly', '2026-11-02')]
        >>> [i.finding.finding_arn for i in plan.due_today], list(plan.by_queue())
        (['arn:CRITICAL'], ['next-business-day', 'monthly'])
    """  # noqa: D205

    items: tuple[TriageItem, ...]
    today: date
    """The local date of ``now`` in the calendar's time zone."""

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

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per item, with the keys of ``RECORD_COLUMNS`` in that order.

        Dates are ISO strings (or ``None``); severity is the finding's own.

        Example:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar
            >>> f = Finding.from_api(finding_payload())
            >>> rec = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 1, tzinfo=timezone.utc)).to_records()[0]
            >>> rec["queue"], rec["due"], rec["overdue"]
            ('next-business-day', '2026-10-02', False)
        """
        return [
            {
                "finding_arn": i.finding.finding_arn,
                "aws_account_id": i.finding.aws_account_id,
                "resource_id": i.finding.primary_resource.id,
                "vulnerability_id": i.finding.vulnerability_id,
                "severity": _name(i.finding.severity),
                "queue": i.queue,
                "rule": i.rule,
                "due": None if i.due is None else i.due.isoformat(),
                "kev_due": None if i.kev_due is None else i.kev_due.isoformat(),
                "overdue": i.overdue,
                "due_today": i.due_today,
                "why": i.why,
            }
            for i in self.items
        ]

    def to_text(self, *, limit: int | None = 10) -> str:
        """A summary for people: counts per queue, then the overdue and due-today items.

        At most ``limit`` items are listed per section (``None``: all), with a count of
        the rest; resources are shown by their short name.

        Example:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar
            >>> f = Finding.from_api(finding_payload())
            >>> print(TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, tzinfo=timezone.utc)).to_text())
            Triage plan for 2026-10-05: 1 finding, 1 overdue, 0 due today
              next-business-day: 1 (1 overdue)
            Overdue:
              2026-10-02  HIGH  - i-0123456789abcdef0 111122223333 [next-business-day]
        """
        count = len(self.items)
        lines = [
            f"Triage plan for {self.today}: {count} finding{'s' if count != 1 else ''}, "
            f"{len(self.overdue)} overdue, {len(self.due_today)} due today"
        ]
        for queue, items in self.by_queue().items():
            late = sum(i.overdue for i in items)
            lines.append(f"  {queue}: {len(items)}" + (f" ({late} overdue)" if late else ""))
        for title, items in (("Overdue:", self.overdue), ("Due today:", self.due_today)):
            if items:
                lines.append(title)
                shown = items if limit is None else items[:limit]
                # Finding data is shown as one printable line each: a line break or an
                # escape sequence in an id must not start a fake line or reach a terminal.
                lines.extend(
                    f"  {i.due}  {_printable(_name(i.finding.severity))}  "
                    f"{_printable(i.finding.vulnerability_id or '-')} "
                    f"{_printable(i.finding.primary_resource.short_name)} "
                    f"{_printable(i.finding.aws_account_id)} [{_printable(i.queue)}]"
                    for i in shown
                )
                if len(items) > len(shown):
                    lines.append(f"  ... and {len(items) - len(shown)} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = (
            f"Triage plan for {self.today}: {len(self.items)} finding(s), "
            f"{len(self.overdue)} overdue, {len(self.due_today)} due today"
        )
        rows = [
            {
                "due": i.due,
                "severity": i.finding.severity,
                "vulnerability": i.finding.vulnerability_id,
                "resource": i.finding.primary_resource.short_name,
                "queue": i.queue,
                "why": i.why,
            }
            for i in self.items
        ]
        return html_table(rows, caption=caption, severity_column="severity")


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


@attrs.frozen
class TriagePolicy:
    """Ordered triage rules: the first matching rule wins (see the module docs).

    Example:
        >>> policy = TriagePolicy([Rule("all", Condition(), Deadline.calendar_days(7), "week")],
        ...                       name="simple")
        >>> TriagePolicy.from_yaml(policy.to_yaml()) == policy
        True
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    name: str = attrs.field(default="custom", kw_only=True, validator=_nonempty)

    @classmethod
    def default(cls) -> TriagePolicy:
        """DOMAIN.md §1's operations policy (UNTRIAGED goes monthly; see the module docs).

        Example:
            >>> [(r.name, r.queue, str(r.deadline)) for r in TriagePolicy.default().rules]
            ... # doctest: +NORMALIZE_WHITESPACE
            [('critical-high', 'next-business-day', 'next business day'),
             ('medium-low', 'monthly', 'by business day 1 of the next month'),
             ('untriaged', 'monthly', 'by business day 1 of the next month'),
             ('informational', 'informational', 'no deadline')]
        """
        monthly = Deadline.monthly(business_day=1)
        return cls(
            [
                Rule(
                    "critical-high",
                    Condition(severities={"CRITICAL", "HIGH"}),
                    Deadline.business_days(1),
                    "next-business-day",
                ),
                Rule("medium-low", Condition(severities={"MEDIUM", "LOW"}), monthly, "monthly"),
                Rule("untriaged", Condition(severities={"UNTRIAGED"}), monthly, "monthly"),
                Rule(
                    "informational",
                    Condition(severities={"INFORMATIONAL"}),
                    Deadline.none(),
                    "informational",
                ),
            ],
            name="default",
        )

    def plan(
        self,
        findings: Iterable[Finding],
        *,
        now: datetime,
        calendar: BusinessCalendar,
        exposures: Mapping[str, NetworkExposure | str] | None = None,
        details: Mapping[str, FindingDetail] | None = None,
    ) -> TriagePlan:
        """Triage ``findings`` as of ``now`` (aware) in ``calendar``.

        ``exposures`` maps resource id -> exposure (missing: UNKNOWN); ``details`` maps
        finding ARN -> :class:`~inspector_kit.models.FindingDetail` (for KEV due dates).
        Rescoring runs only when a rule has ``rescored_severities``. A due date that
        cannot be computed (first seen so late that it falls past 9999-12-31) leaves that
        item without one, says why in ``why``, and the rest of the plan goes on.

        Example:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar
            >>> f = Finding.from_api(finding_payload(severity="NEW"))
            >>> item = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, tzinfo=timezone.utc)).items[0]
            >>> item.queue, item.due, item.why
            ('unmatched', None, 'no rule of policy default matched; no deadline')
        """
        today = calendar.local_date(now)
        exposures = exposures or {}
        details = details or {}
        rescoring = any(r.condition.rescored_severities is not None for r in self.rules)
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
            items.append(self._item(finding, today, calendar, kev_due, exposure, rescored, dues))
        items.sort(key=_order)
        return TriagePlan(items=tuple(items), today=today)

    def _item(
        self,
        finding: Finding,
        today: date,
        calendar: BusinessCalendar,
        kev_due: date | None,
        exposure: NetworkExposure,
        rescored: Severity | None,
        dues: dict[tuple[Deadline, date], date | None],
    ) -> TriageItem:
        for rule in self.rules:
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
            why = f"no rule of policy {self.name} matched; no deadline"
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

    # ------------------------------------------------------------------------- files

    def to_yaml(self) -> str:
        """The policy as YAML (the file form in the module docs).

        Example:
            >>> print(TriagePolicy.default().to_yaml()[:150])
            name: default
            rules:
            - name: critical-high
              queue: next-business-day
              when:
                severities: [CRITICAL, HIGH]
              deadline: {business_days: 1}
            ...
        """
        return yaml.safe_dump(
            {"name": self.name, "rules": [_rule_data(r) for r in self.rules]},
            sort_keys=False,
            default_flow_style=None,
            allow_unicode=True,
        )

    @classmethod
    def from_yaml(
        cls,
        text_or_path: str | os.PathLike[str],
        *,
        source: str | None = None,
        max_bytes: int = MAX_POLICY_BYTES,
    ) -> TriagePolicy:
        """Read a policy from YAML text (a ``str``) or a file (a ``Path``).

        At most ``max_bytes`` (:data:`MAX_POLICY_BYTES`, 256 KiB) are read; a file must be
        UTF-8. See the module docs for what else is checked.

        Raises:
            PolicyFileError: every problem found, each with its line and field path; also
                a file that is missing, unreadable, a directory, too large or not UTF-8.

        Example:
            >>> p = TriagePolicy.from_yaml('''
            ... name: tiny
            ... rules:
            ...   - name: everything
            ...     queue: weekly
            ...     deadline: {calendar_days: 7}
            ... ''')
            >>> p.name, p.rules[0].deadline
            ('tiny', Deadline(kind='calendar_days', n=7))
        """
        if isinstance(text_or_path, os.PathLike):
            path = Path(text_or_path)
            where = source or path.name
            return _Reader(where).read(_read_file(path, where, max_bytes))
        where = source or "<policy>"
        if len(text_or_path) > max_bytes or _utf8_size(text_or_path) > max_bytes:
            raise PolicyFileError(where, [_too_big(where, max_bytes)])
        return _Reader(where).read(text_or_path)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, max_bytes: int = MAX_POLICY_BYTES
    ) -> TriagePolicy:
        """Read a policy file (UTF-8 YAML, at most ``max_bytes``).

        Raises:
            PolicyFileError: see :meth:`from_yaml`.

        Example:
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     path = pathlib.Path(tmp, "policy.yaml")
            ...     TriagePolicy.default().save(path)
            ...     TriagePolicy.load(path) == TriagePolicy.default()
            True
        """
        return cls.from_yaml(Path(path), max_bytes=max_bytes)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_yaml` to ``path`` (UTF-8).

        Example:
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     TriagePolicy.default().save(pathlib.Path(tmp, "p.yaml"))
        """
        Path(path).write_text(self.to_yaml(), encoding="utf-8")


def _names(values: Iterable[Enum | str] | None, *, by_rank: bool = False) -> list[str] | None:
    if values is None:
        return None
    names = [_name(v) for v in values]
    return sorted(names, key=lambda n: (-severity_rank(n), n) if by_rank else (0, n))


def _rule_data(rule: Rule) -> dict[str, Any]:
    c = rule.condition
    when = {
        "severities": _names(c.severities, by_rank=True),
        "rescored_severities": _names(c.rescored_severities, by_rank=True),
        "finding_types": _names(c.finding_types),
        "kev": c.kev,
        "exploit_available": c.exploit_available,
        "fix_available": c.fix_available,
        "exposures": _names(c.exposures),
        "tags": None if c.tags is None else dict(sorted(c.tags.items())),
        "accounts": _names(c.accounts),
    }
    data: dict[str, Any] = {"name": rule.name, "queue": rule.queue}
    when = {k: v for k, v in when.items() if v is not None}
    if when:
        data["when"] = when
    d = rule.deadline
    if d.kind == "none":
        data["deadline"] = "none"
    elif d.kind == "monthly":
        data["deadline"] = {"monthly": {"business_day": d.n}}
    else:
        data["deadline"] = {d.kind: d.n}
    return data


# ----------------------------------------------------------------------------- YAML reader

_TOP_KEYS = ("name", "rules")
_RULE_KEYS = ("name", "queue", "when", "deadline")
_WHEN_SETS: dict[str, Callable[[Any], Any]] = {
    "severities": _severity,
    "rescored_severities": _severity,
    "finding_types": _finding_type,
    "exposures": _exposure,
    "accounts": _account,
}
_WHEN_BOOLS = ("kev", "exploit_available", "fix_available")
_WHEN_KEYS = (*_WHEN_SETS, *_WHEN_BOOLS, "tags")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# The one integer form YAML 1.1 and 1.2 read alike: optional sign, decimal digits, no
# leading zero (YAML 1.1 reads 010 as octal 8, 1:30 as 90, 1_000 as 1000; 1.2 does not).
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_BOUND_NOTES = {
    "business_days": " (Deadline.MAX_BUSINESS_DAYS: about four years)",
    "calendar_days": " (Deadline.MAX_CALENDAR_DAYS: about four years)",
    "business_day": " (no month has more)",
}


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _too_big(where: str, max_bytes: int) -> str:
    return f"{where}: the file is larger than {max_bytes} bytes (max_bytes)"


def _read_file(path: Path, where: str, max_bytes: int) -> str:
    """The file's text: at most ``max_bytes`` read, UTF-8, or a PolicyFileError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PolicyFileError(where, [f"{path}: cannot read the file: {reason}"]) from exc
    if len(data) > max_bytes:
        raise PolicyFileError(where, [_too_big(where, max_bytes)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyFileError(
            where,
            [
                f"{where} line {line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column "
                f"{column}): save the file as UTF-8"
            ],
        ) from None


def _text(value: str, limit: int = 40) -> str:
    """Text safe to print: control characters as backslash-u escapes, cut short."""
    shown = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _got(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if node.tag == _STR:
        return _text(json.dumps(node.value, ensure_ascii=False))
    if node.tag == _NULL and not node.value:
        return "nothing"
    return _text(str(node.value))


def _kind(node: yaml.Node) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _yaml11_int(text: str) -> int | None:
    """What YAML 1.1 (PyYAML) reads an int-tagged scalar as; None when too long to show."""
    if len(text) > 40:
        return None
    node = yaml.ScalarNode(_INT, text)
    try:
        return int(yaml.SafeLoader("").construct_yaml_int(node))
    except (ValueError, yaml.YAMLError):  # pragma: no cover - the resolver matched it
        return None


def _implicit(node: yaml.ScalarNode) -> bool:
    """Whether YAML 1.1 itself typed this scalar (plain, no explicit ``!!tag``)."""
    if node.style is not None or not node.value:
        return False
    loader = yaml.SafeLoader("")
    resolved: str = loader.resolve(  # type: ignore[no-untyped-call]
        yaml.ScalarNode, node.value, (True, False)
    )
    return resolved == node.tag


def _yaml11_reading(node: yaml.ScalarNode) -> str | None:
    """How YAML 1.1 reads a plain scalar meant as text: "the number 8", "true", ..."""
    text = str(node.value)
    if not _implicit(node):
        return None
    if node.tag == _INT:
        value = _yaml11_int(text)
        return "a number" if value is None else f"the number {value}"
    if node.tag == _FLOAT:
        return "a number" if len(text) > 40 else f"the number {_text(text)}"
    if node.tag == _BOOL:
        return str(yaml.constructor.SafeConstructor.bool_values[text.lower()]).lower()
    if node.tag == _NULL:
        return "null (no value)"
    if node.tag == _TIMESTAMP:
        return "a date"
    return None


class _TooDeepError(yaml.MarkedYAMLError):
    """Raised by the composer past ``_MAX_DEPTH`` levels, before Python's stack runs out."""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, composing at most ``_MAX_DEPTH`` levels of nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise _TooDeepError(
                    problem=f"nested deeper than {_MAX_DEPTH} levels",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_T = TypeVar("_T")


class _Reader:
    """Validates a composed YAML tree, collecting every problem with its line.

    A node reached again through an alias is validated once (its result is reused), so a
    "billion laughs" file costs no more than its size; its problems are reported once, at
    the node's own line.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self._seen: dict[tuple[int, str], Any] = {}

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.source} line {node.start_mark.line + 1}: {message}")

    def _once(self, node: yaml.Node, what: str, check: Callable[..., _T], *args: Any) -> _T:
        """``check(*args)``, computed once per node reached (aliases reach a node again)."""
        key = (id(node), what)
        if key not in self._seen:
            self._seen[key] = check(*args)
        found: _T = self._seen[key]
        return found

    def read(self, text: str) -> TriagePolicy:
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = "" if mark is None else f" line {mark.line + 1}"
            where = ""
            if mark is not None:
                lines = text.splitlines()
                if mark.line < len(lines):
                    where = f" at {_short(lines[mark.line].strip())}"
            raise PolicyFileError(
                self.source, [f"{self.source}{line}: not valid YAML{where}: {err.problem}"]
            ) from None
        except yaml.reader.ReaderError as err:
            number = text.count("\n", 0, max(err.position, 0)) + 1
            raw: object = err.character
            char = chr(raw) if isinstance(raw, int) else str(raw)
            raise PolicyFileError(
                self.source,
                [
                    f"{self.source} line {number}: not valid YAML: control character "
                    f"{char!r} (write it as an escape in a double-quoted string, or remove it)"
                ],
            ) from None
        except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is one of those
            raise PolicyFileError(
                self.source, [f"{self.source}: not valid YAML: {_short(str(err), 120)}"]
            ) from None
        if root is None:
            raise PolicyFileError(self.source, [f"{self.source}: the file is empty"])
        policy = self.policy(root)
        if self.problems:
            raise PolicyFileError(self.source, self.problems)
        assert policy is not None
        return policy

    def mapping(
        self, node: yaml.Node, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{path or 'the policy'} must be a mapping, got {_got(node)}")
            return None
        fields: dict[str, yaml.Node] = {}
        prefix = f"{path}." if path else ""
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                where = f"{path}: " if path else ""
                self.problem(key, f"{where}{_kind(key)} is not a field name")
                continue
            name = str(key.value)
            if name not in allowed:
                known = ", ".join(sorted(allowed))
                shown = _text(name)
                self.problem(
                    key, f"{prefix}{shown} is not a known field (expected one of: {known})"
                )
            elif name in fields:
                self.problem(key, f"{prefix}{name} is given twice")
            else:
                fields[name] = value
        for name in required:
            if name not in fields:
                self.problem(node, f"{prefix}{name} is required")
        return fields

    def string(self, node: yaml.Node, path: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and node.value.strip():
            if _CONTROL.search(node.value):
                self.problem(node, f"{path} must not hold control characters, got {_got(node)}")
                return None
            return str(node.value)
        reading = _yaml11_reading(node) if isinstance(node, yaml.ScalarNode) else None
        if reading is not None:
            text = _text(str(node.value))
            self.problem(
                node,
                f'{path} must be a string: YAML 1.1 reads {text} as {reading}: quote it ("{text}")',
            )
            return None
        self.problem(node, f"{path} must be a non-empty string, got {_got(node)}")
        return None

    def integer(self, node: yaml.Node, path: str, minimum: int) -> int | None:
        kind = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        field = path.rsplit(".", 1)[-1]
        most = Deadline.bound("monthly" if field == "business_day" else field)
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        text = str(node.value)
        if not _PLAIN_INT.fullmatch(text) and not _implicit(node):  # !!int with any text
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        if not _PLAIN_INT.fullmatch(text):
            value = _yaml11_int(text)
            form = text.lstrip("+-").lower()
            if ":" in form:
                how = "base 60"
            elif form.startswith("0b"):
                how = "binary"
            elif form.startswith("0x"):
                how = "hexadecimal"
            elif form.startswith("0") and form.replace("_", "").strip("0"):
                how = "octal"
            else:
                how = "digits with _"
            if value is None:
                read = f"YAML 1.1 reads {_text(text)} as a number too long to show"
                write = "write the number in plain decimal digits"
            else:
                read = f"YAML 1.1 reads {text} as {value} ({how})"
                write = f"write {value}"
                decimal = text.replace("_", "").lstrip("+")
                if how == "octal" and decimal.lstrip("-0") != str(abs(value)):
                    sign = "-" if decimal.startswith("-") else ""
                    write += f" (or {sign}{decimal.lstrip('-0')}, if that is what you meant)"
            self.problem(node, f"{path} must be plain decimal digits: {read}; {write}")
            return None
        digits = text.lstrip("+-")
        if text.startswith("-") and digits != "0":
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        # Length first: int() of a 5,000-digit string is refused by Python itself.
        value = int(digits) if len(digits) <= 18 else None
        if value is not None and value < minimum:
            self.problem(node, f"{path} must be {kind}, got {_got(node)}")
            return None
        if most is not None and (value is None or value > most):
            note = _BOUND_NOTES.get(field, "")
            self.problem(node, f"{path} must be at most {most}, got {_got(node)}{note}")
            return None
        return value

    def boolean(self, node: yaml.Node, path: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            value = yaml.constructor.SafeConstructor.bool_values.get(str(node.value).lower())
            if value is not None:
                return bool(value)
        self.problem(node, f"{path} must be true or false, got {_got(node)}")
        return None

    def policy(self, root: yaml.Node) -> TriagePolicy | None:
        fields = self.mapping(root, "", _TOP_KEYS, required=("rules",))
        if fields is None:
            return None
        name = self.string(fields["name"], "name") if "name" in fields else "custom"
        rules: list[Rule] = []
        node = fields.get("rules")
        if node is not None and not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"rules must be a list of rules, got {_got(node)}")
        elif node is not None:
            seen: dict[str, int] = {}
            for index, item in enumerate(node.value):
                path = f"rules[{index}]"
                rule = self._once(item, "rule", self.rule, item, path)
                if rule is not None and rule.name in seen:
                    self.problem(
                        item,
                        f"rules[{index}].name {_short(rule.name)} is also rules[{seen[rule.name]}]",
                    )
                elif rule is not None:
                    seen[rule.name] = index
                    rules.append(rule)
        if self.problems or name is None:
            return None
        return TriagePolicy(rules, name=name)

    def rule(self, node: yaml.Node, path: str) -> Rule | None:
        fields = self.mapping(node, path, _RULE_KEYS, required=("name", "queue", "deadline"))
        if fields is None:
            return None
        name = self.string(fields["name"], f"{path}.name") if "name" in fields else None
        queue = self.string(fields["queue"], f"{path}.queue") if "queue" in fields else None
        when = fields.get("when")
        condition = (
            Condition()
            if when is None
            else self._once(when, "when", self.condition, when, f"{path}.when")
        )
        deadline = None
        if "deadline" in fields:
            node = fields["deadline"]
            deadline = self._once(node, "deadline", self.deadline, node, f"{path}.deadline")
        if name is None or queue is None or condition is None or deadline is None:
            return None
        return Rule(name, condition, deadline, queue)

    def condition(self, node: yaml.Node, path: str) -> Condition | None:
        fields = self.mapping(node, path, _WHEN_KEYS)
        if fields is None:
            return None
        before = len(self.problems)
        values: dict[str, Any] = {}
        for key, value in fields.items():
            where = f"{path}.{key}"
            if key in _WHEN_BOOLS:
                values[key] = self.boolean(value, where)
            elif key == "tags":
                values[key] = self._once(value, "tags", self.tags, value, where)
            else:
                convert = _WHEN_SETS[key]
                values[key] = self._once(value, convert.__name__, self.names, value, where, convert)
        if len(self.problems) > before or any(v is None for v in values.values()):
            return None
        return Condition(**values)

    def names(
        self, node: yaml.Node, path: str, convert: Callable[[Any], Any]
    ) -> frozenset[Any] | None:
        items = [node] if isinstance(node, yaml.ScalarNode) else node.value
        if isinstance(node, yaml.MappingNode) or not items:
            self.problem(node, f"{path} must be a non-empty list, got {_got(node)}")
            return None
        out = set()
        before = len(self.problems)
        for index, item in enumerate(items):
            where = path if item is node else f"{path}[{index}]"
            if not isinstance(item, yaml.ScalarNode):
                self.problem(item, f"{where} must be a name, got {_got(item)}")
                continue
            try:
                out.add(convert(str(item.value)))
            except ValueError as err:
                self.problem(item, f"{where}: {err}")
        return None if len(self.problems) > before else frozenset(out)

    def tags(self, node: yaml.Node, path: str) -> dict[str, str] | None:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.problem(
                node, f"{path} must be a non-empty mapping of key: value, got {_got(node)}"
            )
            return None
        tags: dict[str, str] = {}
        before = len(self.problems)
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, f"{path}: {_kind(key)} is not a tag key")
                continue
            where = f"{path}.{_text(str(key.value))}"
            if not isinstance(value, yaml.ScalarNode) or value.tag == _NULL:
                self.problem(value, f'{where} must be a tag value or "*", got {_got(value)}')
            elif key.value in tags:
                self.problem(key, f"{where} is given twice")
            elif _CONTROL.search(key.value) or _CONTROL.search(value.value):
                self.problem(value, f"{where} must not hold control characters")
            else:
                tags[str(key.value)] = str(value.value)  # the text as written: 007 stays 007
        return None if len(self.problems) > before else tags

    def deadline(self, node: yaml.Node, path: str) -> Deadline | None:
        if isinstance(node, yaml.ScalarNode):
            if node.value == "none":
                return Deadline.none()
            self.problem(
                node,
                f"{path} must be none or one of business_days: N, calendar_days: N, "
                f"monthly: {{business_day: N}}, got {_got(node)}",
            )
            return None
        fields = self.mapping(node, path, ("business_days", "calendar_days", "monthly"))
        if fields is None:
            return None
        if len(fields) != 1:
            if fields:
                self.problem(
                    node,
                    f"{path} must have exactly one of business_days, "
                    f"calendar_days, monthly; got {', '.join(fields)}",
                )
            elif isinstance(node, yaml.MappingNode) and not node.value:
                self.problem(
                    node,
                    f"{path} must be one of business_days: N, calendar_days: N, "
                    "monthly: {business_day: N} or none",
                )
            return None
        ((kind, value),) = fields.items()
        if kind == "monthly":
            inner = self.mapping(value, f"{path}.monthly", ("business_day",), ("business_day",))
            if inner is None or "business_day" not in inner:
                return None
            n = self.integer(inner["business_day"], f"{path}.monthly.business_day", 1)
            return None if n is None else Deadline.monthly(business_day=n)
        n = self.integer(value, f"{path}.{kind}", 0)
        if n is None:
            return None
        return Deadline.business_days(n) if kind == "business_days" else Deadline.calendar_days(n)
