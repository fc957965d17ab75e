"""Delivering a notification's e-mail exactly once, with retries and backoff.

Delivery happens after the commit that claimed the row, per row, by compare-and-set
(healthchecks' pattern): `UPDATE ... SET email_status='sending', lease WHERE id=... AND
(pending and due, or a lease that ran out)`; only the caller that changed the row sends. Then
the row is marked sent. A worker killed between the two leaves a `sending` row whose lease
runs out, so the next sweep sends it (the e-mail is never lost; it can only repeat if the
process dies in the milliseconds between the mail server accepting it and the row being
marked sent). A failed send goes back to pending with a later attempt time (30 s, doubling,
at most an hour), up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db.models import Q
from django.utils import timezone

from hiring.mail import subject_line
from hiring.notifications.models import EmailStatus, MessageChannel, Notification, OutboxMessage
from hiring.notifications.registry import (
    Delivered,
    deliverer_for,
    kind_named,
    on_delivered_for,
)

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 8


def due_for_delivery(*, now: dt.datetime, limit: int) -> list[int]:
    """Pending e-mails whose attempt time has come, and sends whose lease ran out."""
    return list(
        Notification.objects.filter(
            email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING],
            email_next_attempt_at__lte=now,
        )
        .order_by("email_next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> str:
    """Send one notification's e-mail unless someone else has it or it is done.

    Returns "sent", "skipped" (already sent, being sent, or not due), or "failed" (this
    attempt failed; it is rescheduled). Raises nothing for a mail failure: the row records it.
    """
    now = now or timezone.now()
    # Compare-and-set: only one caller moves the row to "sending".
    taken = Notification.objects.filter(
        Q(email_status=EmailStatus.PENDING) | Q(email_status=EmailStatus.SENDING),
        pk=notification_id,
        email_next_attempt_at__lte=now,
    ).update(email_status=EmailStatus.SENDING, email_next_attempt_at=now + LEASE)
    if taken != 1:
        return "skipped"
    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not (row.recipient.email and row.recipient.is_active):
        # Nothing to send to: done, and the inbox still has it.
        Notification.objects.filter(pk=row.pk).update(
            email_status=EmailStatus.SENT, email_error="No e-mail address, or account inactive"
        )
        return "skipped"
    try:
        send_mail(
            subject=subject_line(row.title),
            message=email_text(row),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[row.recipient.email],
        )
    except Exception as error:  # SMTP, DNS, socket: all retried the same way
        attempts = row.email_attempts + 1
        gave_up = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.FAILED if gave_up else EmailStatus.PENDING,
            email_attempts=attempts,
            email_next_attempt_at=now + backoff(attempts),
            email_error=f"{type(error).__name__}: {error}"[:300],
        )
        log.warning("e-mail for notification %s failed (attempt %s): %s", row.pk, attempts, error)
        return "failed"
    Notification.objects.filter(pk=row.pk).update(
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_attempts=row.email_attempts + 1,
        email_error="",
    )
    return "sent"


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min ... after the n-th failure, at most an hour."""
    return dt.timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def email_text(row: Notification) -> str:
    """Short: what happened, then the one link the reader needs."""
    kind = kind_named(row.kind)
    link = row.url
    if kind is not None and kind.email_link is not None:
        link = kind.email_link(row.subject_id, row.recipient_id)
    return f"{row.body}\n\n{settings.SITE_URL}{link}\n"


# Outbox messages (hiring.notifications.outbox) -------------------------------------------


def messages_due(*, now: dt.datetime, limit: int) -> list[int]:
    """Pending messages whose time has come, and sends whose lease ran out."""
    return list(
        OutboxMessage.objects.filter(
            status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def message_send(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Deliver one message unless someone else has it or it is done: "sent", "skipped" or
    "failed" (this attempt failed and is rescheduled; the row says why)."""
    now = now or timezone.now()
    taken = OutboxMessage.objects.filter(
        Q(status=EmailStatus.PENDING) | Q(status=EmailStatus.SENDING),
        pk=message_id,
        next_attempt_at__lte=now,
    ).update(status=EmailStatus.SENDING, next_attempt_at=now + LEASE)
    if taken != 1:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        outcome = _deliver(message)
    except Exception as error:  # SMTP, DNS, a socket, a receiver: all retried alike
        outcome = Delivered(ok=False, result=f"{type(error).__name__}: {error}")
    attempts = message.attempts + 1
    if outcome.ok:
        delivered_at = timezone.now()
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=EmailStatus.SENT, sent_at=delivered_at, attempts=attempts,
            last_result=outcome.result[:300],
        )  # fmt: skip
        _tell_delivered(message, delivered_at)
        return "sent"
    gave_up = attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.FAILED if gave_up else EmailStatus.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_result=outcome.result[:300],
    )
    log.warning("outbox message %s failed (attempt %s): %s", message.pk, attempts, outcome.result)
    return "failed"


def _tell_delivered(message: OutboxMessage, at: dt.datetime) -> None:
    """The domain that sent it learns it went (an offer becomes "sent"). Its failure does
    not undo the delivery: the domain's own sweep step catches up from the sent row."""
    listener = on_delivered_for(message.subject_type)
    if listener is None or message.subject_id is None:
        return
    try:
        listener(message.subject_id, message.claim_key, at)
    except Exception:
        log.exception("delivery listener for outbox message %s failed", message.pk)


def _deliver(message: OutboxMessage) -> Delivered:
    if message.channel == MessageChannel.EMAIL:
        return _send_email(message)
    deliverer = deliverer_for(message.channel)
    if deliverer is None:
        return Delivered(ok=False, result=f"No deliverer for the {message.channel} channel")
    return deliverer(message)


def _send_email(message: OutboxMessage) -> Delivered:
    email = EmailMultiAlternatives(
        subject=subject_line(message.title),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    )
    for item in message.attachments:
        content = base64.b64decode(item["content"])
        email.attach(item["filename"], content, item["content_type"])
    email.send()
    return Delivered(ok=True, result="Accepted by the mail server")
