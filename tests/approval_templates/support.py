"""What the approval-template tests share: steps to save, and a save as an admin would."""

from __future__ import annotations

from typing import Any

from hiring.offers.rules import ApproverSource, TemplateStep
from hiring.offers.selectors.approval_templates import fingerprint, template_steps
from hiring.offers.services.approval_templates import approval_template_save

HM = TemplateStep("Hiring manager", ApproverSource.HIRING_MANAGER)
FINANCE = TemplateStep("Finance/HR", ApproverSource.FINANCE)


def people(name: str, *users: Any, required: int = 1, parallel: bool = False) -> TemplateStep:
    return TemplateStep(name, ApproverSource.PEOPLE, tuple(u.pk for u in users), required, parallel)


def save(requisition: Any, steps: list[TemplateStep], actor: Any) -> list[TemplateStep]:
    """Save as an editor opened just now would."""
    seen = fingerprint(template_steps(requisition.pk if requisition is not None else None))
    return approval_template_save(requisition=requisition, steps=steps, seen=seen, actor=actor)
