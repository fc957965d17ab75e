"""Reads of offers that pages and the API share: who sees which offer, what waits for whom.

Visibility: recruiters and admins see every offer; a hiring manager sees the offers of their
requisitions; anyone sees the offers they are an approver of (a finance/HR approver who
manages another team). Interviewers have no access to offers at all (`offers.view`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hiring.business_time import business_hours_between, company_calendar, time_left_label
from hiring.models import (
    LIVE_OFFER_STATUSES,
    ApprovalStep,
    Offer,
    OfferClock,
    StepApprover,
    StepStatus,
)
from hiring.permissions import ADMIN, RECRUITER, roles_of
from hiring.selectors import applications_visible_to


def offers_visible_to(user: Any) -> QuerySet[Offer]:
    rows = Offer.objects.all()
    if roles_of(user) & {RECRUITER, ADMIN}:
        return rows
    approver = StepApprover.objects.filter(step__offer_id=OuterRef("pk"), user=user)
    visible = applications_visible_to(user).values("pk")
    return rows.filter(Q(application_id__in=visible) | Exists(approver))


def offer_for_page(user: Any, pk: int) -> Offer:
    """One offer with what its page shows; Offer.DoesNotExist when not visible."""
    approvers = StepApprover.objects.select_related("user").order_by("id")
    steps = ApprovalStep.objects.order_by("round", "position", "id").prefetch_related(
        Prefetch("approvers", queryset=approvers)
    )
    return (
        offers_visible_to(user)
        .select_related(
            "application__candidate",
            "application__requisition__role",
            "application__requisition__hiring_manager",
            "application__requisition__recruiter",
            "level",
            "band",
            "created_by",
        )
        .prefetch_related(Prefetch("steps", queryset=steps), "changes__actor")
        .get(pk=pk)
    )


@dataclass
class ClockView:
    due_at: dt.datetime
    hours_left: float
    label: str
    urgency: str  # "ok", "medium" (under a business day), "high" (overdue)


def clock_view(clock: OfferClock | None, now: dt.datetime | None = None) -> ClockView | None:
    if clock is None:
        return None
    cal = company_calendar()
    end = clock.stopped_at or now or timezone.now()
    hours = business_hours_between(end, clock.due_at, cal)
    urgency = "high" if hours < 0 else "medium" if hours < cal.hours_per_day else "ok"
    label = time_left_label(hours)
    if clock.stopped_at:
        spent = clock.business_hours_to_send
        label = (
            f"sent after {spent:.1f} business hours"
            if spent is not None and clock.stop_reason == "sent"
            else "clock stopped"
        )
        urgency = "ok" if hours >= 0 else "high"
    return ClockView(due_at=clock.due_at, hours_left=hours, label=label, urgency=urgency)


def in_flight(
    user: Any, *, requisition_id: int | None = None, role_slug: str | None = None
) -> QuerySet[OfferClock]:
    """Running clocks (decided, offer not yet sent) the user may see, soonest deadline first."""
    rows = OfferClock.objects.filter(stopped_at__isnull=True)
    if not roles_of(user) & {RECRUITER, ADMIN}:
        # Their requisitions' applications, and the offers they approve from outside them.
        mine = StepApprover.objects.filter(user=user).values("step__offer__application_id")
        rows = rows.filter(
            Q(application_id__in=applications_visible_to(user).values("pk"))
            | Q(application_id__in=mine)
        )
    if requisition_id:
        rows = rows.filter(application__requisition_id=requisition_id)
    if role_slug:
        rows = rows.filter(application__requisition__role__slug=role_slug)
    live = Offer.objects.filter(status__in=LIVE_OFFER_STATUSES)
    return (
        rows.select_related(
            "application__candidate", "application__requisition__role", "application__stage"
        )
        .prefetch_related(Prefetch("application__offers", queryset=live, to_attr="live_offers"))
        .order_by("due_at", "pk")
    )


def waiting_on(offer: Offer | None, open_steps: dict[int, list[str]]) -> str:
    if offer is None:
        return "Offer to be drafted"
    if offer.status == "draft":
        return "Draft: to be submitted"
    if offer.status == "approved":
        return "Approved: to be sent"
    names = open_steps.get(offer.pk, [])
    return ", ".join(names) if names else offer.get_status_display()


def open_step_names(offer_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for offer_id, name in ApprovalStep.objects.filter(
        offer_id__in=offer_ids, status=StepStatus.PENDING
    ).values_list("offer_id", "name"):
        names.setdefault(offer_id, []).append(name)
    return names


def approvals_waiting_for(user: Any) -> QuerySet[StepApprover]:
    """The user's open seats: steps pending with them, their decision not given yet."""
    return (
        StepApprover.objects.filter(user=user, decision="", step__status=StepStatus.PENDING)
        .select_related(
            "step__offer__application__candidate",
            "step__offer__application__requisition",
            "step__offer__application__offer_clock",
        )
        .order_by("step__offer__application__offer_clock__due_at", "pk")
    )
