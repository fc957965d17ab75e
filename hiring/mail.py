"""What every e-mail the app sends shares: a subject line no stored value can break.

A line break in a candidate's name once made every e-mail about them fail for good
(BadHeaderError): subjects are built from data, so they are cleaned here, whatever the data.
"""

from __future__ import annotations

import unicodedata

SUBJECT_LIMIT = 200


def subject_line(text: str) -> str:
    """One line: control characters and runs of whitespace become single spaces."""
    cleaned = "".join(" " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c for c in text)
    line = " ".join(cleaned.split())
    return line if len(line) <= SUBJECT_LIMIT else line[: SUBJECT_LIMIT - 1] + "…"
