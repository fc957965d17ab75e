"""The outbox: messages to people outside the app, claimed once (delivered once, by
hiring.notifications.delivery).

A domain claims a message with `message_claim` inside the transaction that decides it (a
candidate applied, an offer was sent); the unique `claim_key` refuses a second copy. After
the commit the message is queued to `outbox_send`; the reminder sweep delivers whatever a
broker outage or a killed worker left, and whatever waited for its `send_after`. Delivery
is by compare-and-set, as for notifications (hiring.notifications.delivery): only the caller
that moves the row to "sending" sends; a lease that runs out makes it pending again; a
failure retries with backoff (30 s, doubling, at most an hour), up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.mail import subject_line
from hiring.notifications.models import EmailStatus, MessageChannel, OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    def stored(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content": base64.b64encode(self.content).decode("ascii"),
        }


def message_claim(
    *,
    claim_key: str,
    to: str,
    title: str = "",
    body: str = "",
    channel: str = MessageChannel.EMAIL,
    attachments: list[Attachment] | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    send_after: dt.datetime | None = None,
) -> OutboxMessage | None:
    """Claim one message (None when it was claimed already) and queue it after the commit.

    Call inside the transaction that decides the message: if that rolls back, so does the
    claim, and nothing is sent.
    """
    now = timezone.now()
    due = max(send_after or now, now)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            message = OutboxMessage.objects.create(
                channel=channel,
                claim_key=claim_key[:200],
                to=to[:500],
                title=subject_line(title)[:300] if channel == MessageChannel.EMAIL else title[:300],
                body=body,
                attachments=[a.stored() for a in attachments or []],
                subject_type=subject_type,
                subject_id=subject_id,
                created_at=now,
                send_after=due,
                next_attempt_at=due,
            )
    except IntegrityError:
        return None  # claimed before: exactly once
    if due <= now:
        transaction.on_commit(lambda: _queue([message.pk]))
    return message


def _queue(ids: list[int]) -> None:
    from hiring.notifications.tasks import outbox_send

    try:
        outbox_send.apply_async(args=[ids], retry=False)
    except Exception:  # the broker is down: the sweep delivers them
        log.warning("could not queue outbox messages %s; the sweep will send them", ids)


def message_send_again(*, message: OutboxMessage) -> None:
    """A person asked for another try (a webhook's "send again"): due now, attempts kept."""
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).exclude(status=EmailStatus.SENDING).update(
        status=EmailStatus.PENDING, next_attempt_at=now
    )
    transaction.on_commit(lambda: _queue([message.pk]))
