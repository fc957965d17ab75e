"""Templates with named placeholders, checked when saved and filled as plain text."""

from __future__ import annotations

from hiring.templating import fill, placeholders_in, template_problems

ALLOWED = {"candidate_first_name": "the candidate's first name", "role": "the job's title"}


def test_a_template_is_filled_with_its_values() -> None:
    text = "Dear {candidate_first_name}, thank you for applying to {role}. {{Braces}} stay."
    filled = fill(text, {"candidate_first_name": "Ana", "role": "Applied ML Engineer"})
    assert filled == "Dear Ana, thank you for applying to Applied ML Engineer. {Braces} stay."
    assert placeholders_in(text) == ["candidate_first_name", "role"]


def test_an_unknown_placeholder_is_refused_when_saved_naming_it() -> None:
    problems = template_problems("Hello {candidate_firstname}", ALLOWED)
    assert problems == [
        "Unknown placeholder {candidate_firstname}. Known: {candidate_first_name}, {role}."
    ]
    assert template_problems("Hello {candidate_first_name}", ALLOWED) == []


def test_a_lone_brace_is_refused_and_code_never_runs() -> None:
    assert template_problems("Price: {", ALLOWED)
    assert fill("{role.__class__}", {"role": "x"}) == "{role.__class__}"
    assert fill("{role}", {"role": "{candidate_first_name}"}) == "{candidate_first_name}"
