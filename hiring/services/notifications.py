"""Notifications: claiming a reminder (the inbox row) and delivering its e-mail exactly once.

Claiming inserts `Notification` rows whose unique key (recipient, kind, subject, sequence)
refuses a second copy: `notifications_claim` is called inside the caller's transaction,
together with whatever marks the reminder as done, so a crash before the commit leaves
nothing behind and the next sweep claims it again.

Delivery happens after the commit, per row, by compare-and-set (healthchecks' pattern):
`UPDATE ... SET email_status='sending', lease WHERE id=... AND (pending and due, or a
lease that ran out)`; only the caller that changed the row sends. Then the row is marked
sent. A worker killed between the two leaves a `sending` row whose lease runs out, so the
next sweep sends it (the e-mail is never lost; it can only repeat if the process dies in
the milliseconds between the mail server accepting it and the row being marked sent).
A failed send goes back to pending with a later attempt time (30 s, doubling, at most an
hour), up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hiring.models import EmailStatus, Notification, NotificationKind

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 8
BATCH = 2_000
APPROVAL_LINK_SALT = "hiring.offers.approval-link"
# Kinds whose e-mail carries a signed approval link instead of the plain page link.
APPROVER_KINDS = {NotificationKind.APPROVAL_REQUESTED, NotificationKind.APPROVER_REMINDER}


class Claim(NamedTuple):
    """One notification to insert: the claim's key (recipient, kind, subject, sequence) and
    what the reader sees. A plain tuple, so a sweep can build tens of thousands cheaply."""

    recipient_id: int
    kind: str
    subject_type: str
    subject_id: int
    sequence: int
    title: str
    body: str
    url: str
    created_at: dt.datetime

    def title_body_url(self) -> tuple[str, str, str]:
        return self.title, self.body, self.url


def notification_row(
    *,
    recipient_id: int,
    kind: str,
    subject_type: str,
    subject_id: int,
    title: str,
    body: str,
    url: str,
    now: dt.datetime,
    sequence: int = 0,
) -> Claim:
    return Claim(
        recipient_id, kind, subject_type, subject_id, sequence, title[:200], body, url[:500], now
    )


def notifications_claim(rows: Sequence[Claim]) -> int:
    """Insert the claims; rows already claimed (same key) are skipped by the database.

    Call inside the transaction that also records the reminder as done. Returns how many
    rows were offered (the database decides which are new; delivery reads what is pending).
    On PostgreSQL one multi-row `INSERT ... ON CONFLICT DO NOTHING` per 5,000 rows: a cold
    sweep can claim tens of thousands at once (bench/sweep.py).
    """
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        _claim_postgresql(rows)
        return len(rows)
    Notification.objects.bulk_create(
        [Notification(**row._asdict(), email_next_attempt_at=row.created_at) for row in rows],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(rows)


COPY_FROM = 500  # more rows than this go through COPY


def _claim_postgresql(rows: Sequence[Claim]) -> None:
    """Few rows: one multi-row INSERT. Many (a cold sweep): COPY into a scratch table, then
    one INSERT ... SELECT; both skip rows already claimed (ON CONFLICT DO NOTHING)."""
    table = Notification._meta.db_table
    columns = ", ".join(Claim._fields)
    extra = "email_status, email_attempts, email_next_attempt_at, email_error"
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if len(rows) <= COPY_FROM:
            from psycopg2.extras import execute_values

            execute_values(
                cursor,
                f"INSERT INTO {table} ({columns}, {extra}) VALUES %s "  # noqa: S608
                "ON CONFLICT DO NOTHING",
                [(*row, EmailStatus.PENDING.value, 0, row.created_at, "") for row in rows],
                page_size=COPY_FROM,
            )
            return
        # Per connection, emptied after use: safe to call again in the same transaction.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS notification_claims (recipient_id bigint, "
            "kind text, subject_type text, subject_id bigint, sequence bigint, title text, "
            "body text, url text, created_at timestamptz)"
        )
        buffer = io.StringIO()
        stamps: dict[dt.datetime, str] = {}  # a sweep's rows share one timestamp
        for row in rows:
            stamp = stamps.get(row.created_at) or stamps.setdefault(
                row.created_at, row.created_at.isoformat()
            )
            text = "\t".join(_copy_text(value) for value in row.title_body_url())
            buffer.write(f"{row.recipient_id}\t{row.kind}\t{row.subject_type}\t")
            buffer.write(f"{row.subject_id}\t{row.sequence}\t{text}\t{stamp}\n")
        buffer.seek(0)
        cursor.copy_expert(f"COPY notification_claims ({columns}) FROM STDIN", buffer)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {extra}) "  # noqa: S608
            f"SELECT {columns}, %s, 0, created_at, '' FROM notification_claims "
            "ON CONFLICT DO NOTHING",
            [EmailStatus.PENDING.value],
        )
        cursor.execute("TRUNCATE notification_claims")


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """A text value in COPY's text format (backslash escapes, only when needed)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(COPY_ESCAPES)
    return value


def notify(
    *,
    recipients: Iterable[int],
    kind: str,
    subject_type: str,
    subject_id: int,
    title: str,
    body: str,
    url: str,
    sequence: int = 0,
    now: dt.datetime | None = None,
) -> None:
    """Claim one notification per recipient and queue their e-mails after the commit."""
    now = now or timezone.now()
    rows = [
        notification_row(
            recipient_id=user_id,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            sequence=sequence,
            title=title,
            body=body,
            url=url,
            now=now,
        )
        for user_id in sorted(set(recipients))
    ]
    notifications_claim(rows)
    key = {"kind": kind, "subject_type": subject_type, "subject_id": subject_id}
    transaction.on_commit(lambda: _queue_delivery(key, sequence))


def _queue_delivery(key: dict[str, Any], sequence: int) -> None:
    from hiring.tasks import notifications_send

    ids = list(
        Notification.objects.filter(
            **key, sequence=sequence, email_status=EmailStatus.PENDING
        ).values_list("pk", flat=True)
    )
    if ids:
        try:
            # No publish retries: with the broker down the request must not hang on it.
            notifications_send.apply_async(args=[ids], retry=False)
        except Exception:  # the broker is down: the next sweep delivers them
            log.warning("could not queue e-mails %s; the sweep will send them", ids)


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
            subject=row.title,
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
    link = row.url
    if row.kind in APPROVER_KINDS and row.subject_type == "step":
        link = approval_link(step_id=row.subject_id, user_id=row.recipient_id)
    return f"{row.body}\n\n{settings.SITE_URL}{link}\n"


def approval_link(*, step_id: int, user_id: int) -> str:
    """A signed, expiring, single-use link to decide one step (login still required)."""
    token = signing.dumps(
        {"s": step_id, "u": user_id, "n": secrets.token_urlsafe(12)}, salt=APPROVAL_LINK_SALT
    )
    return reverse("offers:approval-link", args=[token])


def approval_link_payload(token: str) -> dict[str, Any]:
    """The link's content; raises signing.BadSignature (or SignatureExpired) when invalid."""
    max_age = dt.timedelta(hours=settings.APPROVAL_LINK_HOURS)
    data = signing.loads(token, salt=APPROVAL_LINK_SALT, max_age=max_age)
    if not isinstance(data, dict) or not {"s", "u", "n"} <= set(data):
        raise signing.BadSignature("incomplete approval link")
    return data


def notification_mark_read(*, notification: Notification, read: bool = True) -> None:
    Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now() if read else None)


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
