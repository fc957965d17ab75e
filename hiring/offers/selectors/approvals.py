"""What waits for which approver, and the pages where they vote: the home page's list, the
item htmx swaps in place after a vote, the page of a signed approval link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from hiring.offers.models import ApprovalStep, Offer, StepApprover
from hiring.offers.rules import OfferStatus, StepStatus
from hiring.offers.selectors.offers import clock_view, offer_clock, offer_page, offers_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def approvals_waiting_for(user: User) -> QuerySet[StepApprover]:
    """The user's open seats: steps pending with them, their vote not cast yet."""
    return (
        StepApprover.objects.filter(user=user, vote="", step__status=StepStatus.PENDING)
        .select_related(
            "step__offer__application__candidate",
            "step__offer__application__requisition",
            "step__offer__application__offer_clock",
        )
        .order_by("step__offer__application__offer_clock__due_at", "pk")
    )


def home_approvals(user: User) -> list[dict[str, Any]]:
    """The home page's "Waiting for my approval": the user's open seats, soonest deadline
    first, each with its time left and band result."""
    seats = list(approvals_waiting_for(user)[:20])
    now = timezone.now()
    items = []
    for seat in seats:
        application = seat.step.offer.application
        clock = getattr(application, "offer_clock", None)
        items.append({"seat": seat, "time": clock_view(clock, now)})
    return items


def vote_outcome(offer_id: int, *, approved: bool) -> str:
    """What the approver's vote did to the offer, in a sentence (read after the vote)."""
    offer = Offer.objects.select_related("application__candidate").get(pk=offer_id)
    name = offer.application.candidate.name
    if not approved:
        return f"Rejected: the offer for {name} is back in draft with your comment."
    if offer.status == OfferStatus.APPROVED:
        return f"Approved. The offer for {name} is fully approved and can be sent."
    following = (
        ApprovalStep.objects.filter(
            offer_id=offer_id, round=offer.approval_round, status=StepStatus.PENDING
        )
        .values_list("name", flat=True)
        .first()
    )
    return f"Approved. The offer for {name} now waits for: {following or 'other approvers'}."


def approval_item(user: User, offer: Offer, *, done: str, problem: str) -> dict[str, Any]:
    """One approval on the home page after a vote: what it did, or why it was refused with
    the user's seat again to try once more."""
    seat = approvals_waiting_for(user).filter(step__offer_id=offer.pk).first() if problem else None
    return {
        "done": done,
        "problem": problem,
        "seat": seat,
        "offer": offer,
        "time": offer_clock(offer),
    }


def approval_link_page(
    user: User, offer: Offer, *, step: ApprovalStep, token: str
) -> dict[str, Any]:
    """The page of a signed approval link: the offer as its page shows it, the link's step,
    and the vote form when that step waits for the user's vote."""
    return {**offer_page(user, offer), "link_step": step, "token": token}


def link_problem_page(user: User, *, message: str, offer_id: int | None) -> dict[str, Any]:
    """Why a link cannot be used, and its offer when the user may open it."""
    visible = offers_visible_to(user, "offers.view")
    offer = visible.filter(pk=offer_id).first() if offer_id is not None else None
    return {"message": message, "offer": offer}
