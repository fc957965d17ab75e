from __future__ import annotations

from django import forms

from assessments.models import Question, Severity
from hiring.forms.fields import IdsChoiceField


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


class RedFlagForm(forms.Form):
    title = forms.CharField(max_length=200)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    severity = forms.ChoiceField(choices=Severity.choices)
    questions = IdsChoiceField(
        queryset=Question.objects.select_related("current_version").order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The questions whose answers expose this flag.",
    )
