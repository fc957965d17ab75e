"""The approval-template editor: what it posted, the button pressed, each step's form.

The editor posts the whole template every time: `count` rows of `step-<i>-<field>` fields,
the fingerprint of the template as it was opened (`seen`), and the button pressed
(`action`): save, add, up-<i>, down-<i>, remove-<i>, or use-default. Only save (and
use-default) writes; the others give the rows back rearranged, as typed, so a half-filled
new step never has to be valid before it can be moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.datastructures import MultiValueDict

from hiring.errors import DomainError
from hiring.ids import parse_int
from hiring.offers.rules import (
    MAX_STEP_NAME,
    MAX_STEP_PEOPLE,
    MAX_TEMPLATE_STEPS,
    ApproverSource,
    TemplateStep,
    step_key,
)

if TYPE_CHECKING:
    from django.http import QueryDict

SAVE, ADD, USE_DEFAULT = "save", "add", "use-default"
MOVES = ("up", "down", "remove")
NOT_UNDERSTOOD = "The editor's form was not understood; reload the page and try again."
FIELDS = ("name", "source", "people", "required", "parallel")


class StepForm(forms.Form):
    name = forms.CharField(max_length=MAX_STEP_NAME, label="Step name")
    source = forms.ChoiceField(choices=ApproverSource.choices, label="Who approves")
    people = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Named approvers"
    )
    required = forms.IntegerField(
        min_value=1,
        max_value=MAX_STEP_PEOPLE,
        label="Approvals needed",
        help_text="N of M: how many of the step's approvers must approve.",
    )
    parallel = forms.BooleanField(required=False, label="Runs alongside the step before it")

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people  # type: ignore[attr-defined]
        self.fields["required"].widget.attrs["class"] = "narrow"

    def step(self) -> TemplateStep:
        data = self.cleaned_data
        return TemplateStep(
            name=data["name"],
            source=data["source"],
            people=tuple(data["people"]),
            required=data["required"],
            parallel_with_previous=data["parallel"],
        )


def _new_row() -> dict[str, Any]:
    return {"name": "", "source": ApproverSource.PEOPLE, "people": [], "required": "1",
            "parallel": False}  # fmt: skip


@dataclass
class TemplateEdit:
    """The template as typed in the editor (or as stored, when it opens)."""

    rows: list[dict[str, Any]]
    seen: str
    action: str = SAVE
    understood: bool = True
    error: DomainError | None = None
    forms: list[StepForm] = field(default_factory=list)

    @classmethod
    def of(cls, steps: list[TemplateStep], *, seen: str) -> TemplateEdit:
        rows = [
            {"name": s.name, "source": s.source, "people": [str(p) for p in s.people],
             "required": str(s.required), "parallel": s.parallel_with_previous}
            for s in steps
        ]  # fmt: skip
        return cls(rows, seen)

    @classmethod
    def posted(cls, data: QueryDict) -> TemplateEdit:
        action, seen = data.get("action", SAVE)[:40], data.get("seen", "")[:100]
        count = parse_int(data.get("count"), low=0, high=MAX_TEMPLATE_STEPS)
        if count is None:
            return cls([], seen, action, understood=False)
        rows = []
        for i in range(count):
            rows.append(
                {
                    "name": data.get(step_key(i, "name"), "")[:500],
                    "source": data.get(step_key(i, "source"), "")[:40],
                    "people": data.getlist(step_key(i, "people"))[: MAX_STEP_PEOPLE * 4],
                    "required": data.get(step_key(i, "required"), "")[:20],
                    "parallel": bool(data.get(step_key(i, "parallel"))),
                }
            )
        return cls(rows, seen, action)

    def rearranged(self) -> None:
        """Apply the button pressed (add, up, down, remove) to the rows as typed; a button
        this editor does not have is a DomainError."""
        verb, _, text = self.action.partition("-")
        i = parse_int(text, low=0, high=len(self.rows) - 1) if verb in MOVES else None
        if not self.understood or (verb in MOVES) != (i is not None) or verb not in (*MOVES, ADD):
            raise DomainError(NOT_UNDERSTOOD, fields={"steps": [NOT_UNDERSTOOD]})
        if verb == ADD:
            if len(self.rows) >= MAX_TEMPLATE_STEPS:
                raise DomainError(f"A template has at most {MAX_TEMPLATE_STEPS} steps.")
            self.rows.append(_new_row())
        elif verb == "up" and i:
            self.rows[i - 1], self.rows[i] = self.rows[i], self.rows[i - 1]
        elif verb == "down" and i is not None and i + 1 < len(self.rows):
            self.rows[i], self.rows[i + 1] = self.rows[i + 1], self.rows[i]
        elif verb == "remove" and i is not None:
            del self.rows[i]

    def steps(self, people: list[tuple[int, str]]) -> list[TemplateStep]:
        """The rows as steps, once every field is valid; else a DomainError, and the forms
        (`self.forms`) carry each field's error."""
        if not self.understood:
            raise DomainError(NOT_UNDERSTOOD, fields={"steps": [NOT_UNDERSTOOD]})
        data: MultiValueDict[str, Any] = MultiValueDict()
        for i, row in enumerate(self.rows):
            for name in FIELDS:
                value = row[name]
                if name == "people":
                    data.setlist(step_key(i, name), value)
                elif name != "parallel" or value:
                    data[step_key(i, name)] = "on" if name == "parallel" else value
        self.forms = [
            StepForm(data, prefix=f"step-{i}", people=people) for i in range(len(self.rows))
        ]
        bad = [(i, f) for i, f in enumerate(self.forms) if not f.is_valid()]
        if bad:
            i, form = bad[0]
            label, problems = next(iter(form.errors.items()))
            what = form.fields[label].label if label in form.fields else ""
            raise DomainError(f"Check the template. Step {i + 1}, {what}: {problems[0]}")
        return [form.step() for form in self.forms]

    def shown(self, people: list[tuple[int, str]]) -> list[StepForm]:
        """The forms to render: the checked ones after a save (with their errors, and the
        service's placed beside their fields), else the rows as typed."""
        if self.action != SAVE or not self.forms:
            shown = [
                StepForm(initial=row, prefix=f"step-{i}", people=people)
                for i, row in enumerate(self.rows)
            ]
            if self.action == ADD and shown and self.error is None:
                shown[-1].fields["name"].widget.attrs["autofocus"] = True  # the step added
            return shown
        fields = self.error.fields if self.error is not None else {}
        for i, form in enumerate(self.forms):
            for name in FIELDS:
                for problem in fields.get(step_key(i, name), []):
                    form.add_error(name, problem)
        return self.forms

    def general_problems(self) -> list[str]:
        """What the page shows above the steps: the error, and problems of no one field."""
        if self.error is None:
            return []
        more = [p for p in self.error.fields.get("steps", []) if p not in self.error.message]
        return [self.error.message, *more]
