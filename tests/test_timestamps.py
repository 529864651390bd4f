"""Every timestamp form of docs/facts.md#timestamps becomes an aware UTC datetime."""

from __future__ import annotations

import locale
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_kit.models import format_timestamp, parse_timestamp

from .service_model import timestamps

UTC = timezone.utc
T = datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # boto3 datetimes: aware (any zone), naive (taken as UTC)
        (datetime(2024, 9, 5, 1, 59, 44, 356000, tzinfo=timezone(timedelta(hours=9))), T),
        (datetime(2024, 9, 4, 16, 59, 44, 356000), T),
        # epoch: seconds (int, float, Decimal, numeric string) and milliseconds
        (1725469184.356, T),
        (Decimal("1725469184.356"), T),
        ("1725469184.356", T),
        (1725469184356, T),
        (1725469184, T.replace(microsecond=0)),
        # ISO 8601 / RFC 3339
        ("2024-09-04T16:59:44.356Z", T),
        ("2024-09-04t16:59:44.356z", T),
        ("2024-09-04T16:59:44.356000+00:00", T),
        ("2024-09-05T01:59:44.356+09:00", T),
        ("2024-09-05T01:59:44.356+0900", T),
        ("2024-09-04T09:59:44.356-07", T),
        ("2024-09-04 16:59:44.356", T),  # no zone: UTC
        ("2024-09-04T16:59:44.356123456Z", T.replace(microsecond=356123)),  # nanoseconds truncated
        ("2024-09-04T16:59Z", datetime(2024, 9, 4, 16, 59, tzinfo=UTC)),
        ("2024-09-04", datetime(2024, 9, 4, tzinfo=UTC)),
        (
            "2025-12-26 14:21:44.742000+01:00",
            datetime(2025, 12, 26, 13, 21, 44, 742000, tzinfo=UTC),
        ),
        # EventBridge (current) and the older console form
        ("Wed Sep 04 16:59:44.356 UTC 2024", T),
        ("Wed Sep 4 16:59:44 UTC 2024", T.replace(microsecond=0)),
        ("Dec 3, 2021, 6:02:30 PM", datetime(2021, 12, 3, 18, 2, 30, tzinfo=UTC)),
        ("Dec 3, 2021, 12:02:30 AM", datetime(2021, 12, 3, 0, 2, 30, tzinfo=UTC)),
        ("Dec 3, 2021, 12:02:30 PM", datetime(2021, 12, 3, 12, 2, 30, tzinfo=UTC)),
        (
            "Dec 3, 2021, 6:02:30\u202fPM",
            datetime(2021, 12, 3, 18, 2, 30, tzinfo=UTC),
        ),  # Java 20+ CLDR
        ("  2024-09-04T16:59:44.356Z\n", T),
        ("2024-09-04T16:59:44." + "3" * 100_000 + "Z", T.replace(microsecond=333333)),
    ],
)
def test_accepted_forms(value: object, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        "",
        "yesterday",
        "2024-13-01T00:00:00Z",
        "2024-02-30",
        "2024-09-04T25:00:00Z",
        "2024-09-04T10:00:00+25:00",
        "Xyz Sep 04 16:59:44 UTC 2024",
        "Wed Foo 04 16:59:44 UTC 2024",
        "Wed Sep 04 16:59:44 PST 2024",
        "Dec 3, 2021, 13:02:30 PM",
        "Dec 3, 2021, 0:02:30 AM",
        "1e999999999",
        True,
        None,
        [],
        {},
        float("nan"),
        float("inf"),
        10**20,
        -(10**400),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("-Infinity"),
        Decimal("1e999999999"),
        b"2024-09-04T16:59:44Z",
        bytearray(b"1725469184"),
        "9" * 100_000,
        "\x00",
        "\ud800",
        datetime.max.replace(tzinfo=timezone(timedelta(hours=-14))),  # past year 9999 in UTC
        datetime.min.replace(tzinfo=timezone(timedelta(hours=14))),  # before year 1 in UTC
        object(),
    ],
)
def test_rejected_forms_raise_timestamp_error(value: object) -> None:
    from inspector_kit.errors import InspectorKitError, TimestampError

    with pytest.raises(TimestampError) as info:
        parse_timestamp(value)
    assert isinstance(info.value, InspectorKitError) and isinstance(info.value, ValueError)
    assert str(info.value)  # says why


@pytest.mark.parametrize(
    "text",
    [
        "1" * 50_000 + "x",  # "\\d+\\.?\\d*" backtracked quadratically: 9 s for 20,000 digits
        "1" * 50_000 + ".x",
        "." + "1" * 50_000 + "ex",
        "2024-09-04T16:59:44." + "1" * 50_000 + "x",
        "Wed Sep 04 16:59:44." + "1" * 50_000 + " PST 2024",
        "Dec 3, 2021, 6:02:30" + " " * 50_000 + "x",
    ],
)
def test_long_bad_strings_are_rejected(text: str) -> None:
    # That it takes linear time (a backtracking pattern took 9 s for 20,000 digits) is
    # measured in benchmarks/bench_scaling.py, not asserted here.
    from inspector_kit.errors import TimestampError

    with pytest.raises(TimestampError):
        parse_timestamp(text)


class _BrokenZone(tzinfo):
    """A tzinfo whose offset cannot be computed (a broken third-party zone)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("zone database missing")

    def dst(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("zone database missing")

    def tzname(self, dt: datetime | None) -> str:
        return "broken"


def test_a_broken_time_zone_is_a_timestamp_error() -> None:
    from inspector_kit.errors import TimestampError

    with pytest.raises(TimestampError, match="zone database missing"):
        parse_timestamp(datetime(2024, 9, 4, tzinfo=_BrokenZone()))


def test_timestamp_error_is_the_one_in_the_error_tree() -> None:
    import inspector_kit.errors as errors
    import inspector_kit.models._time as time_module

    assert time_module.TimestampError is errors.TimestampError
    assert "TimestampError" in errors.__all__
    assert errors.TimestampError.__mro__[1:4] == (
        errors.InputError,
        errors.InspectorKitError,
        ValueError,
    )


def test_a_huge_exponent_is_a_timestamp_error() -> None:
    # found by test_parser_properties: Decimal() itself refused the exponent
    from inspector_kit.errors import TimestampError

    with pytest.raises(TimestampError, match="out of range"):
        parse_timestamp("9e999999999999999999999999999999999999999999946684800")


class _Tokyo(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=9)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


def test_as_utc_is_the_one_time_rule() -> None:
    from inspector_kit.errors import TimestampError
    from inspector_kit.models._time import as_utc

    tokyo = datetime(2024, 9, 5, 1, 59, 44, 356000, tzinfo=_Tokyo())
    naive = datetime(2024, 9, 4, 16, 59, 44, 356000)
    for policy in ("utc", "reject"):
        out = as_utc(tokyo, what="now", naive=policy)  # type: ignore[arg-type]
        assert out == T and out.tzinfo is UTC
        assert as_utc(T, what="now", naive=policy) is T  # type: ignore[arg-type]
    assert as_utc(naive, what="launchTime", naive="utc") == T
    with pytest.raises(
        TimestampError, match=r"^now: naive datetime 2024-09-04T16:59:44\.356"
    ) as info:
        as_utc(naive, what="now", naive="reject")
    assert info.value.value is naive
    with pytest.raises(TimestampError, match="until: expected a datetime, got str"):
        as_utc("2024-09-04", what="until", naive="reject")  # type: ignore[arg-type]
    with pytest.raises(TimestampError, match="zone database missing"):
        as_utc(datetime(2024, 9, 4, tzinfo=_BrokenZone()), what="now", naive="reject")
    with pytest.raises(TimestampError, match=r"^naive datetime 2024-09-04T16:59:44\.356000: pass"):
        as_utc(naive, what="", naive="reject")  # the caller names the field in its own error

    # a tzinfo whose utcoffset() is None makes the value naive, as Python defines it
    class _NoOffset(tzinfo):
        def utcoffset(self, dt: datetime | None) -> None:
            return None

    odd = datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=_NoOffset())
    assert as_utc(odd, what="t", naive="utc") == T
    with pytest.raises(TimestampError, match="naive"):
        as_utc(odd, what="t", naive="reject")


def test_month_names_do_not_depend_on_the_process_locale() -> None:
    try:
        previous = locale.setlocale(locale.LC_TIME)
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        previous = None  # locale not installed: strptime would be English anyway
    try:
        assert parse_timestamp("Wed Dec 04 16:59:44 UTC 2024").month == 12
        assert parse_timestamp("Mar 3, 2021, 6:02:30 PM").month == 3
    finally:
        if previous is not None:
            locale.setlocale(locale.LC_TIME, previous)


@given(timestamps())
def test_generated_forms_match_their_instant(pair: tuple[object, datetime]) -> None:
    value, expected = pair
    assert parse_timestamp(value) == expected


@given(st.datetimes(timezones=st.just(UTC)))
def test_format_round_trips_exactly(value: datetime) -> None:
    text = format_timestamp(value)
    assert text.endswith("Z")
    assert parse_timestamp(text) == value
    # And the stdlib agrees on what the string means.
    assert datetime.fromisoformat(text.replace("Z", "+00:00")) == value


@given(st.text(max_size=40))
def test_any_string_parses_or_raises_timestamp_error(text: str) -> None:
    from inspector_kit.errors import TimestampError

    try:
        result = parse_timestamp(text)
    except TimestampError:
        return
    assert result.tzinfo is UTC
