"""The webhook pages (admins): the endpoints, one endpoint and its delivery log, send again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import requires
from hiring.webhooks.forms import EndpointForm
from hiring.webhooks.selectors import deliveries_page, delivery_of, endpoint_of, endpoints_list
from hiring.webhooks.services.endpoints import (
    delivery_send_again,
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_update,
)

if TYPE_CHECKING:
    from django.http import HttpResponse

    from hiring.permissions import SignedInRequest


@requires("webhooks.manage")
def endpoint_list(request: SignedInRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = EndpointForm(request.POST) if posted else EndpointForm(initial=EndpointForm.NEW)
    if posted and form.is_valid():
        try:
            endpoint = endpoint_create(fields=form.fields_for_service(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Endpoint {endpoint.name} added. Copy its secret below.")
            return redirect("webhooks:detail", pk=endpoint.pk)
    context = {"endpoints": endpoints_list(), "form": form}
    return render(request, "webhooks/list.html", context, status=400 if form.errors else 200)


@requires("webhooks.manage")
def endpoint_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    endpoint = endpoint_of(pk)
    form = EndpointForm(request.POST) if request.method == "POST" else EndpointForm.of(endpoint)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint_update(endpoint=endpoint, fields=form.fields_for_service(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhooks:detail", pk=endpoint.pk)
    context = {**deliveries_page(endpoint, page=request.GET.get("page"),
                                 status=request.GET.get("status", "")), "form": form}  # fmt: skip
    return render(request, "webhooks/detail.html", context, status=400 if form.errors else 200)


@requires("webhooks.manage")
@require_POST
def endpoint_secret(request: SignedInRequest, pk: int) -> HttpResponse:
    endpoint_rotate_secret(endpoint=endpoint_of(pk), actor=request.user)
    messages.success(request, "A new secret: deliveries from now on are signed with it.")
    return redirect("webhooks:detail", pk=pk)


@requires("webhooks.manage")
@require_POST
def delivery_again(request: SignedInRequest, pk: int, delivery_id: int) -> HttpResponse:
    endpoint = endpoint_of(pk)
    delivery = delivery_of(endpoint, delivery_id)
    try:
        delivery_send_again(endpoint=endpoint, message_id=delivery.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Delivery {delivery.pk} is being sent again.")
    return redirect("webhooks:detail", pk=pk)


@requires("webhooks.manage")
def delivery_detail(request: SignedInRequest, pk: int, delivery_id: int) -> HttpResponse:
    endpoint = endpoint_of(pk)
    context = {"endpoint": endpoint, "delivery": delivery_of(endpoint, delivery_id)}
    return render(request, "webhooks/delivery.html", context)
