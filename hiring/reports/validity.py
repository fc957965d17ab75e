"""Predictive validity, the pure part: what was known at the decision (its snapshot, kept on
the decision) as numbers, and a check-in's outcome as a number. No ORM.

Predictors, each a number per hire: the signal (1 Strong no … 4 Strong yes), the mean
rating, each question's mean rating, each red flag raised (1 or 0) and confirmed (1 or 0),
the interviewers' recommendations (mean, 1 Definitely not … 4 Strong yes) and each
interviewer's own recommendation. The outcome: the performance level (1 … 4); a hire who left
for their performance counts as 1; one who left for another reason has no outcome.
"""

from __future__ import annotations

from typing import Any

SIGNAL_SCORE = {"strong_no": 1, "no": 2, "yes": 3, "strong_yes": 4}
RECOMMENDATION_SCORE = {"definitely_not": 1, "no": 2, "yes": 3, "strong_yes": 4}


def predictors(snapshot: dict[str, Any], names: dict[int, str]) -> dict[str, float]:
    """{predictor's label: value} from a decision's explanation snapshot. `names`: the
    interviewers' display names by user id."""
    found: dict[str, float] = {}
    if snapshot.get("signal") in SIGNAL_SCORE:
        found["Signal at the debrief"] = SIGNAL_SCORE[snapshot["signal"]]
    if snapshot.get("mean") is not None:
        found["Mean rating"] = float(snapshot["mean"])
    for question in snapshot.get("questions", []):
        if question.get("mean") is not None:
            found[f"Q{question['number']} rating"] = float(question["mean"])
    for flag in snapshot.get("flags", []):
        found[f"Red flag raised: {flag['title']}"] = 1.0 if flag.get("raised") else 0.0
        found[f"Red flag confirmed: {flag['title']}"] = 1.0 if flag.get("confirmed") else 0.0
    scores = []
    for row in snapshot.get("recommendations", []):
        score = RECOMMENDATION_SCORE.get(row.get("recommendation", ""))
        if score is None:
            continue
        scores.append(score)
        who = names.get(row.get("interviewer", 0))
        if who:
            found[f"Recommendation of {who}"] = score
    if scores:
        found["Interviewers' recommendation (mean)"] = sum(scores) / len(scores)
    return found


def outcome(performance: int | None, still_in_role: bool | None, left_reason: str) -> int | None:
    if still_in_role:
        return performance
    if still_in_role is False and left_reason == "performance":
        return 1
    return None
