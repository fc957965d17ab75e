"""Forms of the interview pages: scheduling and the debrief decision (parsing only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings

from assessments.models import DecisionOutcome, Question
from assessments.selectors.interviews import EVERYONE, ScheduleChoices
from assessments.services.interviews import QuestionAssignment
from hiring.forms import IdsChoiceField
from hiring.pipeline.models import REJECTION_REASONS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PeopleField(IdsChoiceField):
    def label_from_instance(self, obj: User) -> str:
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

    def __init__(self, data: Any = None, *, choices: ScheduleChoices) -> None:
        super().__init__(data, initial=choices.initial)
        self.people = choices.people
        self.fields["interviewers"].queryset = choices.people  # type: ignore[attr-defined]
        self.questions = list(choices.questions)
        self.loop_ids = set(choices.loop_ids)
        self.versions = choices.versions
        options = [("", "Not in this interview"), (EVERYONE, "Every interviewer")]
        options += [(str(p.pk), p.get_full_name() or p.username) for p in choices.people]
        for question in self.questions:
            self.fields[f"question-{question.pk}"] = forms.ChoiceField(
                choices=options,
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

    def assignments(self) -> list[tuple[Question, User | None]]:
        """(question, interviewer or None for everyone), in the order shown."""
        people = {str(p.pk): p for p in self.people}
        result: list[tuple[Question, User | None]] = []
        for question in self.questions:
            value = self.cleaned_data.get(f"question-{question.pk}") or ""
            if value == EVERYONE:
                result.append((question, None))
            elif value:
                result.append((question, people.get(value)))
        return result

    def schedule(self) -> dict[str, Any]:
        """The valid form as the arguments of `interview_schedule` and `interview_update`.

        A question already on the interview keeps the version it was scheduled at; one added
        gets the current version."""
        data = self.cleaned_data
        return {
            "round_name": data["round_name"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "interviewers": list(data["interviewers"]),
            "location": data["location"],
            "questions": [
                QuestionAssignment(question_version=self.versions[question.pk], interviewer=person)
                for question, person in self.assignments()
            ],
        }


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
    confirm_override = forms.BooleanField(
        required=False,
        label="I have read the evidence above and advance this candidate anyway",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Why advance despite the evidence (kept with the decision)",
    )

    def __init__(self, *args: Any, against_evidence: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.against_evidence = against_evidence

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        advancing = data.get("outcome") == DecisionOutcome.ADVANCE
        if advancing and self.against_evidence and not data.get("confirm_override"):
            self.add_error(
                "confirm_override",
                "Tick to confirm: the evidence is against advancing this candidate.",
            )
        return data

    def decision_fields(self) -> dict[str, Any]:
        """What the service takes (the confirmation box is the page's, not the record's)."""
        data = self.cleaned_data
        advancing = data["outcome"] == DecisionOutcome.ADVANCE
        return {
            "outcome": data["outcome"],
            "reason": data["reason"],
            "comment": data["comment"],
            "override_reason": (
                data["override_reason"] if self.against_evidence and advancing else ""
            ),
        }
