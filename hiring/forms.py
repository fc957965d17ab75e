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
    rest) took a sixth of the page's time. The first option matching the value is chosen,
    as Django's `optgroups` does."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        wanted = set(self.format_value(value))
        chosen = False

        def options(choices: Any) -> SafeString:
            nonlocal chosen
            drawn = []
            for option, label in choices:
                text = "" if option is None else str(option)
                selected = not chosen and text in wanted
                chosen |= selected
                drawn.append((text, " selected" if selected else "", label))
            return format_html_join("", '<option value="{}"{}>{}</option>', drawn)

        groups = [
            format_html('<optgroup label="{}">{}</optgroup>', option, options(label))
            if isinstance(label, list | tuple)
            else options([(option, label)])
            for option, label in self.choices
        ]
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("", "{}", ((group,) for group in groups)),
        )


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal on a form: its message above the form, and each problem of a field
    the form has beside that field (problems of fields it lacks are in the message)."""
    form.add_error(None, error.message)
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
