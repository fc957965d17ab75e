"""Forms of the interview pages: scheduling and the debrief decision (parsing only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings

from assessments.models import Question
from hiring.forms.fields import IdsChoiceField
from hiring.models import REJECTION_REASONS, DecisionOutcome

EVERYONE = "all"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PeopleField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class InterviewForm(forms.Form):
    """Round, time (company time zone), length, interviewers, place, and who asks what.

    One `question-<id>` field per bank question: "" (not in this interview), "all" (every
    interviewer asks it) or an interviewer's id (only they ask it), so the role's loop can be
    split across interviewers and across interviews.
    """

    round_name = forms.CharField(max_length=120, initial="Structured interview", label="Round")
    starts_at = forms.DateTimeField(
        label="Starts at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=f"Company time ({settings.COMPANY_TIME_ZONE}); invites show it in each "
        "interviewer's own time zone.",
    )
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=480, initial=60, label="Duration (minutes)"
    )
    interviewers = PeopleField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Interviewers"
    )
    location = forms.CharField(
        max_length=300,
        required=False,
        label="Video link or room",
        help_text="A https:// link becomes the invite's video link.",
    )

    def __init__(
        self,
        *args: Any,
        people: Any,
        questions: Sequence[Question],
        loop_ids: Sequence[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = people
        self.questions = list(questions)
        self.loop_ids = set(loop_ids)
        choices = [("", "Not in this interview"), (EVERYONE, "Every interviewer")]
        choices += [(str(p.pk), p.get_full_name() or p.username) for p in people]
        for question in self.questions:
            self.fields[f"question-{question.pk}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"Q{question.number}",
            )

    def question_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "question": q,
                "field": self[f"question-{q.pk}"],
                "in_loop": q.pk in self.loop_ids,
            }
            for q in self.questions
        ]

    def assignments(self) -> list[tuple[Question, Any]]:
        """(question, interviewer or None for everyone), in the order shown."""
        people = {str(p.pk): p for p in self.fields["interviewers"].queryset}
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(f"question-{question.pk}") or ""
            if value == EVERYONE:
                result.append((question, None))
            elif value:
                result.append((question, people.get(value)))
        return result


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=DecisionOutcome.choices, widget=forms.RadioSelect, label="Decision"
    )
    reason = forms.ChoiceField(
        choices=[("", "(only for a rejection)"), *((r, r) for r in REJECTION_REASONS)],
        required=False,
        label="Rejection reason",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Comment for the record",
    )
