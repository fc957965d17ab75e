"""Editing the candidate e-mail templates (admins): every save checks the placeholders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from hiring.audit import audit_record
from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import (
    BODY_MAX,
    NAME_MAX,
    SUBJECT_MAX,
    MailKind,
    placeholders_for,
)
from hiring.errors import DomainError
from hiring.templating import template_problems

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def text_problems(*, kind: str, subject: str, body: str) -> dict[str, list[str]]:
    """Field -> what is wrong with a subject and body for `kind` (empty: fine)."""
    allowed = placeholders_for(kind)
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = ["Write a subject line."]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [f"At most {SUBJECT_MAX} characters."]
    elif problems := template_problems(subject, allowed):
        errors["subject"] = problems
    if not body.strip():
        errors["body"] = ["Write the e-mail's text."]
    elif len(body) > BODY_MAX:
        errors["body"] = [f"At most {BODY_MAX:,} characters."]
    elif problems := template_problems(body, allowed):
        errors["body"] = problems
    return errors


def _check(*, kind: str, name: str, subject: str, body: str, pk: int | None) -> None:
    errors = text_problems(kind=kind, subject=subject, body=body)
    if not name.strip():
        errors["name"] = ["Name the template."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"At most {NAME_MAX} characters."]
    elif EmailTemplate.objects.filter(name__iexact=name.strip()).exclude(pk=pk or 0).exists():
        errors["name"] = ["Another template has this name."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(f"The template was not saved: {first}", fields=errors)


@transaction.atomic
def email_template_update(
    *,
    template: EmailTemplate,
    name: str,
    subject: str,
    body: str,
    enabled: bool,
    version: int,
    actor: User,
) -> EmailTemplate:
    """Save an edited template; refused (409) when someone saved it since it was opened."""
    template = EmailTemplate.objects.select_for_update().get(pk=template.pk)
    if version != template.version:
        raise DomainError(
            "Someone saved this template since you opened it: reload it and edit again.",
            fields={"version": ["Stale: reload the template."]},
            status=409,
        )
    _check(kind=template.kind, name=name, subject=subject, body=body, pk=template.pk)
    before = {"name": template.name, "subject": template.subject, "body": template.body,
              "enabled": template.enabled}  # fmt: skip
    template.name, template.subject, template.body = name.strip(), subject.strip(), body
    # Only automatic kinds can be switched off; a rejection template is offered or deleted.
    template.enabled = enabled or template.kind == MailKind.NOT_MOVING_FORWARD
    template.version += 1
    template.updated_by = actor
    template.save()
    after = {"name": template.name, "subject": template.subject, "body": template.body,
             "enabled": template.enabled}  # fmt: skip
    audit_record(
        actor=actor, action="candidate_email_template.update", target=template,
        before=before, after=after,
    )  # fmt: skip
    return template


@transaction.atomic
def email_template_create(*, name: str, subject: str, body: str, actor: User) -> EmailTemplate:
    """A new "not moving forward" template (the automatic kinds have theirs already)."""
    kind = MailKind.NOT_MOVING_FORWARD
    _check(kind=kind, name=name, subject=subject, body=body, pk=None)
    template = EmailTemplate.objects.create(
        kind=kind, name=name.strip(), subject=subject.strip(), body=body, updated_by=actor
    )
    audit_record(
        actor=actor, action="candidate_email_template.create", target=template,
        after={"name": template.name, "subject": template.subject},
    )  # fmt: skip
    return template


@transaction.atomic
def email_template_delete(*, template: EmailTemplate, actor: User) -> None:
    if template.kind != MailKind.NOT_MOVING_FORWARD:
        raise DomainError(
            "The product sends this one: switch it off instead of deleting it.", status=409
        )
    audit_record(
        actor=actor, action="candidate_email_template.delete", target=template,
        before={"name": template.name},
    )  # fmt: skip
    template.delete()
