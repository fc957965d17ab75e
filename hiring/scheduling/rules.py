"""Free interview slots, and the statuses of a pick link (pure: no ORM, no settings).

An interviewer's working hours are the business hours of the company calendar
(hiring.business_time: weekdays that are not holidays, 09:00-17:00 local by default, so a
daylight-saving change moves them with the wall clock). What is taken out of them: their
scheduled interviews and the busy times they entered or imported. A slot is free when every
interviewer of the panel is free for its whole length (they sit the interview together).

Slots start on a grid of `step` from each day's opening (09:00, 09:30, ...), end by the
closing time, and start no earlier than `earliest` (now plus the notice a panel needs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hiring.business_time import BusinessCalendar, business_window, is_business_day
from hiring.statuses import Status

UTC = dt.UTC
STEP = dt.timedelta(minutes=30)
NOTICE = dt.timedelta(hours=12)  # no slot sooner than this: the panel needs to know
MAX_WINDOW_DAYS = 31  # a link offers at most a month of days


@dataclass(frozen=True, order=True)
class Interval:
    """[start, end) in UTC."""

    start: dt.datetime
    end: dt.datetime


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, overlapping and touching intervals joined."""
    result: list[Interval] = []
    for item in sorted(intervals):
        if item.end <= item.start:
            continue
        if result and item.start <= result[-1].end:
            if item.end > result[-1].end:
                result[-1] = Interval(result[-1].start, item.end)
        else:
            result.append(item)
    return result


def window_days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def free_slots(
    *,
    cal: BusinessCalendar,
    first_day: dt.date,
    last_day: dt.date,
    duration: dt.timedelta,
    busy: Iterable[Interval],
    earliest: dt.datetime,
    step: dt.timedelta = STEP,
) -> list[dt.datetime]:
    """Start times (UTC) of the slots of `duration` inside business hours of the days from
    `first_day` to `last_day` (company dates) that overlap none of `busy` (the busy times of
    every interviewer of the panel together) and start at `earliest` or later."""
    taken = merged(busy)
    slots: list[dt.datetime] = []
    cursor = 0  # taken is sorted and so are the slots: one pass over both
    for day in window_days(first_day, last_day):
        if not is_business_day(day, cal):
            continue
        opens, closes = business_window(day, cal)
        start = opens
        while start + duration <= closes:
            end = start + duration
            while cursor < len(taken) and taken[cursor].end <= start:
                cursor += 1
            # taken[cursor] is the first busy time ending after `start` (merged: sorted,
            # apart), so it is the only one that can overlap the slot.
            if cursor < len(taken) and taken[cursor].start < end:
                # Jump past the busy time, back onto the grid.
                steps = -(-(taken[cursor].end - opens) // step)
                start = opens + steps * step
                continue
            if start >= earliest:
                slots.append(start)
            start += step
    return slots


def busy_of_panel(
    by_person: dict[int, Sequence[Interval]], people: Iterable[int]
) -> list[Interval]:
    """The panel is busy whenever one of its people is."""
    return merged(item for person in people for item in by_person.get(person, ()))


class SlotLinkStatus(Status):
    OPEN = "open", "Waiting for the candidate"
    BOOKED = "booked", "Booked"
    CLOSED = "closed", "Closed"


# A booked link may be used again to reschedule while it has reschedules left (the status
# stays "booked"); closing (the interview cancelled, the recruiter withdrew the link) is final.
SLOT_LINK_TRANSITIONS: dict[str, frozenset[str]] = {
    SlotLinkStatus.OPEN: frozenset({SlotLinkStatus.BOOKED, SlotLinkStatus.CLOSED}),
    SlotLinkStatus.BOOKED: frozenset({SlotLinkStatus.CLOSED}),
    SlotLinkStatus.CLOSED: frozenset(),
}
