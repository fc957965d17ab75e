"""The outbox: messages to people outside the app, claimed once, delivered once, retried,
held until their time; sent through a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from hiring.notifications.delivery import message_send, messages_due
from hiring.notifications.models import OutboxMessage
from hiring.notifications.outbox import Attachment, message_claim
from hiring.notifications.registry import Delivered, register_channel

pytestmark = pytest.mark.django_db


def test_a_message_is_claimed_once_and_arrives_once_with_its_attachment(smtp_server: Any) -> None:
    ics = Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    first = message_claim(
        claim_key="candidate:1:received", to="ana@example.com", title="We got your application",
        body="Thank you, Ana.", attachments=[ics], subject_type="application", subject_id=1,
    )  # fmt: skip
    again = message_claim(claim_key="candidate:1:received", to="ana@example.com", title="Again")
    assert first is not None and again is None
    assert message_send(message_id=first.pk) == "sent"
    assert message_send(message_id=first.pk) == "skipped"  # a retried task sends nothing twice
    received = smtp_server.wait_for(1)
    assert len(received) == 1 and received[0]["Subject"] == "We got your application"
    assert smtp_server.text(received[0]).strip() == "Thank you, Ana."
    assert smtp_server.attachments(received[0])[0][:2] == ("invite.ics", "text/calendar")


def test_a_claim_rolled_back_with_its_transaction_sends_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        message_claim(claim_key="k", to="a@example.com", title="x")
        raise RuntimeError("the decision failed")
    assert not OutboxMessage.objects.exists()


def test_a_message_held_for_later_is_not_due_until_then() -> None:
    later = timezone.now() + dt.timedelta(hours=10)
    message = message_claim(claim_key="reject:1", to="a@example.com", title="x", send_after=later)
    assert message is not None
    assert messages_due(now=timezone.now(), limit=10) == []
    assert message_send(message_id=message.pk) == "skipped"
    assert messages_due(now=later, limit=10) == [message.pk]


def test_a_failed_delivery_is_retried_with_backoff_and_its_answer_kept() -> None:
    answers = iter([Delivered(ok=False, result="HTTP 503"), Delivered(ok=True, result="HTTP 200")])
    register_channel("test", lambda message: next(answers))
    message = message_claim(claim_key="hook:1", to="https://example.invalid/", channel="test")
    assert message is not None
    now = timezone.now()
    assert message_send(message_id=message.pk, now=now) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_result) == ("pending", 1, "HTTP 503")
    assert message.next_attempt_at == now + dt.timedelta(seconds=30)
    assert message_send(message_id=message.pk, now=now) == "skipped"  # not due yet
    assert message_send(message_id=message.pk, now=now + dt.timedelta(seconds=31)) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_result) == ("sent", 2, "HTTP 200")
