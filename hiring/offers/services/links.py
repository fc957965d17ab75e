"""Signed approval links, checked and used: the rules of the link in an approver's e-mail.

A link is good when its signature holds and it has not expired (hiring.offers.links), its
step still exists, it was sent to the user who opens it, and it has not been used. Voting
through it uses it up (the nonce is recorded in the vote's transaction, see `step_vote`).
Whether the step is still open is the vote's own rule: a good link to a closed step opens
a page that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction

from hiring.errors import DomainError
from hiring.ids import parse_id
from hiring.offers.links import approval_link_payload
from hiring.offers.models import ApprovalStep, Offer, UsedApprovalLink
from hiring.offers.services.approvals import step_vote

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ApprovalLinkError(DomainError):
    """A link that cannot be used; `offer_id` is the offer it was for, when that is known
    and may be named (the link's signature held)."""

    def __init__(self, message: str, *, status: int, offer_id: int | None = None) -> None:
        super().__init__(message, fields={"link": [message]}, status=status)
        self.offer_id = offer_id


@dataclass(frozen=True)
class ApprovalLink:
    step: ApprovalStep
    nonce: str


def approval_link_open(*, token: str, actor: User) -> ApprovalLink:
    """The step a link is for, once every rule of the link holds; else ApprovalLinkError:
    400 not valid, 410 expired or already used, 404 its offer is gone, 403 sent to someone
    else."""
    try:
        payload = approval_link_payload(token)
    except signing.SignatureExpired:
        raise ApprovalLinkError("This approval link has expired.", status=410) from None
    except signing.BadSignature:
        raise ApprovalLinkError("This approval link is not valid.", status=400) from None
    step_id = parse_id(payload["s"])
    step = (
        ApprovalStep.objects.select_related("offer").filter(pk=step_id).first() if step_id else None
    )
    if step is None:
        raise ApprovalLinkError("The offer of this link no longer exists.", status=404)
    if payload["u"] != actor.pk:
        raise ApprovalLinkError(
            "This link was sent to another approver. Log in as that person, or open the offer "
            "from your own home page.",
            status=403,
            offer_id=step.offer_id,
        )
    nonce = str(payload["n"])
    if UsedApprovalLink.objects.filter(nonce=nonce).exists():
        raise ApprovalLinkError(
            "This approval link has already been used.", status=410, offer_id=step.offer_id
        )
    return ApprovalLink(step=step, nonce=nonce)


@transaction.atomic
def step_vote_by_link(*, token: str, actor: User, approve: bool, comment: str = "") -> Offer:
    """Vote on the link's step through the link (which it uses up): the link's rules, then
    the vote's (`step_vote`)."""
    link = approval_link_open(token=token, actor=actor)
    return step_vote(
        offer=link.step.offer,
        step_id=link.step.pk,
        actor=actor,
        approve=approve,
        comment=comment,
        link_nonce=link.nonce,
    )
