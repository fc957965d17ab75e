"""Ids and whole numbers from user input, parsed in one place.

ASCII digits only: `str.isdigit()` also accepts "²" and "٣", which `int()` then refuses or
reads, so a filter like `?requisition=²` must be refused here, not crash further in.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id the database holds (a signed 64-bit integer)


def parse_int(text: object, *, low: int, high: int) -> int | None:
    """The whole number `text` spells in ASCII digits (an optional leading "-"), if it lies
    within [low, high]; None otherwise."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    elif isinstance(text, str):
        digits = text[1:] if text.startswith("-") else text
        if not digits or len(digits) > 20 or not (digits.isascii() and digits.isdigit()):
            return None
        value = int(text)
    else:
        return None
    return value if low <= value <= high else None


def parse_id(text: object) -> int | None:
    """A database id (1 to MAX_ID) from a query parameter, a form value or a JSON number."""
    return parse_int(text, low=1, high=MAX_ID)
