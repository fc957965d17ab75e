from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from compensation.forms import BandForm
from compensation.models import Band
from compensation.selectors import bands_in_force
from compensation.services import band_upsert
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import SignedInRequest, can, requires


@requires("compensation.view")
def bands(request: HttpRequest) -> HttpResponse:
    history = Band.objects.select_related("level__role").order_by(
        "level__role__position", "level__position", "-effective_date"
    )
    context = {
        "bands": bands_in_force(),
        "history": history,
        "can_edit": can(request.user, "compensation.edit"),
    }
    return render(request, "compensation/bands.html", context)


@requires("compensation.edit")
def band_form(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    band = get_object_or_404(Band, pk=pk) if pk else None
    form = BandForm(request.POST or None, initial=BandForm.initial_for(band))
    if request.method == "POST" and form.is_valid():
        try:
            band_upsert(**form.upsert_arguments(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Band saved. Earlier bands are kept by effective date.")
            return redirect("compensation:bands")
    return render(request, "compensation/band_form.html", {"form": form, "band": band})
