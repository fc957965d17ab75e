"""Calendar invites for interviews: the iCalendar file, the e-mail, and exactly-once sending.

`invites_reconcile` is what the Celery task runs. It compares who should hold the current
invite with what was sent (`assessments.InterviewInvite`, one row per attendee and SEQUENCE):
an interviewer without the current SEQUENCE gets a REQUEST, someone who holds a REQUEST but is
off the interview, or whose interview was cancelled, gets a CANCEL. Each row is inserted before
its e-mail is sent, in one transaction, so a task run twice (or a sweep after a crash) sends
nothing twice, and a failed send leaves no row and is tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from assessments.models import Interview, InterviewInvite, InterviewQuestion, InviteMethod
from assessments.rules import InterviewStatus
from hiring.mail import subject_line

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)
PRODID = "-//hiring//structured interviews//EN"


@dataclass(frozen=True)
class InviteDetails:
    """Everything one invite says, as plain values (no ORM): easy to build and to test."""

    uid: str
    sequence: int
    method: str  # REQUEST or CANCEL
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: str
    location: str
    url: str  # the interviewer's scorecard; the candidate's video link or status page
    organizer_email: str
    attendee_email: str
    attendee_name: str
    stamp: dt.datetime
    # CANCEL to someone taken off the interview says nothing of the event itself (RFC 5546
    # §3.2.5): only a cancelled interview's CANCEL carries STATUS:CANCELLED.
    event_cancelled: bool = False


def invite_calendar(details: InviteDetails) -> bytes:
    """The .ics file: one VEVENT, times in UTC, METHOD and STATUS matching the action."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", details.method)
    event = Event()
    event.add("uid", details.uid)
    event.add("sequence", details.sequence)
    event.add("dtstamp", details.stamp.astimezone(dt.UTC))
    event.add("dtstart", details.starts_at.astimezone(dt.UTC))
    event.add("dtend", details.ends_at.astimezone(dt.UTC))
    event.add("summary", details.summary)
    event.add("description", details.description)
    if details.location:
        event.add("location", details.location)
    if details.url:
        event.add("url", details.url)
    if details.method == InviteMethod.REQUEST:
        event.add("status", "CONFIRMED")
    elif details.event_cancelled:
        event.add("status", "CANCELLED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{details.organizer_email}")
    organizer.params["cn"] = vText("hiring")
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{details.attendee_email}")
    attendee.params["cn"] = vText(details.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def scorecard_url(interview_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('interviews:scorecard', args=[interview_id])}"


def _video_link(location: str) -> str:
    return location if location.startswith(("https://", "http://")) else ""


def invite_details(
    interview: Interview, attendee: User, method: str, questions: list[str]
) -> InviteDetails:
    application = interview.application
    candidate = application.candidate.name
    local = timezone.localtime(interview.starts_at)
    when = f"{local:%A %-d %B %Y, %H:%M} {local.tzname()} ({interview.duration_minutes} minutes)"
    link = scorecard_url(interview.pk)
    video = _video_link(interview.location)
    lines = [
        f"{interview.round_name} with {candidate} for {application.requisition.title}.",
        f"When: {when}",
        f"Video call: {video}" if video else f"Where: {interview.location or 'to be confirmed'}",
        f"Your live scorecard: {link}",
    ]
    if questions:
        lines += ["", "Questions you ask:", *(f"- {q}" for q in questions)]
    if method == InviteMethod.CANCEL:
        lines.insert(0, "This interview is cancelled for you.")
    return InviteDetails(
        uid=f"{interview.ical_uid}@hiring",
        sequence=interview.sequence,
        method=method,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        summary=f"Interview: {candidate} · {interview.round_name}",
        description="\n".join(lines),
        location=interview.location,
        url=link,
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        attendee_email=attendee.email,
        attendee_name=attendee.get_full_name() or attendee.get_username(),
        stamp=timezone.now(),
        event_cancelled=method == InviteMethod.CANCEL
        and interview.status == InterviewStatus.CANCELLED,
    )


def invite_email(details: InviteDetails, *, updated: bool) -> EmailMultiAlternatives:
    """The e-mail: a short text body with the two links, the .ics attached as
    `text/calendar; method=…` so calendar clients offer accept and decline."""
    if details.method == InviteMethod.CANCEL:
        subject = f"Cancelled: {details.summary}"
    else:
        subject = f"{'Updated' if updated else 'Invitation'}: {details.summary}"
    message = EmailMultiAlternatives(
        subject=subject_line(subject),
        body=details.description + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[details.attendee_email],
    )
    part = MIMEText(invite_calendar(details).decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", details.method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def _question_lines(interview: Interview, attendee_id: int) -> list[str]:
    rows = InterviewQuestion.objects.filter(interview=interview).select_related(
        "question_version__question"
    )
    return [
        f"Q{q.question_version.question.number}. {q.question_version.text}"
        for q in rows
        if q.interviewer_id in (None, attendee_id)
    ]


def invites_reconcile(*, interview_id: int) -> int:
    """Send whatever invite or cancellation is due for one interview; returns how many."""
    interview = (
        Interview.objects.select_related("application__candidate", "application__requisition")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        return 0
    current = {u.pk: u for u in interview.interviewers.all()}
    if interview.status == InterviewStatus.CANCELLED:
        current = {}
    last: dict[int, InterviewInvite] = {}
    for row in InterviewInvite.objects.filter(interview=interview).select_related("attendee"):
        if row.attendee_id not in last or row.sequence > last[row.attendee_id].sequence:
            last[row.attendee_id] = row
    sent = 0
    for user_id, user in current.items():
        previous = last.get(user_id)
        if previous is None or previous.sequence < interview.sequence:
            updated = previous is not None and previous.method == InviteMethod.REQUEST
            sent += _send_once(interview, user, InviteMethod.REQUEST, updated=updated)
    for user_id, previous in last.items():
        gone = user_id not in current
        if gone and previous.method == InviteMethod.REQUEST:
            sent += _send_once(interview, previous.attendee, InviteMethod.CANCEL, updated=True)
    return sent


def _send_once(interview: Interview, attendee: User, method: str, *, updated: bool) -> int:
    if not attendee.email:
        return 0
    questions = _question_lines(interview, attendee.pk) if method == InviteMethod.REQUEST else []
    try:
        with transaction.atomic():
            InterviewInvite.objects.create(
                interview=interview,
                attendee=attendee,
                sequence=interview.sequence,
                method=method,
                sent_at=timezone.now(),
            )
            details = invite_details(interview, attendee, method, questions)
            invite_email(details, updated=updated).send()
    except IntegrityError:  # another run claimed it first
        return 0
    return 1


def invites_sweep(*, within: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Reconcile every interview changed recently (the broker was down, a worker died)."""
    since = timezone.now() - within
    ids = Interview.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
    return sum(invites_reconcile(interview_id=pk) for pk in ids)
