"""What the candidate e-mail tests share: delivering through the real SMTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from icalendar import Calendar

from tests.panels import eager_celery
from tests.smtp import Mailbox


@pytest.fixture
def delivered(
    smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> Iterator[Callable[..., Any]]:
    """`delivered(fn)`: run fn with the on-commit tasks running inline (Celery eager), so what
    it claims goes through the outbox task to the SMTP server; returns fn's result."""

    def run(fn: Callable[[], Any]) -> Any:
        with eager_celery(), django_capture_on_commit_callbacks(execute=True):
            return fn()

    yield run


def calendar_of(message: EmailMessage) -> Any:
    """The invite as a calendar client reads it: the text/calendar part, parsed."""
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    return calendar, parts[0]


def event_of(message: EmailMessage) -> Any:
    calendar, _part = calendar_of(message)
    return calendar, next(iter(calendar.walk("VEVENT")))
