"""The requisition form: parsing only; role/level and status rules are checked by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from hiring.models import Requisition, RequisitionStatus
from hiring.permissions import HIRING_MANAGER, RECRUITER
from hiring.services.requisitions import REQUISITION_TRANSITIONS
from roles.models import RoleLevel, RoleProfile

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
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


def people_in(group: str) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


class RequisitionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What candidates and the team call the job.")
    role = forms.ModelChoiceField(
        queryset=RoleProfile.objects.order_by("position", "title"), empty_label="Pick a role"
    )
    level = forms.TypedChoiceField(
        coerce=int, help_text="Levels are grouped by role; pick one of the role above."
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
        super().__init__(*args, **kwargs)
        self.levels = {lv.pk: lv for lv in RoleLevel.objects.select_related("role")}
        groups: dict[str, list[tuple[int, str]]] = {}
        for level in self.levels.values():
            groups.setdefault(level.role.title, []).append((level.pk, level.name))
        self.fields["level"].choices = [("", "Pick a level"), *groups.items()]
        if requisition is None:
            del self.fields["status"]  # a new requisition starts open
        else:
            allowed = {requisition.status, *REQUISITION_TRANSITIONS[requisition.status]}
            self.fields["status"].choices = [
                (value, label) for value, label in RequisitionStatus.choices if value in allowed
            ]
            self.fields["status"].help_text = "Only the changes allowed from the current status."

    def clean_level(self) -> RoleLevel:
        level = self.levels.get(self.cleaned_data["level"])
        if level is None:
            raise forms.ValidationError("Pick a level from the list.")
        return level

    @classmethod
    def initial_for(cls, requisition: Requisition) -> dict[str, Any]:
        initial = {name: getattr(requisition, name) for name in FIELDS}
        initial["level"] = requisition.level_id
        return initial


def stage_rows(data: Any) -> list[dict[str, Any]]:
    """The stage editor posts parallel lists: `stage_id` (empty for a new stage) and `name`."""
    ids = data.getlist("stage_id")
    names = data.getlist("name")
    return [
        {"id": int(pk) if pk.isdigit() else None, "name": name[:200]}
        for pk, name in zip(ids, names, strict=False)
    ]
