from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from roles.models import RoleProfile
from roles.services import EDITABLE_FIELDS

# The API's limit for the long text fields (roles.api.RoleSerializer): the same on the page.
MAX_TEXT = 4000


class RoleForm(forms.ModelForm):
    class Meta:
        model = RoleProfile
        fields = list(EDITABLE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in EDITABLE_FIELDS[1:]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in EDITABLE_FIELDS[1:]:
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = MAX_TEXT
            field.validators.append(MaxLengthValidator(MAX_TEXT))
            field.widget.attrs["maxlength"] = str(MAX_TEXT)


class TeamPlanForm(forms.Form):
    """One current/planned count per role profile, plus the models in production."""

    models_in_production = forms.IntegerField(min_value=0, max_value=10_000, initial=0)

    def __init__(self, *args: Any, roles: list[RoleProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        for role in roles:
            for kind in ("current", "planned"):
                self.fields[f"{kind}_{role.slug}"] = forms.IntegerField(
                    min_value=0, max_value=1000, initial=0, required=False, label=role.title
                )

    def rows(self) -> list[tuple[RoleProfile, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"current_{r.slug}"], self[f"planned_{r.slug}"]) for r in self.roles]

    def counts(self, kind: str) -> dict[str, int]:
        return {r.slug: self.cleaned_data.get(f"{kind}_{r.slug}") or 0 for r in self.roles}
