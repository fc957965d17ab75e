"""Forms of the bank's edit pages (parsing only)."""

from __future__ import annotations

from typing import Any

from django import forms

from assessments.models import Question, Severity
from hiring.forms import IdsChoiceField


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
    anchor_no = forms.CharField(
        label='Anchor of "No"',
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text='What a "No" answer sounds like. Empty: the scorecard shows no anchor.',
    )
    anchor_yes = forms.CharField(
        label='Anchor of "Yes"',
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text='What a "Yes" answer sounds like. Empty: the scorecard shows no anchor.',
    )


class RedFlagForm(forms.Form):
    title = forms.CharField(max_length=200)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    severity = forms.ChoiceField(choices=Severity.choices)
    questions = IdsChoiceField(
        queryset=Question.objects.select_related("current_version").order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The questions whose answers expose this flag.",
    )

    def changes(self) -> dict[str, Any]:
        """The valid form as the arguments of `red_flag_update`."""
        data = self.cleaned_data
        return {
            "fields": {name: data[name] for name in ("title", "explanation", "severity")},
            "question_ids": {q.pk for q in data["questions"]},
        }
