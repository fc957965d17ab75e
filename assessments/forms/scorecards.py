"""The scorecard form posted whole (the page without JavaScript, and Submit), read as the save
request the autosave endpoint sends (parsing only: the service checks the values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessments.models import Scorecard


def scorecard_form_data(posted: Mapping[str, Any], card: Scorecard) -> dict[str, Any]:
    """Every question and red flag of the scorecard, as posted (`rating-<question version>`,
    `notes-…`, `flag-<key>` ticked or not, `evidence-…`), with the version and the rest."""
    answers = card.answers.values_list("question_version_id", flat=True)
    flags = card.red_flags.values_list("red_flag__key", flat=True)
    return {
        "version": posted.get("version"),
        "recommendation": posted.get("recommendation", ""),
        "summary": posted.get("summary", ""),
        "answers": [
            {
                "question_version": qv,
                "rating": posted.get(f"rating-{qv}") or None,
                "notes": posted.get(f"notes-{qv}", ""),
            }
            for qv in answers
        ],
        "red_flags": [
            {
                "red_flag": key,
                "raised": f"flag-{key}" in posted,
                "evidence": posted.get(f"evidence-{key}", ""),
            }
            for key in flags
        ],
    }
