"""Voting on an approval step: from the offer page, in place on the home page (htmx), or
through the signed link in an approver's e-mail."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.offers.forms import VoteForm
from hiring.offers.selectors.approvals import (
    approval_item,
    approval_link_page,
    link_problem_page,
    vote_outcome,
)
from hiring.offers.services.approvals import step_vote
from hiring.offers.services.links import ApprovalLinkError, approval_link_open, step_vote_by_link
from hiring.offers.views.offers import offer_of
from hiring.permissions import requires

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpResponse

    from hiring.offers.models import Offer
    from hiring.permissions import SignedInRequest


def _cast(request: SignedInRequest, vote: Callable[..., Offer]) -> tuple[str, str]:
    """The posted vote cast by `vote(approve=, comment=, step_id=)`: (what it did, "") or
    ("", why it was refused)."""
    form = VoteForm(request.POST)
    if not form.is_valid():
        return "", VoteForm.PROBLEM
    cast = form.cast()
    try:
        offer = vote(**cast)
    except DomainError as error:
        return "", error.message
    return vote_outcome(offer.pk, approved=cast["approve"]), ""


def _voted(request: SignedInRequest, vote: Callable[..., Offer]) -> bool:
    """Cast the posted vote and say what it did, or why not, in a message; True once cast."""
    done, problem = _cast(request, vote)
    messages.add_message(request, messages.ERROR if problem else messages.SUCCESS, problem or done)
    return bool(done)


def _by_link(token: str, actor: User) -> Callable[..., Offer]:
    """A vote through the link: always on the link's own step, whatever step the form names."""

    def vote(*, approve: bool, comment: str, step_id: int | None) -> Offer:
        return step_vote_by_link(token=token, actor=actor, approve=approve, comment=comment)

    return vote


@require_POST
@requires("offers.view")
def offer_vote(request: SignedInRequest, pk: int) -> HttpResponse:
    """Approve or reject a step: from the offer page, or in place on the home page (htmx)."""
    offer = offer_of(request.user, pk)
    vote = partial(step_vote, offer=offer, actor=request.user)
    if request.headers.get("HX-Request") != "true":
        _voted(request, vote)
        return redirect("offers:detail", pk=offer.pk)
    done, problem = _cast(request, vote)
    context = approval_item(request.user, offer, done=done, problem=problem)
    return render(request, "offers/_approval_item.html", context)


@requires("offers.view")
def approval_link(request: SignedInRequest, token: str) -> HttpResponse:
    """The signed link in an approver's e-mail: the voting page for that step and person."""
    try:
        link = approval_link_open(token=token, actor=request.user)
    except ApprovalLinkError as error:
        context = link_problem_page(request.user, message=error.message, offer_id=error.offer_id)
        return render(request, "offers/link_problem.html", context, status=error.status)
    offer = offer_of(request.user, link.step.offer_id)
    if request.method == "POST" and _voted(request, _by_link(token, request.user)):
        return redirect("offers:detail", pk=offer.pk)
    context = approval_link_page(request.user, offer, step=link.step, token=token)
    return render(request, "offers/approval_link.html", context)
