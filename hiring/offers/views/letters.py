"""Letters: the admins' template pages, the letter's preview while drafting, the letter and
its signed copy as PDF for the people who see the offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.offers.forms import LetterTemplateForm, OfferForm
from hiring.offers.models import LetterTemplate
from hiring.offers.selectors.letters import (
    draft_letter,
    letter_file_name,
    letter_templates,
    offer_letter_pdf,
    signed_copy,
)
from hiring.offers.services.templates import letter_template_save
from hiring.offers.views.offers import _application, offer_of
from hiring.permissions import requires

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest


@requires("letters.edit")
def template_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "offers/letters/list.html", {"templates": letter_templates()})


@requires("letters.edit")
def template_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, pk=pk) if pk else None
    form = LetterTemplateForm(request.POST or None, instance=template)
    if form.is_bound and form.is_valid():
        try:
            saved, restarted = letter_template_save(
                template=template, fields=form.cleaned_data, actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            chains = f" {restarted} approval chain(s) restarted." if restarted else ""
            messages.success(request, f"Template saved.{chains}")
            return redirect("offers:letter-templates")
    status = 400 if form.is_bound else 200
    context = {"form": form, "template": template}
    return render(request, "offers/letters/form.html", context, status=status)


@require_POST
@requires("offers.edit")
def letter_preview(request: SignedInRequest) -> HttpResponse:
    """The letter as the offer form's values make it (htmx, while drafting)."""
    application_id = parse_id(request.POST.get("application"))
    if application_id is None:
        raise Http404("No such application")
    application = _application(request.user, application_id)
    form = OfferForm.drafting(application, request.POST)
    letter = draft_letter(application, form.cleaned_data if form.is_valid() else None)
    return render(request, "offers/_letter.html", {"letter": letter, "preview": True})


@requires("offers.view")
def letter_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    offer = offer_of(request.user, pk)
    response = HttpResponse(offer_letter_pdf(offer), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter_file_name(offer)}"'
    return response


@requires("offers.view")
def signed_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    offer = offer_of(request.user, pk)
    pdf = signed_copy(offer)
    if pdf is None:
        raise Http404("This offer was not signed online")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = letter_file_name(offer, signed=True)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
