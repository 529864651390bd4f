"""Which operating systems Inspector scans, and until when (docs/facts.md#supported-os).

The table is data: ``inspector_kit/data/os_support.json`` has one row per OS family and release
range, each with its status on Inspector's list, the date it was discontinued (if any), its scan
methods and deep inspection, and the AWS page it was read from with the read date. The next
change to Inspector's list is a change to that file, not to this module. OS names are matched as
SSM reports them (``PlatformName``), case-insensitively.

A discontinued OS is still scanned (and billed) for
[`END_OF_LIFE_SCAN_TAIL_MONTHS`][inspector_kit.coverage.END_OF_LIFE_SCAN_TAIL_MONTHS] after its
date, with a CRITICAL end-of-life finding; then scanning stops.
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import attrs

from inspector_kit.errors import CoverageTypeError

__all__ = ["END_OF_LIFE_SCAN_TAIL_MONTHS", "OsStatus", "OsSupport", "os_support"]

#: The reason code of an OS in its end-of-life tail (still scanned and billed).
END_OF_LIFE_TAIL_CODE = "OS_END_OF_LIFE_TAIL"

_SUPPORTED_URL = "https://docs.aws.amazon.com/inspector/latest/user/supported.html"

END_OF_LIFE_SCAN_TAIL_MONTHS = 12
"""Calendar months a discontinued OS is still scanned after its discontinued date (assumption
on the boundary: the tail runs from the day after the date through the same day of the month
``END_OF_LIFE_SCAN_TAIL_MONTHS`` later, inclusive; docs/facts.md#supported-os)."""

UNDATED_DISCONTINUED_IN_TAIL = True
"""Assumption for table rows listed as discontinued whose date was not read: ``True`` treats
them as in their end-of-life tail (scanned, billed), ``False`` as no longer scanned."""

# The finding Inspector raises on a discontinued OS, as shown on a third-party page
# (docs/facts.md#supported-os): no AWS page read shows it.
_END_OF_LIFE_FINDING = "Platform End Of Life (IN-DISCONTINUED-001), severity CRITICAL"


class OsStatus(str, Enum):
    """Where an OS stands on Inspector's list at a given day.

    ``SUPPORTED``: scanned. ``END_OF_LIFE_TAIL``: discontinued, but still scanned and billed,
    with a CRITICAL end-of-life finding, until scanning stops. ``DISCONTINUED``: its tail is
    over, no longer scanned. ``UNSUPPORTED``: not on the list. ``UNKNOWN``: the OS or its
    version is not known.

    Examples:
        >>> OsStatus.END_OF_LIFE_TAIL.value
        'END_OF_LIFE_TAIL'
    """

    SUPPORTED = "SUPPORTED"
    END_OF_LIFE_TAIL = "END_OF_LIFE_TAIL"
    DISCONTINUED = "DISCONTINUED"
    UNSUPPORTED = "UNSUPPORTED"
    UNKNOWN = "UNKNOWN"


def _status_default(self: OsSupport) -> OsStatus:
    if self.supported is None:
        return OsStatus.UNKNOWN
    return OsStatus.SUPPORTED if self.supported else OsStatus.UNSUPPORTED


@attrs.frozen
class OsSupport:
    """The verdict on one OS: ``supported`` is ``None`` when the OS is unknown.

    ``supported`` says whether Inspector scans the OS at the day asked (``True`` in the
    end-of-life tail too); ``status`` says why. ``ends`` is the last day the OS is on the
    supported list, ``discontinued`` the date it left it, ``scanning_stops`` the first day it is
    no longer scanned (``None`` when unknown or not discontinued).

    Examples:
        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> s = os_support("linux", "CentOS Linux", "7", now=now)
        >>> s.supported, s.code, s.status.value
        (False, 'UNSUPPORTED_OS', 'UNSUPPORTED')
        >>> s.fix.split(" (")[0]
        'Upgrade to Rocky Linux, AlmaLinux or RHEL'
        >>> al2 = os_support("linux", "Amazon Linux", "2", now=now)
        >>> al2.status.value, al2.supported, str(al2.scanning_stops)
        ('END_OF_LIFE_TAIL', True, '2027-07-01')
    """

    label: str
    supported: bool | None
    agentless: bool
    code: str | None = None
    message: str | None = None
    fix: str | None = None
    ends: date | None = None
    status: OsStatus = attrs.field(
        default=attrs.Factory(_status_default, takes_self=True), kw_only=True
    )
    """Where the OS stands on Inspector's list (default: from ``supported``)."""
    discontinued: date | None = attrs.field(default=None, kw_only=True)
    """The date Inspector discontinued the OS (``None``: not discontinued, or date unknown)."""
    scanning_stops: date | None = attrs.field(default=None, kw_only=True)
    """The first day the OS is no longer scanned (``None``: not discontinued, or unknown)."""
    deep_inspection: bool = attrs.field(default=True, kw_only=True)
    """Whether agent-based scans of the OS include deep inspection (not on Bottlerocket)."""
    end_of_life_finding: str | None = attrs.field(default=None, kw_only=True)
    """The end-of-life finding Inspector raises while the OS is in its tail."""
    source: str | None = attrs.field(default=None, kw_only=True)
    """The page the table row was read from."""


@attrs.frozen
class _Family:
    label: str
    pattern: re.Pattern[str]
    successor: str | None = None


_FAMILIES: tuple[_Family, ...] = (
    _Family("Amazon Linux", re.compile(r"^amazon linux"), successor="Amazon Linux 2023"),
    _Family("AlmaLinux", re.compile(r"^alma ?linux")),
    _Family("Bottlerocket", re.compile(r"^bottlerocket")),
    _Family("Debian", re.compile(r"^debian")),
    _Family("Fedora", re.compile(r"^fedora")),
    _Family("Oracle Linux", re.compile(r"^oracle")),
    _Family("Red Hat Enterprise Linux", re.compile(r"^(red hat|rhel)")),
    _Family("Rocky Linux", re.compile(r"^rocky")),
    _Family("SUSE Linux Enterprise Server", re.compile(r"^(sles|suse)")),
    _Family("openSUSE Leap", re.compile(r"^open ?suse")),
    _Family("Ubuntu", re.compile(r"^ubuntu"), successor="a supported Ubuntu LTS release"),
    _Family("CentOS", re.compile(r"^centos"), successor="Rocky Linux, AlmaLinux or RHEL"),
    _Family("Windows Server", re.compile(r"^(microsoft )?windows")),
    _Family("macOS", re.compile(r"^(mac ?os|darwin)")),
)

# Windows Server releases by build number, for names without a year.
_WINDOWS_BUILDS = {14393: 2016, 17763: 2019, 20348: 2022, 26100: 2025}
# Families whose releases are told apart by the major version alone.
_MAJOR_ONLY = {
    "Amazon Linux",
    "AlmaLinux",
    "Debian",
    "Fedora",
    "Oracle Linux",
    "Red Hat Enterprise Linux",
    "Rocky Linux",
    "CentOS",
}
# Families whose releases are major.minor (SUSE service packs).
_SERVICE_PACKS = {"SUSE Linux Enterprise Server", "openSUSE Leap"}


@attrs.frozen
class _Row:
    family: str
    low: tuple[int, ...] | None
    high: tuple[int, ...] | None
    status: str
    discontinued: date | None
    agent: bool
    agentless: bool
    deep_inspection: bool
    source: str
    read: date
    note: str | None = None

    def matches(self, version: tuple[int, ...] | None) -> bool:
        if version is None:
            return self.low is None and self.high is None
        return (self.low is None or self.low <= version) and (
            self.high is None or version <= self.high
        )


def _v(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def _row_version(family: str, text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    parts = _v(text)
    return parts[:1] if family in _MAJOR_ONLY else parts


def _parse_row(raw: dict[str, Any]) -> _Row:
    family = str(raw["family"])
    discontinued = raw.get("discontinued")
    return _Row(
        family=family,
        low=_row_version(family, raw.get("from")),
        high=_row_version(family, raw.get("to")),
        status=str(raw["status"]),
        discontinued=date.fromisoformat(discontinued) if discontinued else None,
        agent=bool(raw["agent"]),
        agentless=bool(raw["agentless"]),
        deep_inspection=bool(raw["deep_inspection"]),
        source=str(raw["source"]),
        read=date.fromisoformat(str(raw["read"])),
        note=raw.get("note"),
    )


@lru_cache(maxsize=1)
def _table() -> tuple[_Row, ...]:
    """The rows of ``inspector_kit/data/os_support.json``, read once."""
    text = resources.files("inspector_kit").joinpath("data/os_support.json").read_text("utf-8")
    return tuple(_parse_row(raw) for raw in json.loads(text)["rows"])


def _version_of(family: _Family, name: str, version: str | None) -> tuple[int, ...] | None:
    if family.label == "Windows Server":
        year = re.search(r"\b(20\d\d)\b", name)
        if year:
            return (int(year.group(1)),)
        build = _v(version or "")
        if len(build) >= 3 and build[2] in _WINDOWS_BUILDS:
            return (_WINDOWS_BUILDS[build[2]],)
        if build[:2] and build[:2] < (10, 0):
            return (2012,)
        return None
    if version is None:
        return None
    if family.label in _SERVICE_PACKS:
        sp = re.match(r"^\s*(\d+)(?:[.\s-]*(?:sp)?\s*(\d+))?", version.lower())
        if not sp:
            return None
        return (int(sp.group(1)), int(sp.group(2) or 0))
    parts = _v(version)
    if not parts:
        return None
    if family.label in _MAJOR_ONLY:
        return parts[:1]
    return parts


def _add_months(day: date, months: int) -> date:
    """``day`` plus calendar ``months``, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def os_support(
    platform: str,
    os_name: str | None,
    os_version: str | None,
    *args: datetime,
    now: datetime | None = None,
    tail_months: int = END_OF_LIFE_SCAN_TAIL_MONTHS,
    undated_in_tail: bool = UNDATED_DISCONTINUED_IN_TAIL,
) -> OsSupport:
    """Whether Inspector supports ``os_name``/``os_version`` on ``platform`` at ``now``.

    ``now`` is keyword-only, as in [`analyze`][inspector_kit.coverage.analyze]; passing it as
    the fourth positional argument still works, with a ``DeprecationWarning``. A discontinued
    OS is in its end-of-life tail (scanned, billed, with a CRITICAL end-of-life finding) from
    the day after its date through ``tail_months`` calendar months later; from the next day
    it is ``DISCONTINUED``. ``undated_in_tail`` decides for discontinued rows without a date.

    Examples:
        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> os_support("linux", "Ubuntu", "22.04", now=now).supported
        True
        >>> s = os_support("linux", "Amazon Linux", "2", now=now)
        >>> s.supported, s.status.value, s.code
        (True, 'END_OF_LIFE_TAIL', 'OS_END_OF_LIFE_TAIL')
        >>> later = datetime(2027, 7, 1, tzinfo=timezone.utc)
        >>> s = os_support("linux", "Amazon Linux", "2", now=later)
        >>> s.supported, s.status.value, s.code
        (False, 'DISCONTINUED', 'DISCONTINUED_OS')
        >>> os_support("linux", "Bottlerocket", "1.20.0", now=now).deep_inspection
        False
        >>> os_support("macos", "macOS", "14.5", now=now).agentless
        False
        >>> os_support("linux", None, None, now=now).supported is None
        True
    """
    when = _positional_option("os_support", "now", args, now)
    if when is None:
        raise CoverageTypeError("os_support() needs now=: the time to judge support dates at")
    return _os_support(platform, os_name, os_version, when.date(), tail_months, undated_in_tail)


_T = TypeVar("_T")


def _positional_option(
    function: str, name: str, args: tuple[_T, ...], given: _T | None
) -> _T | None:
    """The option ``name`` given by keyword, or (deprecated) as the one extra positional."""
    if not args:
        return given
    if len(args) > 1 or given is not None:
        raise CoverageTypeError(
            f"{function}() takes {name}= once, by keyword; got {len(args)} extra positional "
            f"argument(s){' and ' + name + '=' if given is not None else ''}"
        )
    warnings.warn(
        f"passing {name} to {function}() positionally is deprecated: pass {name}=...",
        DeprecationWarning,
        stacklevel=3,
    )
    return args[0]


@lru_cache(maxsize=4096)
def _os_support(
    platform: str,
    os_name: str | None,
    os_version: str | None,
    today: date,
    tail_months: int = END_OF_LIFE_SCAN_TAIL_MONTHS,
    undated_in_tail: bool = UNDATED_DISCONTINUED_IN_TAIL,
) -> OsSupport:
    if platform == "macos" and not os_name:
        os_name = "macOS"
    if not os_name:
        return OsSupport(label=platform, supported=None, agentless=platform != "macos")
    lowered = os_name.strip().lower()
    family = next((f for f in _FAMILIES if f.pattern.search(lowered)), None)
    shown = f"{os_name} {os_version}".strip() if os_version else os_name
    if family is None:
        return OsSupport(
            label=shown,
            supported=False,
            agentless=False,
            code="UNSUPPORTED_OS",
            message=f"{shown} is not on Inspector's list of supported operating systems",
            fix=f"Move the workload to a supported OS ({_SUPPORTED_URL})",
        )
    rows = [r for r in _table() if r.family == family.label]
    version = _version_of(family, os_name, os_version)
    row = next((r for r in rows if r.matches(version)), None)
    if row is None and version is None:
        open_rows = [r for r in rows if r.status == "supported"]
        return OsSupport(
            label=shown,
            supported=None,
            agentless=any(r.agentless for r in open_rows),
            deep_inspection=any(r.deep_inspection for r in open_rows),
        )
    successor = family.successor or f"a supported {family.label} release"
    if row is None or row.status == "unsupported":
        return OsSupport(
            label=shown,
            supported=False,
            agentless=False,
            code="UNSUPPORTED_OS",
            message=f"{shown} is not a {family.label} release Inspector supports",
            fix=f"Upgrade to {successor} ({_SUPPORTED_URL})",
            source=row.source if row is not None else None,
        )
    common: dict[str, Any] = {
        "label": shown,
        "deep_inspection": row.deep_inspection,
        "discontinued": row.discontinued,
        "source": row.source,
    }
    fix = f"Upgrade to {successor} ({_SUPPORTED_URL})"
    if row.discontinued is not None and today <= row.discontinued:
        return OsSupport(supported=True, agentless=row.agentless, ends=row.discontinued, **common)
    if row.discontinued is None and row.status != "discontinued":
        return OsSupport(supported=True, agentless=row.agentless, **common)
    stops = (
        None
        if row.discontinued is None
        else _add_months(row.discontinued, tail_months) + timedelta(days=1)
    )
    in_tail = undated_in_tail if stops is None else today < stops
    ended = row.discontinued.isoformat() if row.discontinued else "on a date not known here"
    if row.discontinued is not None:
        ended = f"on {ended}"
    if in_tail:
        until = (
            f"until scanning stops on {stops.isoformat()}"
            if stops is not None
            else f"for {tail_months} months after that date (assumed: the date is unknown)"
        )
        return OsSupport(
            supported=True,
            agentless=row.agentless,
            code=END_OF_LIFE_TAIL_CODE,
            message=(
                f"Inspector discontinued {shown} {ended}: it is still scanned and billed, "
                f"with a CRITICAL end-of-life finding, {until}"
            ),
            fix=fix,
            ends=row.discontinued,
            status=OsStatus.END_OF_LIFE_TAIL,
            scanning_stops=stops,
            end_of_life_finding=_END_OF_LIFE_FINDING,
            **common,
        )
    stopped = f"; scanning stopped on {stops.isoformat()}" if stops is not None else ""
    return OsSupport(
        supported=False,
        agentless=False,
        code="DISCONTINUED_OS",
        message=f"Inspector support for {shown} ended {ended}{stopped}",
        fix=fix,
        ends=row.discontinued,
        status=OsStatus.DISCONTINUED,
        scanning_stops=stops,
        **common,
    )
