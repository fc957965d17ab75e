"""Reads for free slots: who is busy when (scheduled interviews and busy times), and the
free slots of a pick link. Two queries whatever the panel or the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assessments.models import Interview
from assessments.rules import InterviewStatus
from hiring.business_time import business_window, company_calendar
from hiring.scheduling.models import BusyTime, SlotLink
from hiring.scheduling.rules import NOTICE, Interval, free_slots

Through = Interview.interviewers.through


def window_bounds(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the opening of the first day to the closing of the last (UTC)."""
    cal = company_calendar()
    return business_window(first_day, cal)[0], business_window(last_day, cal)[1]


def busy_by_person(
    people: Sequence[int],
    low: dt.datetime,
    high: dt.datetime,
    *,
    except_interview: int | None = None,
) -> dict[int, list[Interval]]:
    """Each person's scheduled interviews and busy times overlapping [low, high)."""
    result: dict[int, list[Interval]] = {pk: [] for pk in people}
    taken = Through.objects.filter(
        user_id__in=list(people),
        interview__status=InterviewStatus.SCHEDULED,
        interview__starts_at__lt=high,
        interview__ends_at__gt=low,
    )
    if except_interview is not None:  # rescheduling: its own time is freed
        taken = taken.exclude(interview_id=except_interview)
    for person, starts, ends in taken.values_list(
        "user_id", "interview__starts_at", "interview__ends_at"
    ):
        result[person].append(Interval(starts, ends))
    rows = BusyTime.objects.filter(user_id__in=list(people), ends_at__gt=low, starts_at__lt=high)
    for person, starts, ends in rows.values_list("user_id", "starts_at", "ends_at"):
        result[person].append(Interval(starts, ends))
    return result


def link_panel(link: SlotLink) -> list[int]:
    """Who sits the interview: the booked interview's panel as it is now (a recruiter may
    have changed it), else the link's."""
    if link.interview_id is not None:
        rows = Through.objects.filter(interview_id=link.interview_id)
        return sorted(rows.values_list("user_id", flat=True))
    return sorted(link.interviewers.values_list("pk", flat=True))


def link_free_slots(
    link: SlotLink, *, now: dt.datetime, panel: Sequence[int] | None = None
) -> list[dt.datetime]:
    """The slots of the link's window its whole panel is free for, from now plus the notice
    on; when rescheduling, the link's interview does not count as busy, but its own time is
    not offered again."""
    people = list(panel) if panel is not None else link_panel(link)
    low, high = window_bounds(link.first_day, link.last_day)
    busy = busy_by_person(people, low, high, except_interview=link.interview_id)
    slots = free_slots(
        cal=company_calendar(),
        first_day=link.first_day,
        last_day=link.last_day,
        duration=dt.timedelta(minutes=link.duration_minutes),
        busy=[item for person in people for item in busy[person]],
        earliest=now + NOTICE,
    )
    if link.interview_id is not None:
        current = link.interview.starts_at if link.interview else None
        slots = [s for s in slots if s != current]
    return slots
