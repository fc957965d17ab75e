"""The template editor and the reject-with-e-mail composer."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.candidate_mail.rules import BODY_MAX, NAME_MAX, SUBJECT_MAX
from hiring.ids import parse_id
from hiring.pipeline.rules import REJECTION_REASONS

MAX_BULK = 200


class TemplateForm(forms.Form):
    """Lengths and placeholders are checked by the service (one place for page and API)."""

    name = forms.CharField(max_length=NAME_MAX + 1000, required=False)
    subject = forms.CharField(max_length=SUBJECT_MAX + 1000, required=False)
    body = forms.CharField(
        required=False, max_length=BODY_MAX * 2, widget=forms.Textarea(attrs={"rows": 14})
    )
    enabled = forms.BooleanField(required=False, label="Send it automatically")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, automatic: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not automatic:
            del self.fields["enabled"]


class RejectForm(forms.Form):
    """The composer: a reason, a template (or none), its text to edit, when it goes."""

    reason = forms.ChoiceField(
        label="Rejection reason",
        choices=[("", "Choose a reason…"), *[(r, r) for r in REJECTION_REASONS]],
    )
    template = forms.ChoiceField(
        required=False, label="E-mail to the candidate",
        help_text="Pick a template, then edit its text below if you wish.",
    )  # fmt: skip
    subject = forms.CharField(required=False, max_length=SUBJECT_MAX + 1000)
    body = forms.CharField(
        required=False, max_length=BODY_MAX * 2, widget=forms.Textarea(attrs={"rows": 12}),
        label="Text",
    )  # fmt: skip
    send_now = forms.BooleanField(
        required=False, label="Send now",
        help_text="Otherwise it goes out at the next business morning.",
    )  # fmt: skip

    def __init__(self, *args: Any, templates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No e-mail"), *[(str(pk), name) for pk, name in templates]]

    def chosen_template(self) -> int | None:
        return parse_id(str(self.cleaned_data.get("template") or ""))


class BulkRejectForm(RejectForm):
    def ids(self) -> list[int] | None:
        """The ticked application ids, or None when one is not an id (or too many)."""
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        parsed = {parse_id(value) for value in raw}
        if None in parsed or not parsed or len(parsed) > MAX_BULK:
            return None
        return sorted(pk for pk in parsed if pk is not None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.ids() is None:
            raise forms.ValidationError(
                f"Tick between 1 and {MAX_BULK} candidates on the list first."
            )
        return data
