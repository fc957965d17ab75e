"""Reads of the question bank and red flags that pages share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from assessments.models import Question, RedFlag
from hiring.permissions import can

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def question_bank() -> QuerySet[Question]:
    return Question.objects.select_related("current_version").prefetch_related(
        Prefetch("red_flags", queryset=RedFlag.objects.order_by("number")), "roles"
    )


def red_flags() -> QuerySet[RedFlag]:
    return RedFlag.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("number"))
    )


def bank_page(user: User) -> dict[str, Any]:
    """The bank: every question with its current wording, every red flag with its questions."""
    return {
        "questions": question_bank(),
        "red_flags": red_flags(),
        "can_edit": can(user, "playbook.edit"),
    }


def question_wording(question: Question) -> dict[str, str]:
    """The question's current wording, as the edit form starts from (empty before any)."""
    current = question.current_version
    if current is None:
        return {}
    return {
        "text": current.text,
        "what_to_hear": current.what_to_hear,
        "red_flag": current.red_flag,
        "anchor_no": current.anchor_no,
        "anchor_yes": current.anchor_yes,
    }


def question_edit_page(question: Question) -> dict[str, Any]:
    return {"question": question, "versions": question.versions.order_by("-version")}


def red_flag_values(flag: RedFlag) -> dict[str, Any]:
    """The red flag as its edit form starts from."""
    return {
        "title": flag.title,
        "explanation": flag.explanation,
        "severity": flag.severity,
        "questions": list(flag.questions.all()),
    }
