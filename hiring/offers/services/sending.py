"""Sending an approved offer to the candidate by e-mail, and learning that it went.

`offer_send` claims the e-mail in the outbox (exactly once: its claim key names the offer
and the sending's nonce) with the letter's PDF attached and the candidate's signed link,
and moves the offer to "sending". When the mail server accepts the message the outbox tells
this domain (`offer_delivered`, registered in OffersConfig): the offer becomes "sent" and
the two-business-day clock stops at that moment, the moment the offer is in the
candidate's hands. A sweep step (`offers_catch_up_delivered`) does the same for a message
whose listener did not run (a worker killed in between).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import company_calendar, local_date
from hiring.errors import DomainError
from hiring.events import emit
from hiring.notifications.models import EmailStatus, OutboxMessage
from hiring.notifications.outbox import Attachment, message_claim
from hiring.offers.clock import clock_stop_on_send
from hiring.offers.events import offer_event_data
from hiring.offers.letters import long_date
from hiring.offers.links import candidate_link, new_link_nonce
from hiring.offers.models import Offer
from hiring.offers.pdf import letter_pdf
from hiring.offers.rules import OfferStatus
from hiring.offers.selectors.letters import (
    letter_file_name,
    letter_reference,
    offer_letter,
    offer_with_letter_facts,
)
from hiring.offers.services.status import offer_set_status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

S = OfferStatus
LETTER_SUBJECT = "offer-letter"  # the outbox messages' subject type


def _locked(offer_id: int) -> Offer:
    Offer.objects.select_for_update().get(pk=offer_id)  # the bare row first (see offers)
    return offer_with_letter_facts(offer_id)


def _email_text(offer: Offer, link: str) -> str:
    requisition = offer.application.requisition
    contact = requisition.recruiter
    who = contact.get_full_name() or contact.get_username()
    return (
        f"Dear {offer.application.candidate.name},\n\n"
        f"{settings.COMPANY_NAME} is pleased to send you an offer for the position of "
        f"{requisition.title}. The letter is attached, and you can read it, download it and "
        f"accept or decline it here:\n\n{settings.SITE_URL}{link}\n\n"
        f"The offer is open until {long_date(offer.expires_on)}. This link is for you alone: "
        f"please do not forward it. Any question: {who}, {contact.email or 'your recruiter'}.\n"
    )


@transaction.atomic
def offer_send(*, offer: Offer, actor: User | None) -> Offer:
    """E-mail the approved offer to the candidate (one click, or at once when the last
    approval lands and the requisition's template says so; `actor` None then)."""
    offer = _locked(offer.pk)
    if offer.status != S.APPROVED:
        raise DomainError(
            "Only an approved offer can be sent"
            + (": it still waits for approvals." if offer.status == S.PENDING else "."),
            fields={"status": ["Not approved."]},
            status=409,
        )
    candidate = offer.application.candidate
    if not candidate.email:
        raise DomainError(
            f"{candidate.name} has no e-mail address: add one, or send the offer yourself "
            "and mark it sent by hand.",
            fields={"email": ["No e-mail address."]},
        )
    if offer.expires_on < timezone.localdate():
        raise DomainError(
            "The offer's expiry date has passed: edit it before sending.",
            fields={"expires_on": ["Expired."]},
            status=409,
        )
    nonce = new_link_nonce()
    link = candidate_link(offer_id=offer.pk, nonce=nonce)
    letter = offer_letter(offer)
    pdf = letter_pdf(letter=letter, reference=letter_reference(offer))
    message_claim(
        claim_key=f"offer-letter:{offer.pk}:{nonce}",
        to=candidate.email,
        title=letter.subject,
        body=_email_text(offer, link),
        attachments=[Attachment(letter_file_name(offer), "application/pdf", pdf)],
        subject_type=LETTER_SUBJECT,
        subject_id=offer.pk,
    )
    offer.link_nonce = nonce
    offer.save(update_fields=["link_nonce", "updated_at"])
    offer_set_status(
        offer=offer,
        to=S.SENDING,
        actor=actor,
        reason=f"E-mailed to {candidate.email}; waiting for the mail server",
    )
    audit_record(
        actor=actor, action="offer.send_email", target=offer, after={"to": candidate.email}
    )
    return offer


@transaction.atomic
def offer_delivered(*, offer_id: int, at: dt.datetime, claim_key: str = "") -> bool:
    """The mail server accepted the offer's e-mail at `at`: sent, and the clock stops.
    Safe to call twice (the second finds it sent); a message of an older sending (another
    nonce) changes nothing."""
    offer = Offer.objects.select_for_update().filter(pk=offer_id).first()
    if offer is None or offer.status != S.SENDING:
        return False
    if claim_key and not claim_key.endswith(f":{offer.link_nonce}"):
        return False
    offer_set_status(
        offer=offer, to=S.SENT, actor=None, now=at, reason="Accepted by the mail server"
    )
    offer.sent_at, offer.sent_via = at, "email"
    offer.sent_on = local_date(at, company_calendar())
    offer.save(update_fields=["sent_at", "sent_on", "sent_via", "updated_at"])
    clock_stop_on_send(application_id=offer.application_id, sent_at=at)
    audit_record(actor=None, action="offer.send", target=offer, after={"at": at.isoformat()})
    emit("offer.sent", subject=offer, data=offer_event_data(offer, via="email"))
    return True


def offers_catch_up_delivered(now: dt.datetime) -> int:
    """Sweep step: offers still "sending" whose e-mail the outbox has delivered."""
    sending = Offer.objects.filter(status=S.SENDING).values_list("pk", "link_nonce")
    done = 0
    for pk, nonce in list(sending[:200]):
        message = OutboxMessage.objects.filter(
            claim_key=f"offer-letter:{pk}:{nonce}", status=EmailStatus.SENT
        ).first()
        if message is not None and message.sent_at is not None:
            done += offer_delivered(offer_id=pk, at=message.sent_at, claim_key=message.claim_key)
    return done


def on_letter_delivered(subject_id: int, claim_key: str, at: dt.datetime) -> None:
    offer_delivered(offer_id=subject_id, at=at, claim_key=claim_key)
