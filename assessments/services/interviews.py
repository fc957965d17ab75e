"""Interviews: scheduling, rescheduling and cancelling, each with its calendar invites.

Every change runs in one transaction with the interview row locked, bumps the invite's
SEQUENCE when something an attendee sees changed, writes the audit entry, and queues the
invite e-mails with `transaction.on_commit` (the task reconciles: whoever should have the
current invite and does not gets it, whoever was removed gets a cancellation).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Interview,
    InterviewChange,
    InterviewQuestion,
    QuestionVersion,
    Scorecard,
)
from assessments.rules import INTERVIEW_TRANSITIONS, InterviewStatus, ScorecardStatus
from assessments.selectors.interviews import interviewer_choices
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.events import emit
from hiring.pipeline.models import Application, ApplicationStatus
from hiring.statuses import transition_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)
MIN_MINUTES, MAX_MINUTES = 15, 480
EARLIEST = dt.timedelta(hours=24)  # an interview held earlier today can still be recorded
LATEST = dt.timedelta(days=366)


@dataclass(frozen=True)
class QuestionAssignment:
    """One question an interview covers; `interviewer` None means every interviewer asks it."""

    question_version: QuestionVersion
    interviewer: User | None = None


def _validate(
    *,
    round_name: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    interviewers: Sequence[User],
    location: str,
    questions: Sequence[QuestionAssignment],
) -> None:
    errors: dict[str, list[str]] = {}
    if not round_name.strip():
        errors["round_name"] = ["Name the round, e.g. Structured interview."]
    elif len(round_name) > 120:
        errors["round_name"] = ["At most 120 characters."]
    if timezone.is_naive(starts_at):
        errors["starts_at"] = ["Give a time with its time zone."]
    else:
        now = timezone.now()
        if starts_at < now - EARLIEST:
            errors["starts_at"] = ["That is more than a day ago: pick a time from today on."]
        elif starts_at > now + LATEST:
            errors["starts_at"] = ["Pick a time within the next year."]
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [f"Between {MIN_MINUTES} and {MAX_MINUTES} minutes."]
    if len(location) > 300:
        errors["location"] = ["At most 300 characters."]
    if not interviewers:
        errors["interviewers"] = ["Choose at least one interviewer."]
    else:
        allowed = set(interviewer_choices().values_list("pk", flat=True))
        outside = [u for u in interviewers if u.pk not in allowed]
        if outside:
            names = ", ".join(u.get_full_name() or u.get_username() for u in outside)
            errors["interviewers"] = [f"Not an interviewer or hiring manager: {names}."]
    if not questions:
        errors["questions"] = ["Give the interview at least one question to ask."]
    chosen = {u.pk for u in interviewers}
    seen: set[int] = set()
    for item in questions:
        question_id = item.question_version.question_id
        if question_id in seen:
            errors.setdefault("questions", []).append("A question is listed twice.")
        seen.add(question_id)
        if item.interviewer is not None and item.interviewer.pk not in chosen:
            errors[f"question-{question_id}"] = [
                "Assign the question to one of this interview's interviewers."
            ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(f"The interview was not saved: {first}", fields=errors)


def _whole_minute(value: dt.datetime) -> dt.datetime:
    """Calendar invites carry whole seconds; interviews start on a whole minute."""
    return value.replace(second=0, microsecond=0)


def _check_application(application: Application) -> None:
    if application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            f"The application is {application.get_status_display().lower()}: "
            "only active applications get interviews.",
            fields={"application": ["Not active."]},
            status=409,
        )


def _set_questions(interview: Interview, questions: Sequence[QuestionAssignment]) -> None:
    InterviewQuestion.objects.filter(interview=interview).delete()
    InterviewQuestion.objects.bulk_create(
        InterviewQuestion(
            interview=interview,
            question_version=item.question_version,
            position=position,
            interviewer=item.interviewer,
        )
        for position, item in enumerate(questions)
    )


def _question_plan(interview: Interview) -> list[tuple[int, int | None]]:
    return list(
        InterviewQuestion.objects.filter(interview=interview)
        .order_by("position", "id")
        .values_list("question_version_id", "interviewer_id")
    )


def _snapshot(interview: Interview) -> dict[str, Any]:
    return {
        "round_name": interview.round_name,
        # In UTC: the form's value comes in the company's zone, the stored one in UTC, and the
        # same instant must compare equal (else a reschedule to the same time is a change).
        "starts_at": interview.starts_at.astimezone(dt.UTC).isoformat(),
        "duration_minutes": interview.duration_minutes,
        "location": interview.location,
        "interviewers": sorted(interview.interviewers.values_list("pk", flat=True)),
        "sequence": interview.sequence,
        "status": interview.status,
    }


def invites_queue(interview_id: int) -> None:
    """After commit, send the interview's invites from the worker.

    If the broker cannot be reached the change is kept and the invite sweep sends them later
    (it reconciles from the database), so scheduling never fails on a mail queue.
    """

    def send() -> None:
        from assessments.tasks import interview_invites_send

        try:
            # No publish retries: with the broker down, fail fast and let the sweep send them.
            interview_invites_send.apply_async((interview_id,), retry=False)
        except Exception:  # the broker is down: the sweep will pick it up
            logger.warning(
                "invites for interview %s not queued; the sweep sends them", interview_id
            )

    transaction.on_commit(send)


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    actor: User,
    round_name: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    interviewers: Sequence[User],
    location: str = "",
    questions: Sequence[QuestionAssignment],
) -> Interview:
    """Schedule an interview and send each interviewer a calendar invite."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_application(application)
    starts_at = _whole_minute(starts_at)
    _validate(
        round_name=round_name,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        interviewers=interviewers,
        location=location,
        questions=questions,
    )
    interview = Interview.objects.create(
        application=application,
        round_name=round_name.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    interview.interviewers.set(interviewers)
    _set_questions(interview, questions)
    audit_record(
        actor=actor,
        action="interview.schedule",
        target=interview,
        after={**_snapshot(interview), "questions": _question_plan(interview)},
    )
    invites_queue(interview.pk)
    emit("interview.scheduled", subject=interview, data=_event_data(interview))
    return interview


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    actor: User,
    round_name: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    interviewers: Sequence[User],
    location: str = "",
    questions: Sequence[QuestionAssignment],
) -> Interview:
    """Reschedule or change an interview. Attendees get the updated invite (same UID, higher
    SEQUENCE); someone taken off it gets a cancellation. Nothing changed: nothing is sent."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.status == InterviewStatus.CANCELLED:
        raise DomainError("This interview was cancelled; schedule a new one instead.", status=409)
    starts_at = _whole_minute(starts_at)
    _validate(
        round_name=round_name,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        interviewers=interviewers,
        location=location,
        questions=questions,
    )
    removed = set(interview.interviewers.values_list("pk", flat=True)) - {
        u.pk for u in interviewers
    }
    submitted = Scorecard.objects.filter(
        interview=interview, interviewer_id__in=removed, status=ScorecardStatus.SUBMITTED
    ).select_related("interviewer")
    if submitted:
        names = ", ".join(
            s.interviewer.get_full_name() or s.interviewer.username for s in submitted
        )
        raise DomainError(
            f"{names} already submitted a scorecard for this interview and stays on it.",
            fields={"interviewers": ["Cannot remove someone who submitted a scorecard."]},
        )
    before = {**_snapshot(interview), "questions": _question_plan(interview)}
    interview.round_name = round_name.strip()
    interview.starts_at = starts_at
    interview.duration_minutes = duration_minutes
    interview.location = location.strip()
    interview.save()
    interview.interviewers.set(interviewers)
    _set_questions(interview, questions)
    after = {**_snapshot(interview), "questions": _question_plan(interview)}
    if after == before:
        return interview
    seen_by_attendees = {"round_name", "starts_at", "duration_minutes", "location", "interviewers"}
    if any(before[k] != after[k] for k in seen_by_attendees):
        interview.sequence += 1
        interview.save(update_fields=["sequence", "updated_at"])
        after["sequence"] = interview.sequence
        invites_queue(interview.pk)
        changed = sorted(k for k in seen_by_attendees if before[k] != after[k])
        emit("interview.rescheduled", subject=interview, data=_event_data(interview, changed))
    audit_record(
        actor=actor, action="interview.update", target=interview, before=before, after=after
    )
    return interview


def interview_set_status(
    *, interview: Interview, to: str, actor: User, reason: str = "", also: Sequence[str] = ()
) -> None:
    """Move a (locked) interview to `to`, as INTERVIEW_TRANSITIONS allows, and record the move.

    Nothing happens when the status is unchanged; a move the map does not allow is refused
    (409). `also` names the other fields the caller changed with it, saved in the same UPDATE.
    """
    current = interview.status
    if not transition_allowed(
        INTERVIEW_TRANSITIONS,
        current=current,
        new=to,
        what="interview",
        labels=dict(InterviewStatus.choices),
    ):
        return
    interview.status = to
    interview.save(update_fields=["status", *also, "updated_at"])
    InterviewChange.objects.create(
        interview=interview,
        from_status=current,
        to_status=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        at=timezone.now(),
    )


@transaction.atomic
def interview_cancel(*, interview: Interview, actor: User) -> Interview:
    """Cancel an interview; every attendee gets METHOD:CANCEL for the same UID.

    Refused (409) once it is cancelled already, or when a scorecard was submitted for it (it
    took place)."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.status == InterviewStatus.CANCELLED:
        raise DomainError("This interview is cancelled already.", status=409)
    if Scorecard.objects.filter(interview=interview, status=ScorecardStatus.SUBMITTED).exists():
        raise DomainError(
            "Scorecards were already submitted for this interview: it took place, so it "
            "cannot be cancelled.",
            status=409,
        )
    interview.sequence += 1
    interview_set_status(
        interview=interview, to=InterviewStatus.CANCELLED, actor=actor, also=["sequence"]
    )
    audit_record(
        actor=actor,
        action="interview.cancel",
        target=interview,
        before={"status": InterviewStatus.SCHEDULED},
        after={"status": InterviewStatus.CANCELLED, "sequence": interview.sequence},
    )
    invites_queue(interview.pk)
    emit("interview.cancelled", subject=interview, data=_event_data(interview))
    return interview


def _event_data(interview: Interview, changed: list[str] | None = None) -> dict[str, Any]:
    """What listeners (the candidate's e-mails, webhooks) get: ids and times, nothing
    internal (no questions, no scorecards)."""
    data: dict[str, Any] = {
        "application": interview.application_id,
        "sequence": interview.sequence,
        "starts_at": interview.starts_at.astimezone(dt.UTC).isoformat(),
        "duration_minutes": interview.duration_minutes,
    }
    if changed is not None:
        data["changed"] = changed
    return data
