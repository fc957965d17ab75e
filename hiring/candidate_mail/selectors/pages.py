"""Reads for the template pages and the reject-with-e-mail pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import SAMPLE, MailKind, placeholders_for
from hiring.pipeline.models import Application
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.pipeline.selectors import applications_visible_to
from hiring.templating import fill, template_problems


def templates_list() -> QuerySet[EmailTemplate]:
    return EmailTemplate.objects.select_related("updated_by").order_by("kind", "name", "id")


def template_or_404(pk: int | None) -> EmailTemplate:
    template = EmailTemplate.objects.filter(pk=pk).first() if pk else None
    if template is None:
        raise Http404("No such template")
    return template


def rejection_templates() -> QuerySet[EmailTemplate]:
    return EmailTemplate.objects.filter(kind=MailKind.NOT_MOVING_FORWARD).order_by("name", "id")


def preview(kind: str, subject: str, body: str) -> dict[str, Any]:
    """The text filled with the sample values, or what stops it from being saved."""
    allowed = placeholders_for(kind)
    problems = template_problems(subject, allowed) + template_problems(body, allowed)
    return {
        "problems": list(dict.fromkeys(problems)),
        "subject": fill(subject, SAMPLE),
        "body": fill(body, SAMPLE),
    }


def editor_context(kind: str, subject: str, body: str) -> dict[str, Any]:
    return {
        "placeholders": placeholders_for(kind).items(),
        "preview": preview(kind, subject, body),
    }


def rejectable_application(user: Any, pk: int) -> Application:
    """An application the user may reject (pipeline.edit reach); 404 otherwise."""
    application = (
        applications_visible_to(user, "pipeline.edit")
        .filter(pk=pk)
        .select_related("candidate", "requisition")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def reasons() -> list[str]:
    return list(REJECTION_REASONS)
