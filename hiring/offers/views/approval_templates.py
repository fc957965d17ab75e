"""The approval-template pages (admins): the overview, the company default's editor and each
requisition's. The editor's buttons rearrange the steps in place (htmx, or a full page
without JavaScript); only Save writes, and "Use the company default" for a requisition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hiring.errors import DomainError
from hiring.offers.forms.approval_templates import SAVE, USE_DEFAULT, TemplateEdit
from hiring.offers.selectors.approval_templates import (
    editor_context,
    overview_context,
    template_requisition,
)
from hiring.offers.services.approval_templates import (
    approval_template_save,
    approval_template_use_default,
)
from hiring.permissions import can, requires

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest
    from hiring.pipeline.models import Requisition

PAGE = "offers/approval_templates/edit.html"
EDITOR = "offers/approval_templates/_editor.html"


@requires("approvals.configure")
def template_overview(request: SignedInRequest) -> HttpResponse:
    context = overview_context(page=request.GET.get("page"))
    return render(request, "offers/approval_templates/list.html", context)


@requires("approvals.configure")
def default_template(request: SignedInRequest) -> HttpResponse:
    return _editor(request, None)


@requires("approvals.configure")
def requisition_template(request: SignedInRequest, pk: int) -> HttpResponse:
    return _editor(request, template_requisition(pk))


def _editor(request: SignedInRequest, requisition: Requisition | None) -> HttpResponse:
    context = editor_context(requisition)
    if request.method != "POST":
        own = requisition is None or bool(context["stored"]) or request.GET.get("own") == "1"
        start = context["stored"] or context["default_template"]
        edit = TemplateEdit.of(start, seen=context["seen"])
        context.update(edit=edit, editing=own, forms=edit.shown(context["choices"]))
        return render(request, PAGE, _with_audit(request, context))
    edit = TemplateEdit.posted(request.POST)
    try:
        if edit.action == USE_DEFAULT and requisition is not None:
            approval_template_use_default(
                requisition=requisition, seen=edit.seen, actor=request.user
            )
            return _done(request, requisition, "It uses the company default now.")
        if edit.action == SAVE:
            steps = edit.steps(context["choices"])
            approval_template_save(
                requisition=requisition, steps=steps, seen=edit.seen, actor=request.user
            )
            return _done(request, requisition, "Approval template saved.")
        edit.rearranged()
    except DomainError as error:
        edit.error = error
    context.update(edit=edit, editing=True, forms=edit.shown(context["choices"]))
    if request.headers.get("HX-Request") == "true":
        return render(request, EDITOR, context)  # swapped in place: 200, or htmx drops it
    status = edit.error.status if edit.error else 200
    return render(request, PAGE, _with_audit(request, context), status=status)


def _with_audit(request: SignedInRequest, context: dict[str, Any]) -> dict[str, Any]:
    return {**context, "perms_audit": can(request.user, "audit.view")}


def _done(request: SignedInRequest, requisition: Requisition | None, text: str) -> HttpResponse:
    messages.success(request, text + " Offers already submitted keep their chain.")
    url = (
        reverse("offers:approval-template", args=[requisition.pk])
        if requisition is not None
        else reverse("offers:approval-template-default")
    )
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)
