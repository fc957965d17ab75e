"""What the notifications machinery runs, registered by the domains that use it.

Notifications know nothing of offers, interviews or the pipeline. Each domain registers, in
its `AppConfig.ready()`:

- its notification kinds: the name a reader sees, who gets it and when (the "Your reminders"
  page lists them), and, when its e-mail needs another link than the inbox row's page (an
  approver's signed link), the function that builds it;
- the channels of outbox messages it sends other than e-mail (webhooks): the function that
  delivers one message and says how it went;
- what it does once an outbox message about one of its objects is delivered (an offer
  letter's e-mail accepted by the mail server makes the offer "sent"), by subject type;
- its sweep steps: `prepare` steps keep the domain's state in line before anything is claimed
  (expire offers, stop offer clocks) and run at every sweep; `claim` steps insert the
  reminders that are due (exactly once: see services.notifications_claim) and run only in
  business hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class NotificationKind:
    key: str  # stored in Notification.kind
    name: str
    to: str
    when: Callable[[], str]  # a callable: some texts name a setting's current value
    roles: frozenset[str]  # roles that receive it (the settings page marks the user's own)
    # (subject_id, recipient_id) -> the path the e-mail links to, instead of the row's url.
    email_link: Callable[[int, int], str] | None = None
    # A step that waits on the recipient (an offer's approval): it cannot be muted, only
    # snoozed for up to one business day (hiring.notifications.preferences).
    waits_on_recipient: bool = False


@dataclass(frozen=True)
class SweepStep:
    key: str
    phase: Literal["prepare", "claim"]
    run: Callable[[dt.datetime], int]  # returns how many it expired, stopped or claimed


@dataclass(frozen=True)
class Delivered:
    """How one attempt went: `ok`, and what the other end said (kept on the message)."""

    ok: bool
    result: str = ""


# (the message) -> Delivered; raising counts as a failed attempt too.
Deliverer = Callable[[Any], Delivered]

# (subject_id, claim_key, delivered_at): told once the channel delivered a message.
DeliveredListener = Callable[[int, str, dt.datetime], None]

_kinds: dict[str, NotificationKind] = {}
_delivered: dict[str, DeliveredListener] = {}
_channels: dict[str, Deliverer] = {}
_steps: dict[str, SweepStep] = {}


def register_kind(kind: NotificationKind) -> None:
    _kinds[kind.key] = kind


def register_sweep_step(step: SweepStep) -> None:
    _steps[step.key] = step  # by key: registering twice (a test, a reload) keeps one


def register_channel(channel: str, deliverer: Deliverer) -> None:
    _channels[channel] = deliverer


def register_on_delivered(subject_type: str, listener: DeliveredListener) -> None:
    _delivered[subject_type] = listener


def on_delivered_for(subject_type: str) -> DeliveredListener | None:
    return _delivered.get(subject_type)


def deliverer_for(channel: str) -> Deliverer | None:
    return _channels.get(channel)


def kinds() -> list[NotificationKind]:
    return list(_kinds.values())


def kind_named(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def waiting_kind_keys() -> frozenset[str]:
    """The kinds that remind someone of a step waiting on them (cannot be muted)."""
    return frozenset(key for key, kind in _kinds.items() if kind.waits_on_recipient)


def sweep_steps(phase: Literal["prepare", "claim"]) -> list[SweepStep]:
    return [step for step in _steps.values() if step.phase == phase]
