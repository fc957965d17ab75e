"""Texts admins write with named placeholders: "Dear {candidate_first_name}, ...".

One small language for every template people edit in the app (candidate e-mails, offer
letters): a placeholder is a name in braces; "{{" and "}}" write a brace. A template is
checked when it is saved (an unknown or misspelled placeholder is refused, naming it) and
filled with plain text values: nothing in a template or a value can run as code, and what
the filled text goes into (an e-mail's text, a PDF, a page, which escapes it) decides how it
is shown. Pure functions, no ORM.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"{{|}}|{([a-z][a-z0-9_]*)}|{|}")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a template uses, in order of first use."""
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name and name not in seen:
            seen.append(name)
    return seen


def template_problems(text: str, allowed: Mapping[str, str]) -> list[str]:
    """What is wrong with a template, in words; empty when it may be saved.

    `allowed` maps each placeholder to what it stands for (shown to the person writing).
    """
    problems = []
    for match in PLACEHOLDER.finditer(text):
        piece, name = match.group(0), match.group(1)
        if name is None and piece in "{}":
            problems.append(
                f"A lone '{piece}': write '{piece * 2}' for a brace, or use a placeholder such as "
                f"{{{next(iter(allowed), 'name')}}}."
            )
        elif name is not None and name not in allowed:
            known = ", ".join(f"{{{key}}}" for key in allowed)
            problems.append(f"Unknown placeholder {{{name}}}. Known: {known}.")
    return list(dict.fromkeys(problems))


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its value (a missing one stays empty:
    templates are checked when saved, so that only happens for a value nobody has)."""

    def replace(match: re.Match[str]) -> str:
        piece, name = match.group(0), match.group(1)
        if piece == "{{":
            return "{"
        if piece == "}}":
            return "}"
        if name is None:
            return piece
        return str(values.get(name, ""))

    return PLACEHOLDER.sub(replace, text)
