from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low >= high:
            self.add_error("low", "Must be below the high figure.")
        return data
