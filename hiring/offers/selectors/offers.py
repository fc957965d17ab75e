"""Who sees which offer, one offer with what its page shows, its band check and clock.

Visibility (`offers.view`, `offers.dashboard`; hiring.permissions.REACH): recruiters and admins
see every offer; a hiring manager the offers of their own requisitions and those they hold a
seat on an approval step of (a finance/HR approver who manages another team). Nothing else
opens an offer: being an interviewer of the candidate, or a hiring manager elsewhere, does
not. Interviewers have no access to offers at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from compensation.band_check import BandCheck, band_bar, band_check
from compensation.selectors import band_for, figures
from hiring.business_time import (
    business_hours_between,
    business_hours_text,
    company_calendar,
    deadline_label,
    moment_label,
)
from hiring.offers.models import ApprovalStep, Offer, OfferClock, StepApprover
from hiring.offers.rules import (
    EDITABLE,
    LIVE_OFFER_STATUSES,
    OUT_WITH_CANDIDATE,
    REVISABLE,
    StepStatus,
)
from hiring.offers.selectors.letters import offer_letter
from hiring.offers.selectors.reach import not_scoped
from hiring.permissions import ANY, APPROVING, MANAGED, can, reach_of
from hiring.pipeline.models import Application
from hiring.pipeline.selectors import applications_visible_to

if TYPE_CHECKING:
    from django import forms
    from django.contrib.auth.models import User

    from compensation.models import Band


def offers_visible_to(user: User, capability: str) -> QuerySet[Offer]:
    """The offers `capability` (offers.view, offers.dashboard) lets the user see, from the
    roles that hold it only."""
    rows = Offer.objects.all()
    reach = reach_of(user, capability)
    if ANY in reach:
        return rows
    condition = Q(pk__in=[])
    for name in reach:
        if name == MANAGED:
            condition |= Q(application__requisition__hiring_manager=user.pk)
        elif name == APPROVING:
            seat = StepApprover.objects.filter(step__offer_id=OuterRef("pk"), user=user.pk)
            condition |= Q(Exists(seat))
        else:
            raise not_scoped(capability, name)
    return rows.filter(condition)


def offer_for_page(user: User, pk: int) -> Offer:
    """One offer with what its page shows; Offer.DoesNotExist when not visible."""
    approvers = StepApprover.objects.select_related("user").order_by("id")
    steps = ApprovalStep.objects.order_by("round", "position", "id").prefetch_related(
        Prefetch("approvers", queryset=approvers)
    )
    return (
        offers_visible_to(user, "offers.view")
        .select_related(
            "application__candidate",
            "application__requisition__role",
            "application__requisition__hiring_manager",
            "application__requisition__recruiter",
            "level",
            "band",
            "created_by",
            "signature",
        )
        .defer("signature__signed_pdf")
        .prefetch_related(Prefetch("steps", queryset=steps), "changes__actor")
        .get(pk=pk)
    )


def application_for_offer(user: User, pk: int) -> Application | None:
    """The application `pk` if the user may draft its offer, with what the offer form shows."""
    return (
        applications_visible_to(user, "offers.edit")
        .select_related("candidate", "requisition__role", "requisition__level")
        .filter(pk=pk)
        .first()
    )


def live_offer(application_id: int) -> Offer | None:
    """The application's offer in a live status, if it has one (at most one: a constraint)."""
    return Offer.objects.filter(
        application_id=application_id, status__in=LIVE_OFFER_STATUSES
    ).first()


def offer_band_check(*, offer: Offer, on: dt.date | None = None) -> BandCheck:
    """The offer's total cash against the band in force for its level and currency."""
    band = band_for(level_id=offer.level_id, currency=offer.currency, on=on or timezone.localdate())
    return band_check(amount=offer.total_cash, currency=offer.currency, band=figures(band))


@dataclass
class ClockView:
    due_at: dt.datetime
    hours_left: float
    label: str
    urgency: str  # "ok", "medium" (under a business day), "high" (overdue)


def clock_view(clock: OfferClock | None, now: dt.datetime | None = None) -> ClockView | None:
    """The clock as pages show it: its deadline named, with the unit ("due Wed 3 Dec, 15:00
    (11 business hours left)"); once the offer reached the candidate, when and how fast."""
    if clock is None:
        return None
    cal = company_calendar()
    end = clock.stopped_at or now or timezone.now()
    hours = business_hours_between(end, clock.due_at, cal)
    urgency = "high" if hours < 0 else "medium" if hours < cal.hours_per_day else "ok"
    label = deadline_label(clock.due_at, hours, cal)
    if clock.stopped_at:
        spent = clock.business_hours_to_send
        label = (
            f"reached the candidate {moment_label(clock.stopped_at, cal)}, after "
            f"{business_hours_text(spent)} (due {moment_label(clock.due_at, cal)})"
            if spent is not None and clock.stop_reason == "sent"
            else "clock stopped"
        )
        urgency = "ok" if hours >= 0 else "high"
    return ClockView(due_at=clock.due_at, hours_left=hours, label=label, urgency=urgency)


def offer_clock(offer: Offer) -> ClockView | None:
    """The clock of the offer's application, as the pages show it; none for a revision
    whose clock stopped before it existed (those figures are the earlier offer's)."""
    clock = OfferClock.objects.filter(application_id=offer.application_id).first()
    earlier = (
        clock is not None
        and clock.stopped_at is not None
        and offer.sent_at is None
        and clock.stopped_at < offer.created_at
    )
    return None if earlier else clock_view(clock)


def _my_open_seat(user: User, offer: Offer) -> StepApprover | None:
    """The user's seat on an open step of the current round, not voted yet (from the steps
    `offer_for_page` prefetched)."""
    return next(
        (
            seat
            for step in offer.steps.all()
            if step.round == offer.approval_round and step.status == StepStatus.PENDING
            for seat in step.approvers.all()
            if seat.user_id == user.pk and not seat.vote
        ),
        None,
    )


def offer_page(
    user: User, offer: Offer, *, submit_error: str = "", justification: str = ""
) -> dict[str, Any]:
    """The offer page: terms, band bar, the approval chain (this round and earlier ones),
    the user's vote to cast, the recruiter's next step, the history.

    `submit_error`, `justification`: a submit refused for its justification, shown again
    with the box open, the text kept and the message beside it."""
    check = offer_band_check(offer=offer)
    steps = list(offer.steps.all())
    return {
        "offer": offer,
        "application": offer.application,
        "check": check,
        "bar": band_bar(check),
        "time": offer_clock(offer),
        "current_steps": [s for s in steps if s.round == offer.approval_round],
        "earlier_steps": [s for s in steps if s.round != offer.approval_round],
        "seat": _my_open_seat(user, offer),
        "can_edit": can(user, "offers.edit"),
        "editable": offer.status in EDITABLE,
        "revisable": offer.status in REVISABLE,
        "live": offer.status in LIVE_OFFER_STATUSES,
        # Those the user may open: an approver from another team sees the revision they
        # approve, not the terms of the others.
        "revisions": offers_visible_to(user, "offers.view")
        .filter(application_id=offer.application_id)
        .exclude(pk=offer.pk)
        .order_by("-revision"),
        "today": timezone.localdate(),
        "letter": offer_letter(offer),
        "with_candidate": offer.status in OUT_WITH_CANDIDATE,
        "signed": hasattr(offer, "signature"),
        "submit_error": submit_error,
        "justification": justification,
    }


def band_hint(application: Application) -> Band | None:
    """The band in force today for the requisition's level, shown above the offer form."""
    level = application.requisition.level
    return band_for(level_id=level.pk, currency="USD", on=timezone.localdate())


def offer_form_page(
    *, form: forms.Form, application: Application, offer: Offer | None = None
) -> dict[str, Any]:
    """The new-offer form (`offer` None) or the edit form of `offer`."""
    return {
        "form": form,
        "application": application,
        "offer": offer,
        "band": band_hint(application),
        "preview_letter": offer_letter(offer) if offer is not None else None,
    }
