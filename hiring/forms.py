"""What the pages' forms share: the id field, a quick select, and showing a service's refusal
on a form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


class QuickSelect(forms.Select):
    """Django's select, the same HTML, drawn in Python: the form renderer draws each option
    from a template of its own, and the candidate list's selects (50 requisitions and the
    rest) took a sixth of the page's time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            label = group_name
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', label, drawn) if label else drawn
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal on a form: its message above the form, and each problem of a field
    the form has beside that field (problems of fields it lacks are in the message)."""
    form.add_error(None, error.message)
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
