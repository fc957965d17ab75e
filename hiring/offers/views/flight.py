"""Offers in flight, soonest deadline first, and the turnaround dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.utils import timezone

from hiring.offers.dashboard import dashboard_page
from hiring.offers.forms import FlightFilters
from hiring.offers.selectors.flight import offer_list_page
from hiring.permissions import can, requires
from hiring.replica import replica_reads

if TYPE_CHECKING:
    from django.http import HttpResponse

    from hiring.permissions import SignedInRequest


@replica_reads
@requires("offers.view")
def offer_list(request: SignedInRequest) -> HttpResponse:
    filters = FlightFilters(request.GET)
    context = offer_list_page(request.user, **filters.scope(), page=request.GET.get("page"))
    configure = can(request.user, "approvals.configure")
    context.update(filters=filters, can_configure_approvals=configure)
    return render(request, "offers/list.html", context)


@replica_reads
@requires("offers.dashboard")
def dashboard(request: SignedInRequest) -> HttpResponse:
    filters = FlightFilters(request.GET)
    context = dashboard_page(request.user, **filters.scope(), now=timezone.now())
    return render(request, "offers/dashboard.html", {**context, "filters": filters})
