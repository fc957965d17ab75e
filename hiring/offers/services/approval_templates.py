"""Approval templates: saving the company default or a requisition's own, and a requisition
going back to the company default. Admins do this on the template pages.

A save replaces the template's steps as a whole, in one transaction, after checking them
(hiring.offers.rules.check_template: every step has someone who can approve, N of M within
bounds), and records the steps before and after in the audit log. Offers already submitted
keep their chain: it was copied into their approval steps when they were submitted; the
template is read again only when a new chain is built (a submit, or an edit that restarts
the chain).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from hiring.audit import AuditTarget, audit_record
from hiring.errors import DomainError
from hiring.locks import transaction_lock
from hiring.offers.models import ApprovalTemplateStep
from hiring.offers.rules import ApproverSource, TemplateStep, check_template
from hiring.offers.selectors.approval_templates import (
    SOURCE_LABEL,
    approvers_for,
    fingerprint,
    template_steps,
)
from hiring.pipeline.models import Requisition

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STALE = (
    "Someone else changed this template since you opened it. Reload the page to see their "
    "version, then make your change again."
)


def template_target(requisition: Requisition | None) -> AuditTarget:
    """The audit log's name for a template: the company default, or a requisition's."""
    if requisition is None:
        return AuditTarget(SOURCE_LABEL, "default", "Company default approval template")
    return AuditTarget(
        SOURCE_LABEL, str(requisition.pk), f"Approval template of {requisition.title}"
    )


def _locked_steps(requisition: Requisition | None) -> list[TemplateStep]:
    """The stored steps, with the template locked against another save until commit: the
    requisition's row, or, for the company default, a lock on its name (its step rows will
    not do: a first default has none, and two first saves at once both went through, the
    second deleting the first's steps)."""
    if requisition is not None:
        Requisition.objects.select_for_update().filter(pk=requisition.pk).first()
    else:
        transaction_lock("approval-template:default")
    return template_steps(requisition.pk if requisition is not None else None)


def _normalised(steps: Sequence[TemplateStep]) -> list[TemplateStep]:
    """Names stripped; people only on a named-people step, each once; the first step runs
    after nothing, so it is never parallel."""
    return [
        TemplateStep(
            name=step.name.strip(),
            source=step.source,
            people=tuple(sorted(set(step.people))) if step.source == ApproverSource.PEOPLE else (),
            required=step.required,
            parallel_with_previous=step.parallel_with_previous and index > 0,
        )
        for index, step in enumerate(steps)
    ]


def _audited(steps: list[TemplateStep], usernames: dict[int, str]) -> dict[str, Any]:
    return {
        "steps": [
            {
                "name": s.name,
                "source": s.source,
                "people": [usernames.get(pk, str(pk)) for pk in s.people],
                "required_approvals": s.required,
                "parallel_with_previous": s.parallel_with_previous,
            }
            for s in steps
        ]
    }


def _usernames(*templates: list[TemplateStep]) -> dict[int, str]:
    people = {pk for steps in templates for step in steps for pk in step.people}
    if not people:
        return {}
    rows = get_user_model().objects.filter(pk__in=people).values_list("pk", "username")
    return dict(rows)


def _check_seen(before: list[TemplateStep], seen: str) -> None:
    if fingerprint(before) != seen:
        raise DomainError(STALE, fields={"steps": [STALE]}, status=409)


def _write(requisition: Requisition | None, steps: list[TemplateStep]) -> None:
    owner = requisition.pk if requisition is not None else None
    ApprovalTemplateStep.objects.filter(
        **({"requisition_id": owner} if owner else {"requisition__isnull": True})
    ).delete()
    rows = ApprovalTemplateStep.objects.bulk_create(
        ApprovalTemplateStep(
            requisition_id=owner,
            position=position,
            name=step.name,
            source=step.source,
            required_approvals=step.required,
            parallel_with_previous=step.parallel_with_previous,
        )
        for position, step in enumerate(steps, 1)
    )
    through = ApprovalTemplateStep.people.through
    through.objects.bulk_create(
        through(approvaltemplatestep_id=row.pk, user_id=pk)
        for row, step in zip(rows, steps, strict=True)
        for pk in step.people
    )


@transaction.atomic
def approval_template_save(
    *,
    requisition: Requisition | None,
    steps: Sequence[TemplateStep],
    seen: str,
    actor: User,
) -> list[TemplateStep]:
    """Replace the steps of a requisition's template (None: the company default's).

    Refused with every problem by field (`step-<i>-<field>`) when a step has nobody who
    can approve it or N is not between 1 and M; refused with 409 when the template changed
    since the editor showed it (`seen`: its fingerprint then). Saving the same steps again
    changes nothing and records nothing.
    """
    before = _locked_steps(requisition)
    _check_seen(before, seen)
    wanted = _normalised(steps)
    approvers = approvers_for(requisition, also={pk for step in wanted for pk in step.people})
    check_template(wanted, pools=approvers.pools, able=approvers.able, names=approvers.names)
    if wanted == before:
        return before
    try:
        with transaction.atomic():
            _write(requisition, wanted)
    except IntegrityError:
        raise DomainError(STALE, fields={"steps": [STALE]}, status=409) from None
    usernames = _usernames(before, wanted)
    audit_record(
        actor=actor,
        action="approval_template.save",
        target=template_target(requisition),
        before=_audited(before, usernames) if before else None,
        after=_audited(wanted, usernames),
    )
    return wanted


@transaction.atomic
def approval_template_use_default(*, requisition: Requisition, seen: str, actor: User) -> int:
    """The requisition's own steps deleted: its offers' chains come from the company
    default again (or the built-in chain). Returns how many steps were deleted."""
    before = _locked_steps(requisition)
    _check_seen(before, seen)
    if not before:
        return 0
    ApprovalTemplateStep.objects.filter(requisition=requisition).delete()
    audit_record(
        actor=actor,
        action="approval_template.use_default",
        target=template_target(requisition),
        before=_audited(before, _usernames(before)),
        after={"steps": [], "uses": "the company default"},
    )
    return len(before)
