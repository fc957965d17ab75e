"""The candidate's answers through their link: first view, accept (an electronic
signature), decline.

Each locks the offer row and checks again what the link opens (hiring.offers.selectors.
candidate), so two tabs or a double click give one outcome: the second finds the offer
answered and is told so (409), never a 500.

Accepting records the typed full name, the ticked statement, the time, the client's address
(behind trusted proxies, hiring.proxies) and the browser; the signed copy (the letter, a
signature block, a page of the audit trail) is stored and e-mailed to the candidate and the
recruiter through the outbox; the recruiter and the hiring manager are notified at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import company_calendar
from hiring.errors import DomainError
from hiring.notifications.outbox import Attachment, message_claim
from hiring.notifications.services import notify
from hiring.offers.letters import (
    DECLINE_REASONS,
    MAX_DECLINE_COMMENT,
    MAX_SIGNATURE_NAME,
    SIGNATURE_STATEMENT,
    signature_matches,
)
from hiring.offers.models import Offer, OfferSignature
from hiring.offers.pdf import SignatureFacts, signed_letter_pdf
from hiring.offers.reminders import OFFER_ANSWERED
from hiring.offers.rules import OfferStatus
from hiring.offers.selectors.candidate import CandidateOffer, candidate_offer
from hiring.offers.selectors.letters import letter_file_name, letter_reference, offer_letter
from hiring.offers.services.offers import offer_accept, offer_decline
from hiring.offers.services.status import offer_set_status

S = OfferStatus
ANSWERED_MESSAGES = {
    "accepted": "You have already accepted this offer.",
    "declined": "You have already declined this offer.",
}


def _open_locked(token: str) -> Offer:
    """The link's offer, locked, while it is still open; else a DomainError (409) naming
    what it became."""
    found = candidate_offer(token)
    if found.offer is None:
        raise DomainError("This link is not valid.", fields={"link": ["Not valid."]}, status=404)
    Offer.objects.select_for_update().get(pk=found.offer.pk)
    found = candidate_offer(token)  # again, now that the row is ours
    if not found.is_open or found.offer is None:
        message = ANSWERED_MESSAGES.get(found.state, "This offer can no longer be answered.")
        raise DomainError(message, fields={"link": [found.state]}, status=409)
    return found.offer


def offer_viewed(*, found: CandidateOffer, now: dt.datetime | None = None) -> None:
    """The candidate opened their link: the first time, the offer becomes "viewed"."""
    offer = found.offer
    if offer is None or offer.status != S.SENT:
        return
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status != S.SENT:
            return  # another tab got here first
        now = now or timezone.now()
        offer_set_status(
            offer=locked, to=S.VIEWED, actor=None, now=now, reason="Opened by the candidate"
        )
        locked.viewed_at = now
        locked.save(update_fields=["viewed_at", "updated_at"])
        offer.status, offer.viewed_at = locked.status, now


@dataclass(frozen=True)
class Client:
    """Where an answer came from: the client's address and browser."""

    ip_address: str
    user_agent: str


def _local(moment: dt.datetime) -> str:
    local = moment.astimezone(company_calendar().tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M:%S %Z}"


def _trail(offer: Offer) -> list[tuple[str, str]]:
    rows = []
    for change in offer.changes.order_by("at", "id"):
        what = change.get_to_status_display()
        rows.append((_local(change.at), f"{what}: {change.reason}" if change.reason else what))
    return rows


@transaction.atomic
def offer_accept_by_link(*, token: str, full_name: str, agreed: bool, client: Client) -> Offer:
    """Accept with an electronic signature: the typed full name (the candidate's, as on the
    letter) and the ticked statement."""
    offer = _open_locked(token)
    name = " ".join(full_name.split())[:MAX_SIGNATURE_NAME]
    problems: dict[str, list[str]] = {}
    candidate_name = offer.application.candidate.name
    if not signature_matches(name, candidate_name):
        problems["full_name"] = [f"Type your full name as it is on the letter: {candidate_name}."]
    if not agreed:
        problems["agree"] = ["Tick the statement to sign."]
    if problems:
        raise DomainError(next(iter(problems.values()))[0], fields=problems)
    now = timezone.now()
    offer_accept(
        offer=offer, actor=None, reason=f"By the candidate, online: signed as {name}", via="link"
    )
    letter = offer_letter(offer)
    signature = SignatureFacts(
        full_name=name,
        statement=SIGNATURE_STATEMENT,
        signed_at=_local(now),
        ip_address=client.ip_address,
        user_agent=client.user_agent[:400],
    )
    pdf = signed_letter_pdf(
        letter=letter,
        reference=letter_reference(offer),
        signature=signature,
        trail=_trail(offer),
    )
    OfferSignature.objects.create(
        offer=offer,
        full_name=name,
        statement=SIGNATURE_STATEMENT,
        signed_at=now,
        ip_address=client.ip_address or None,
        user_agent=signature.user_agent,
        letter_sha256=letter.digest,
        signed_pdf=pdf,
    )
    _send_signed_copy(offer=offer, pdf=pdf)
    _tell_the_team(offer=offer, what="accepted", now=now)
    return offer


def _send_signed_copy(*, offer: Offer, pdf: bytes) -> None:
    candidate = offer.application.candidate
    recruiter = offer.application.requisition.recruiter
    attachment = Attachment(letter_file_name(offer, signed=True), "application/pdf", pdf)
    title = f"Signed: {offer.letter_subject or 'your offer'}"
    for who, to, body in (
        (
            "candidate",
            candidate.email,
            f"Dear {candidate.name},\n\nThank you for accepting. Your signed offer letter is "
            "attached, with the record of your signature.\n",
        ),
        (
            "recruiter",
            recruiter.email,
            f"{candidate.name} accepted and signed the offer online. The signed copy is "
            "attached.\n",
        ),
    ):
        if to:
            message_claim(
                claim_key=f"offer-signed:{offer.pk}:{who}",
                to=to,
                title=title,
                body=body,
                attachments=[attachment],
                subject_type="offer-signed",
                subject_id=offer.pk,
            )


def _tell_the_team(*, offer: Offer, what: str, now: dt.datetime) -> None:
    requisition = offer.application.requisition
    candidate = offer.application.candidate.name
    extra = ""
    if what == "declined":
        label = DECLINE_REASONS.get(offer.decline_reason, "")
        extra = f" Reason: {label}." if label else ""
    notify(
        recipients={requisition.recruiter_id, requisition.hiring_manager_id},
        kind=OFFER_ANSWERED,
        subject_type="offer",
        subject_id=offer.pk,
        title=f"{candidate} {what} the offer",
        body=f"{candidate} {what} the offer for {requisition.title} online.{extra}",
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )


@transaction.atomic
def offer_decline_by_link(*, token: str, reason: str, comment: str) -> Offer:
    """Decline, with an optional reason from DECLINE_REASONS and a comment."""
    offer = _open_locked(token)
    comment = comment.strip()
    if reason and reason not in DECLINE_REASONS:
        raise DomainError(
            "Pick a reason from the list, or none.", fields={"reason": ["Not in the list."]}
        )
    if len(comment) > MAX_DECLINE_COMMENT:
        raise DomainError(
            f"The comment is at most {MAX_DECLINE_COMMENT:,} characters.",
            fields={"comment": [f"At most {MAX_DECLINE_COMMENT:,} characters."]},
        )
    label = DECLINE_REASONS.get(reason, "")
    why = "By the candidate, online" + (f": {label}" if label else "")
    why += f". {comment}" if comment else ""
    offer_decline(
        offer=offer, actor=None, reason=why, note=comment, via="link", decline_reason=reason
    )
    _tell_the_team(offer=offer, what="declined", now=timezone.now())
    audit_record(actor=None, action="offer.decline_by_link", target=offer)
    return offer
