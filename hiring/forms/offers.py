"""Offer forms: parsing only; the rules (dates, band, justification) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.offer_rules import MAX_SALARY
from roles.models import RoleLevel

DATE = forms.DateInput(attrs={"type": "date"})


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class OfferForm(forms.Form):
    base_salary = forms.IntegerField(
        label="Base salary", min_value=1, max_value=MAX_SALARY, help_text="Per year"
    )
    target_bonus = forms.IntegerField(
        label="Target bonus", min_value=0, max_value=MAX_SALARY, initial=0, help_text="Per year"
    )
    currency = forms.CharField(
        max_length=3, min_length=3, initial="USD", help_text="Bands are in USD"
    )
    level = LevelChoiceField(queryset=RoleLevel.objects.none(), empty_label=None)
    start_date = forms.DateField(label="Start date", widget=DATE)
    expires_on = forms.DateField(
        label="Offer expires on", widget=DATE, help_text="On or before the start date"
    )
    notes = forms.CharField(
        label="Notes for approvers",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    justification = forms.CharField(
        label="Justification (out of band)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the total cash is outside the band: why this offer is right.",
    )

    def __init__(self, *args: Any, role_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RoleLevel.objects.filter(role_id=role_id)  # type: ignore[attr-defined]

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()


class SubmitForm(forms.Form):
    justification = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    step = forms.IntegerField(required=False, min_value=1, max_value=2**62)


class SentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=DATE, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200)
