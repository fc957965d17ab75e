"""Domain events: what happened, told to whoever listens (webhooks, chat), in one place.

A service emits an event inside the transaction that made it happen: `emit("offer.sent",
subject=offer, data={...})`. Listeners (the webhooks domain) subscribe in their AppConfig;
each runs in the same transaction, so what it records (an outbox message per endpoint,
claimed once) commits or rolls back with the change itself. The core knows the names and
what each means; it imports no domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

# name -> what it means (the webhook settings page and the README list these).
EVENTS: dict[str, str] = {
    "application.created": "A candidate entered a requisition's pipeline",
    "application.stage_changed": "An application moved to another stage",
    "application.rejected": "An application was rejected",
    "application.hired": "A candidate was hired",
    "interview.scheduled": "An interview was scheduled",
    "interview.rescheduled": "An interview's time, place or panel changed",
    "interview.cancelled": "An interview was cancelled",
    "scorecard.submitted": "An interviewer submitted a scorecard",
    "decision.made": "The hiring manager decided at the debrief",
    "offer.approval_waiting": "An offer's approval step waits for its approvers",
    "offer.approved": "An offer's last approval came in",
    "offer.sent": "An offer went to the candidate",
    "offer.accepted": "The candidate accepted an offer",
    "offer.declined": "The candidate declined an offer",
}


@dataclass(frozen=True)
class Event:
    name: str
    subject_type: str  # the model's label, e.g. "offers.Offer"
    subject_id: int
    data: dict[str, Any]  # what a receiver needs; compensation only under "compensation"
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    at: dt.datetime = field(default_factory=timezone.now)


Listener = Callable[[Event], None]
_listeners: dict[str, Listener] = {}


def subscribe(name: str, listener: Listener) -> None:
    """Listen to every event (one listener per `name`, e.g. "webhooks")."""
    _listeners[name] = listener


def emit(name: str, *, subject: models.Model, data: dict[str, Any] | None = None) -> Event:
    """Tell every listener, now, in the caller's transaction."""
    if name not in EVENTS:
        raise KeyError(f"unknown event {name!r}")
    event = Event(name, subject._meta.label, int(subject.pk), data or {})
    for listener in list(_listeners.values()):
        listener(event)
    return event
