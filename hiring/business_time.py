"""Business time: the two-business-day offer clock and when reminders may fire.

Plain functions with no ORM and no settings inside: what they need is a `BusinessCalendar`
(time zone, working hours, holiday lookup). `company_calendar()` builds the company's from
settings (COMPANY_TIME_ZONE, HOLIDAY_COUNTRY, HOLIDAY_SUBDIVISION, BUSINESS_HOURS).

A business day is a weekday that is not a public holiday of the configured country (and
subdivision), in the company time zone. Business hours are its working hours in local
wall-clock time (09:00-17:00 by default), so a daylight-saving change moves them with the
clock: a working day always has the same number of business hours. "Two business days" is
twice that (16 business hours with 09:00-17:00): an offer clock started on Monday at 15:00
runs out on Wednesday at 15:00, one started on Friday at 15:00 on Tuesday at 15:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
# A reminder loop never needs to look further ahead than this (years of holidays included).
MAX_DAYS_SCANNED = 3660


@dataclass(frozen=True)
class BusinessCalendar:
    tz: ZoneInfo
    day_start: dt.time
    day_end: dt.time
    holidays: Container[dt.date]

    @property
    def hours_per_day(self) -> float:
        start = dt.datetime.combine(dt.date(2000, 1, 3), self.day_start)
        end = dt.datetime.combine(dt.date(2000, 1, 3), self.day_end)
        return (end - start).total_seconds() / 3600


def is_business_day(day: dt.date, cal: BusinessCalendar) -> bool:
    return day.weekday() < 5 and day not in cal.holidays


def local_date(moment: dt.datetime, cal: BusinessCalendar) -> dt.date:
    return moment.astimezone(cal.tz).date()


def business_window(day: dt.date, cal: BusinessCalendar) -> tuple[dt.datetime, dt.datetime]:
    """Opening and closing time of `day` (a business day), in UTC."""
    opens = dt.datetime.combine(day, cal.day_start, tzinfo=cal.tz).astimezone(UTC)
    closes = dt.datetime.combine(day, cal.day_end, tzinfo=cal.tz).astimezone(UTC)
    return opens, closes


# Each calendar's days, worked out once per process: None (not a business day) or its
# window. A home page counts business hours over months of days for twenty items; the
# holiday lookup and the two time-zone conversions were most of its Python time.
_days: dict[
    int, tuple[BusinessCalendar, dict[dt.date, tuple[dt.datetime, dt.datetime] | None]]
] = {}
MAX_DAYS_KEPT = 20_000  # per calendar: fifty years


def day_window(day: dt.date, cal: BusinessCalendar) -> tuple[dt.datetime, dt.datetime] | None:
    """`business_window(day)` when `day` is a business day, else None (remembered)."""
    kept = _days.get(id(cal))
    if kept is None or kept[0] is not cal:  # the calendar itself is kept: its id stays its own
        kept = _days[id(cal)] = (cal, {})
    windows = kept[1]
    if day in windows:
        return windows[day]
    window = business_window(day, cal) if is_business_day(day, cal) else None
    if len(windows) < MAX_DAYS_KEPT:
        windows[day] = window
    return window


def _business_days_from(day: dt.date, cal: BusinessCalendar) -> Iterator[dt.date]:
    for offset in range(MAX_DAYS_SCANNED):
        candidate = day + dt.timedelta(days=offset)
        if is_business_day(candidate, cal):
            yield candidate
    raise ValueError("no business day within ten years: check the holiday calendar")


def is_business_time(moment: dt.datetime, cal: BusinessCalendar) -> bool:
    """Inside working hours of a business day (opening included, closing excluded)."""
    day = local_date(moment, cal)
    if not is_business_day(day, cal):
        return False
    opens, closes = business_window(day, cal)
    return opens <= moment < closes


def add_business_hours(start: dt.datetime, hours: float, cal: BusinessCalendar) -> dt.datetime:
    """The moment `hours` business hours after `start` (counting only working hours).

    A start outside working hours counts from the next opening; a result that lands exactly
    on a closing time stays there (17:00, not the next morning at 09:00).
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = dt.timedelta(hours=hours)
    start = start.astimezone(UTC)
    for day in _business_days_from(local_date(start, cal), cal):
        opens, closes = business_window(day, cal)
        begin = max(opens, start)
        if begin >= closes:
            continue
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise AssertionError("unreachable")  # pragma: no cover


def business_hours_between(start: dt.datetime, end: dt.datetime, cal: BusinessCalendar) -> float:
    """Working hours from `start` to `end`; negative when `end` comes first."""
    if end < start:
        return -business_hours_between(end, start, cal)
    total = dt.timedelta()
    day, last = local_date(start, cal), local_date(end, cal)
    one = dt.timedelta(days=1)
    while day <= last:
        window = day_window(day, cal)
        if window is not None:
            low, high = max(window[0], start), min(window[1], end)
            if high > low:
                total += high - low
        day += one
    return total.total_seconds() / 3600


def business_hours_since(
    starts: Sequence[dt.datetime], end: dt.datetime, cal: BusinessCalendar
) -> list[float]:
    """`business_hours_between(start, end)` for each of many starts (the dashboard's open
    approval steps): each day's window is worked out once, not once per start; a start
    after `end` falls back to the one-off function."""
    if not starts:
        return []
    last = local_date(end, cal)
    first = min(local_date(s, cal) for s in starts)
    # For each local day: its window cut at `end` (None: not a business day), and the
    # business hours from the day after it until `end`.
    window: dict[dt.date, tuple[dt.datetime, dt.datetime] | None] = {}
    later: dict[dt.date, float] = {}
    following, day = 0.0, last
    while day >= first:
        window[day] = None
        later[day] = following
        if is_business_day(day, cal):
            opens, closes = business_window(day, cal)
            window[day] = (opens, min(closes, end))
            following += max((min(closes, end) - opens).total_seconds(), 0) / 3600
        day -= dt.timedelta(days=1)
    out = []
    tz = cal.tz
    for start in starts:
        if start > end:
            out.append(business_hours_between(start, end, cal))
            continue
        day = start.astimezone(tz).date()
        hours, today = later[day], window[day]
        if today is not None:
            hours += max((today[1] - max(today[0], start)).total_seconds(), 0) / 3600
        out.append(hours)
    return out


def next_business_morning(moment: dt.datetime, cal: BusinessCalendar) -> dt.datetime:
    """Opening time of the first business day after the local date of `moment`."""
    tomorrow = local_date(moment, cal) + dt.timedelta(days=1)
    day = next(_business_days_from(tomorrow, cal))
    return business_window(day, cal)[0]


def next_business_opening(moment: dt.datetime, cal: BusinessCalendar) -> dt.datetime:
    """`moment` itself when it is business time, else the next opening."""
    if is_business_time(moment, cal):
        return moment.astimezone(UTC)
    for day in _business_days_from(local_date(moment, cal), cal):
        opens, closes = business_window(day, cal)
        if moment < closes:
            return max(opens, moment.astimezone(UTC))
    raise AssertionError("unreachable")  # pragma: no cover


def date_key(moment: dt.datetime, cal: BusinessCalendar) -> int:
    """The local date as an integer, 20260302: the sequence number of a daily reminder."""
    day = local_date(moment, cal)
    return day.year * 10_000 + day.month * 100 + day.day


def format_hours(hours: float) -> str:
    """12.5 -> "12 h 30 min"; the sign is left to the caller ("left" / "overdue")."""
    minutes = round(abs(hours) * 60)
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return f"{whole} h {rest} min"
    if whole:
        return f"{whole} h"
    return f"{rest} min"


def time_left_label(hours: float) -> str:
    if hours >= 0:
        return f"{format_hours(hours)} left"
    return f"{format_hours(hours)} overdue"


def company_calendar() -> BusinessCalendar:
    """The company's calendar from settings (cached per distinct configuration)."""
    from django.conf import settings

    start, end = settings.BUSINESS_HOURS
    return _calendar(
        settings.COMPANY_TIME_ZONE,
        start,
        end,
        settings.HOLIDAY_COUNTRY,
        settings.HOLIDAY_SUBDIVISION or None,
    )


@lru_cache(maxsize=8)
def _calendar(
    zone: str, start: dt.time, end: dt.time, country: str, subdivision: str | None
) -> BusinessCalendar:
    import holidays

    return BusinessCalendar(
        tz=ZoneInfo(zone),
        day_start=start,
        day_end=end,
        holidays=holidays.country_holidays(country, subdiv=subdivision),
    )


def business_hours_text(hours: float) -> str:
    """11.2 -> "11 business hours"; under an hour, in minutes ("40 business minutes")."""
    amount = abs(hours)
    if amount < 1:
        minutes = round(amount * 60)
        return f"{minutes} business minute{'' if minutes == 1 else 's'}"
    whole = round(amount)
    return f"{whole} business hour{'' if whole == 1 else 's'}"


def moment_label(moment: dt.datetime, cal: BusinessCalendar) -> str:
    """ "Wed 3 Dec, 15:00" in the company's time zone."""
    local = moment.astimezone(cal.tz)
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


def deadline_label(due_at: dt.datetime, hours_left: float, cal: BusinessCalendar) -> str:
    """A clock's label naming its moment and its unit: "due Wed 3 Dec, 15:00 (11 business
    hours left)", "was due Mon 1 Dec, 09:00 (2 business hours overdue)" once it has passed.
    The moment is in the company's time zone."""
    if hours_left >= 0:
        return f"due {moment_label(due_at, cal)} ({business_hours_text(hours_left)} left)"
    return f"was due {moment_label(due_at, cal)} ({business_hours_text(hours_left)} overdue)"
