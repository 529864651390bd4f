"""Business days per country: public holidays from the ``holidays`` package, plus your own.

Holidays include observed and substitute days (Japan's 振替休日 and 国民の休日, the US
federal "(observed)" days). Names are in English where ``holidays`` has an English
translation, otherwise in the country's own language, never in the machine's locale.

Bad input raises [`CalendarError`][inspector_kit.triage.CalendarError] (a ``ValueError``): an
unknown country, subdivision or time zone, or a date the calendar cannot reach (before
0001-01-01 or after 9999-12-31, Python's ``date`` range). Counting is arithmetic per week
and per year, so even a count over millennia takes well under a second.
"""

from __future__ import annotations

import datetime
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inspector_kit.errors import CalendarError, TimestampError, TriageTypeError
from inspector_kit.models._time import as_utc

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

__all__ = ["BusinessCalendar"]


def _holidays() -> ModuleType:
    """The ``holidays`` package, imported on first use.

    Importing it costs about 30 ms; a Lambda handler that routes an event it drops (a
    CLOSED finding) never builds a calendar's holidays, so ``import inspector_kit.triage``
    does not pay for it (issue 18, item 3: cold starts).
    """
    import holidays

    return holidays


_NAME_LANGUAGE = "en_US"
_EXTRA_NAME = "Extra holiday"
_FIND_CODES = (
    "valid codes: holidays.list_supported_countries() (ISO 3166-1 alpha-2 country -> "
    "ISO 3166-2 subdivisions)"
)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _past_the_end(day: date, n: int = 1) -> CalendarError:
    what = "the next business day" if n == 1 else f"{n} business days"
    return CalendarError(
        f"{what} after {day.isoformat()} would fall past 9999-12-31, "
        "the last date Python can represent"
    )


def _weekdays_in(first: date, days: int, weekend: frozenset[int]) -> int:
    """The number of days in ``first .. first + days - 1`` that are not weekend days."""
    weeks, rest = divmod(days, 7)
    count = weeks * (7 - len(weekend))
    start = first.weekday()
    return count + sum((start + i) % 7 not in weekend for i in range(rest))


#: Up to this many business days, add_business_days walks day by day; beyond, it counts.
_WALK = 64


def _reject_datetime(day: date) -> None:
    if isinstance(day, datetime.datetime):
        raise TriageTypeError(
            f"expected a date, got the datetime {day.isoformat()}: "
            "pass BusinessCalendar.local_date(moment)"
        )


class BusinessCalendar:
    """Business days for one country (and subdivision) in one time zone.

    A day is a business day unless it falls on a ``weekend`` day (``date.weekday()``
    numbers, Monday = 0; Saturday and Sunday by default) or is a holiday: a public holiday
    of ``country``/``subdivision`` in the ``holidays`` package, observed and substitute days
    included, or one of ``extra_holidays`` (a ``date``, or a ``(date, name)`` pair). Where
    an extra holiday is also a public holiday, the public holiday's name is kept.

    Instances are immutable, hashable and compare equal when built from the same inputs;
    holiday lookups are computed once per year and cached.

    Args:
        country: ISO 3166-1 alpha-2 code, e.g. ``"JP"`` (case-insensitive).
        subdivision: ISO 3166-2 subdivision code, e.g. ``"CA"`` for California.
        timezone: IANA name or a ``tzinfo``;
            [`local_date`][inspector_kit.triage.BusinessCalendar.local_date] converts moments to it.
        extra_holidays: your own non-working days, e.g. a company's year-end closure.
        weekend: the weekday numbers that are never business days.

    Raises:
        CalendarError: unknown country, subdivision or time zone; a weekend day outside
            0..6, or every day of the week a weekend day. (An extra holiday that is not a
            date or a ``(date, name)`` pair is a
            [`TriageTypeError`][inspector_kit.errors.TriageTypeError], a ``TypeError``.)

    Examples:
        >>> from datetime import date
        >>> jp = BusinessCalendar("JP", timezone="Asia/Tokyo")
        >>> jp.holiday_name(date(2026, 5, 6))
        'Substitute Holiday'
        >>> jp.next_business_day(date(2026, 5, 1))
        datetime.date(2026, 5, 7)
        >>> closure = [(date(2026, 12, 24), "Company closure")]
        >>> BusinessCalendar("US", extra_holidays=closure).holiday_name(date(2026, 12, 24))
        'Company closure'
    """

    __slots__ = (
        "_by_year",
        "_extra",
        "_language",
        "_off_by_year",
        "_years",
        "country",
        "subdivision",
        "timezone",
        "weekend",
    )

    country: str
    subdivision: str | None
    timezone: datetime.tzinfo
    weekend: frozenset[int]
    _extra: dict[date, str]
    _by_year: dict[int, dict[date, str]]
    _off_by_year: dict[int, int]
    _language: str | None
    _years: range

    def __init__(
        self,
        country: str,
        subdivision: str | None = None,
        *,
        timezone: str | datetime.tzinfo = "UTC",
        extra_holidays: Iterable[date | tuple[date, str]] = (),
        weekend: Iterable[int] = (5, 6),
    ) -> None:
        if not isinstance(country, str):
            raise CalendarError(f"country must be a string such as 'JP', got {_short(country)}")
        if subdivision is not None and not isinstance(subdivision, str):
            raise CalendarError(
                f"subdivision must be a string such as 'CA' or None, got {_short(subdivision)}"
            )
        country = country.upper()
        holidays = _holidays()
        try:
            probe = holidays.country_holidays(country, subdiv=subdivision)
        except NotImplementedError:
            try:  # which of the two is unknown?
                holidays.country_holidays(country)
            except NotImplementedError:
                raise CalendarError(f"unknown country {_short(country)}; {_FIND_CODES}") from None
            raise CalendarError(
                f"unknown subdivision {_short(subdivision)} of {country}; {_FIND_CODES}"
            ) from None

        if isinstance(timezone, str):
            try:
                tz: datetime.tzinfo = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                raise CalendarError(
                    f"unknown time zone {_short(timezone)}: use an IANA name such as "
                    "'Asia/Tokyo' (zoneinfo.available_timezones() lists them)"
                ) from None
        elif isinstance(timezone, datetime.tzinfo):
            tz = timezone
        else:
            raise TriageTypeError(f"timezone must be an IANA name or a tzinfo, got {timezone!r}")

        days = frozenset(weekend)
        bad = sorted(_short(d) for d in days if isinstance(d, bool) or d not in range(7))
        if bad:
            raise CalendarError(
                f"weekend days must be weekday numbers 0..6 (Monday = 0), got {', '.join(bad)}"
            )
        if len(days) == 7:
            raise CalendarError("weekend cannot be every day of the week: no business day is left")

        extra: dict[date, str] = {}
        for item in extra_holidays:
            day, name = item if isinstance(item, tuple) and len(item) == 2 else (item, _EXTRA_NAME)
            if (
                not isinstance(day, date)
                or isinstance(day, datetime.datetime)
                or not isinstance(name, str)
            ):
                raise TriageTypeError(
                    f"extra_holidays takes dates or (date, name) pairs, got {_short(item)}"
                )
            extra[day] = name

        set_ = object.__setattr__
        set_(self, "country", country)
        set_(self, "subdivision", subdivision)
        set_(self, "timezone", tz)
        set_(self, "weekend", days)
        set_(self, "_extra", extra)
        set_(self, "_by_year", {})
        # The years the holidays package knows for this country; outside them only the
        # extra holidays count (and no package call is needed).
        first = getattr(probe, "start_year", date.min.year)
        last = getattr(probe, "end_year", date.max.year)
        set_(self, "_years", range(first, last + 1))
        set_(self, "_off_by_year", {})
        set_(
            self,
            "_language",
            _NAME_LANGUAGE
            if _NAME_LANGUAGE in probe.supported_languages
            else probe.default_language,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"BusinessCalendar is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"BusinessCalendar is immutable; cannot delete {name!r}")

    def _key(self) -> tuple[object, ...]:
        return (
            self.country,
            self.subdivision,
            self.timezone,
            self.weekend,
            frozenset(self._extra.items()),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar({self.country!r}, {self.subdivision!r}, "
            f"timezone={str(self.timezone)!r}, weekend={tuple(sorted(self.weekend))!r}, "
            f"extra_holidays={len(self._extra)})"
        )

    def _year(self, year: int) -> dict[date, str]:
        cached = self._by_year.get(year)
        if cached is None:
            merged = {d: n for d, n in self._extra.items() if d.year == year}
            if year in self._years:
                public = _holidays().country_holidays(
                    self.country,
                    subdiv=self.subdivision,
                    years=year,
                    observed=True,
                    language=self._language,
                )
                merged.update((d, n) for d, n in public.items() if d.year == year)
            cached = dict(sorted(merged.items()))
            self._by_year[year] = cached
        return cached

    def local_date(self, moment: datetime.datetime) -> date:
        """The calendar date of an aware ``moment`` in this calendar's time zone.

        Raises:
            CalendarError: ``moment`` is naive (no time zone), or its local date is before
                0001-01-01 or after 9999-12-31.

        Examples:
            >>> from datetime import datetime, timezone
            >>> BusinessCalendar("JP", timezone="Asia/Tokyo").local_date(
            ...     datetime(2026, 11, 19, 23, 30, tzinfo=timezone.utc)
            ... )
            datetime.date(2026, 11, 20)
        """
        try:
            as_utc(moment, what="", naive="reject")
        except TimestampError as exc:
            raise CalendarError(exc.reason) from None
        try:
            return moment.astimezone(self.timezone).date()
        except OverflowError:
            edge = "before 0001-01-01" if moment.year == 1 else "after 9999-12-31"
            raise CalendarError(
                f"{moment.isoformat()} is {edge} in {self.timezone}: "
                "outside the dates Python can represent"
            ) from None

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name on ``day``, or ``None`` on a non-holiday (weekends included).

        Examples:
            >>> from datetime import date
            >>> us = BusinessCalendar("US")
            >>> us.holiday_name(date(2026, 7, 3))
            'Independence Day (observed)'
            >>> us.holiday_name(date(2026, 7, 6)) is None
            True
        """
        _reject_datetime(day)
        return self._year(day.year).get(day)

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a public or extra holiday (whatever the weekday).

        Examples:
            >>> from datetime import date
            >>> BusinessCalendar("JP").is_holiday(date(2025, 11, 24))
            True
        """
        return self.holiday_name(day) is not None

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` is neither a weekend day nor a holiday.

        Examples:
            >>> from datetime import date
            >>> jp = BusinessCalendar("JP")
            >>> jp.is_business_day(date(2026, 1, 2)), jp.is_business_day(date(2026, 1, 3))
            (True, False)
        """
        _reject_datetime(day)
        return day.weekday() not in self.weekend and not self.is_holiday(day)

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``.

        Examples:
            >>> from datetime import date
            >>> BusinessCalendar("US").next_business_day(date(2026, 7, 2))
            datetime.date(2026, 7, 6)
        """
        _reject_datetime(day)
        try:
            day += timedelta(days=1)
            while not self.is_business_day(day):
                day += timedelta(days=1)
        except OverflowError:
            raise _past_the_end(day) from None
        return day

    def add_business_days(self, start: date | datetime.datetime, n: int) -> date:
        """The ``n``-th business day after ``start`` (a date, or a moment read locally).

        ``n = 0`` gives ``start``'s local date if it is a business day, else the next one;
        ``n >= 1`` gives the ``n``-th business day strictly after that date.

        Large ``n`` are counted per week and per year, not day by day.

        Raises:
            CalendarError: ``n`` is negative, ``start`` is a naive datetime, or the
                answer would fall after 9999-12-31.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> jp = BusinessCalendar("JP", timezone="Asia/Tokyo")
            >>> jp.add_business_days(date(2026, 5, 2), 0)
            datetime.date(2026, 5, 7)
            >>> jp.add_business_days(datetime(2026, 5, 1, 10, tzinfo=timezone.utc), 1)
            datetime.date(2026, 5, 7)
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TriageTypeError(f"n must be an integer, got {n!r}")
        if n < 0:
            raise CalendarError(f"n must be >= 0, got {n}")
        day = self.local_date(start) if isinstance(start, datetime.datetime) else start
        _reject_datetime(day)
        if n == 0:
            return day if self.is_business_day(day) else self.next_business_day(day)
        if n <= _WALK:
            for _ in range(n):
                day = self.next_business_day(day)
            return day
        if self.business_days_between(day, date.max) < n:
            raise _past_the_end(day, n)
        # The smallest offset whose count reaches n: the count only grows on business days.
        low, high = 1, (date.max - day).days
        while low < high:
            middle = (low + high) // 2
            if self.business_days_between(day, day + timedelta(days=middle)) >= n:
                high = middle
            else:
                low = middle + 1
        return day + timedelta(days=low)

    def nth_business_day(self, year: int, month: int, n: int) -> date:
        """The ``n``-th business day (``n >= 1``) of ``month`` in ``year``.

        Raises:
            CalendarError: ``n < 1``, the month has fewer than ``n`` business days, or
                ``year``/``month`` is not a month Python can represent.

        Examples:
            >>> BusinessCalendar("JP").nth_business_day(2026, 1, 1)
            datetime.date(2026, 1, 2)
            >>> BusinessCalendar("JP").nth_business_day(2026, 1, 30)
            Traceback (most recent call last):
            ...
            inspector_kit.errors.CalendarError: 2026-01 has 20 business days in JP, not 30
        """
        if n < 1:
            raise CalendarError(f"n must be >= 1, got {n}")
        try:
            day = date(year, month, 1)
        except (ValueError, TypeError, OverflowError) as exc:
            raise CalendarError(f"{exc} (year {year!r}, month {month!r})") from None
        count = 0
        while day.month == month:
            if self.is_business_day(day):
                count += 1
                if count == n:
                    return day
            day += timedelta(days=1)
        where = self.country if self.subdivision is None else f"{self.country}/{self.subdivision}"
        raise CalendarError(f"{year:04d}-{month:02d} has {count} business days in {where}, not {n}")

    def business_days_between(self, start: date, end: date) -> int:
        """The number of business days in ``(start, end]``; negative when ``end < start``.

        Examples:
            >>> from datetime import date
            >>> jp = BusinessCalendar("JP")
            >>> jp.business_days_between(date(2026, 5, 1), date(2026, 5, 8))
            2
            >>> jp.business_days_between(date(2026, 5, 8), date(2026, 5, 1))
            -2
        """
        _reject_datetime(start)
        _reject_datetime(end)
        if end < start:
            return -self.business_days_between(end, start)
        days = (end - start).days
        if days == 0:
            return 0
        first = start + timedelta(days=1)
        count = _weekdays_in(first, days, self.weekend)
        for year in range(first.year, end.year + 1):
            if first.year < year < end.year:
                count -= self._holidays_off(year)
                continue
            count -= sum(
                1
                for day in self._year(year)
                if first <= day <= end and day.weekday() not in self.weekend
            )
        return count

    def _holidays_off(self, year: int) -> int:
        """How many of ``year``'s holidays fall on a day that is not a weekend day."""
        cached = self._off_by_year.get(year)
        if cached is None:
            cached = sum(1 for day in self._year(year) if day.weekday() not in self.weekend)
            self._off_by_year[year] = cached
        return cached

    def holidays_in(self, year: int) -> dict[date, str]:
        """Every holiday (public and extra) in ``year``, by date, in date order.

        Examples:
            >>> from datetime import date
            >>> us = BusinessCalendar("US").holidays_in(2027)
            >>> us[date(2027, 12, 24)], us[date(2027, 12, 31)]
            ('Christmas Day (observed)', "New Year's Day (observed)")
        """
        return dict(self._year(year))
