"""The one function per model that changes a status: checks the map, saves, writes history.

`offer_set_status` for offers (OFFER_TRANSITIONS, history in OfferChange), `step_set_status`
for approval steps (STEP_TRANSITIONS, history in ApprovalStepChange). Nothing else assigns
`.status` of either. Both expect the offer row to be locked by the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from hiring.business_time import add_business_hours, business_hours_between, company_calendar
from hiring.offers.models import ApprovalStep, ApprovalStepChange, Offer, OfferChange
from hiring.offers.rules import (
    CLOSED_BY_VOTE,
    FIRST_REMINDER_HOURS,
    OFFER_TRANSITIONS,
    STEP_TRANSITIONS,
    OfferStatus,
    StepStatus,
)
from hiring.statuses import transition_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OFFER_LABELS = dict(OfferStatus.choices)
STEP_LABELS = dict(StepStatus.choices)


def _person(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def offer_set_status(
    *,
    offer: Offer,
    to: str,
    actor: User | None,
    reason: str = "",
    now: dt.datetime | None = None,
    history_even_if_unchanged: bool = False,
) -> None:
    """Move a (locked) offer to `to` and save it; refuses (409) what OFFER_TRANSITIONS does
    not allow. `actor` None: the system (the expiry sweep).

    Unchanged status: nothing happens, unless the caller wants the event in the history
    (the offer's creation; an approval chain restarted by an edit keeps the offer pending).
    """
    moves = transition_allowed(
        OFFER_TRANSITIONS, current=offer.status, new=to, what="offer", labels=OFFER_LABELS
    )
    if not moves and not history_even_if_unchanged:
        return
    OfferChange.objects.create(
        offer=offer,
        from_status=offer.status,
        to_status=to,
        reason=reason,
        actor=_person(actor),
        at=now or timezone.now(),
    )
    if moves:
        offer.status = to
        offer.save(update_fields=["status", "updated_at"])


def step_set_status(
    *, step: ApprovalStep, to: str, actor: User | None, now: dt.datetime, reason: str = ""
) -> None:
    """Move an approval step to `to` and save it; refuses (409) what STEP_TRANSITIONS does
    not allow, does nothing when unchanged.

    The step's times follow its status: opening stamps `activated_at` and schedules the
    approvers' first reminder (FIRST_REMINDER_HOURS business hours on); closing stamps
    `closed_at` and stops the reminders, and a close by vote (approved, rejected) keeps how
    long the step waited, in business hours, for the dashboard.
    """
    if not transition_allowed(
        STEP_TRANSITIONS, current=step.status, new=to, what="approval step", labels=STEP_LABELS
    ):
        return
    ApprovalStepChange.objects.create(
        step=step,
        from_status=step.status,
        to_status=to,
        reason=reason,
        actor=_person(actor),
        at=now,
    )
    step.status = to
    cal = company_calendar()
    if to == StepStatus.PENDING:
        step.activated_at = now
        step.next_reminder_at = add_business_hours(now, FIRST_REMINDER_HOURS, cal)
    else:
        step.closed_at, step.next_reminder_at = now, None
        if to in CLOSED_BY_VOTE and step.activated_at:
            step.wait_business_hours = round(business_hours_between(step.activated_at, now, cal), 2)
    step.save(
        update_fields=[
            "status", "activated_at", "closed_at", "next_reminder_at", "wait_business_hours"
        ]
    )  # fmt: skip
