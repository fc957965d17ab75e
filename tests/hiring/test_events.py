"""Domain events reach their listeners inside the transaction that made them happen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from hiring import events
from hiring.events import Event, emit, subscribe


@pytest.fixture(autouse=True)
def _listeners_restored() -> Any:
    """A test's listener leaves with it: left behind, it would write a webhook message for
    every application created by the tests that run later."""
    saved = dict(events._listeners)
    yield
    events._listeners.clear()
    events._listeners.update(saved)


def test_an_event_reaches_every_listener_with_its_subject(make_user: Callable[..., Any]) -> None:
    seen: list[Event] = []
    subscribe("test", seen.append)
    user = make_user()
    event = emit("application.created", subject=user, data={"source": "careers"})
    assert seen == [event] and (event.subject_type, event.subject_id) == ("auth.User", user.pk)


def test_an_unknown_event_name_is_a_programming_error(make_user: Callable[..., Any]) -> None:
    with pytest.raises(KeyError):
        emit("application.teleported", subject=make_user())


def test_what_a_listener_writes_rolls_back_with_the_change(make_user: Callable[..., Any]) -> None:
    from hiring.notifications.models import OutboxMessage
    from hiring.notifications.outbox import message_claim

    subscribe("test", lambda e: message_claim(claim_key=e.id, to="hook", channel="webhook"))
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        emit("offer.sent", subject=user)
        raise RuntimeError("the send failed")
    assert not OutboxMessage.objects.exists()
