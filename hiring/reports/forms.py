"""The reports' filters (parsing only): bad values are form errors, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.pipeline.models import CandidateSource
from hiring.reports.selectors import Filters

DATE = forms.DateInput(attrs={"type": "date"})


class FiltersForm(forms.Form):
    requisition = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    role = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    level = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    source = forms.ChoiceField(
        required=False, choices=[("", "Every source"), *CandidateSource.choices]
    )
    start = forms.DateField(
        required=False, label="Applied from", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="Applied until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            requisition=data.get("requisition"),
            role=data.get("role"),
            level=data.get("level"),
            source=data.get("source") or "",
            start=data.get("start"),
            end=data.get("end"),
        )
