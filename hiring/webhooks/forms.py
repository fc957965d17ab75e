"""The endpoint form: what an admin types; the service validates what matters."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.webhooks.models import Endpoint
from hiring.webhooks.rules import EndpointKind
from hiring.webhooks.selectors import event_choices


class EndpointForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the endpoint is, e.g. 'HR system'.")
    url = forms.CharField(
        max_length=500, label="URL", help_text="Where deliveries are POSTed (http or https)."
    )
    kind = forms.ChoiceField(
        choices=EndpointKind.choices,
        label="Kind",
        widget=forms.RadioSelect,
        help_text="A chat endpoint gets short messages when an approval is waiting and when "
        "an offer is accepted; the events below are for signed JSON.",
    )
    events = forms.MultipleChoiceField(
        choices=event_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    compensation_allowed = forms.BooleanField(
        required=False,
        label="May receive compensation (offers' base salary, bonus, currency)",
        help_text="Off: offers' figures are left out of every payload to this endpoint.",
    )
    active = forms.BooleanField(required=False, initial=True, label="Active")

    NEW = {"kind": EndpointKind.SIGNED, "active": True}

    @classmethod
    def of(cls, endpoint: Endpoint) -> EndpointForm:
        return cls(
            initial={
                "name": endpoint.name,
                "url": endpoint.url,
                "kind": endpoint.kind,
                "events": endpoint.events,
                "compensation_allowed": endpoint.compensation_allowed,
                "active": endpoint.active,
            }
        )

    def fields_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
