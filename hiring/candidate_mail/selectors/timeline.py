"""The candidate's e-mails on their timeline (a source registered with the pipeline's).

One query whatever the number of applications. The entry shows the subject and whether it
went (or when it will), never the address or the text: interviewers see the timeline too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet
from django.utils import timezone

from hiring.candidate_mail.rules import KEY_PREFIX, SUBJECT_TYPE
from hiring.compiled import compiled
from hiring.notifications.models import EmailStatus, OutboxMessage
from hiring.pipeline.models import Application
from hiring.pipeline.timeline import TimelineEntry

EMAIL = "email"


@compiled
def _emails_of(application_ids: list[int]) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        subject_type=SUBJECT_TYPE, subject_id__in=application_ids, claim_key__startswith=KEY_PREFIX
    ).only("title", "status", "created_at", "send_after", "sent_at", "subject_id")


def email_timeline_entries(by_id: Mapping[int, Application]) -> Iterable[TimelineEntry]:
    now = timezone.now()
    rows = _emails_of(list(by_id))
    entries = []
    for row in rows:
        waiting = row.status == EmailStatus.PENDING and row.send_after > now
        at = row.sent_at or (row.send_after if waiting else row.created_at)
        entries.append(
            TimelineEntry(
                EMAIL, at, by_id[int(row.subject_id or 0)], "candidate_mail/_event_email.jinja",
                row, upcoming=waiting,
            )
        )  # fmt: skip
    return entries
