"""The candidate's offer page, reached from the signed link in their e-mail (no login).

Every answer is rate-limited per client address (OFFER_LINK_RATE_PER_MINUTE), carries no
cache and no referrer, and shows only what the link opens (selectors.candidate).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.offers.forms import AcceptForm, DeclineForm
from hiring.offers.selectors.candidate import CandidateOffer, candidate_offer, candidate_page
from hiring.offers.selectors.letters import letter_file_name, offer_letter_pdf
from hiring.offers.services.candidate import (
    Client,
    offer_accept_by_link,
    offer_decline_by_link,
    offer_viewed,
)
from hiring.proxies import client_ip

TokenView = Callable[[HttpRequest, str], HttpResponse]
# What the link has become -> the answer's status (replaced, withdrawn, expired: 410 Gone).
STATUS = {"open": 200, "accepted": 200, "declined": 200, "invalid": 404}


def rate_limited(view: TokenView) -> TokenView:
    """At most OFFER_LINK_RATE_PER_MINUTE requests a minute from one address; then 429."""

    @wraps(view)
    def limited(request: HttpRequest, token: str) -> HttpResponse:
        key = f"offer-link-rate:{client_ip(request)}"
        cache.add(key, 0, timeout=60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            count = 1
        if count > settings.OFFER_LINK_RATE_PER_MINUTE:
            response = render(request, "offers/candidate/page.html", {"state": "busy"}, status=429)
            response["Retry-After"] = "60"
        else:
            response = view(request, token)
        add_never_cache_headers(response)
        # The link's token never reaches another site, and the page's own form posts keep
        # their Origin: under "no-referrer" Chromium sends `Origin: null`, which Django's CSRF
        # check refuses, so no candidate could accept or decline.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return limited


def _page(
    request: HttpRequest,
    token: str,
    status: int | None = None,
    found: CandidateOffer | None = None,
    **extra: object,
) -> HttpResponse:
    found = found or candidate_offer(token)
    context = {**candidate_page(found, token=token), **extra}
    context.setdefault("accept_form", AcceptForm())
    context.setdefault("decline_form", DeclineForm())
    code = 404 if found.state == "invalid" else status or STATUS.get(found.state, 410)
    return render(request, "offers/candidate/page.html", context, status=code)


@require_GET
@rate_limited
def offer_page(request: HttpRequest, token: str) -> HttpResponse:
    found = candidate_offer(token)
    if found.is_open:
        offer_viewed(found=found)
    return _page(request, token, found=found)


@require_GET
@rate_limited
def offer_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found = candidate_offer(token)
    if not found.is_open or found.offer is None:
        return _page(request, token, found=found)
    response = HttpResponse(offer_letter_pdf(found.offer), content_type="application/pdf")
    name = letter_file_name(found.offer)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@rate_limited
def offer_accept(request: HttpRequest, token: str) -> HttpResponse:
    form = AcceptForm(request.POST)
    if form.is_valid():
        client = Client(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
        try:
            offer_accept_by_link(
                token=token,
                full_name=form.cleaned_data["full_name"],
                agreed=form.cleaned_data["agree"],
                client=client,
            )
        except DomainError as error:
            add_domain_error(form, error)
            return _page(request, token, status=error.status, accept_form=form)
        return _page(request, token, done="accepted")
    return _page(request, token, status=400, accept_form=form)


@require_POST
@rate_limited
def offer_decline(request: HttpRequest, token: str) -> HttpResponse:
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            offer_decline_by_link(token=token, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            return _page(request, token, status=error.status, decline_form=form)
        return _page(request, token, done="declined")
    return _page(request, token, status=400, decline_form=form, open_decline=True)
