"""Writes to the interview bank. Every change is versioned or audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from assessments.models import Question, QuestionVersion, RedFlag
from hiring.audit import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

WORDING_FIELDS = ("text", "what_to_hear", "red_flag", "source", "anchor_no", "anchor_yes")


@transaction.atomic
def question_new_version(
    *, question: Question, wording: dict[str, str], actor: User
) -> tuple[QuestionVersion, bool]:
    """Make `wording` the question's current version; add a version only if it changed.

    Old versions are never edited: a scorecard keeps the exact text that was asked.
    Returns the current version and whether a new one was created.
    """
    # The bare row is locked first, then read with its current version: after waiting for
    # the lock, a locking query re-checks its joins against the changed row (PostgreSQL) and
    # may miss the version the edit it waited for has just made current.
    Question.objects.select_for_update().get(pk=question.pk)
    question = Question.objects.select_related("current_version").get(pk=question.pk)
    current = question.current_version
    wording = {name: wording.get(name, getattr(current, name, "")) for name in WORDING_FIELDS}
    if current and all(getattr(current, name) == value for name, value in wording.items()):
        return current, False
    number = (current.version + 1) if current else 1
    version = QuestionVersion.objects.create(question=question, version=number, **wording)
    question.current_version = version
    question.save(update_fields=["current_version"])
    before = {"version": current.version, **_wording(current)} if current else None
    audit_record(
        actor=actor,
        action="question.version",
        target=question,
        before=before,
        after={"version": number, **wording},
    )
    return version, True


def _wording(version: QuestionVersion) -> dict[str, str]:
    return {name: getattr(version, name) for name in WORDING_FIELDS}


@transaction.atomic
def red_flag_update(
    *, flag: RedFlag, fields: dict[str, Any], question_ids: set[int], actor: User
) -> bool:
    """Change a red flag's title, explanation, severity or linked questions (audited)."""
    flag = RedFlag.objects.select_for_update().get(pk=flag.pk)
    before = {name: getattr(flag, name) for name in fields}
    old_links = set(flag.questions.values_list("pk", flat=True))
    if before == fields and old_links == question_ids:
        return False
    for name, value in fields.items():
        setattr(flag, name, value)
    flag.save()
    flag.questions.set(question_ids)
    audit_record(
        actor=actor,
        action="red_flag.update",
        target=flag,
        before={**before, "questions": sorted(old_links)},
        after={**fields, "questions": sorted(question_ids)},
    )
    return True
