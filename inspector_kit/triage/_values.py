"""Triage policy values: conditions, deadlines and rules (what a policy is made of).

Condition semantics (every field optional, all given fields must hold):

- ``severities`` / ``rescored_severities``: Inspector's severity / the severity after
  [`rescore`][inspector_kit.scoring.rescore] for the primary resource's exposure (when the
  rescorer computes none, e.g. UNTRIAGED or network reachability findings, the finding's
  own severity stands).
- ``kev``: whether the details carry a CISA KEV due date.
- ``exploit_available``: ``true`` matches ``YES``; ``false`` matches ``NO`` or absent.
- ``fix_available``: ``true`` matches ``YES`` and ``PARTIAL`` (some packages can be fixed,
  so there is work to do); ``false`` matches ``NO`` or absent.
- ``exposures``: the primary resource's [`NetworkExposure`][inspector_kit.scoring.NetworkExposure]
  (resources missing from ``exposures`` are ``UNKNOWN``).
- ``tags``: every key must be on some resource of the finding with that value (``"*"``:
  any value).
- ``accounts``: the finding's ``awsAccountId``.

A value that cannot be used raises [`TriageError`][inspector_kit.errors.TriageError] (a
``ValueError``), or [`TriageTypeError`][inspector_kit.errors.TriageTypeError] for an argument of the
wrong type.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from inspector_kit.errors import CalendarError, TriageError, TriageTypeError
from inspector_kit.models import Finding, FindingStatus, FindingType, Severity, severity_rank
from inspector_kit.scoring import NetworkExposure

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from pathlib import Path

    from ._calendar import BusinessCalendar

__all__ = ["Condition", "Deadline", "Rule"]

_ANY = "*"
_ACCOUNT = re.compile(r"\d{12}")
# C0 and C1 controls, DEL, and the bidirectional overrides that reorder text on a terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _short(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to about ``limit`` characters (a value may be huge)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        # str() of a huge int is slow, and refused past 4,300 digits: say how big it is.
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: The largest policy file (or text) read, in bytes: override with ``max_bytes=``. PyYAML
#: composes about 250 KB a second, so this keeps the worst case near one second. (Here, not
#: in ``_policy_file``, so that importing the package does not import PyYAML.)
MAX_POLICY_BYTES = 256 * 1024

DeadlineKind = Literal["business_days", "monthly", "calendar_days", "none"]


# ----------------------------------------------------------------------------- converters


def _name(value: Enum | str) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _severity(value: Severity | str) -> Severity:
    try:
        return Severity(_name(value).upper())
    except ValueError:
        known = ", ".join(s.value for s in Severity)
        raise TriageError(
            f"unknown severity {_short(_name(value))} (expected one of: {known})"
        ) from None


def _finding_type(value: FindingType | str) -> FindingType:
    try:
        return FindingType(_name(value).upper())
    except ValueError:
        known = ", ".join(t.value for t in FindingType)
        raise TriageError(
            f"unknown finding type {_short(_name(value))} (expected one of: {known})"
        ) from None


def _exposure(value: NetworkExposure | str) -> NetworkExposure:
    try:
        return NetworkExposure(_name(value).upper())
    except ValueError:
        known = ", ".join(e.value for e in NetworkExposure)
        raise TriageError(
            f"unknown exposure {_short(_name(value))} (expected one of: {known})"
        ) from None


def _account(value: str) -> str:
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value):
        raise TriageError(f"account ids are 12 digits, got {_short(value)}")
    return value


def _to_set(value: Any, item: Callable[[Any], Any]) -> frozenset[Any] | None:
    if value is None:
        return None
    if isinstance(value, (str, Enum)):
        value = (value,)
    converted = frozenset(item(v) for v in value)
    if not converted:
        raise TriageError("an empty set matches nothing: leave the field out (None) instead")
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
        raise TriageError("an empty tag mapping: leave the field out (None) instead")
    for key, wanted in tags.items():
        if _CONTROL.search(key) or _CONTROL.search(wanted):
            raise TriageError(f"tag {_short(key)}: {_short(wanted)} holds control characters")
    return tags


def _show(values: Iterable[Enum | str]) -> str:
    names = [_name(v) for v in values]
    return "{" + ", ".join(sorted(names, key=lambda n: (-severity_rank(n), n))) + "}"


# ----------------------------------------------------------------------------- condition


@attrs.frozen(kw_only=True)
class Condition:
    """What a rule matches: every given field must hold (``None`` = any).

    See the module docs for each field's meaning. Names are validated
    ([`TriageError`][inspector_kit.errors.TriageError], a ``ValueError``, for unknown severities,
    finding types or exposures).

    Examples:
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
        raise TriageTypeError(f"n must be an integer, got {_short(n)}")
    label = "monthly(business_day=n)" if instance.kind == "monthly" else instance.kind
    if instance.kind == "monthly" and n < 1:
        raise TriageError(f"{label} needs n >= 1, got {_short(n)}")
    if n < 0:
        raise TriageError(f"{label} needs n >= 0, got {_short(n)}")
    most = type(instance).bound(instance.kind)
    if most is not None and n > most:
        raise TriageError(f"{label} needs n <= {most}, got {_short(n)}")


@attrs.frozen
class Deadline:
    """By when a finding must be looked at, counted from when it was first seen.

    Build one with [`business_days`][inspector_kit.triage.Deadline.business_days],
    [`monthly`][inspector_kit.triage.Deadline.monthly],
    [`calendar_days`][inspector_kit.triage.Deadline.calendar_days] or
    [`none`][inspector_kit.triage.Deadline.none]. Dates are in the calendar's time zone.

    Examples:
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

        Examples:
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

        Examples:
            >>> Deadline.business_days(3)
            Deadline(kind='business_days', n=3)
        """
        return cls("business_days", n)

    @classmethod
    def monthly(cls, business_day: int = 1) -> Deadline:
        """By the ``business_day``-th business day of the month after first seen.

        Examples:
            >>> str(Deadline.monthly(business_day=2))
            'by business day 2 of the next month'
        """
        return cls("monthly", business_day)

    @classmethod
    def calendar_days(cls, n: int) -> Deadline:
        """``n`` calendar days after the local date first seen.

        Examples:
            >>> str(Deadline.calendar_days(30))
            '30 calendar days'
        """
        return cls("calendar_days", n)

    @classmethod
    def none(cls) -> Deadline:
        """No deadline.

        Examples:
            >>> Deadline.none().due(None, None) is None  # type: ignore[arg-type]
            True
        """
        return cls("none")

    def due(self, first_seen: datetime | date, calendar: BusinessCalendar) -> date | None:
        """The due date for a finding first seen at ``first_seen``, or ``None``.

        ``first_seen`` is an aware moment (read in the calendar's time zone) or a local date.

        Raises:
            CalendarError: the due date would fall past 9999-12-31 (or ``first_seen`` is
                outside the calendar); [`TriagePolicy.plan`][inspector_kit.triage.TriagePolicy.plan]
                reports it on the item.

        Examples:
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
        raise TriageError(f"{attribute.name} must be a non-empty string, got {_short(value)}")
    if _CONTROL.search(value):
        raise TriageError(f"{attribute.name} must not hold control characters, got {_short(value)}")


def _bool(_instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise TriageTypeError(f"{attribute.name} must be True or False, got {_short(value)}")


def _status(value: FindingStatus | str) -> str:
    """A finding status's name, validated against the model's ``FindingStatus``."""
    name = _name(value).upper() if isinstance(value, (str, Enum)) else None
    if name not in FindingStatus.__members__:
        known = ", ".join(s.value for s in FindingStatus)
        shown = _short(_name(value) if isinstance(value, (str, Enum)) else value)
        raise TriageError(f"unknown finding status {shown} (expected one of: {known})")
    return name


def _statuses(value: Iterable[FindingStatus | str]) -> tuple[str, ...]:
    if isinstance(value, (str, Enum)):
        value = (value,)
    names = {_status(v) for v in value}
    if not names:
        raise TriageError("statuses must name at least one finding status (e.g. ACTIVE)")
    return tuple(s.value for s in FindingStatus if s.value in names)  # the enum's order


@attrs.frozen
class Rule:
    """A named condition, the deadline it sets and the queue it sends findings to.

    Examples:
        >>> r = Rule("prod-critical", Condition(severities={"CRITICAL"}, tags={"env": "prod"}),
        ...          Deadline.business_days(1), "urgent")
        >>> r.queue, str(r.deadline)
        ('urgent', 'next business day')
    """

    name: str = attrs.field(validator=_nonempty)
    condition: Condition
    deadline: Deadline
    queue: str = attrs.field(validator=_nonempty)
    notify_now: bool = attrs.field(default=False, kw_only=True, validator=_bool)
    """[`route`][inspector_kit.triage.route] notifies at once, night or day (YAML
    ``notify_now: true``); otherwise a finding is held to the next business morning."""


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise TriageError(f"rule names must be unique, {rule.name!r} is given twice")
        seen.add(rule.name)
    return rules


def too_big(where: str, max_bytes: int) -> str:
    """The problem of a file over its size limit (policy files and review logs)."""
    return f"{where}: the file is larger than {max_bytes} bytes (max_bytes)"


def read_text_file(
    path: Path, where: str, max_bytes: int, error: Callable[[str, list[str]], Exception]
) -> str:
    """A policy file's or a review log's text: at most ``max_bytes`` read, UTF-8.

    A file that cannot be read, is too big or is not UTF-8 raises ``error(where, [problem])``
    (the file's own error class: ``PolicyFileError``, ``ReviewLogError``).
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise error(where, [f"{path}: cannot read the file: {reason}"]) from exc
    if len(data) > max_bytes:
        raise error(where, [too_big(where, max_bytes)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            where,
            [
                f"{where} line {line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column "
                f"{column}): save the file as UTF-8"
            ],
        ) from None
