"""Busy times out of an iCalendar file (pure: no ORM, no network).

Only when someone is busy is kept, never what the event is (no summary, no attendees): the
product needs nothing else, and an interviewer's calendar is theirs. Events marked free
(TRANSP:TRANSPARENT) or cancelled are skipped; all-day events block the whole day; times
without a zone are read in the company's; repeating events (RRULE, RDATE, EXDATE) are
expanded within the horizon.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from hiring.scheduling.rules import Interval, merged

MAX_EVENTS = 20_000  # busy times kept from one import; a calendar past that is refused
MAX_BYTES = 2 * 1024 * 1024
UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?Z?")


class CalendarFileError(ValueError):
    """The file is not a calendar we can read; the message says why, for the user."""


def _moment(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # floating time: the company's wall clock
            value = value.replace(tzinfo=tz)
        return value.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def _value(component: object, name: str) -> object:
    prop = component.get(name)  # type: ignore[attr-defined]
    return getattr(prop, "dt", None)


def _until_like(rule: str, *, aware: bool) -> str:
    """dateutil wants UNTIL in UTC when the start has a zone, and floating when not;
    calendars in the wild mix them."""

    def fix(match: re.Match[str]) -> str:
        day, time = match.group(1), match.group(2) or ("T235959" if aware else "")
        return f"UNTIL={day}{time}{'Z' if aware else ''}"

    return UNTIL.sub(fix, rule)


def _occurrences(
    event: object, start: dt.date | dt.datetime, *, horizon: tuple[dt.datetime, dt.datetime]
) -> list[dt.date | dt.datetime]:
    rule = event.get("rrule")  # type: ignore[attr-defined]
    rdates = event.get("rdate")  # type: ignore[attr-defined]
    if rule is None and rdates is None:
        return [start]
    naive_days = not isinstance(start, dt.datetime)
    anchor = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    rules = rruleset()
    if rule is not None:
        text = _until_like(rule.to_ical().decode(), aware=anchor.tzinfo is not None)
        rules.rrule(rrulestr(text, dtstart=anchor))
    for name, target in (("rdate", rules.rdate), ("exdate", rules.exdate)):
        values = event.get(name)  # type: ignore[attr-defined]
        for entry in values if isinstance(values, list) else [values] if values else []:
            for item in getattr(entry, "dts", []):
                moment = item.dt
                if not isinstance(moment, dt.datetime):
                    moment = dt.datetime.combine(moment, dt.time())
                if anchor.tzinfo is not None and moment.tzinfo is None:
                    moment = moment.replace(tzinfo=anchor.tzinfo)
                if anchor.tzinfo is None and moment.tzinfo is not None:
                    moment = moment.replace(tzinfo=None)
                target(moment)
    low, high = horizon
    if anchor.tzinfo is None:
        low, high = low.replace(tzinfo=None) - dt.timedelta(days=1), high.replace(tzinfo=None)
    found = rules.between(low - dt.timedelta(days=1), high, inc=True)
    if len(found) > MAX_EVENTS:
        raise CalendarFileError("The calendar repeats an event too often to import.")
    return [f.date() for f in found] if naive_days else list(found)


def busy_from_ics(
    data: bytes, *, tz: ZoneInfo, horizon: tuple[dt.datetime, dt.datetime]
) -> list[Interval]:
    """The busy times of the calendar that end after horizon[0] and start before horizon[1],
    merged. Raises CalendarFileError for a file that is not an iCalendar calendar."""
    if len(data) > MAX_BYTES:
        raise CalendarFileError("The calendar is larger than 2 MB.")
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError) as error:
        raise CalendarFileError("This is not an iCalendar (.ics) file.") from error
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise CalendarFileError("This is not an iCalendar (.ics) file.")
    low, high = horizon
    found: list[Interval] = []
    try:
        for event in calendar.walk("VEVENT"):
            if str(event.get("transp", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("status", "")).upper() == "CANCELLED":
                continue
            start = _value(event, "dtstart")
            if not isinstance(start, dt.date):
                continue
            end = _value(event, "dtend")
            duration = _value(event, "duration")
            if (
                isinstance(end, dt.date)
                and not isinstance(end, dt.datetime)
                and isinstance(start, dt.datetime)
            ):
                end = None  # mixed value types: treat as no end
            all_day = not isinstance(start, dt.datetime)
            if all_day:  # whole days, in the company's zone (a DST day has 23 or 25 hours)
                days = (end - start).days if isinstance(end, dt.date) else 1
                if isinstance(duration, dt.timedelta) and end is None:
                    days = max(duration.days, 1)
            elif isinstance(end, dt.datetime):
                length = _moment(end, tz) - _moment(start, tz)
            elif isinstance(duration, dt.timedelta):
                length = duration
            else:  # RFC 5545: a date-time without an end takes no time at all
                length = dt.timedelta()
            for occurrence in _occurrences(event, start, horizon=horizon):
                begins = _moment(occurrence, tz)
                if all_day:
                    ends = _moment(occurrence + dt.timedelta(days=days), tz)
                else:
                    ends = begins + length
                if ends > low and begins < high and ends > begins:
                    found.append(Interval(begins, ends))
                if len(found) > MAX_EVENTS:
                    raise CalendarFileError(
                        f"The calendar has more than {MAX_EVENTS:,} busy times to import."
                    )
    except CalendarFileError:
        raise
    except (ValueError, TypeError, AttributeError, OverflowError) as error:
        raise CalendarFileError(f"An event of the calendar could not be read: {error}") from error
    return merged(found)
