"""Notifications: claiming a reminder (the inbox row) and queueing its e-mail.

Claiming inserts `Notification` rows whose unique key (recipient, kind, subject, sequence)
refuses a second copy: `notifications_claim` is called inside the caller's transaction,
together with whatever marks the reminder as done, so a crash before the commit leaves
nothing behind and the next sweep claims it again.

The e-mails are queued to `notifications_send` after that commit and delivered exactly
once by hiring.notifications.delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from hiring.notifications.models import EmailStatus, Notification
from hiring.notifications.preferences import claims_planned
from hiring.notifications.tasks import notifications_send

log = logging.getLogger(__name__)

BATCH = 2_000


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
    The recipients' preferences decide where each row shows (hiring.notifications.
    preferences: one query for the whole claim); a muted reminder is still claimed, so it
    never comes back. On PostgreSQL the rows go through COPY and one `INSERT ... ON CONFLICT
    DO NOTHING`: a cold sweep claims 250,000 at once (bench/sweep.py).
    """
    if not rows:
        return 0
    pending = EmailStatus.PENDING.value
    planned: Sequence[tuple[Claim, str, bool]] | None = claims_planned(rows)
    if not planned:  # no preferences among the recipients: plain tuples, made in C
        planned = list(zip(rows, repeat(pending), repeat(True)))
    if connection.vendor == "postgresql":
        _claim_postgresql(planned)
        return len(rows)
    Notification.objects.bulk_create(
        [
            Notification(
                **row._asdict(),
                email_next_attempt_at=row.created_at,
                email_status=email_status,
                in_inbox=in_inbox,
            )
            for row, email_status, in_inbox in planned
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(rows)


COPY_FROM = 500  # more rows than this go through COPY


def _claim_postgresql(planned: Sequence[tuple[Claim, str, bool]]) -> None:
    """Few rows: one multi-row INSERT. Many (a cold sweep): COPY into a scratch table, then
    one INSERT ... SELECT; both skip rows already claimed (ON CONFLICT DO NOTHING)."""
    table = Notification._meta.db_table
    columns = ", ".join((*Claim._fields, "email_status", "in_inbox"))
    extra = "email_attempts, email_next_attempt_at, email_error"
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if len(planned) <= COPY_FROM:
            from psycopg2.extras import execute_values

            execute_values(
                cursor,
                f"INSERT INTO {table} ({columns}, {extra}) VALUES %s "  # noqa: S608
                "ON CONFLICT DO NOTHING",
                [(*row, status, inbox, 0, row.created_at, "") for row, status, inbox in planned],
                page_size=COPY_FROM,
            )
            return
        # Per connection, emptied after use: safe to call again in the same transaction.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS notification_claim_rows (recipient_id bigint, "
            "kind text, subject_type text, subject_id bigint, sequence bigint, title text, "
            "body text, url text, created_at timestamptz, email_status text, in_inbox boolean)"
        )
        cursor.copy_expert(
            f"COPY notification_claim_rows ({columns}) FROM STDIN",
            _Chunks(_copy_lines(planned)),
            size=COPY_CHUNK,
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {extra}) "  # noqa: S608
            f"SELECT {columns}, 0, created_at, '' FROM notification_claim_rows "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute("TRUNCATE notification_claim_rows")


COPY_CHUNK = 1 << 16  # characters the driver asks for at a time


def _copy_lines(planned: Sequence[tuple[Claim, str, bool]]) -> Iterator[str]:
    """The rows in COPY's text format, one line each, made as the driver reads them."""
    stamps: dict[dt.datetime, str] = {}  # a sweep's rows share one timestamp
    for row, status, inbox in planned:
        stamp = stamps.get(row.created_at) or stamps.setdefault(
            row.created_at, row.created_at.isoformat()
        )
        yield (
            f"{row.recipient_id}\t{row.kind}\t{row.subject_type}\t{row.subject_id}\t"
            f"{row.sequence}\t{_copy_text(row.title)}\t{_copy_text(row.body)}\t"
            f"{_copy_text(row.url)}\t{stamp}\t{status}\t{'t' if inbox else 'f'}\n"
        )


class _Chunks:
    """A file the driver reads COPY data from, made of lines as it asks for them: the
    database parses one chunk while the next is made (two cores at work), and a cold
    sweep's 70 MB of claims never sit in memory whole (1.1 s to build them first)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def read(self, size: int = COPY_CHUNK) -> str:
        chunk, length = [], 0
        for line in self._lines:
            chunk.append(line)
            length += len(line)
            if length >= size:
                break
        return "".join(chunk)


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


def notification_mark_read(*, notification: Notification, read: bool = True) -> None:
    Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now() if read else None)


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
