"""What this domain does when something happens elsewhere (hiring.events).

It listens inside the transaction that made the change, so the e-mail's claim commits or
rolls back with it. A failure here is logged and never undoes the change itself (an
interview stays scheduled if its candidate e-mail cannot be built).
"""

from __future__ import annotations

import logging

from django.db import transaction

from hiring.candidate_mail.rules import MailKind
from hiring.candidate_mail.services.sending import application_received_send, interview_email_send
from hiring.events import Event

log = logging.getLogger(__name__)

INTERVIEW_EVENTS = {
    "interview.scheduled": MailKind.SCHEDULED,
    "interview.rescheduled": MailKind.CHANGED,
    "interview.cancelled": MailKind.CANCELLED,
}
# A change the candidate does not see (only who interviews): no e-mail for it.
UNSEEN_BY_CANDIDATE = {"interviewers"}


def on_event(event: Event) -> None:
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the change alone
            _handle(event)
    except Exception:
        log.exception("candidate e-mail for %s %s", event.name, event.subject_id)


def _handle(event: Event) -> None:
    if event.name == "application.created":
        # Only applications the candidate made themselves: a recruiter adding someone by
        # hand or by CSV tells no one.
        if event.data.get("via") == "careers":
            application_received_send(application_id=event.subject_id)
        return
    kind = INTERVIEW_EVENTS.get(event.name)
    if kind is None:
        return
    changed = set(event.data.get("changed", ())) - UNSEEN_BY_CANDIDATE
    if kind == MailKind.CHANGED and "changed" in event.data and not changed:
        return
    interview_email_send(interview_id=event.subject_id, kind=kind)
