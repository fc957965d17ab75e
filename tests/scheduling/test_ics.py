"""Busy times out of an .ics file: timed, all-day, repeating, free and cancelled events."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hiring.scheduling.ics import CalendarFileError, busy_from_ics

NY = ZoneInfo("America/New_York")
HORIZON = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 6, 1, tzinfo=dt.UTC))


def ics(*events: str) -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *events, "END:VCALENDAR"]
    )
    return body.encode()


def event(*lines: str, uid: str = "x") -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"]
    )


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def test_a_timed_event_with_its_zone_is_busy_in_utc() -> None:
    data = ics(
        event(
            "DTSTART;TZID=Europe/Berlin:20260304T100000",
            "DTEND;TZID=Europe/Berlin:20260304T113000",
            "SUMMARY:Dentist",
        )
    )
    [busy] = busy_from_ics(data, tz=NY, horizon=HORIZON)
    assert (busy.start, busy.end) == (utc(2026, 3, 4, 9), utc(2026, 3, 4, 10, 30))


def test_free_and_cancelled_events_are_not_busy() -> None:
    data = ics(
        event("DTSTART:20260304T150000Z", "DTEND:20260304T160000Z", "TRANSP:TRANSPARENT", uid="a"),
        event("DTSTART:20260304T170000Z", "DTEND:20260304T180000Z", "STATUS:CANCELLED", uid="b"),
    )
    assert busy_from_ics(data, tz=NY, horizon=HORIZON) == []


def test_an_all_day_event_blocks_the_whole_local_day_and_floating_times_are_company_time() -> None:
    data = ics(
        event("DTSTART;VALUE=DATE:20260305", "DTEND;VALUE=DATE:20260306", uid="day"),
        event("DTSTART:20260310T090000", "DURATION:PT2H", uid="floating"),
    )
    day, floating = busy_from_ics(data, tz=NY, horizon=HORIZON)
    assert (day.start, day.end) == (utc(2026, 3, 5, 5), utc(2026, 3, 6, 5))
    assert (floating.start, floating.end) == (utc(2026, 3, 10, 13), utc(2026, 3, 10, 15))  # EDT


def test_a_weekly_meeting_repeats_across_the_dst_change_at_the_same_wall_clock_time() -> None:
    data = ics(
        event(
            "DTSTART;TZID=America/New_York:20260302T100000",
            "DTEND;TZID=America/New_York:20260302T110000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;TZID=America/New_York:20260316T100000",
        )
    )
    found = busy_from_ics(data, tz=NY, horizon=HORIZON)
    assert [b.start for b in found] == [
        utc(2026, 3, 2, 15),  # 10:00 EST
        utc(2026, 3, 9, 14),  # 10:00 EDT, after the change
        utc(2026, 3, 23, 14),  # the 16th was taken out (EXDATE)
    ]


def test_a_repeating_event_with_until_in_utc_and_only_times_inside_the_horizon() -> None:
    data = ics(
        event(
            "DTSTART;TZID=America/New_York:20260105T090000",
            "DTEND;TZID=America/New_York:20260105T093000",
            "RRULE:FREQ=DAILY;UNTIL=20260303T235959Z",
        )
    )
    found = busy_from_ics(data, tz=NY, horizon=HORIZON)
    assert [b.start.date() for b in found] == [dt.date(2026, 3, d) for d in (1, 2, 3)]


@pytest.mark.parametrize(
    "data",
    [b"", b"not a calendar", b"BEGIN:VCARD\r\nEND:VCARD\r\n", b"\x00\xff" * 100],
)
def test_what_is_not_a_calendar_is_refused_with_a_message(data: bytes) -> None:
    with pytest.raises(CalendarFileError, match="iCalendar"):
        busy_from_ics(data, tz=NY, horizon=HORIZON)


def test_a_file_past_two_megabytes_is_refused() -> None:
    with pytest.raises(CalendarFileError, match="2 MB"):
        busy_from_ics(b"x" * (2 * 1024 * 1024 + 1), tz=NY, horizon=HORIZON)
