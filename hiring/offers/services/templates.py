"""Letter templates: saved by admins, checked (an unknown placeholder is refused), and a
changed letter restarts the approval chains it changes.

An offer's approvers approve its letter as rendered when it was submitted. When a template
is saved, every offer in approval (pending or approved, not yet sent) whose letter would now
read differently gets its chain restarted, as an edit of its terms would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.offers.letters import letter_problems
from hiring.offers.models import LetterTemplate, Offer
from hiring.offers.rules import RESTARTS_CHAIN
from hiring.offers.selectors.letters import letter_render, offer_with_letter_facts, template_for
from hiring.offers.services.offers import offer_chain_restart

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIELDS = ("name", "requisition", "is_default", "subject", "body", "send_when_approved")
RESTARTED = "The letter's template changed: the approval chain restarts"


@transaction.atomic
def letter_template_save(
    *, template: LetterTemplate | None, fields: dict[str, Any], actor: User
) -> tuple[LetterTemplate, int]:
    """Create (`template` None) or change a template; returns it and how many approval
    chains restarted."""
    values = {name: fields[name] for name in FIELDS if name in fields}
    subject, body = str(values.get("subject", "")), str(values.get("body", ""))
    problems = letter_problems(subject=subject, body=body)
    if not str(values.get("name", "")).strip():
        problems["name"] = ["Give the template a name."]
    if values.get("is_default") and values.get("requisition") is not None:
        problems["is_default"] = ["The default is the company's: leave the requisition empty."]
    if problems:
        first = next(iter(problems.values()))[0]
        raise DomainError(f"Check the template: {first}", fields=problems)
    requisition = values.get("requisition")
    taken = LetterTemplate.objects.filter(requisition=requisition) if requisition else None
    if taken is not None and template is not None:
        taken = taken.exclude(pk=template.pk)
    if taken is not None and taken.exists():
        raise DomainError(
            f"{requisition} already has a letter template: edit that one.",
            fields={"requisition": ["This requisition already has a template."]},
            status=409,
        )
    if template is None:
        template = LetterTemplate(updated_by=actor)
    else:
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        template.version += 1
    before = {"subject": template.subject, "body": template.body}
    if values.get("is_default"):
        LetterTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(
            is_default=False
        )
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_by = actor
    template.save()
    audit_record(
        actor=actor,
        action="letter_template.save",
        target=template,
        before=before,
        after={"subject": template.subject, "body": template.body},
    )
    return template, _restart_changed(actor=actor)


def _restart_changed(*, actor: User) -> int:
    """Restart the chains of offers in approval whose letter now reads differently."""
    restarted = 0
    waiting = Offer.objects.filter(status__in=RESTARTS_CHAIN).values_list("pk", flat=True)
    for pk in list(waiting[:1000]):
        Offer.objects.select_for_update().get(pk=pk)
        offer = offer_with_letter_facts(pk)
        if offer.status not in RESTARTS_CHAIN:
            continue
        letter = letter_render(offer, template_for(offer.application.requisition_id))
        if (letter.subject, letter.body) != (offer.letter_subject, offer.letter_text):
            offer_chain_restart(offer=offer, actor=actor, reason=RESTARTED)
            restarted += 1
    return restarted
