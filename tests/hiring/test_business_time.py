"""Business-time arithmetic: weekends, a holiday, daylight saving, the edges of the day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiring.business_time import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    business_hours_since,
    date_key,
    is_business_day,
    is_business_time,
    next_business_morning,
    next_business_opening,
    time_left_label,
)

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar(
    tz=NY,
    day_start=dt.time(9),
    day_end=dt.time(17),
    holidays=holidays.country_holidays("US"),
)


def ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


def test_two_business_days_from_monday_afternoon_end_on_wednesday_afternoon() -> None:
    assert add_business_hours(ny(2026, 3, 2, 15), 16, CAL) == ny(2026, 3, 4, 15)


def test_a_friday_clock_skips_the_weekend_and_the_daylight_saving_change() -> None:
    # Clocks go forward on Sunday 8 March 2026: Friday is EST, Tuesday EDT.
    due = add_business_hours(ny(2026, 3, 6, 15), 16, CAL)
    assert due == ny(2026, 3, 10, 15)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 10, 19, tzinfo=dt.UTC)
    assert ny(2026, 3, 6, 15).astimezone(dt.UTC).hour == 20


def test_thanksgiving_is_not_a_business_day() -> None:
    assert not is_business_day(dt.date(2026, 11, 26), CAL)
    assert is_business_day(dt.date(2026, 11, 27), CAL)  # the day after is no federal holiday
    # Wed 10:00 + 16 h: 7 h on Wednesday, none on Thursday, 8 on Friday, 1 on Monday.
    assert add_business_hours(ny(2026, 11, 25, 10), 16, CAL) == ny(2026, 11, 30, 10)


def test_an_observed_holiday_on_a_friday_counts_as_a_holiday() -> None:
    # 4 July 2026 is a Saturday: Friday 3 July is the day off.
    assert not is_business_day(dt.date(2026, 7, 3), CAL)
    assert add_business_hours(ny(2026, 7, 2, 13), 8, CAL) == ny(2026, 7, 6, 13)


def test_a_start_outside_business_hours_counts_from_the_next_opening() -> None:
    assert add_business_hours(ny(2026, 3, 7, 11), 4, CAL) == ny(2026, 3, 9, 13)  # Saturday
    assert add_business_hours(ny(2026, 3, 2, 20), 1, CAL) == ny(2026, 3, 3, 10)  # evening
    assert add_business_hours(ny(2026, 3, 2, 7), 1, CAL) == ny(2026, 3, 2, 10)  # early


def test_a_result_on_the_closing_time_stays_on_that_day() -> None:
    assert add_business_hours(ny(2026, 3, 2, 9), 8, CAL) == ny(2026, 3, 2, 17)


def test_hours_between_count_only_business_hours_and_are_negative_backwards() -> None:
    assert business_hours_between(ny(2026, 3, 6, 16), ny(2026, 3, 9, 10), CAL) == 2
    assert business_hours_between(ny(2026, 3, 9, 10), ny(2026, 3, 6, 16), CAL) == -2
    assert business_hours_between(ny(2026, 11, 25, 16), ny(2026, 11, 27, 10), CAL) == 2
    assert business_hours_between(ny(2026, 3, 7, 9), ny(2026, 3, 8, 17), CAL) == 0


def test_business_time_excludes_nights_weekends_and_holidays() -> None:
    assert is_business_time(ny(2026, 3, 2, 9), CAL)
    assert not is_business_time(ny(2026, 3, 2, 17), CAL)
    assert not is_business_time(ny(2026, 3, 7, 11), CAL)
    assert not is_business_time(ny(2026, 11, 26, 11), CAL)


def test_the_next_business_morning_skips_the_weekend_and_holidays() -> None:
    assert next_business_morning(ny(2026, 3, 6, 10), CAL) == ny(2026, 3, 9, 9)
    assert next_business_morning(ny(2026, 11, 25, 10), CAL) == ny(2026, 11, 27, 9)
    assert next_business_opening(ny(2026, 3, 2, 18), CAL) == ny(2026, 3, 3, 9)
    assert next_business_opening(ny(2026, 3, 2, 11), CAL) == ny(2026, 3, 2, 11)


def test_a_daily_reminder_is_numbered_by_its_local_date() -> None:
    # 02:00 UTC on 3 March is still 2 March in New York.
    assert date_key(dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC), CAL) == 20260302


@pytest.mark.parametrize(
    ("hours", "label"),
    [(12.5, "12 h 30 min left"), (0.25, "15 min left"), (-3, "3 h overdue"), (8, "8 h left")],
)
def test_time_left_reads_in_hours_and_minutes(hours: float, label: str) -> None:
    assert time_left_label(hours) == label


# Naive local times, made New York times (hypothesis draws naive datetimes by default).
FIRST, LAST = dt.datetime(2026, 1, 1, tzinfo=NY), dt.datetime(2027, 12, 31, tzinfo=NY)
starts = st.datetimes(
    min_value=FIRST.replace(tzinfo=None), max_value=LAST.replace(tzinfo=None)
).map(lambda naive: naive.replace(tzinfo=NY, microsecond=0))


@settings(max_examples=200, deadline=None)
@given(start=starts, hours=st.integers(min_value=0, max_value=120))
def test_adding_business_hours_and_counting_them_agree(start: dt.datetime, hours: int) -> None:
    end = add_business_hours(start, hours, CAL)
    assert end >= start
    assert business_hours_between(start, end, CAL) == pytest.approx(hours)
    if hours:
        day = end.astimezone(NY)
        assert is_business_day(day.date(), CAL)
        assert dt.time(9) < day.time() <= dt.time(17)


@settings(max_examples=200, deadline=None)
@given(many=st.lists(starts, min_size=1, max_size=30), end=starts)
def test_hours_since_many_starts_agree_with_one_at_a_time(
    many: list[dt.datetime], end: dt.datetime
) -> None:
    """The dashboard's batch (each day's window once) gives what the one-off function gives,
    across weekends, holidays and daylight saving, starts after `end` included."""
    batch = business_hours_since(many, end, CAL)
    assert batch == pytest.approx([business_hours_between(s, end, CAL) for s in many])


def test_hours_since_nothing_is_nothing() -> None:
    assert business_hours_since([], ny(2026, 3, 2, 9), CAL) == []
