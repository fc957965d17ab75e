from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from compensation.forms import BandForm
from compensation.models import Band
from compensation.services import FIGURE_FIELDS, band_upsert
from hiring.errors import DomainError
from hiring.permissions import can, requires
from roles import selectors


@requires("compensation.view")
def bands(request: HttpRequest) -> HttpResponse:
    history = Band.objects.select_related("level__role").order_by(
        "level__role__position", "level__position", "-effective_date"
    )
    context = {
        "bands": selectors.bands_in_force(),
        "history": history,
        "can_edit": can(request.user, "compensation.edit"),
    }
    return render(request, "compensation/bands.html", context)


@requires("compensation.edit")
def band_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    band = get_object_or_404(Band, pk=pk) if pk else None
    initial = {}
    if band:
        initial = {name: getattr(band, name) for name in FIGURE_FIELDS}
        initial.update(level=band.level, currency=band.currency, effective_date=band.effective_date)
    form = BandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            band_upsert(
                level=data["level"],
                currency=data["currency"],
                effective_date=data["effective_date"],
                figures={name: data[name] for name in FIGURE_FIELDS},
                actor=request.user,
            )
        except DomainError as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "Band saved. Earlier bands are kept by effective date.")
            return redirect("compensation:bands")
    return render(request, "compensation/band_form.html", {"form": form, "band": band})
