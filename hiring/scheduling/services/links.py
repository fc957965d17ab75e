"""Pick links: a recruiter sets one up, a candidate opens it; its status moves by one function.

`slot_link_create` checks the panel, the length and the days, and refuses a link whose panel
has no free slot in those days (the candidate would find an empty page). `slot_link_open`
turns a token into a usable link or a `SlotLinkProblem` that says what is wrong and whom to
contact.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.utils import timezone

from assessments.rules import InterviewStatus
from assessments.selectors.interviews import interviewer_choices
from assessments.services.interviews import MAX_MINUTES, MIN_MINUTES, QuestionAssignment
from hiring.audit import audit_record
from hiring.business_time import business_window, company_calendar, local_date
from hiring.errors import DomainError
from hiring.ids import parse_id
from hiring.pipeline.models import Application, ApplicationStatus
from hiring.scheduling.links import slot_token_payload
from hiring.scheduling.models import SlotLink, SlotLinkChange
from hiring.scheduling.rules import MAX_WINDOW_DAYS, SLOT_LINK_TRANSITIONS, SlotLinkStatus
from hiring.scheduling.selectors.slots import link_free_slots
from hiring.statuses import transition_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

LATEST_DAY = dt.timedelta(days=365)


class SlotLinkProblem(DomainError):
    """A link the candidate cannot use (now): why, and the recruiter to contact."""

    def __init__(self, message: str, *, status: int, link: SlotLink | None = None) -> None:
        super().__init__(message, fields={"link": [message]}, status=status)
        self.link = link


def slot_link_set_status(*, link: SlotLink, to: str, actor: User | None, reason: str = "") -> None:
    """Move a (locked) link to `to`, as SLOT_LINK_TRANSITIONS allows, and record the move."""
    current = link.status
    if not transition_allowed(
        SLOT_LINK_TRANSITIONS,
        current=current,
        new=to,
        what="link",
        labels=dict(SlotLinkStatus.choices),
    ):
        return
    link.status = to
    link.save(update_fields=["status", "updated_at"])
    SlotLinkChange.objects.create(
        link=link, from_status=current, to_status=to, actor=actor, reason=reason, at=timezone.now()
    )


def _validate(
    *,
    application: Application,
    round_name: str,
    duration_minutes: int,
    location: str,
    interviewers: Sequence[User],
    questions: Sequence[QuestionAssignment],
    first_day: dt.date,
    last_day: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            "Only active applications get interviews.",
            fields={"application": ["Not active."]},
            status=409,
        )
    if not round_name.strip():
        errors["round_name"] = ["Name the round, e.g. Structured interview."]
    elif len(round_name) > 120:
        errors["round_name"] = ["At most 120 characters."]
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
    for item in questions:
        if item.interviewer is not None and item.interviewer.pk not in chosen:
            errors[f"question-{item.question_version.question_id}"] = [
                "Assign the question to one of this interview's interviewers."
            ]
    today = local_date(timezone.now(), company_calendar())
    if first_day < today:
        errors["first_day"] = ["Pick a day from today on."]
    elif first_day > today + LATEST_DAY:
        errors["first_day"] = ["Pick a day within the next year."]
    if last_day < first_day:
        errors["last_day"] = ["The last day comes before the first."]
    elif (last_day - first_day).days >= MAX_WINDOW_DAYS:
        errors["last_day"] = [f"Offer at most {MAX_WINDOW_DAYS} days."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(f"The link was not created: {first}", fields=errors)


@transaction.atomic
def slot_link_create(
    *,
    application: Application,
    actor: User,
    round_name: str,
    duration_minutes: int,
    interviewers: Sequence[User],
    location: str = "",
    questions: Sequence[QuestionAssignment],
    first_day: dt.date,
    last_day: dt.date,
    reschedules: int = 1,
) -> SlotLink:
    """A link for the candidate to pick the interview's time among the panel's free slots
    between `first_day` and `last_day` (company dates). It expires when the last day closes."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _validate(
        application=application,
        round_name=round_name,
        duration_minutes=duration_minutes,
        location=location,
        interviewers=interviewers,
        questions=questions,
        first_day=first_day,
        last_day=last_day,
    )
    link = SlotLink.objects.create(
        application=application,
        created_by=actor,
        round_name=round_name.strip(),
        duration_minutes=duration_minutes,
        location=location.strip(),
        questions=[
            [item.question_version.pk, item.interviewer.pk if item.interviewer else None]
            for item in questions
        ],
        first_day=first_day,
        last_day=last_day,
        expires_at=business_window(last_day, company_calendar())[1],
        reschedules_left=max(0, min(reschedules, 3)),
        nonce=secrets.token_urlsafe(18),
    )
    link.interviewers.set(interviewers)
    if not link_free_slots(link, now=timezone.now()):
        raise DomainError(
            "The panel has no free slot on those days: offer more days or other interviewers.",
            fields={"last_day": ["No free slot for the whole panel in these days."]},
        )
    SlotLinkChange.objects.create(
        link=link, to_status=SlotLinkStatus.OPEN, actor=actor, at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="slot_link.create",
        target=link,
        after={
            "application": application.pk,
            "interviewers": sorted(u.pk for u in interviewers),
            "duration_minutes": duration_minutes,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
        },
    )
    return link


@transaction.atomic
def slot_link_close(*, link: SlotLink, actor: User) -> SlotLink:
    """Withdraw a link: the candidate can no longer book or reschedule through it (an
    interview it booked stays; cancel that on its own)."""
    link = SlotLink.objects.select_for_update().get(pk=link.pk)
    if link.status == SlotLinkStatus.CLOSED:
        raise DomainError("This link is closed already.", status=409)
    before = {"status": link.status}
    slot_link_set_status(link=link, to=SlotLinkStatus.CLOSED, actor=actor, reason="withdrawn")
    audit_record(
        actor=actor,
        action="slot_link.close",
        target=link,
        before=before,
        after={"status": "closed"},
    )
    return link


def slot_link_find(token: str) -> SlotLink:
    """The link a token names (signature and nonce checked), whatever its state."""
    try:
        payload = slot_token_payload(token)
    except signing.BadSignature:
        raise SlotLinkProblem("This link is not valid.", status=404) from None
    link_id = parse_id(str(payload["l"]))
    link = (
        SlotLink.objects.select_related(
            "created_by", "application__requisition", "application__candidate", "interview"
        )
        .filter(pk=link_id)
        .first()
        if link_id
        else None
    )
    if link is None or not secrets.compare_digest(link.nonce, str(payload["n"])):
        raise SlotLinkProblem("This link is not valid.", status=404)
    return link


def link_problem(link: SlotLink, *, now: dt.datetime) -> SlotLinkProblem | None:
    """Why the candidate cannot pick a time through this link now, or None."""
    if link.status == SlotLinkStatus.CLOSED:
        return SlotLinkProblem("This link was withdrawn.", status=410, link=link)
    interview = link.interview
    if link.status == SlotLinkStatus.BOOKED:
        if interview is None or interview.status == InterviewStatus.CANCELLED:
            return SlotLinkProblem("This interview was cancelled.", status=410, link=link)
        if link.reschedules_left <= 0:
            return SlotLinkProblem(
                "This link has been used: your interview is booked.", status=410, link=link
            )
        if interview.starts_at <= now + dt.timedelta(hours=1):
            return SlotLinkProblem(
                "Your interview is about to start or has taken place: it can no longer be "
                "moved here.",
                status=410,
                link=link,
            )
    if link.expires_at <= now:
        return SlotLinkProblem("This link has expired.", status=410, link=link)
    if link.application.status != ApplicationStatus.ACTIVE:
        return SlotLinkProblem("This link is no longer open.", status=410, link=link)
    return None
