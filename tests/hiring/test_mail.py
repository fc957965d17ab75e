"""E-mail subjects are built from stored data: no value can break them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.utils import timezone

from hiring.mail import subject_line
from hiring.notifications.delivery import notification_send
from hiring.notifications.models import Notification
from hiring.notifications.services import notification_row, notifications_claim


def test_a_line_break_in_a_stored_name_cannot_break_the_subject() -> None:
    assert subject_line("Offer for Ana\r\nBcc: all@example.com\tnow") == (
        "Offer for Ana Bcc: all@example.com now"
    )
    assert len(subject_line("x" * 500)) == 200


def test_a_notification_about_a_name_with_a_line_break_is_delivered(
    make_user: Callable[..., Any],
) -> None:
    user = make_user("Recruiter", email="rita@example.com")
    now = timezone.now()
    notifications_claim(
        [
            notification_row(
                recipient_id=user.pk, kind="offer_approved", subject_type="offer", subject_id=1,
                title="Offer for Ana\nBcc: everyone@example.com approved", body="Send it.",
                url="/offers/1/", now=now,
            )
        ]
    )  # fmt: skip
    assert notification_send(notification_id=Notification.objects.get().pk, now=now) == "sent"
    assert mail.outbox[0].subject == "Offer for Ana Bcc: everyone@example.com approved"
    assert mail.outbox[0].bcc == []
