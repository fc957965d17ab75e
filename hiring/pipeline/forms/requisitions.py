"""The requisition form and the stage editor's post: parsing only; role/level, status and
stage rules are checked by the services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from hiring.errors import DomainError
from hiring.ids import parse_id, parse_int
from hiring.permissions import HIRING_MANAGER, RECRUITER
from hiring.pipeline.models import Requisition, Stage, StageKind
from hiring.pipeline.rules import REQUISITION_TRANSITIONS, RequisitionStatus
from roles.models import RoleLevel, RoleProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIELDS = (
    "title",
    "role",
    "level",
    "hiring_manager",
    "recruiter",
    "headcount",
    "location",
    "opened_on",
    "status",
    "pedigree_blind",
)
PEDIGREE_HELP = (
    "On by default. Interviewers on this requisition do not see degrees, schools or "
    "certifications, so they judge what the candidate has shipped. Recruiters, hiring "
    "managers and admins still see everything."
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def people_in(group: str) -> QuerySet[User]:
    return (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def level_choices(levels: Iterable[RoleLevel], *, role_id: int | None) -> list[Any]:
    """The level picker: the chosen role's levels only, or every role's, grouped by role
    (three roles have a "Senior": the group says which)."""
    chosen = [(lv.pk, lv.name) for lv in levels if lv.role_id == role_id]
    if chosen:
        return [("", "Pick a level"), *chosen]
    groups: dict[str, list[tuple[int, str]]] = {}
    for level in levels:
        groups.setdefault(level.role.title, []).append((level.pk, level.name))
    return [("", "Pick a level"), *groups.items()]


class RequisitionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What candidates and the team call the job.")
    role = forms.ModelChoiceField(
        queryset=RoleProfile.objects.order_by("position", "title"), empty_label="Pick a role"
    )
    level = forms.TypedChoiceField(
        coerce=int,
        help_text="The levels of the role above.",
        error_messages={"invalid_choice": "Pick one of the levels of the role you chose."},
    )
    hiring_manager = PersonChoiceField(queryset=people_in(HIRING_MANAGER), empty_label="Pick one")
    recruiter = PersonChoiceField(queryset=people_in(RECRUITER), empty_label="Pick one")
    headcount = forms.IntegerField(min_value=1, max_value=500, initial=1)
    location = forms.CharField(
        max_length=120, required=False, help_text="City, country or Remote; optional."
    )
    opened_on = forms.DateField(label="Opened on", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=RequisitionStatus.choices)
    pedigree_blind = forms.BooleanField(
        label="Pedigree-blind interviews", required=False, initial=True, help_text=PEDIGREE_HELP
    )

    def __init__(self, *args: Any, requisition: Requisition | None = None, **kwargs: Any) -> None:
        if requisition is not None:
            kwargs.setdefault("initial", self.initial_for(requisition))
        super().__init__(*args, **kwargs)
        self.levels = {lv.pk: lv for lv in RoleLevel.objects.select_related("role")}
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(
            self.levels.values(), role_id=self._chosen_role()
        )
        # Choosing a role narrows the levels at once (htmx); without JavaScript the full list
        # is grouped by role, and a level of another role is refused.
        self.fields["role"].widget.attrs.update(
            {
                "hx-get": reverse("requisitions:level-options"),
                "hx-target": "#id_level",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        if requisition is None:
            del self.fields["status"]  # a new requisition starts open
        else:
            status = cast(forms.ChoiceField, self.fields["status"])
            allowed = {requisition.status, *REQUISITION_TRANSITIONS[requisition.status]}
            status.choices = [
                (value, label) for value, label in RequisitionStatus.choices if value in allowed
            ]
            status.help_text = "Only the changes allowed from the current status."

    def _chosen_role(self) -> int | None:
        if self.is_bound:
            return parse_id(self.data.get("role"))
        role = self.initial.get("role")
        return getattr(role, "pk", role) if role else None

    def clean_level(self) -> RoleLevel:
        level = self.levels.get(self.cleaned_data["level"])
        if level is None:
            raise forms.ValidationError("Pick a level from the list.")
        return level

    @staticmethod
    def initial_for(requisition: Requisition) -> dict[str, Any]:
        initial = {name: getattr(requisition, name) for name in FIELDS}
        initial["level"] = requisition.level_id
        return initial

    def service_fields(self) -> dict[str, Any]:
        """What the services take: every field the form has (a new one has no status)."""
        return {name: self.cleaned_data[name] for name in FIELDS if name in self.fields}


# The stage editor -------------------------------------------------------------------------

NOT_UNDERSTOOD = "The stage list was not understood; reload the page and try again."
MOVES = ("up", "down", "remove")


@dataclass(frozen=True)
class StageEdit:
    """What the stage editor posted: parallel lists `stage_id` (empty for a new stage) and
    `name`, the button pressed (`action`: save, add, or up/down/remove-<row>) and the name
    of a stage to add."""

    rows: list[dict[str, Any]] | None  # as typed; None when an id in them is not one
    action: str
    new_name: str

    @classmethod
    def posted(cls, data: QueryDict) -> StageEdit:
        action, new_name = data.get("action", "save"), data.get("new_name", "")
        rows: list[dict[str, Any]] = []
        for text, name in zip(data.getlist("stage_id"), data.getlist("name"), strict=False):
            pk = parse_id(text) if text else None
            if text and pk is None:
                return cls(None, action, new_name)
            rows.append({"id": pk, "name": name[:200]})
        return cls(rows, action, new_name)

    def wanted(self, stages: list[Stage]) -> list[dict[str, Any]]:
        """The stages in the order wanted: the button pressed applied to the rows as typed.

        A post that was not understood (an id or a button edited by hand) is a DomainError.
        """
        verb, _, index_text = self.action.partition("-")
        rows = list(self.rows or [])
        i = parse_int(index_text, low=0, high=len(rows) - 1) if verb in MOVES else None
        if (
            self.rows is None
            or (verb in MOVES) != (i is not None)
            or verb not in (*MOVES, "save", "add")
        ):
            raise DomainError(NOT_UNDERSTOOD, fields={"stages": [NOT_UNDERSTOOD]})
        if verb == "up" and i:
            rows[i - 1], rows[i] = rows[i], rows[i - 1]
        elif verb == "down" and i is not None and i + 1 < len(rows):
            rows[i], rows[i + 1] = rows[i + 1], rows[i]
        elif verb == "remove" and i is not None:
            del rows[i]
        new_name = self.new_name.strip()
        if verb == "add" or new_name:
            # Hired stays last: a new stage goes just before it.
            hired = {s.pk for s in stages if s.kind == StageKind.HIRED}
            at = len(rows) - 1 if rows and rows[-1]["id"] in hired else len(rows)
            rows.insert(at, {"id": None, "name": new_name})
        return rows
