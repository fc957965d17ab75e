"""The offer form (new and edit), the offer page and the recruiter's actions on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import MAX_ID, parse_id, parse_int
from hiring.offers.forms import OfferForm, ReasonForm, SentForm, SubmitForm
from hiring.offers.models import Offer
from hiring.offers.rules import EDITABLE, RESTARTS_CHAIN
from hiring.offers.selectors.offers import (
    application_for_offer,
    live_offer,
    offer_for_page,
    offer_form_page,
    offer_page,
)
from hiring.offers.services import offers as services
from hiring.offers.services.sending import offer_send
from hiring.permissions import requires

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from hiring.permissions import SignedInRequest
    from hiring.pipeline.models import Application

NOT_AN_APPLICATION = {
    "title": "No such application",
    "message": "This address does not name an application. Draft the offer from the offers "
    "in flight or from the candidate's page.",
}


def offer_of(user: User, pk: int) -> Offer:
    """The offer `pk` if the user may see it; else 404."""
    try:
        return offer_for_page(user, pk)
    except Offer.DoesNotExist:
        raise Http404("No such offer") from None


def _application(user: User, pk: int) -> Application:
    application = application_for_offer(user, pk)
    if application is None:
        raise Http404("No such application")
    return application


def _saved(form: OfferForm, save: Callable[..., Offer]) -> Offer | None:
    """The submitted form's offer, saved by `save(fields=...)`; None when the form was not
    submitted, or it or the service refused it (the errors are on the form)."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return save(fields=dict(form.cleaned_data))
    except DomainError as error:
        add_domain_error(form, error)
        return None


@requires("offers.edit")
def offer_new(request: SignedInRequest) -> HttpResponse:
    application_id = parse_id(request.POST.get("application") or request.GET.get("application"))
    if application_id is None:
        return render(request, "offers/problem.html", NOT_AN_APPLICATION, status=400)
    application = _application(request.user, application_id)
    live = live_offer(application.pk)
    if live is not None:
        messages.info(request, f"{application.candidate.name} already has an offer: here it is.")
        return redirect("offers:detail", pk=live.pk)
    form = OfferForm.drafting(application, request.POST or None)
    create = partial(services.offer_create, application=application, actor=request.user)
    offer = _saved(form, create)
    if offer is not None:
        messages.success(request, "Offer drafted. Check the band, then submit it.")
        return redirect("offers:detail", pk=offer.pk)
    return render(request, "offers/form.html", offer_form_page(form=form, application=application))


@requires("offers.edit")
def offer_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    offer = offer_of(request.user, pk)
    if offer.status not in EDITABLE:
        messages.error(request, f"A {offer.get_status_display().lower()} offer is not edited.")
        return redirect("offers:detail", pk=offer.pk)
    form = OfferForm.editing(offer, request.POST or None)
    # The version the form was opened at: a stale one is refused (no version: no check).
    version = parse_int(request.POST.get("version"), low=1, high=MAX_ID)
    update = partial(services.offer_update, offer=offer, actor=request.user, version=version)
    if _saved(form, update) is not None:
        restarted = offer.status in RESTARTS_CHAIN
        done = "Offer saved. The approval chain started again." if restarted else "Offer saved."
        messages.success(request, done)
        return redirect("offers:detail", pk=offer.pk)
    context = offer_form_page(form=form, application=offer.application, offer=offer)
    return render(request, "offers/form.html", context)


@requires("offers.view")
def offer_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    offer = offer_of(request.user, pk)
    return render(request, "offers/detail.html", offer_page(request.user, offer))


# Actions: submit, withdraw, send, accept, decline, rescind, revise --------------------------


def _submit(offer: Offer, request: SignedInRequest) -> Offer:
    form = SubmitForm(request.POST)
    if not form.is_valid():  # never submit and drop the justification that was written
        raise DomainError(
            "The justification is at most 5,000 characters: shorten it, then submit.",
            fields={"justification": ["At most 5,000 characters."]},
        )
    justification = form.cleaned_data.get("justification")
    return services.offer_submit(offer=offer, actor=request.user, justification=justification)


def _send(offer: Offer, request: SignedInRequest) -> Offer:
    form = SentForm(request.POST)
    if not form.is_valid():
        raise DomainError("Give the date the offer was sent.", fields={"sent_on": ["A date."]})
    return services.offer_mark_sent(
        offer=offer,
        actor=request.user,
        sent_on=form.cleaned_data.get("sent_on"),
        reason=form.cleaned_data.get("reason", ""),
    )


def _reason(request: SignedInRequest) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError("The reason is at most 200 characters.", fields={"reason": ["Too long."]})
    return form.cleaned_data.get("reason", "")


ACTIONS: dict[str, tuple[Callable[[Offer, SignedInRequest], Offer], str]] = {
    "submit": (_submit, "Submitted for approval: the approvers have been notified."),
    "withdraw": (
        lambda o, r: services.offer_withdraw(offer=o, actor=r.user, reason=_reason(r)),
        "Back in draft: the approvals were cancelled.",
    ),
    "send-email": (
        lambda o, r: offer_send(offer=o, actor=r.user),
        "Sent: the e-mail is on its way; the clock stops when the mail server accepts it.",
    ),
    "send": (_send, "Marked sent by hand: the two-business-day clock has stopped."),
    "accept": (
        lambda o, r: services.offer_mark_accepted(offer=o, actor=r.user, reason=_reason(r)),
        "Accepted: the candidate is hired.",
    ),
    "decline": (
        lambda o, r: services.offer_mark_declined(offer=o, actor=r.user, reason=_reason(r)),
        "Marked declined.",
    ),
    "rescind": (
        lambda o, r: services.offer_rescind(offer=o, actor=r.user, reason=_reason(r)),
        "Offer rescinded.",
    ),
    "revise": (
        lambda o, r: services.offer_revise(offer=o, actor=r.user),
        "A new revision is in draft; the earlier offer stays in the history.",
    ),
}


def _submit_refused(request: SignedInRequest, offer: Offer, error: DomainError) -> HttpResponse:
    """The offer page again, the justification box open with the text and the message."""
    kept = request.POST.get("justification", "")
    context = offer_page(request.user, offer, submit_error=error.message, justification=kept)
    return render(request, "offers/detail.html", context, status=400)


@require_POST
@requires("offers.edit")
def offer_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    offer = offer_of(request.user, pk)
    run, done = ACTIONS[action]
    try:
        result = run(offer, request)
    except DomainError as error:
        if action == "submit" and "justification" in error.fields:
            return _submit_refused(request, offer, error)
        messages.error(request, error.message)
        return redirect("offers:detail", pk=offer.pk)
    messages.success(request, done)
    return redirect("offers:detail", pk=result.pk)
