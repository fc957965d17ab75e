"""Offers in flight: the applications whose two-business-day clock runs (decided at the
debrief, offer not sent yet), soonest deadline first, with what each waits on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hiring.offers.models import ApprovalStep, Offer, OfferClock
from hiring.offers.rules import LIVE_OFFER_STATUSES, OfferStatus, StepStatus
from hiring.offers.selectors.offers import clock_view, offers_visible_to
from hiring.offers.selectors.reach import offer_applications
from hiring.permissions import can
from hiring.pipeline.selectors import requisitions_visible_to
from hiring.pipeline.selectors.candidate_list import requisition_choices
from roles.models import RoleProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ANSWERED = (
    OfferStatus.SENDING,
    OfferStatus.SENT,
    OfferStatus.VIEWED,
    OfferStatus.ACCEPTED,
    OfferStatus.DECLINED,
)


def in_flight(
    user: User, *, requisition_id: int | None = None, role_slug: str | None = None
) -> QuerySet[OfferClock]:
    """Running clocks the user may see, soonest deadline first."""
    rows = OfferClock.objects.filter(stopped_at__isnull=True)
    # A hiring manager: their requisitions' applications, and the offers they approve from
    # outside them (never those of candidates they only interview).
    reached = offer_applications(user, "offers.view")
    if reached is not None:
        rows = rows.filter(application_id__in=reached.values("pk"))
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
    if offer.status == OfferStatus.DRAFT:
        return "Draft: to be submitted"
    if offer.status == OfferStatus.APPROVED:
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


def flight_rows(clocks: list[OfferClock], now: dt.datetime) -> list[dict[str, Any]]:
    """A table row per clock (from `in_flight`): its live offer, time left, what it waits on."""
    offers = {c.pk: (c.application.live_offers or [None])[0] for c in clocks}  # type: ignore[attr-defined]
    open_steps = open_step_names([o.pk for o in offers.values() if o])
    return [
        {
            "clock": clock,
            "application": clock.application,
            "offer": offers[clock.pk],
            "time": clock_view(clock, now),
            "waiting_on": waiting_on(offers[clock.pk], open_steps),
        }
        for clock in clocks
    ]


def flight_filters(
    user: User, *, requisition_id: int | None, role_slug: str | None
) -> dict[str, Any]:
    """The filter form's choices and what is selected (the list and the dashboard): the
    open and on-hold requisitions, the user's own first, 50 at most, and the selected one
    (every requisition there was made 2,000 options at 100,000 applications)."""
    return {
        "requisitions": requisition_choices(
            requisitions_visible_to(user, "pipeline.view"), user=user, selected=requisition_id
        ),
        "roles": RoleProfile.objects.order_by("position").only("slug", "title"),
        "selected_requisition": requisition_id,
        "selected_role": role_slug or "",
    }


def offer_list_page(
    user: User, *, requisition_id: int | None, role_slug: str | None, page: str | None
) -> dict[str, Any]:
    """Offers in flight, 50 a page, and the ten offers most recently sent or answered."""
    clocks = in_flight(user, requisition_id=requisition_id, role_slug=role_slug)
    listed = Paginator(clocks, 50).get_page(page)
    return {
        "page": listed,
        "rows": flight_rows(list(listed.object_list), timezone.now()),
        "recent": offers_visible_to(user, "offers.view")
        .filter(status__in=ANSWERED)
        .select_related("application__candidate", "application__requisition")
        .order_by("-updated_at")[:10],
        "can_edit": can(user, "offers.edit"),
        **flight_filters(user, requisition_id=requisition_id, role_slug=role_slug),
    }
