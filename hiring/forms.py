"""What the pages' forms share: the id field, and showing a service's refusal on a form."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.errors import DomainError
from hiring.ids import parse_id


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the database cannot hold before querying (else a 500: integer overflow)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in its stubs


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal on a form: its message above the form, and each problem of a field
    the form has beside that field (problems of fields it lacks are in the message)."""
    form.add_error(None, error.message)
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
