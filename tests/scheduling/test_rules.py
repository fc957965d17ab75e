"""Free slots (pure): business hours of the company calendar, less weekends, holidays and
busy times, across a daylight-saving change; and the link's status map."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from hiring.business_time import BusinessCalendar
from hiring.errors import DomainError
from hiring.scheduling.rules import (
    SLOT_LINK_TRANSITIONS,
    Interval,
    SlotLinkStatus,
    busy_of_panel,
    free_slots,
    merged,
)
from hiring.statuses import transition_allowed

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar(
    tz=NY, day_start=dt.time(9), day_end=dt.time(17), holidays=holidays.country_holidays("US")
)
HOUR = dt.timedelta(hours=1)
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY).astimezone(dt.UTC)


def slots(
    first: dt.date,
    last: dt.date,
    busy: list[Interval] | None = None,
    *,
    duration: dt.timedelta = HOUR,
    earliest: dt.datetime = LONG_AGO,
) -> list[dt.datetime]:
    return free_slots(
        cal=CAL,
        first_day=first,
        last_day=last,
        duration=duration,
        busy=busy or [],
        earliest=earliest,
    )


def test_a_free_day_offers_every_half_hour_from_opening_until_the_last_hour_fits() -> None:
    day = dt.date(2026, 3, 4)  # a Wednesday
    found = slots(day, day)
    assert found[0] == local(day, 9) and found[-1] == local(day, 16)
    assert len(found) == 15  # 09:00, 09:30, ..., 16:00


def test_the_weekend_and_the_dst_change_friday_to_monday() -> None:
    # 2026-03-08 (Sunday) New York moves from EST (UTC-5) to EDT (UTC-4).
    friday, monday = dt.date(2026, 3, 6), dt.date(2026, 3, 9)
    found = slots(friday, monday)
    days = sorted({s.astimezone(NY).date() for s in found})
    assert days == [friday, monday]  # nothing on Saturday or Sunday
    assert found[0] == dt.datetime(2026, 3, 6, 14, 0, tzinfo=dt.UTC)  # 09:00 EST
    first_monday = next(s for s in found if s.astimezone(NY).date() == monday)
    assert first_monday == dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC)  # 09:00 EDT
    # The business day keeps its wall-clock hours: 15 slots on each side of the change.
    assert len(found) == 30


def test_a_public_holiday_offers_nothing() -> None:
    wednesday, friday = dt.date(2026, 11, 25), dt.date(2026, 11, 27)  # Thanksgiving between
    days = {s.astimezone(NY).date() for s in slots(wednesday, friday)}
    assert days == {wednesday, friday}


def test_busy_times_take_out_every_overlapping_slot_and_the_grid_resumes_after() -> None:
    day = dt.date(2026, 3, 4)
    busy = [Interval(local(day, 10, 15), local(day, 10, 45))]
    found = [s.astimezone(NY).strftime("%H:%M") for s in slots(day, day, busy)]
    assert found[:3] == ["09:00", "11:00", "11:30"]  # 09:30 to 10:30 would overlap it


def test_a_slot_may_end_when_a_busy_time_starts() -> None:
    day = dt.date(2026, 3, 4)
    busy = [Interval(local(day, 10), local(day, 17))]
    found = [s.astimezone(NY).strftime("%H:%M") for s in slots(day, day, busy)]
    assert found == ["09:00"]


def test_the_panel_is_busy_when_any_of_its_people_is() -> None:
    day = dt.date(2026, 3, 4)
    by_person = {
        1: [Interval(local(day, 9), local(day, 12))],
        2: [Interval(local(day, 13), local(day, 17))],
        3: [Interval(local(day, 12), local(day, 13))],  # not on the panel
    }
    found = slots(day, day, busy_of_panel(by_person, [1, 2]), duration=dt.timedelta(minutes=30))
    assert [s.astimezone(NY).strftime("%H:%M") for s in found] == ["12:00", "12:30"]


def test_slots_sooner_than_the_earliest_start_are_not_offered() -> None:
    day = dt.date(2026, 3, 4)
    found = slots(day, day, earliest=local(day, 15, 10))
    assert [s.astimezone(NY).strftime("%H:%M") for s in found] == ["15:30", "16:00"]


def test_an_interview_longer_than_the_business_day_has_no_slot() -> None:
    day = dt.date(2026, 3, 4)
    assert slots(day, day, duration=dt.timedelta(hours=9)) == []


def test_merged_joins_overlapping_and_touching_times() -> None:
    a = dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC)
    parts = [
        Interval(a + 2 * HOUR, a + 3 * HOUR),
        Interval(a, a + HOUR),
        Interval(a + HOUR, a + HOUR * 1.5),
    ]
    assert merged(parts) == [Interval(a, a + HOUR * 1.5), Interval(a + 2 * HOUR, a + 3 * HOUR)]


def test_a_closed_link_stays_closed() -> None:
    assert SLOT_LINK_TRANSITIONS[SlotLinkStatus.CLOSED] == frozenset()
    with pytest.raises(DomainError) as refused:
        transition_allowed(
            SLOT_LINK_TRANSITIONS, current="closed", new="open", what="link", labels=None
        )
    assert refused.value.status == 409
