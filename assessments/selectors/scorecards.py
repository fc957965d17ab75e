"""Reads of scorecards: the blind-feedback rule, columns of submitted scorecards, the
scoring summary, and the live scorecard page.

Blind feedback: an interviewer sees another interviewer's scorecard for an application only
once they have submitted every scorecard of their own for it. Recruiters and admins see every
submitted scorecard; hiring managers those of their own requisitions. A draft is seen by its
author only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from assessments import scoring
from assessments.models import (
    Interview,
    InterviewQuestion,
    Question,
    Rating,
    Recommendation,
    RedFlag,
    Scorecard,
    ScorecardAnswer,
    ScorecardRedFlag,
)
from assessments.rules import InterviewStatus, ScorecardStatus
from hiring.compiled import compiled
from hiring.ids import parse_int
from hiring.permissions import ANY, MANAGED, can, reach_of
from hiring.pipeline.selectors import applications_visible_to, credentials_visible
from roles.models import PlaybookInfo


def scoring_rules() -> scoring.Rules:
    """The loaded playbook's thresholds (the schema's defaults before any playbook is loaded)."""
    info = next(iter(_playbook_scoring()), None)
    return scoring.Rules.from_playbook(info.scoring if info else None)


@compiled
def _playbook_scoring() -> QuerySet[PlaybookInfo]:
    return PlaybookInfo.objects.only("scoring").order_by("pk")[:1]


@compiled
def red_flags_in_order() -> QuerySet[RedFlag]:
    """The eight red flags, by number."""
    return RedFlag.objects.order_by("number")


def _unlocked_applications(user: User) -> QuerySet[Interview, Any]:
    """Applications (as interview.application_id values) where the user owes no scorecard."""
    mine = Interview.objects.filter(interviewers=user, status=InterviewStatus.SCHEDULED)
    done = Scorecard.objects.filter(interviewer=user, status=ScorecardStatus.SUBMITTED)
    pending = mine.exclude(pk__in=done.values("interview_id")).values("application_id")
    return mine.exclude(application_id__in=pending).values("application_id")


def _all_submitted(user: User) -> Q | None:
    """The applications whose submitted scorecards `scorecards.view_all` shows the user, as a
    condition on scorecards (None: every application). Only the roles holding it count: a
    hiring manager who interviews for another manager is held to the blind rule there."""
    reach = reach_of(user, "scorecards.view_all")
    if ANY in reach:
        return None
    condition = Q(pk__in=[])
    for name in reach:
        if name == MANAGED:
            condition |= Q(interview__application__requisition__hiring_manager=user.pk)
        else:
            raise ValueError(f"scorecards.view_all: scorecards are not scoped by {name!r}")
    return condition


def scorecards_visible_to(user: User) -> QuerySet[Scorecard]:
    rows = Scorecard.objects.all()
    own = Q(interviewer=user)
    everyone = _all_submitted(user)
    if everyone is None:
        return rows.filter(own | Q(status=ScorecardStatus.SUBMITTED))
    unlocked = Q(interview__application_id__in=_unlocked_applications(user))
    return rows.filter(own | (Q(status=ScorecardStatus.SUBMITTED) & (everyone | unlocked)))


def feedback_unlocked(user: User, application_id: int) -> bool:
    """May the user see the panel's submitted scorecards for the application: every one
    (`scorecards.view_all` reaches it), or the interviewer who owes no scorecard for it?"""
    every = applications_visible_to(user, "scorecards.view_all").filter(pk=application_id)
    if every.exists():
        return True
    return _unlocked_applications(user).filter(application_id=application_id).exists()


# Columns of submitted scorecards: the debrief's grids, the panel beside a scorecard -------


@dataclass
class Column:
    """One submitted scorecard, a column of the debrief grids and of the panel."""

    scorecard: Scorecard
    label: str  # interviewer name, unique on the page
    answers: list[ScorecardAnswer]
    flags: list[ScorecardRedFlag]  # raised ones


def _labels(users: Iterable[User]) -> dict[int, str]:
    by_pk = {u.pk: u for u in users}
    names = {pk: u.get_full_name() or u.get_username() for pk, u in by_pk.items()}
    counts: dict[str, int] = defaultdict(int)
    for name in names.values():
        counts[name] += 1
    return {
        pk: name if counts[name] == 1 else f"{name} ({by_pk[pk].get_username()})"
        for pk, name in names.items()
    }


@compiled
def _answers_of(scorecard_ids: list[int]) -> QuerySet[ScorecardAnswer]:
    return (
        ScorecardAnswer.objects.filter(scorecard_id__in=scorecard_ids)
        .select_related("question_version__question")
        .order_by("question_version__question__number", "id")
    )


@compiled
def _raised_flags_of(scorecard_ids: list[int]) -> QuerySet[ScorecardRedFlag]:
    return (
        ScorecardRedFlag.objects.filter(scorecard_id__in=scorecard_ids, raised=True)
        .select_related("red_flag")
        .order_by("red_flag__number")
    )


def scorecard_columns(scorecards: list[Scorecard]) -> list[Column]:
    ids = [s.pk for s in scorecards]
    answers: dict[int, list[ScorecardAnswer]] = defaultdict(list)
    for answer in _answers_of(ids):
        answers[answer.scorecard_id].append(answer)
    flags: dict[int, list[ScorecardRedFlag]] = defaultdict(list)
    for flag in _raised_flags_of(ids):
        flags[flag.scorecard_id].append(flag)
    labels = _labels(s.interviewer for s in scorecards)
    return [Column(s, labels[s.interviewer_id], answers[s.pk], flags[s.pk]) for s in scorecards]


def _cards(columns: list[Column]) -> list[scoring.Card]:
    return [
        scoring.Card(
            interviewer=c.label,
            ratings={
                a.question_version.question.key: a.rating for a in c.answers if a.rating is not None
            },
            flags={f.red_flag.key: f.evidence for f in c.flags},
            recommendation=c.scorecard.recommendation,
        )
        for c in columns
    ]


def summarize_columns(columns: list[Column], red_flags: list[RedFlag]) -> scoring.Summary:
    seen: dict[str, scoring.QuestionInfo] = {}
    for column in columns:
        for answer in column.answers:
            question = answer.question_version.question
            seen.setdefault(
                question.key,
                scoring.QuestionInfo(question.key, question.number, answer.question_version.text),
            )
    questions = sorted(seen.values(), key=lambda q: q.number)
    flags = [scoring.FlagInfo(f.key, f.title, f.severity) for f in red_flags]
    return scoring.summarize(
        _cards(columns), questions=questions, flags=flags, rules=scoring_rules()
    )


def panel_columns(*, user: User, application_id: int, exclude: Scorecard) -> list[Column]:
    """Other interviewers' submitted scorecards for the application that `user` may see."""
    rows = list(
        scorecards_visible_to(user)
        .filter(interview__application_id=application_id, status=ScorecardStatus.SUBMITTED)
        .exclude(pk=exclude.pk)
        .select_related("interviewer", "interview")
        .order_by("submitted_at", "id")
    )
    return scorecard_columns(rows)


# The live scorecard -------------------------------------------------------------------------


def assigned_questions(*, interview: Interview | int, interviewer: User) -> list[InterviewQuestion]:
    """The questions this interviewer asks in this interview, in order."""
    return list(
        InterviewQuestion.objects.filter(interview=interview)
        .filter(Q(interviewer__isnull=True) | Q(interviewer=interviewer))
        .select_related("question_version__question")
        .order_by("position", "id")
    )


def _values(scorecard: Scorecard, posted: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the form shows: the saved values, or what was just posted (nothing is lost)."""
    answers = {a.question_version_id: a for a in scorecard.answers.all()}
    flags = list(scorecard.red_flags.select_related("red_flag").order_by("red_flag__number"))
    if posted is None:
        return {
            "ratings": {qv: a.rating for qv, a in answers.items()},
            "notes": {qv: a.notes for qv, a in answers.items()},
            "flags": flags,
            "raised": {f.red_flag.key: f.raised for f in flags},
            "evidence": {f.red_flag.key: f.evidence for f in flags},
            "recommendation": scorecard.recommendation,
            "summary": scorecard.summary,
        }
    low, high = min(Rating.values), max(Rating.values)
    return {
        "ratings": {
            qv: parse_int(posted.get(f"rating-{qv}", ""), low=low, high=high) for qv in answers
        },
        "notes": {qv: posted.get(f"notes-{qv}", "") for qv in answers},
        "flags": flags,
        "raised": {f.red_flag.key: f"flag-{f.red_flag.key}" in posted for f in flags},
        "evidence": {f.red_flag.key: posted.get(f"evidence-{f.red_flag.key}", "") for f in flags},
        "recommendation": posted.get("recommendation", ""),
        "summary": posted.get("summary", ""),
    }


def _questions(
    interview: Interview, user: User, values: dict[str, Any], errors: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    """The questions the user asks, each with its value, error and linked red flags."""
    plan = assigned_questions(interview=interview, interviewer=user)
    flags_in_order = Prefetch("red_flags", queryset=RedFlag.objects.order_by("number"))
    linked = {
        q.pk: list(q.red_flags.all())
        for q in Question.objects.filter(
            pk__in=[iq.question_version.question_id for iq in plan]
        ).prefetch_related(flags_in_order)
    }
    return [
        {
            "position": position,
            "version": iq.question_version,
            "question": iq.question_version.question,
            "rating": values["ratings"].get(iq.question_version_id),
            "notes": values["notes"].get(iq.question_version_id, ""),
            "error": (errors.get(f"rating-{iq.question_version_id}") or [""])[0],
            "linked": linked.get(iq.question_version.question_id, []),
            "only_me": iq.interviewer_id is not None,
        }
        for position, iq in enumerate(plan, start=1)
    ]


def _flags(values: dict[str, Any], errors: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "flag": row.red_flag,
            "raised": values["raised"].get(row.red_flag.key, False),
            "evidence": values["evidence"].get(row.red_flag.key, ""),
            "error": (errors.get(f"evidence-{row.red_flag.key}") or [""])[0],
        }
        for row in values["flags"]
    ]


def _conflict_fields(
    conflict: dict[str, Any], values: dict[str, Any], questions: list[Any], flags: list[Any]
) -> list[dict[str, str]]:
    """Fields whose saved text differs from what was posted: shown side by side."""
    result = []
    if (conflict.get("summary") or "") != values["summary"]:
        result.append(
            {"label": "Summary", "saved": conflict["summary"], "yours": values["summary"]}
        )
    saved_notes = {a["question_version"]: a["notes"] for a in conflict.get("answers", [])}
    for q in questions:
        saved = saved_notes.get(q["version"].pk, "")
        if saved != q["notes"]:
            label = f"Notes on Q{q['question'].number}"
            result.append({"label": label, "saved": saved, "yours": q["notes"]})
    saved_evidence = {f["red_flag"]: f["evidence"] for f in conflict.get("red_flags", [])}
    for f in flags:
        saved = saved_evidence.get(f["flag"].key, "")
        if saved != f["evidence"]:
            label = f"Evidence for '{f['flag'].title}'"
            result.append({"label": label, "saved": saved, "yours": f["evidence"]})
    return result


def scorecard_page(
    *,
    user: User,
    interview: Interview,
    scorecard: Scorecard,
    posted: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    error: str = "",
    conflict: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The live scorecard page: the user's questions and red flags with what is saved (or what
    was just `posted`, with the refusal's `errors`), the panel's submitted scorecards once the
    blind-feedback rule allows, and, after a stale save, the saved texts beside the posted ones
    (`conflict`: the saved state)."""
    application = interview.application
    values = _values(scorecard, posted)
    errors = errors or {}
    questions = _questions(interview, user, values, errors)
    flags = _flags(values, errors)
    locked = scorecard.status == ScorecardStatus.SUBMITTED
    unlocked = locked and feedback_unlocked(user, application.pk)
    panel = (
        panel_columns(user=user, application_id=application.pk, exclude=scorecard)
        if unlocked
        else []
    )
    version = conflict["version"] if conflict else scorecard.version
    return {
        "interview": interview,
        "application": application,
        "candidate": application.candidate,
        "scorecard": scorecard,
        "version": version,
        "show_credentials": credentials_visible(user, application.candidate),
        "questions": questions,
        "flags": flags,
        "recommendation": values["recommendation"],
        "recommendations": Recommendation.choices,
        "summary": values["summary"],
        "errors": errors,
        "error": error,
        "locked": locked,
        "panel": panel,
        "panel_unlocked": unlocked,
        "conflict_fields": _conflict_fields(conflict, values, questions, flags) if conflict else [],
        "interviewers": list(interview.interviewers.all()),
        "can_reopen": can(user, "scorecards.reopen"),
        "ratings": [(1, "Definitely not"), (2, "No"), (3, "Yes"), (4, "Strong yes")],
        "video_link": interview.location
        if interview.location.startswith(("https://", "http://"))
        else "",
        "page_state": {
            "scorecard": scorecard.pk,
            "version": version,
            "locked": locked,
            "saveUrl": reverse("interviews:scorecard-save", args=[scorecard.pk]),
            "durationMinutes": interview.duration_minutes,
            "interview": interview.pk,
        },
    }
