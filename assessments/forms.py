from __future__ import annotations

from typing import Any

from django import forms

from assessments.models import Question, Severity


class QuestionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    what_to_hear = forms.CharField(
        label="What to hear", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    red_flag = forms.CharField(
        label="Red flag sentence",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="Leave empty when the question has none.",
    )


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the database cannot hold before querying (else a 500: integer overflow)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not str(pk).isascii() or not str(pk).isdigit() or int(str(pk)) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class RedFlagForm(forms.Form):
    title = forms.CharField(max_length=200)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    severity = forms.ChoiceField(choices=Severity.choices)
    questions = QuestionChoiceField(
        queryset=Question.objects.select_related("current_version").order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The questions whose answers expose this flag.",
    )
