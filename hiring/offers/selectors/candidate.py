"""The candidate's offer page, from their signed link: what the link opens, and nothing else.

No login: the link is the key. It opens one offer, and only while that offer is with the
candidate; otherwise the page says what happened (replaced by a revision, withdrawn,
expired, already answered) and whom to contact, and never shows another offer, the
approvals, the band or any note. A link that is not ours says only that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from hiring.offers.letters import DECLINE_REASONS, SIGNATURE_STATEMENT, Letter
from hiring.offers.links import candidate_link_payload
from hiring.offers.models import Offer
from hiring.offers.rules import OfferStatus
from hiring.offers.selectors.letters import offer_letter, offer_with_letter_facts

S = OfferStatus
OPEN, INVALID = "open", "invalid"
# offer status -> what the page says the link has become
STATES: dict[str, str] = {
    S.SENDING: OPEN,
    S.SENT: OPEN,
    S.VIEWED: OPEN,
    S.ACCEPTED: "accepted",
    S.DECLINED: "declined",
    S.SUPERSEDED: "replaced",
    S.RESCINDED: "withdrawn",
    S.EXPIRED: "expired",
}


@dataclass(frozen=True)
class CandidateOffer:
    state: str  # OPEN, INVALID, or what the offer became (STATES)
    offer: Offer | None = None

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def candidate_offer(token: str, *, today: dt.date | None = None) -> CandidateOffer:
    """What the link opens today."""
    try:
        offer_id, nonce = candidate_link_payload(token)
    except signing.BadSignature:
        return CandidateOffer(INVALID)
    try:
        offer = offer_with_letter_facts(offer_id)
    except Offer.DoesNotExist:
        return CandidateOffer(INVALID)
    if not offer.link_nonce or offer.link_nonce != nonce:
        return CandidateOffer(INVALID)
    state = STATES.get(offer.status, INVALID)
    if state == OPEN and offer.expires_on < (today or timezone.localdate()):
        state = "expired"  # the sweep has not run yet: the page does not wait for it
    return CandidateOffer(state, offer)


def _contact(offer: Offer) -> dict[str, str]:
    recruiter = offer.application.requisition.recruiter
    return {
        "name": recruiter.get_full_name() or recruiter.get_username(),
        "email": recruiter.email,
    }


def candidate_page(found: CandidateOffer, *, token: str) -> dict[str, object]:
    """The page's context: the letter and terms while open; else the state and the contact."""
    offer = found.offer
    context: dict[str, object] = {"state": found.state, "token": token}
    if offer is None:
        return context
    letter: Letter = offer_letter(offer)
    context.update(
        {
            "offer": offer,
            "candidate_name": offer.application.candidate.name,
            "role": offer.application.requisition.title,
            "letter": letter,
            "contact": _contact(offer),
            "statement": SIGNATURE_STATEMENT,
            "decline_reasons": list(DECLINE_REASONS.items()),
        }
    )
    return context
