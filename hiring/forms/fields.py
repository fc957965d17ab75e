"""Form fields shared by the pages' forms."""

from __future__ import annotations

from typing import Any

from django import forms

MAX_ID = 2**63 - 1  # the largest id the database holds


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the database cannot hold before querying (else a 500: integer overflow)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
