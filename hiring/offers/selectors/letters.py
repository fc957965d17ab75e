"""Letters: which template an offer's letter comes from, the letter's facts and text, its PDF.

A requisition's own template wins over the company default; with neither saved, the
built-in default text (hiring.offers.letters) is used, so an offer always has a letter.
A submitted offer carries its letter as rendered then (`Offer.letter_text`): what the
approvers approve and the candidate receives; a draft's letter is rendered on the fly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet

from hiring.offers.letters import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    Letter,
    LetterFacts,
    letter_fill,
)
from hiring.offers.models import LetterTemplate, Offer, OfferSignature
from hiring.offers.pdf import letter_pdf

if TYPE_CHECKING:
    from hiring.pipeline.models import Application


def letter_templates() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.select_related("requisition", "updated_by").order_by(
        "-is_default", "name", "id"
    )


def template_for(requisition_id: int) -> LetterTemplate | None:
    """The requisition's own template, else the company default, else None (built-in)."""
    found = list(
        LetterTemplate.objects.filter(Q(requisition_id=requisition_id) | Q(is_default=True))
    )
    own = [t for t in found if t.requisition_id == requisition_id]
    return (own or found)[0] if found else None


def _name(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


def letter_facts(offer: Offer) -> LetterFacts:
    """The offer's facts; needs application__candidate, __requisition's managers, level."""
    requisition = offer.application.requisition
    return LetterFacts(
        candidate_name=offer.application.candidate.name,
        role=requisition.title,
        level=offer.level.name,
        base_salary=offer.base_salary,
        target_bonus=offer.target_bonus,
        currency=offer.currency,
        start_date=offer.start_date,
        expiry_date=offer.expires_on,
        hiring_manager=_name(requisition.hiring_manager),
        recruiter=_name(requisition.recruiter),
        company=settings.COMPANY_NAME,
    )


def letter_render(offer: Offer, template: LetterTemplate | None) -> Letter:
    """The letter `template` gives for the offer's current terms."""
    subject = template.subject if template else DEFAULT_SUBJECT
    body = template.body if template else DEFAULT_BODY
    return letter_fill(subject=subject, body=body, facts=letter_facts(offer))


def offer_letter(offer: Offer) -> Letter:
    """The letter of this offer: as submitted (stored), or, for a draft, as it reads now."""
    if offer.letter_text:
        return Letter(subject=offer.letter_subject, body=offer.letter_text)
    return letter_render(offer, template_for(offer.application.requisition_id))


def letter_reference(offer: Offer) -> str:
    return f"Offer {offer.pk}, revision {offer.revision}"


def offer_letter_pdf(offer: Offer) -> bytes:
    return letter_pdf(letter=offer_letter(offer), reference=letter_reference(offer))


def letter_file_name(offer: Offer, *, signed: bool = False) -> str:
    return f"offer-{offer.pk}-r{offer.revision}{'-signed' if signed else ''}.pdf"


def offer_with_letter_facts(pk: int) -> Offer:
    """One offer with what its letter needs (no visibility check: callers have one)."""
    return Offer.objects.select_related(
        "application__candidate",
        "application__requisition__hiring_manager",
        "application__requisition__recruiter",
        "level",
    ).get(pk=pk)


def signed_copy(offer: Offer) -> bytes | None:
    """The signed copy of an accepted offer's letter, if the candidate signed online."""
    signature = OfferSignature.objects.filter(offer=offer).only("signed_pdf").first()
    return bytes(signature.signed_pdf) if signature is not None else None


def draft_letter(application: Application, terms: dict[str, Any] | None) -> Letter | None:
    """The letter an offer with these terms would have (the form's preview); None until the
    terms are complete."""
    if not terms:
        return None
    offer = Offer(application=application, **{k: v for k, v in terms.items() if k != "notes"})
    return letter_render(offer, template_for(application.requisition_id))
