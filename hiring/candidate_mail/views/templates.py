"""The template pages (admins): the list, the editor with its preview, a new rejection text."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hiring.candidate_mail.forms import TemplateForm
from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import AUTOMATIC, MailKind
from hiring.candidate_mail.selectors.pages import editor_context, preview, template_or_404
from hiring.candidate_mail.selectors.pages import templates_list as all_templates
from hiring.candidate_mail.services.templates import (
    email_template_create,
    email_template_delete,
    email_template_update,
)
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, requires

EDIT = "candidate_emails.edit"


@requires(EDIT)
def templates_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "candidate_mail/templates.html", {"templates": all_templates()})


@requires(EDIT)
def template_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    template = template_or_404(pk)
    automatic = template.kind in AUTOMATIC
    initial = {"name": template.name, "subject": template.subject, "body": template.body,
               "enabled": template.enabled, "version": template.version}  # fmt: skip
    form = TemplateForm(
        request.POST if request.method == "POST" else None, initial=initial, automatic=automatic
    )
    if request.method == "POST" and form.is_valid() and _saved(request, form, template):
        messages.success(request, f"Saved {template.name}.")
        return redirect("candidate_mail:templates")
    return _editor(request, form, template.kind, template=template)


@requires(EDIT)
def template_new(request: SignedInRequest) -> HttpResponse:
    form = TemplateForm(request.POST if request.method == "POST" else None, automatic=False)
    if request.method == "POST" and form.is_valid() and _saved(request, form, None):
        messages.success(request, f"Added {form.cleaned_data['name'].strip()}.")
        return redirect("candidate_mail:templates")
    return _editor(request, form, MailKind.NOT_MOVING_FORWARD, template=None)


@requires(EDIT)
@require_POST
def template_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    template = template_or_404(pk)
    try:
        email_template_delete(template=template, actor=request.user)
        messages.success(request, f"Deleted {template.name}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("candidate_mail:templates")


@requires(EDIT)
@require_POST
def template_preview(request: SignedInRequest) -> HttpResponse:
    """The preview beside the editor, as the admin types (htmx): the sample data filled in."""
    kind = request.POST.get("kind", "")
    if kind not in MailKind.values:
        kind = MailKind.NOT_MOVING_FORWARD
    text = {"preview": preview(kind, request.POST.get("subject", ""), request.POST.get("body", ""))}
    return render(request, "candidate_mail/_preview.html", text)


def _saved(request: SignedInRequest, form: TemplateForm, template: EmailTemplate | None) -> bool:
    data = form.cleaned_data
    try:
        if template is None:
            email_template_create(
                name=data["name"], subject=data["subject"], body=data["body"], actor=request.user
            )
        else:
            email_template_update(
                template=template, name=data["name"], subject=data["subject"], body=data["body"],
                enabled=bool(data.get("enabled")), version=data.get("version") or 0,
                actor=request.user,
            )  # fmt: skip
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


def _editor(
    request: SignedInRequest, form: TemplateForm, kind: str, *, template: EmailTemplate | None
) -> HttpResponse:
    subject = form["subject"].value() or ""
    body = form["body"].value() or ""
    context: dict[str, Any] = {
        "form": form, "template": template, "kind": kind,
        "kind_label": dict(MailKind.choices)[kind], **editor_context(kind, subject, body),
    }  # fmt: skip
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "candidate_mail/template_edit.html", context, status=status)
