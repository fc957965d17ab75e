"""A candidate books (or moves) their interview through a pick link.

Held atomically: the link row is locked, then the calendar row of every interviewer of the
panel (in user order, so two bookings never deadlock), and only then is the chosen slot
checked against the panel's interviews and busy times as they are now. A second candidate
after the same interviewer's time waits on those locks, then finds the slot taken and is
told so with the slots still free (`SlotTaken`, 409). Booking goes through the interview
services, so invites go out as for any interview; a reschedule keeps the invite's UID and
raises its SEQUENCE, and the old time is free again at once.

The candidate is not a user: the interview services are called with an anonymous actor, so
the audit log records these changes as made through the link (no user), never as the
recruiter's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from assessments.models import InterviewQuestion, QuestionVersion
from assessments.services.interviews import (
    QuestionAssignment,
    interview_schedule,
    interview_update,
)
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.scheduling.models import InterviewerCalendar, SlotLink
from hiring.scheduling.rules import SlotLinkStatus
from hiring.scheduling.selectors.slots import link_free_slots, link_panel
from hiring.scheduling.services.links import link_problem, slot_link_find, slot_link_set_status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The interview services take the acting user; through a link it is nobody signed in.
THROUGH_LINK = cast("User", AnonymousUser())


class SlotTaken(DomainError):
    """The chosen time is not free (any more): someone else took it, or it was never offered."""

    def __init__(self) -> None:
        message = "That time was just taken. Please pick another one of the times below."
        super().__init__(message, fields={"start": [message]}, status=409)


def _lock_panel(people: list[int]) -> None:
    InterviewerCalendar.objects.bulk_create(
        [InterviewerCalendar(user_id=pk) for pk in people], ignore_conflicts=True
    )
    list(
        InterviewerCalendar.objects.select_for_update()
        .filter(user_id__in=people)
        .order_by("user_id")
        .values_list("pk", flat=True)
    )


def _plan(link: SlotLink) -> list[QuestionAssignment]:
    versions = QuestionVersion.objects.in_bulk([pk for pk, _who in link.questions])
    people = {u.pk: u for u in link.interviewers.all()}
    return [
        QuestionAssignment(
            question_version=versions[pk], interviewer=people.get(who) if who else None
        )
        for pk, who in link.questions
        if pk in versions
    ]


def _current_plan(interview_id: int) -> list[QuestionAssignment]:
    rows = InterviewQuestion.objects.filter(interview_id=interview_id).select_related(
        "question_version", "interviewer"
    )
    return [
        QuestionAssignment(question_version=row.question_version, interviewer=row.interviewer)
        for row in rows.order_by("position", "id")
    ]


@transaction.atomic
def slot_book(*, token: str, starts_at: dt.datetime) -> SlotLink:
    """Book the link's interview at `starts_at` (one of its free slots), or move it there.

    SlotLinkProblem when the link cannot be used (expired, used up, withdrawn: 404/410),
    SlotTaken (409) when the time is not free. Choosing the time already booked changes
    nothing (a double click books once)."""
    found = slot_link_find(token)
    link = SlotLink.objects.select_for_update().get(pk=found.pk)
    link = SlotLink.objects.select_related("interview", "application").get(pk=link.pk)
    now = timezone.now()
    interview = link.interview
    if interview is not None and interview.starts_at == starts_at:
        return link
    problem = link_problem(link, now=now)
    if problem is not None:
        raise problem
    panel = link_panel(link)
    _lock_panel(panel)
    if starts_at not in link_free_slots(link, now=now, panel=panel):
        raise SlotTaken()
    if link.status == SlotLinkStatus.OPEN:
        interview = interview_schedule(
            application=link.application,
            actor=THROUGH_LINK,
            round_name=link.round_name,
            starts_at=starts_at,
            duration_minutes=link.duration_minutes,
            interviewers=list(link.interviewers.all()),
            location=link.location,
            questions=_plan(link),
        )
        link.interview = interview
        link.save(update_fields=["interview", "updated_at"])
        slot_link_set_status(link=link, to=SlotLinkStatus.BOOKED, actor=None, reason="booked")
        action, before = "slot_link.book", None
    else:
        assert interview is not None  # link_problem: a booked link has its interview
        before = {"starts_at": interview.starts_at.astimezone(dt.UTC).isoformat()}
        interview = interview_update(
            interview=interview,
            actor=THROUGH_LINK,
            round_name=interview.round_name,
            starts_at=starts_at,
            duration_minutes=interview.duration_minutes,
            interviewers=list(interview.interviewers.all()),
            location=interview.location,
            questions=_current_plan(interview.pk),
        )
        link.reschedules_left -= 1
        link.save(update_fields=["reschedules_left", "updated_at"])
        action = "slot_link.reschedule"
    audit_record(
        actor=None,
        action=action,
        target=link,
        before=before,
        after={"interview": interview.pk, "starts_at": starts_at.astimezone(dt.UTC).isoformat()},
    )
    return link
