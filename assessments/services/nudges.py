"""The recruiter's "nudge": the scorecard reminder sent now, once.

It goes through the scorecard reminders' own machinery: a notification of the same kind
(`scorecard_reminder`) on the same subject (the interview) for the interviewer, claimed
under the sequence NUDGE, so the unique key (recipient, kind, subject, sequence) lets one
nudge through per interviewer and interview, whoever clicks and however often; its e-mail
goes out through the outbox's exactly-once delivery. The sweep counts it as a reminder
sent: the next one follows on a later business morning, not the same day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Interview, Scorecard
from assessments.reminders import SCORECARD_REMINDER
from assessments.rules import InterviewStatus, ScorecardStatus
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.notifications.models import Notification
from hiring.notifications.services import notify

if TYPE_CHECKING:
    import datetime as dt

NUDGE = 1  # the sweep's sequences are 0 (the first reminder) and dates (20261202)


def nudged_at(*, interview_id: int, interviewer_id: int) -> dt.datetime | None:
    """When the interviewer was nudged about this interview's scorecard, if ever."""
    return (
        Notification.objects.filter(
            kind=SCORECARD_REMINDER,
            subject_type="interview",
            subject_id=interview_id,
            recipient_id=interviewer_id,
            sequence=NUDGE,
        )
        .values_list("created_at", flat=True)
        .first()
    )


@transaction.atomic
def scorecard_nudge(*, interview: Interview, interviewer_id: int, actor: User) -> bool:
    """Send the interviewer their scorecard reminder now. True when this call sent it; False
    when they were nudged already (nothing is sent twice). Refused (400) when the person is
    not on the interview, and (409) when there is nothing to chase: the interview is not
    held or not over yet, or the scorecard is submitted."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    person = interview.interviewers.filter(pk=interviewer_id).first()
    if person is None:
        raise DomainError(
            "No nudge sent: that person is not an interviewer of this interview.",
            fields={"interviewer": ["Not on this interview."]},
        )
    if interview.status != InterviewStatus.SCHEDULED or interview.ends_at > timezone.now():
        raise DomainError(
            "No nudge sent: the interview is not over yet, or it was cancelled.",
            fields={"interview": ["Nothing to chase yet."]},
            status=409,
        )
    submitted = Scorecard.objects.filter(
        interview=interview, interviewer=person, status=ScorecardStatus.SUBMITTED
    ).exists()
    if submitted:
        raise DomainError(
            f"No nudge sent: {person.get_full_name() or person.username} has submitted it.",
            fields={"interview": ["Scorecard submitted."]},
            status=409,
        )
    if nudged_at(interview_id=interview.pk, interviewer_id=person.pk) is not None:
        return False
    candidate = interview.application.candidate.name
    notify(
        recipients=[person.pk],
        kind=SCORECARD_REMINDER,
        subject_type="interview",
        subject_id=interview.pk,
        sequence=NUDGE,
        title=f"Submit your scorecard for {candidate}",
        body=(
            f"{actor.get_full_name() or actor.username} asks for your scorecard for "
            f"{candidate} ({interview.round_name}): the debrief waits for it."
        ),
        url=reverse("interviews:scorecard", args=[interview.pk]),
    )
    audit_record(
        actor=actor,
        action="scorecard.nudge",
        target=interview,
        after={"interviewer": person.username},
    )
    return True
