"""Offer forms: parsing only; the rules (dates, band, justification) live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from hiring.ids import MAX_ID, parse_id
from hiring.offers.letters import (
    DECLINE_REASONS,
    MAX_DECLINE_COMMENT,
    MAX_SIGNATURE_NAME,
    PLACEHOLDERS,
)
from hiring.offers.models import LetterTemplate
from hiring.offers.rules import EDITABLE_FIELDS, MAX_SALARY
from hiring.pipeline.models import Requisition
from roles.models import RoleLevel

if TYPE_CHECKING:
    from hiring.offers.models import Offer
    from hiring.pipeline.models import Application

DATE = forms.DateInput(attrs={"type": "date"})


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoleLevel) -> str:
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

    @classmethod
    def drafting(cls, application: Application, data: Any = None) -> OfferForm:
        """The form of a new offer for `application`: its requisition's level, in USD."""
        initial = {"level": application.requisition.level_id, "currency": "USD", "target_bonus": 0}
        return cls(data, initial=initial, role_id=application.requisition.role_id)

    @classmethod
    def editing(cls, offer: Offer, data: Any = None) -> OfferForm:
        """The form of `offer`, filled with its terms and notes."""
        initial = {name: getattr(offer, name) for name in EDITABLE_FIELDS}
        initial["level"] = offer.level_id
        return cls(data, initial=initial, role_id=offer.application.requisition.role_id)

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()


class SubmitForm(forms.Form):
    justification = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VoteForm(forms.Form):
    """An approver's vote on a step: approve or reject, a comment (the service requires one to
    reject), and the step (by default the one open for the voter)."""

    PROBLEM = "Choose approve or reject. Comments are at most 2,000 characters."

    vote = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    comment = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    step = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def cast(self) -> dict[str, Any]:
        """The valid form as the vote services take it: `approve`, `comment`, `step_id`."""
        data = self.cleaned_data
        return {
            "approve": data["vote"] == "approve",
            "comment": data.get("comment") or "",
            "step_id": data.get("step"),
        }


class SentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=DATE, required=False)
    reason = forms.CharField(required=False, max_length=200)


class LetterTemplateForm(forms.ModelForm):
    """A letter template's fields; the placeholders are checked by the service."""

    requisition = forms.ModelChoiceField(
        queryset=Requisition.objects.order_by("title"),
        required=False,
        empty_label="None: not a requisition's own",
        help_text="A requisition's own template replaces the default for its offers.",
    )

    class Meta:
        model = LetterTemplate
        fields = ["name", "is_default", "requisition", "subject", "body", "send_when_approved"]
        labels = {
            "is_default": "The company's default letter",
            "send_when_approved": "Send the offer as soon as the last approval lands",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    placeholders = PLACEHOLDERS


class AcceptForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=MAX_SIGNATURE_NAME)
    agree = forms.BooleanField(required=False)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "I'd rather not say"), *DECLINE_REASONS.items()], required=False
    )
    comment = forms.CharField(
        required=False, max_length=MAX_DECLINE_COMMENT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200)


class FlightFilters(forms.Form):
    """The filters of the offers in flight and the dashboard. A requisition that is not an id
    is shown as a field error and not applied (the page lists every requisition)."""

    requisition = forms.CharField(required=False)
    role = forms.CharField(required=False)

    def clean_requisition(self) -> int | None:
        text = self.cleaned_data["requisition"]
        if not text:
            return None
        requisition_id = parse_id(text)
        if requisition_id is None:
            raise forms.ValidationError("Not a requisition: showing every requisition.")
        return requisition_id

    def clean_role(self) -> str | None:
        return self.cleaned_data["role"][:60] or None

    def scope(self) -> dict[str, Any]:
        """What to show: `requisition_id` and `role_slug` (None: all)."""
        self.is_valid()
        return {
            "requisition_id": self.cleaned_data.get("requisition"),
            "role_slug": self.cleaned_data.get("role"),
        }
