from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from compensation.models import Band
from compensation.services import FIGURE_FIELDS
from roles.models import RoleLevel


class BandForm(forms.Form):
    level = forms.ModelChoiceField(
        queryset=RoleLevel.objects.select_related("role").order_by("role__position", "position"),
        help_text="Role and level the band applies to.",
    )
    low = forms.IntegerField(min_value=1, max_value=100_000_000, label="Low (total cash)")
    high = forms.IntegerField(min_value=1, max_value=100_000_000, label="High (total cash)")
    open_ended = forms.BooleanField(required=False, label="High is a floor (for example $500K+)")
    currency = forms.RegexField(
        regex=r"^[A-Z]{3}$",
        initial="USD",
        max_length=3,
        error_messages={"invalid": "Use a three-letter code such as USD."},
    )
    effective_date = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    market_tension = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )

    @staticmethod
    def initial_for(band: Band | None) -> dict[str, Any]:
        """Editing a band starts from its figures; a new one from the defaults."""
        if band is None:
            return {}
        initial: dict[str, Any] = {name: getattr(band, name) for name in FIGURE_FIELDS}
        initial.update(level=band.level, currency=band.currency, effective_date=band.effective_date)
        return initial

    def upsert_arguments(self) -> dict[str, Any]:
        """What `band_upsert` takes, from the cleaned form."""
        data = self.cleaned_data
        return {
            "level": data["level"],
            "currency": data["currency"],
            "effective_date": data["effective_date"],
            "figures": {name: data[name] for name in FIGURE_FIELDS},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low >= high:
            self.add_error("low", "Must be below the high figure.")
        return data
