"""Timestamps in every form Inspector data arrives in, turned into aware UTC datetimes.

Forms accepted (docs/facts.md#timestamps):

* ``datetime`` objects, as boto3 returns them (naive ones are taken as UTC);
* epoch numbers (seconds; values of 10^11 and above are taken as milliseconds, since
  10^11 seconds is the year 5138), as ints, floats or numeric strings;
* ISO 8601 / RFC 3339 strings: ``2024-09-04T16:59:44.356Z``, ``...+09:00``, ``...+0900``,
  a space instead of ``T``, any number of fraction digits (nanoseconds are truncated to
  microseconds), no zone (taken as UTC), or a bare date (midnight UTC);
* EventBridge's ``Wed Sep 04 16:59:44.356 UTC 2024`` (the zone name must be UTC/GMT/Z);
* the older console/EventBridge ``Dec 3, 2021, 6:02:30 PM`` (no zone given; taken as UTC,
  which AWS does not document: **UNCONFIRMED**). The narrow no-break space that newer
  Java runtimes put before ``PM`` is accepted.

Month and day names are matched against fixed English tables, never the process locale.

The one normalised form is an aware ``datetime.datetime`` in UTC
(``tzinfo is datetime.timezone.utc``); [`format_timestamp`][inspector_kit.models.format_timestamp]
writes it as RFC 3339 with a ``Z`` suffix.

The time rule (one for the whole library): every converter that turns a ``datetime`` into
the normalised form goes through ``as_utc``, which says what a naive value means:

* a value **read** from AWS or from a data file, in a form that carries no zone (a naive
  ``datetime`` from botocore, an SSM inventory or DuckDB/Parquet ``timestamp`` without
  zone, the console's medium format), is UTC: AWS serialises timestamps as epoch seconds
  or RFC 3339 ``date-time`` in UTC (Smithy ``timestampFormat`` trait,
  https://smithy.io/2.0/spec/protocol-traits.html#timestampformat-trait, read 2026-12);
  ``naive="utc"``;
* a naive ``datetime`` **given by the caller** (``now=``, a filter bound, a calendar
  moment, a model field) is ambiguous and is rejected with a
  [`TimestampError`][inspector_kit.errors.TimestampError] naming the argument; ``naive="reject"``.
  Two released entry points, pinned by tests, keep taking a naive caller value as UTC:
  [`Finding.age`][inspector_kit.models.Finding.age] (``now``) and
  ``history.Snapshot(taken_at=...)``.

This module imports nothing from the package but [`inspector_kit.errors`][inspector_kit.errors].
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from inspector_kit.errors import TimestampError

__all__ = ["as_utc", "format_timestamp", "parse_timestamp"]

_UTC = timezone.utc
_MS_THRESHOLD = 10**11
_EPOCH_LIMIT = 10**15  # milliseconds well past the year 9999

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ISO = re.compile(
    r"""
    (?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})
    (?:
        [Tt\ ]
        (?P<hour>\d{2}):(?P<minute>\d{2})
        (?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?
        \s*
        (?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?
    )?
    """,
    re.VERBOSE,
)

# "Wed Sep 04 16:59:44.356 UTC 2024" (Java Date.toString-like, as EventBridge sends it)
_EVENTBRIDGE = re.compile(
    r"""
    (?P<dow>[A-Za-z]{3})\s+(?P<month>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+
    (?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?\s+
    (?P<zone>UTC|GMT|Z)\s+(?P<year>\d{4})
    """,
    re.VERBOSE,
)

# "Dec 3, 2021, 6:02:30 PM" (Java's medium date-time format, en_US)
_MEDIUM = re.compile(
    r"""
    (?P<month>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4}),?\s+
    (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[AaPp][Mm])
    """,
    re.VERBOSE,
)

# Unambiguous (each digit can belong to one group only), so a long run of digits with a
# bad character at the end is rejected in linear time: "\d+\.?\d*" took quadratic time.
_NUMERIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _micro(fraction: str | None) -> int:
    if not fraction:
        return 0
    return int((fraction + "000000")[:6])


def _from_epoch(value: float | Decimal) -> datetime:
    # The range check comes first: int(Decimal("1e999999")) would not finish.
    if not -_EPOCH_LIMIT <= value <= _EPOCH_LIMIT:
        raise TimestampError("epoch value out of range")
    millis = not -_MS_THRESHOLD < value < _MS_THRESHOLD
    try:
        if isinstance(value, Decimal):
            seconds = value / 1000 if millis else value
            whole = int(seconds)
            micros = int(((seconds - whole) * 1_000_000).to_integral_value())
            return datetime.fromtimestamp(whole, _UTC) + timedelta(microseconds=micros)
        return datetime.fromtimestamp(value / 1000 if millis else value, _UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise TimestampError(f"epoch value out of range: {exc}") from None


def _zone(zone: str | None) -> timezone:
    if zone is None or zone in ("Z", "z", "UTC", "GMT"):
        return _UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise TimestampError(f"bad UTC offset {zone!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int, tz: timezone
) -> datetime:
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz).astimezone(_UTC)
    except (ValueError, OverflowError) as exc:
        raise TimestampError(str(exc)) from None


def _month(name: str) -> int:
    try:
        return _MONTHS[name[:3].lower()]
    except KeyError:
        raise TimestampError(f"unknown month name {name!r}") from None


def _parse_string(text: str) -> datetime:
    # Normalise the exotic spaces Java's CLDR formats use (U+202F, U+00A0).
    text = text.replace("\u202f", " ").replace("\u00a0", " ").strip()
    if not text:
        raise TimestampError("empty string")

    if _NUMERIC.fullmatch(text):
        try:
            number = Decimal(text)
        except InvalidOperation:  # an exponent past the decimal context's limits: "9e99999..."
            raise TimestampError("epoch value out of range") from None
        return _from_epoch(number)

    m = _ISO.fullmatch(text)
    if m:
        return _build(
            int(m["year"]),
            int(m["month"]),
            int(m["day"]),
            int(m["hour"] or 0),
            int(m["minute"] or 0),
            int(m["second"] or 0),
            _micro(m["fraction"]),
            _zone(m["zone"]),
        )

    m = _EVENTBRIDGE.fullmatch(text)
    if m:
        if m["dow"].lower() not in _DAYS:
            raise TimestampError(f"unknown day name {m['dow']!r}")
        return _build(
            int(m["year"]),
            _month(m["month"]),
            int(m["day"]),
            int(m["hour"]),
            int(m["minute"]),
            int(m["second"]),
            _micro(m["fraction"]),
            _UTC,
        )

    m = _MEDIUM.fullmatch(text)
    if m:
        hour = int(m["hour"])
        if not 1 <= hour <= 12:
            raise TimestampError(f"hour {hour} is not a 12-hour clock hour")
        hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
        return _build(
            int(m["year"]),
            _month(m["month"]),
            int(m["day"]),
            hour,
            int(m["minute"]),
            int(m["second"] or 0),
            0,
            _UTC,
        )

    raise TimestampError("not a timestamp in any known format")


def parse_timestamp(value: Any) -> datetime:
    """Turn any timestamp form Inspector data arrives in into an aware UTC datetime.

    Raises:
        TimestampError: the value is not a timestamp in any accepted form (the message
            says why), whatever its type; a ``ValueError`` and an ``InspectorKitError``.

    Examples:
        >>> parse_timestamp("Wed Sep 04 16:59:44.356 UTC 2024")
        datetime.datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=datetime.timezone.utc)
        >>> parse_timestamp("Dec 3, 2021, 6:02:30 PM")
        datetime.datetime(2021, 12, 3, 18, 2, 30, tzinfo=datetime.timezone.utc)
        >>> parse_timestamp(1725468784.356) == parse_timestamp("2024-09-04T16:53:04.356Z")
        True
        >>> parse_timestamp("yesterday")
        Traceback (most recent call last):
        ...
        inspector_kit.errors.TimestampError: not a timestamp in any known format
    """
    try:
        return _parse(value)
    except TimestampError as exc:
        exc.value = value
        raise


def as_utc(value: datetime, *, what: str, naive: Literal["utc", "reject"]) -> datetime:
    """The one time rule: ``value`` as an aware UTC datetime, saying what naive means.

    An aware value (any zone) is converted to UTC (``tzinfo is timezone.utc``). A naive
    one (no ``tzinfo``, or one whose ``utcoffset()`` is ``None``) is:

    * ``naive="utc"``: taken as UTC. For values *read* from AWS or a data file in a form
      that carries no zone: AWS serialises timestamps in UTC (epoch seconds or RFC 3339
      ``date-time``; Smithy ``timestampFormat`` trait).
    * ``naive="reject"``: refused. For values the *caller* gives (``now``, a filter bound):
      a naive datetime is ambiguous (local time? UTC?), so the caller must say.

    Args:
        value: The datetime.
        what: What the value is, as the caller knows it (``"now"``, ``"taken_at"``,
            ``"startInclusive"``); the error message starts with it. ``""`` leaves it out,
            for a caller that re-raises with its own error naming the field.
        naive: What a naive value means (see above).

    Raises:
        TimestampError: ``value`` is not a datetime, is naive with ``naive="reject"``, or
            its zone cannot convert it (a broken ``tzinfo``, a result out of range).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> as_utc(datetime(2026, 12, 4, 18, tzinfo=timezone(timedelta(hours=9))),
        ...        what="now", naive="reject")
        datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.timezone.utc)
        >>> as_utc(datetime(2026, 12, 4, 9), what="launchTime", naive="utc")
        datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.timezone.utc)
        >>> as_utc(datetime(2026, 12, 4, 9), what="now", naive="reject")
        Traceback (most recent call last):
        ...
        inspector_kit.errors.TimestampError: now: naive datetime 2026-12-04T09:00:00: pass tzinfo (e.g. tzinfo=timezone.utc)
    """  # noqa: E501
    where = f"{what}: " if what else ""
    if not isinstance(value, datetime):
        raise TimestampError(f"{where}expected a datetime, got {type(value).__name__}", value)
    tzinfo = value.tzinfo
    if tzinfo is _UTC:
        return value
    try:
        if tzinfo is None or value.utcoffset() is None:
            if naive == "reject":
                raise TimestampError(
                    f"{where}naive datetime {value.isoformat()}: "
                    "pass tzinfo (e.g. tzinfo=timezone.utc)",
                    value,
                )
            return value.replace(tzinfo=_UTC)
        return value.astimezone(_UTC)
    except TimestampError:
        raise
    except Exception as exc:  # a tzinfo whose methods fail, or a result past year 9999
        raise TimestampError(f"cannot convert to UTC: {exc}", value) from None


_fromisoformat = datetime.fromisoformat

# Text -> parsed instant, for the timestamps that repeat across findings (scan times, the
# vendor's dates of a CVE, an instance's launch time). datetimes are immutable, so sharing
# one is safe; the table is bounded (cleared when full).
_ISO_SEEN: dict[str, datetime] = {}
_ISO_SEEN_MAX = 4096


def _fast_iso(text: str) -> datetime | None:
    """The common RFC 3339 forms, parsed in C; ``None`` for anything else.

    Takes ``YYYY-MM-DDTHH:MM:SS``, an optional ``.`` or ``,`` fraction of any number of
    digits (truncated to microseconds, as the full parser does) and ``Z`` or ``+HH:MM``/
    ``-HH:MM``: the forms AWS and this library write. Every other string (and every
    value these checks let through that ``datetime.fromisoformat`` refuses) returns
    ``None``, so the caller falls back to the full parser, which gives the same value or
    the error message. tests/test_decode_fast.py compares both paths.
    """
    seen = _ISO_SEEN.get(text)
    if seen is not None:
        return seen
    parsed = _parse_iso(text)
    if parsed is not None:
        if len(_ISO_SEEN) >= _ISO_SEEN_MAX:
            _ISO_SEEN.clear()
        _ISO_SEEN[text] = parsed
    return parsed


def _parse_iso(text: str) -> datetime | None:
    size = len(text)
    if (
        size < 20
        or text[10] != "T"
        or text[4] != "-"
        or text[7] != "-"
        or text[13] != ":"
        or text[16] != ":"
        or not text.isascii()
    ):
        return None
    if text[-1] == "Z":
        end = size - 1
        zone = None
    elif size >= 25 and text[-3] == ":" and text[-6] in "+-":
        end = size - 6
        zone = text[end:]
        if not (zone[1:3] + zone[4:]).isdigit():
            return None
    else:
        return None
    if end != 19 and (end < 21 or text[19] not in ".," or not text[20:end].isdigit()):
        return None
    try:
        naive = _fromisoformat(text[:end])
        if naive.tzinfo is not None:  # pragma: no cover - the checks above leave no zone
            return None
        if zone is None:
            return naive.replace(tzinfo=_UTC)
        return naive.replace(tzinfo=_zone(zone)).astimezone(_UTC)
    except (ValueError, OverflowError):
        return None  # the full parser says why


def _parse(value: Any) -> datetime:
    if type(value) is str:
        fast = _fast_iso(value)
        return fast if fast is not None else _parse_string(value)
    if isinstance(value, datetime):
        # boto3's datetimes and datetimes in data files: a naive one is UTC.
        return as_utc(value, what="timestamp", naive="utc")
    if isinstance(value, bool):
        raise TimestampError("a boolean is not a timestamp")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite():
            raise TimestampError(f"{value} is not a timestamp")
        return _from_epoch(value)
    if isinstance(value, str):
        return _parse_string(value)
    raise TimestampError(f"expected a timestamp, got {type(value).__name__}")


def format_timestamp(value: datetime) -> str:
    """Write an aware datetime as RFC 3339 in UTC with a ``Z`` suffix.

    Microseconds are written only when present, so every value round-trips exactly.

    Examples:
        >>> from datetime import datetime, timezone
        >>> format_timestamp(datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=timezone.utc))
        '2024-09-04T16:59:44.356000Z'
    """
    return value.astimezone(_UTC).replace(tzinfo=None).isoformat() + "Z"
