"""BusinessCalendar against hand-written official dates.

Truths: the Cabinet Office's list of Japanese national holidays (内閣府「国民の祝日について」)
and OPM's federal holidays (opm.gov, "Federal Holidays") for 2025-2027; never the
``holidays`` package's own output.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import holidays
import pytest

from inspector_kit.triage import BusinessCalendar

D = date

# Cabinet Office, 令和8年 (2026), every national holiday including weekend ones.
JP_2026 = {
    D(2026, 1, 1),  # 元日
    D(2026, 1, 12),  # 成人の日
    D(2026, 2, 11),  # 建国記念の日
    D(2026, 2, 23),  # 天皇誕生日
    D(2026, 3, 20),  # 春分の日
    D(2026, 4, 29),  # 昭和の日
    D(2026, 5, 3),  # 憲法記念日 (Sun)
    D(2026, 5, 4),  # みどりの日
    D(2026, 5, 5),  # こどもの日
    D(2026, 5, 6),  # 休日 (substitute for May 3)
    D(2026, 7, 20),  # 海の日
    D(2026, 8, 11),  # 山の日
    D(2026, 9, 21),  # 敬老の日
    D(2026, 9, 22),  # 休日 (citizens' holiday, between two holidays)
    D(2026, 9, 23),  # 秋分の日
    D(2026, 10, 12),  # スポーツの日
    D(2026, 11, 3),  # 文化の日
    D(2026, 11, 23),  # 勤労感謝の日
}

# OPM, days federal employees have off (observed dates).
US_2025 = {
    D(2025, 1, 1),
    D(2025, 1, 20),  # MLK Day (Inauguration Day too, for the DC area only)
    D(2025, 2, 17),
    D(2025, 5, 26),
    D(2025, 6, 19),
    D(2025, 7, 4),
    D(2025, 9, 1),
    D(2025, 10, 13),
    D(2025, 11, 11),
    D(2025, 11, 27),
    D(2025, 12, 25),
}
US_2026 = {
    D(2026, 1, 1),
    D(2026, 1, 19),
    D(2026, 2, 16),
    D(2026, 5, 25),
    D(2026, 6, 19),
    D(2026, 7, 3),  # Independence Day observed: July 4 is a Saturday
    D(2026, 9, 7),
    D(2026, 10, 12),
    D(2026, 11, 11),
    D(2026, 11, 26),
    D(2026, 12, 25),
}
US_2027 = {
    D(2027, 1, 1),
    D(2027, 1, 18),
    D(2027, 2, 15),
    D(2027, 5, 31),
    D(2027, 6, 18),  # Juneteenth observed: June 19 is a Saturday
    D(2027, 7, 5),  # Independence Day observed: July 4 is a Sunday
    D(2027, 9, 6),
    D(2027, 10, 11),
    D(2027, 11, 11),
    D(2027, 11, 25),
    D(2027, 12, 24),  # Christmas observed: December 25 is a Saturday
    D(2027, 12, 31),  # New Year's Day 2028 observed: January 1, 2028 is a Saturday
}


@pytest.fixture(scope="module")
def jp() -> BusinessCalendar:
    return BusinessCalendar("JP", timezone="Asia/Tokyo")


@pytest.fixture(scope="module")
def us() -> BusinessCalendar:
    return BusinessCalendar("US", timezone="America/New_York")


def _weekday_holidays(cal: BusinessCalendar, year: int) -> set[date]:
    return {d for d in cal.holidays_in(year) if d.weekday() < 5}


# Japan


def test_jp_2026_matches_cabinet_office(jp: BusinessCalendar) -> None:
    assert set(jp.holidays_in(2026)) == JP_2026


def test_jp_golden_week_2026(jp: BusinessCalendar) -> None:
    assert jp.holiday_name(D(2026, 4, 29)) == "Showa Day"
    assert jp.holiday_name(D(2026, 5, 3)) == "Constitution Day"
    assert jp.holiday_name(D(2026, 5, 4)) == "Greenery Day"
    assert jp.holiday_name(D(2026, 5, 5)) == "Children's Day"
    assert jp.holiday_name(D(2026, 5, 6)) == "Substitute Holiday"
    assert [jp.is_business_day(D(2026, 5, d)) for d in range(1, 8)] == [
        True,  # Fri
        False,  # Sat
        False,  # Sun, Constitution Day
        False,
        False,
        False,  # substitute holiday
        True,  # Thu
    ]
    assert jp.next_business_day(D(2026, 5, 1)) == D(2026, 5, 7)
    assert jp.business_days_between(D(2026, 4, 28), D(2026, 5, 7)) == 3  # Apr 30, May 1, May 7


def test_jp_substitute_holiday_2025_11_24(jp: BusinessCalendar) -> None:
    assert jp.holiday_name(D(2025, 11, 23)) == "Labor Thanksgiving Day"  # Sunday
    assert jp.holiday_name(D(2025, 11, 24)) == "Substitute Holiday"
    assert jp.next_business_day(D(2025, 11, 21)) == D(2025, 11, 25)


def test_jp_citizens_holiday_september_2026(jp: BusinessCalendar) -> None:
    assert jp.holiday_name(D(2026, 9, 21)) == "Respect for the Aged Day"
    assert jp.is_holiday(D(2026, 9, 22))  # 国民の休日, sandwiched between two holidays
    assert jp.holiday_name(D(2026, 9, 23)) == "Autumnal Equinox Day"
    assert jp.next_business_day(D(2026, 9, 18)) == D(2026, 9, 24)


def test_jp_year_end_is_not_a_national_holiday(jp: BusinessCalendar) -> None:
    for day in (D(2025, 12, 31), D(2026, 1, 2), D(2026, 12, 31)):
        assert jp.holiday_name(day) is None
        assert jp.is_business_day(day)
    assert not jp.is_holiday(D(2026, 1, 3))  # a Saturday, so not a business day either
    assert not jp.is_business_day(D(2026, 1, 3))


def test_jp_extra_holidays_for_year_end() -> None:
    closure: list[date | tuple[date, str]] = [
        (D(2025, 12, 31), "Year-end closure"),
        D(2026, 1, 2),
        D(2026, 1, 3),
    ]
    cal = BusinessCalendar("JP", timezone="Asia/Tokyo", extra_holidays=closure)
    assert cal.holiday_name(D(2025, 12, 31)) == "Year-end closure"
    assert cal.holiday_name(D(2026, 1, 2)) == "Extra holiday"
    assert cal.is_holiday(D(2026, 1, 3))
    assert not cal.is_business_day(D(2026, 1, 2))
    assert cal.next_business_day(D(2025, 12, 30)) == D(2026, 1, 5)
    assert cal.holidays_in(2026)[D(2026, 1, 2)] == "Extra holiday"
    assert D(2025, 12, 31) in cal.holidays_in(2025)
    assert D(2025, 12, 31) not in cal.holidays_in(2026)


def test_extra_holiday_on_a_public_holiday_keeps_the_public_name() -> None:
    cal = BusinessCalendar("JP", extra_holidays=[(D(2026, 1, 1), "Closed")])
    assert cal.holiday_name(D(2026, 1, 1)) == "New Year's Day"


def test_jp_first_business_day_of_january_2026(jp: BusinessCalendar) -> None:
    # Jan 1 (Thu) is New Year's Day; Jan 2 (Fri) is no national holiday: a business day.
    assert jp.nth_business_day(2026, 1, 1) == D(2026, 1, 2)
    assert jp.nth_business_day(2026, 1, 2) == D(2026, 1, 5)
    assert jp.nth_business_day(2026, 1, 20) == D(2026, 1, 30)  # Jan 12 is Coming of Age Day
    closed = BusinessCalendar("JP", extra_holidays=[D(2026, 1, 2)])
    assert closed.nth_business_day(2026, 1, 1) == D(2026, 1, 5)
    with pytest.raises(ValueError, match=r"2026-01 has 20 business days in JP, not 30"):
        jp.nth_business_day(2026, 1, 30)
    with pytest.raises(ValueError, match="n must be >= 1"):
        jp.nth_business_day(2026, 1, 0)


# United States


@pytest.mark.parametrize(("year", "expected"), [(2025, US_2025), (2026, US_2026), (2027, US_2027)])
def test_us_weekday_holidays_match_opm(
    us: BusinessCalendar, year: int, expected: set[date]
) -> None:
    assert _weekday_holidays(us, year) == expected
    assert not any(us.is_business_day(d) for d in expected)


def test_us_observed_days(us: BusinessCalendar) -> None:
    assert us.holiday_name(D(2026, 7, 3)) == "Independence Day (observed)"
    assert us.holiday_name(D(2026, 11, 26)) == "Thanksgiving Day"
    assert us.holiday_name(D(2027, 12, 24)) == "Christmas Day (observed)"
    assert us.holiday_name(D(2027, 12, 31)) == "New Year's Day (observed)"
    assert us.holiday_name(D(2021, 12, 31)) == "New Year's Day (observed)"
    assert us.next_business_day(D(2027, 12, 23)) == D(2027, 12, 27)
    assert us.next_business_day(D(2027, 12, 30)) == D(2028, 1, 3)
    assert us.business_days_between(D(2027, 12, 23), D(2028, 1, 3)) == 5  # 27-30, Jan 3


def test_us_subdivision() -> None:
    ca = BusinessCalendar("us", "CA")
    assert ca.country == "US"
    assert ca.subdivision == "CA"
    assert ca.is_holiday(D(2026, 3, 31))  # Cesar Chavez Day, a California state holiday
    assert not BusinessCalendar("US").is_holiday(D(2026, 3, 31))


# Leap days


@pytest.mark.parametrize("country", ["JP", "US"])
def test_leap_day_2028(country: str) -> None:
    cal = BusinessCalendar(country)
    leap = D(2028, 2, 29)
    assert leap.weekday() == 1
    assert cal.is_business_day(leap)
    assert cal.add_business_days(D(2028, 2, 25), 2) == leap  # Fri + 2 -> Mon 28, Tue 29
    assert cal.add_business_days(D(2028, 2, 28), 2) == D(2028, 3, 1)
    assert cal.next_business_day(D(2028, 2, 28)) == leap
    assert cal.business_days_between(D(2028, 2, 27), D(2028, 3, 1)) == 3


# Time zones


def test_local_date_crosses_midnight_in_tokyo(jp: BusinessCalendar) -> None:
    moment = datetime(2026, 11, 19, 23, 30, tzinfo=timezone.utc)
    assert jp.local_date(moment) == D(2026, 11, 20)
    assert BusinessCalendar("JP").local_date(moment) == D(2026, 11, 19)


def test_same_moment_before_golden_week(jp: BusinessCalendar, us: BusinessCalendar) -> None:
    moment = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)  # Fri 19:00 Tokyo, 06:00 NY
    assert jp.local_date(moment) == D(2026, 5, 1)
    assert us.local_date(moment) == D(2026, 5, 1)
    assert jp.next_business_day(jp.local_date(moment)) == D(2026, 5, 7)
    assert us.next_business_day(us.local_date(moment)) == D(2026, 5, 4)
    assert jp.add_business_days(moment, 1) == D(2026, 5, 7)
    assert us.add_business_days(moment, 1) == D(2026, 5, 4)
    assert jp.add_business_days(moment, 0) == D(2026, 5, 1)


def test_add_business_days_zero_moves_to_a_business_day(jp: BusinessCalendar) -> None:
    late = datetime(2026, 5, 1, 16, 0, tzinfo=timezone.utc)  # already Sat 01:00 in Tokyo
    assert jp.add_business_days(late, 0) == D(2026, 5, 7)
    assert jp.add_business_days(D(2026, 5, 7), 0) == D(2026, 5, 7)
    assert jp.add_business_days(D(2026, 5, 7), 3) == D(2026, 5, 12)


def test_tzinfo_object_is_accepted() -> None:
    tokyo = timezone(timedelta(hours=9))
    cal = BusinessCalendar("JP", timezone=tokyo)
    assert cal.timezone is tokyo
    assert cal.local_date(datetime(2026, 11, 19, 23, 30, tzinfo=timezone.utc)) == D(2026, 11, 20)


# Weekend override


def test_friday_saturday_weekend() -> None:
    cal = BusinessCalendar("US", weekend=(4, 5))
    assert cal.weekend == frozenset({4, 5})
    assert not cal.is_business_day(D(2026, 6, 5))  # Friday
    assert cal.is_business_day(D(2026, 6, 7))  # Sunday
    assert cal.next_business_day(D(2026, 6, 4)) == D(2026, 6, 7)
    assert cal.business_days_between(D(2026, 6, 1), D(2026, 6, 8)) == 5  # Tue-Thu, Sun, Mon


def test_business_days_between_signs(jp: BusinessCalendar) -> None:
    assert jp.business_days_between(D(2026, 5, 7), D(2026, 5, 7)) == 0
    assert jp.business_days_between(D(2026, 5, 1), D(2026, 5, 7)) == 1
    assert jp.business_days_between(D(2026, 5, 7), D(2026, 5, 1)) == -1


# Value semantics and caching


def test_hashable_equal_and_immutable() -> None:
    a = BusinessCalendar("JP", timezone="Asia/Tokyo", extra_holidays=[D(2026, 1, 2)])
    b = BusinessCalendar(
        "jp", timezone="Asia/Tokyo", extra_holidays=[(D(2026, 1, 2), "Extra holiday")]
    )
    assert a == b
    assert len({a, b}) == 1
    assert a != BusinessCalendar("JP", timezone="Asia/Tokyo")
    with pytest.raises(AttributeError, match="immutable"):
        a.country = "US"
    a.holidays_in(2026)[D(2026, 7, 7)] = "Tanabata"
    assert not a.is_holiday(D(2026, 7, 7))


def test_holiday_lookups_are_cached_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    cal = BusinessCalendar("JP")
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> holidays.HolidayBase:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    cal.business_days_between(D(2026, 1, 1), D(2027, 12, 31))
    cal.nth_business_day(2026, 5, 3)
    assert calls == [2026, 2027]


# Bad inputs


def test_unknown_country_and_subdivision() -> None:
    with pytest.raises(ValueError, match=r"unknown country.*'XX'.*list_supported_countries"):
        BusinessCalendar("XX")
    with pytest.raises(ValueError, match=r"unknown subdivision 'ZZ' of US"):
        BusinessCalendar("US", "ZZ")


def test_unknown_timezone() -> None:
    with pytest.raises(ValueError, match=r"unknown time zone 'Mars/Olympus_Mons'"):
        BusinessCalendar("JP", timezone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="unknown time zone"):
        BusinessCalendar("JP", timezone="../etc/passwd")


@pytest.mark.parametrize("weekend", [(7,), (-1, 6), (True,)])
def test_weekend_out_of_range(weekend: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"weekend days must be weekday numbers 0\.\.6"):
        BusinessCalendar("JP", weekend=weekend)


def test_weekend_cannot_be_every_day() -> None:
    with pytest.raises(ValueError, match="every day of the week"):
        BusinessCalendar("JP", weekend=range(7))


def test_negative_n(jp: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="n must be >= 0, got -1"):
        jp.add_business_days(D(2026, 5, 1), -1)


def test_naive_datetime_is_rejected(jp: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        jp.local_date(datetime(2026, 5, 1, 10))
    with pytest.raises(ValueError, match="naive datetime"):
        jp.add_business_days(datetime(2026, 5, 1, 10), 1)


def test_datetime_where_a_date_is_expected(jp: BusinessCalendar) -> None:
    with pytest.raises(TypeError, match="local_date"):
        jp.is_business_day(datetime(2026, 5, 1, 10, tzinfo=timezone.utc))
    with pytest.raises(TypeError, match="extra_holidays takes dates"):
        BusinessCalendar("JP", extra_holidays=["2026-01-02"])  # type: ignore[list-item]


# Hostile inputs (issue 14): only CalendarError (an InspectorKitError and a ValueError), fast.


def test_calendar_errors_are_inspector_kit_errors() -> None:
    from inspector_kit.errors import InspectorKitError
    from inspector_kit.triage import CalendarError

    assert issubclass(CalendarError, InspectorKitError) and issubclass(CalendarError, ValueError)
    with pytest.raises(CalendarError, match=r"unknown country 'XX'"):
        BusinessCalendar("XX")
    with pytest.raises(CalendarError, match=r"unknown subdivision 'ZZ' of US"):
        BusinessCalendar("US", "ZZ")
    with pytest.raises(CalendarError, match=r"country must be a string such as 'JP', got 123"):
        BusinessCalendar(123)  # type: ignore[arg-type]
    with pytest.raises(CalendarError) as info:
        BusinessCalendar("J\x1bP")
    assert "\x1b" not in str(info.value)
    with pytest.raises(CalendarError, match="unknown time zone"):
        BusinessCalendar("JP", timezone="a" * 5000)
    with pytest.raises(TypeError, match=r"extra_holidays takes dates or \(date, name\) pairs"):
        BusinessCalendar("JP", extra_holidays=[(D(2026, 1, 2),)])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.next_business_day(date.max), "past 9999-12-31"),
        (lambda c: c.add_business_days(D(9999, 12, 20), 30), "past 9999-12-31"),
        (lambda c: c.add_business_days(D(2026, 1, 1), 10**12), "past 9999-12-31"),
        (lambda c: c.nth_business_day(10000, 1, 1), "year 10000 is out of range"),
        (lambda c: c.nth_business_day(2026, 13, 1), "month must be in 1..12"),
        (
            lambda c: BusinessCalendar("US", timezone="America/New_York").local_date(
                datetime(1, 1, 1, tzinfo=timezone.utc)
            ),
            "before 0001-01-01 in America/New_York",
        ),
    ],
)
def test_dates_past_the_calendar_are_calendar_errors(call: Any, message: str) -> None:
    from inspector_kit.triage import CalendarError

    with pytest.raises(CalendarError, match=message):
        call(BusinessCalendar("JP"))


def _counting_days(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """Record every day the calendar looks at one by one."""
    seen: list[date] = []
    real = BusinessCalendar.is_business_day

    def counting(self: BusinessCalendar, day: date) -> bool:
        seen.append(day)
        return real(self, day)

    monkeypatch.setattr(BusinessCalendar, "is_business_day", counting)
    return seen


def test_business_days_between_counts_millennia_without_walking_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cal = BusinessCalendar("JP", extra_holidays=[D(2026, 12, 29), D(2026, 12, 26)])
    # Against a day-by-day count (the independent truth) over a few years, both ways.
    for a, b in ((D(2024, 12, 27), D(2028, 1, 3)), (D(2026, 12, 25), D(2026, 12, 31))):
        brute = sum(cal.is_business_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
        assert cal.business_days_between(a, b) == brute
        assert cal.business_days_between(b, a) == -brute
    walked = _counting_days(monkeypatch)
    everything = cal.business_days_between(date.min, date.max)
    assert walked == []  # counted per week and per year, not day by day (3.6 million days)
    assert 0 < everything < (date.max - date.min).days


def test_add_business_days_far_ahead_counts_instead_of_walking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cal = BusinessCalendar("US", extra_holidays=[D(2030, 3, 4)])
    # The day-by-day walk agrees where it is cheap to run.
    day = D(2029, 12, 31)
    for _ in range(700):
        day = cal.next_business_day(day)
    assert cal.add_business_days(D(2029, 12, 31), 700) == day
    walked = _counting_days(monkeypatch)
    far = cal.add_business_days(D(2026, 1, 1), 1_500_000)
    assert walked == []
    assert cal.is_business_day(far)
    assert cal.business_days_between(D(2026, 1, 1), far) == 1_500_000
    assert cal.business_days_between(D(2026, 1, 1), far - timedelta(days=1)) == 1_499_999


def test_calendar_errors_live_in_the_error_module() -> None:
    from inspector_kit import errors, triage

    assert triage.CalendarError is errors.CalendarError
    assert issubclass(errors.CalendarError, errors.TriageError)
    with pytest.raises(errors.TriageTypeError, match="local_date"):
        BusinessCalendar("JP").is_business_day(datetime(2026, 5, 1, tzinfo=timezone.utc))
    with pytest.raises(errors.TriageTypeError, match="timezone must be an IANA name"):
        BusinessCalendar("JP", timezone=9)  # type: ignore[arg-type]
