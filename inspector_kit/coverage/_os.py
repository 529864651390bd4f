"""Which operating systems Inspector scans, by agent and agentless (docs/facts.md#supported-os).

The table follows https://docs.aws.amazon.com/inspector/latest/user/supported.html as of
2026. OS names are matched as SSM reports them (``PlatformName``), case-insensitively.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar

import attrs

from inspector_kit.errors import CoverageTypeError

__all__ = ["OsSupport", "os_support"]

_SUPPORTED_URL = "https://docs.aws.amazon.com/inspector/latest/user/supported.html"


@attrs.frozen
class OsSupport:
    """The verdict on one OS: ``supported`` is ``None`` when the OS is unknown.

    Examples:
        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> s = os_support("linux", "CentOS Linux", "7", now=now)
        >>> s.supported, s.code
        (False, 'UNSUPPORTED_OS')
        >>> s.fix.split(" (")[0]
        'Upgrade to Rocky Linux, AlmaLinux or RHEL'
    """

    label: str
    supported: bool | None
    agentless: bool
    code: str | None = None
    message: str | None = None
    fix: str | None = None
    ends: date | None = None


@attrs.frozen
class _Family:
    label: str
    pattern: re.Pattern[str]
    versions: tuple[tuple[int, ...], tuple[int, ...]] | frozenset[tuple[int, ...]] | None
    agentless: bool = True
    ends: date | None = None
    successor: str | None = None


def _v(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "Amazon Linux",
        re.compile(r"^amazon linux"),
        frozenset({(2023,), (2,)}),
        successor="Amazon Linux 2023",
    ),
    _Family("AlmaLinux", re.compile(r"^alma ?linux"), frozenset({(8,), (9,), (10,)})),
    _Family("Bottlerocket", re.compile(r"^bottlerocket"), ((1, 7, 0), (999,))),
    _Family("Debian", re.compile(r"^debian"), frozenset({(12,), (13,)})),
    _Family("Fedora", re.compile(r"^fedora"), frozenset({(43,), (44,)})),
    _Family("Oracle Linux", re.compile(r"^oracle"), frozenset({(8,), (9,), (10,)})),
    _Family(
        "Red Hat Enterprise Linux", re.compile(r"^(red hat|rhel)"), frozenset({(8,), (9,), (10,)})
    ),
    _Family("Rocky Linux", re.compile(r"^rocky"), frozenset({(8,), (9,), (10,)})),
    _Family(
        "SUSE Linux Enterprise Server", re.compile(r"^(sles|suse)"), frozenset({(15, 7), (16, 0)})
    ),
    _Family("Ubuntu", re.compile(r"^ubuntu"), ((18, 4), (26, 4))),
    _Family(
        "CentOS", re.compile(r"^centos"), frozenset(), successor="Rocky Linux, AlmaLinux or RHEL"
    ),
    _Family("Windows Server", re.compile(r"^(microsoft )?windows"), ((2016,), (2025,))),
    _Family("macOS", re.compile(r"^(mac ?os|darwin)"), None, agentless=False),
)

# Amazon Linux 2 leaves Inspector's support list on 2026-06-30 (docs/facts.md#supported-os).
_ENDS: dict[tuple[str, tuple[int, ...]], date] = {("Amazon Linux", (2,)): date(2026, 6, 30)}

# Windows Server releases by build number, for names without a year.
_WINDOWS_BUILDS = {14393: 2016, 17763: 2019, 20348: 2022, 26100: 2025}
# Versions with a major that ends in 1 or 2 components are compared on that many parts.
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
    if family.label == "SUSE Linux Enterprise Server":
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


def _supported(family: _Family, version: tuple[int, ...]) -> bool:
    if family.versions is None:
        return True
    if isinstance(family.versions, frozenset):
        return version in family.versions
    low, high = family.versions
    return low <= version <= high


def os_support(
    platform: str,
    os_name: str | None,
    os_version: str | None,
    *args: datetime,
    now: datetime | None = None,
) -> OsSupport:
    """Whether Inspector supports ``os_name``/``os_version`` on ``platform`` at ``now``.

    ``now`` is keyword-only, as in [`analyze`][inspector_kit.coverage.analyze]; passing it as
    the fourth positional argument still works, with a ``DeprecationWarning``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> os_support("linux", "Ubuntu", "22.04", now=now).supported
        True
        >>> s = os_support("linux", "Amazon Linux", "2", now=now)
        >>> s.supported, s.code
        (False, 'DISCONTINUED_OS')
        >>> os_support("macos", "macOS", "14.5", now=now).agentless
        False
        >>> os_support("linux", None, None, now=now).supported is None
        True
    """
    when = _positional_option("os_support", "now", args, now)
    if when is None:
        raise CoverageTypeError("os_support() needs now=: the time to judge support dates at")
    return _os_support(platform, os_name, os_version, when.date())


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
    platform: str, os_name: str | None, os_version: str | None, today: date
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
    version = _version_of(family, os_name, os_version)
    if version is None and family.versions is not None:
        return OsSupport(label=shown, supported=None, agentless=family.agentless)
    if version is not None and not _supported(family, version):
        successor = family.successor or f"a supported {family.label} release"
        return OsSupport(
            label=shown,
            supported=False,
            agentless=False,
            code="UNSUPPORTED_OS",
            message=f"{shown} is not a {family.label} release Inspector supports",
            fix=f"Upgrade to {successor} ({_SUPPORTED_URL})",
        )
    ends = _ENDS.get((family.label, version or ()))
    if ends is not None and today > ends:
        return OsSupport(
            label=shown,
            supported=False,
            agentless=False,
            code="DISCONTINUED_OS",
            message=f"Inspector support for {shown} ended on {ends.isoformat()}",
            fix=f"Upgrade to {family.successor or 'a supported release'} ({_SUPPORTED_URL})",
            ends=ends,
        )
    return OsSupport(label=shown, supported=True, agentless=family.agentless, ends=ends)
