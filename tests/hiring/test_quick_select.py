"""hiring.forms.QuickSelect draws the same select as Django's (the same elements, attributes,
choice and escaping), without a template per option."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html

from hiring.forms import QuickSelect

CHOICES: list[Any] = [
    ("", "Any requisition"),
    (1, 'ML <platform> & "infra"'),
    ("2", "Two"),
    ("Closed", [("g1", "Group one"), ("g2", "Group two")]),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "g2", "not a choice"])
def test_the_same_select_as_djangos(value: Any) -> None:
    attrs = {"aria-describedby": "id_requisition_hint", "required": True, "disabled": False}
    django_select = forms.Select(choices=CHOICES, attrs=attrs).render(
        "requisition", value, {"id": "id_requisition"}
    )
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render(
        "requisition", value, {"id": "id_requisition"}
    )
    assert parse_html(quick) == parse_html(django_select)
    assert "&lt;platform&gt; &amp; &quot;infra&quot;" in quick  # escaped, never raw


def test_a_bound_field_with_errors_draws_as_djangos_does() -> None:
    choices = [("", "Choose…"), ("Screen", "Screen")]

    class Quick(forms.Form):
        stage = forms.ChoiceField(choices=choices, widget=QuickSelect)

    class Plain(forms.Form):
        stage = forms.ChoiceField(choices=choices)

    quick, plain = Quick({"stage": "Nowhere"}), Plain({"stage": "Nowhere"})
    assert not quick.is_valid()
    assert quick.errors == plain.errors
    assert parse_html(str(quick["stage"])) == parse_html(str(plain["stage"]))
    assert 'aria-invalid="true"' in str(quick["stage"])
