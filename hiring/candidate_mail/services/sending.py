"""Claiming candidate e-mails in the outbox: each one once, named by what it is about.

Every candidate e-mail is an OutboxMessage with subject "pipeline.Application" (the
candidate's timeline lists them) and a claim key starting "candidate-email:": the
application received once, an interview's invite once per SEQUENCE, a rejection once per
rejection (a reopened and rejected-again application may get a second). The outbox delivers
it after the commit, retries with backoff, and the sweep sends what waited for its time.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from assessments.invites import InviteDetails, invite_calendar
from assessments.models import Interview, InviteMethod
from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import KEY_PREFIX, SUBJECT_TYPE, MailKind
from hiring.candidate_mail.selectors.values import application_values, interview_values
from hiring.notifications.outbox import Attachment, message_claim
from hiring.pipeline.models import Application
from hiring.templating import fill

if TYPE_CHECKING:
    from hiring.notifications.models import OutboxMessage

log = logging.getLogger(__name__)


def candidate_email_claim(
    *,
    key: str,
    application: Application,
    subject: str,
    body: str,
    send_after: dt.datetime | None = None,
    attachments: list[Attachment] | None = None,
) -> OutboxMessage | None:
    """Claim one e-mail to the application's candidate (None: claimed before, or the
    candidate has no address). Call inside the transaction that decides it."""
    address = application.candidate.email
    if not address:
        return None
    return message_claim(
        claim_key=f"{KEY_PREFIX}{key}",
        to=address,
        title=subject,
        body=body.rstrip() + "\n",
        attachments=attachments,
        subject_type=SUBJECT_TYPE,
        subject_id=application.pk,
        send_after=send_after,
    )


def automatic_template(kind: str) -> EmailTemplate | None:
    """The template the product sends for `kind`, when an admin left it switched on."""
    return EmailTemplate.objects.filter(kind=kind, enabled=True).first()


def application_received_send(*, application_id: int) -> OutboxMessage | None:
    """ "We received your application", once per application."""
    template = automatic_template(MailKind.RECEIVED)
    if template is None:
        return None
    application = _application(application_id)
    values = application_values(application)
    return candidate_email_claim(
        key=f"application:{application.pk}:received",
        application=application,
        subject=fill(template.subject, values),
        body=fill(template.body, values),
    )


def interview_email_send(*, interview_id: int, kind: str) -> OutboxMessage | None:
    """The interview's e-mail and .ics to the candidate, once per SEQUENCE of its invite.

    Same UID as the interviewers' invites; a change carries the higher SEQUENCE, a
    cancellation METHOD:CANCEL. The invite carries what the candidate needs (when, the video
    link) and nothing internal: no scorecard link, no questions, no interviewers' notes.
    """
    template = automatic_template(kind)
    if template is None:
        return None
    interview = Interview.objects.select_related(
        "application__candidate", "application__requisition__recruiter"
    ).get(pk=interview_id)
    values = interview_values(interview)
    subject, body = fill(template.subject, values), fill(template.body, values)
    method = InviteMethod.CANCEL if kind == MailKind.CANCELLED else InviteMethod.REQUEST
    ics = invite_calendar(_candidate_invite(interview, values, body, method))
    return candidate_email_claim(
        key=f"interview:{interview.pk}:{interview.sequence}",
        application=interview.application,
        subject=subject,
        body=body,
        attachments=[Attachment("invite.ics", f"text/calendar; method={method}", ics)],
    )


def _candidate_invite(
    interview: Interview, values: dict[str, str], body: str, method: str
) -> InviteDetails:
    candidate = interview.application.candidate
    return InviteDetails(
        uid=f"{interview.ical_uid}@hiring",
        sequence=interview.sequence,
        method=method,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        summary=f"Interview: {values['role']} at {values['company']}".strip(),
        description=body,
        location=interview.location,
        url=values["video_link"] or values["status_link"],
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        attendee_email=candidate.email,
        attendee_name=candidate.name,
        stamp=timezone.now(),
        event_cancelled=method == InviteMethod.CANCEL,
    )


def _application(application_id: int) -> Application:
    return Application.objects.select_related("candidate", "requisition__recruiter").get(
        pk=application_id
    )
