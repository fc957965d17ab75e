"""Reads of scorecards: the blind-feedback rule, the debrief, the scoring summary, calibration.

Blind feedback: an interviewer sees another interviewer's scorecard for an application only
once they have submitted every scorecard of their own for it. Recruiters and admins see every
submitted scorecard; hiring managers those of their own requisitions. A draft is seen by its
author only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from assessments import scoring
from assessments.models import (
    RedFlag,
    Scorecard,
    ScorecardAnswer,
    ScorecardRedFlag,
    ScorecardStatus,
)
from hiring.models import Application, Decision, Interview, InterviewStatus
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER, roles_of
from roles.models import PlaybookInfo


def scoring_rules() -> scoring.Rules:
    """The loaded playbook's thresholds (the schema's defaults before any playbook is loaded)."""
    info = PlaybookInfo.objects.only("scoring").first()
    return scoring.Rules.from_playbook(info.scoring if info else None)


def _unlocked_applications(user: Any) -> QuerySet[Interview]:
    """Applications (as interview.application_id values) where the user owes no scorecard."""
    mine = Interview.objects.filter(interviewers=user, status=InterviewStatus.SCHEDULED)
    done = Scorecard.objects.filter(interviewer=user, status=ScorecardStatus.SUBMITTED)
    pending = mine.exclude(pk__in=done.values("interview_id")).values("application_id")
    return mine.exclude(application_id__in=pending).values("application_id")


def scorecards_visible_to(user: Any) -> QuerySet[Scorecard]:
    roles = roles_of(user)
    rows = Scorecard.objects.all()
    own = Q(interviewer=user)
    if roles & {RECRUITER, ADMIN}:
        return rows.filter(own | Q(status=ScorecardStatus.SUBMITTED))
    condition = own | Q(
        status=ScorecardStatus.SUBMITTED, interview__application_id__in=_unlocked_applications(user)
    )
    if HIRING_MANAGER in roles:
        condition |= Q(
            status=ScorecardStatus.SUBMITTED,
            interview__application__requisition__hiring_manager=user,
        )
    return rows.filter(condition)


def feedback_unlocked(user: Any, application_id: int) -> bool:
    """May this interviewer see the panel's scorecards for the application yet?"""
    return _unlocked_applications(user).filter(application_id=application_id).exists()


# The debrief --------------------------------------------------------------------------------


@dataclass
class Column:
    """One submitted scorecard, a column of the debrief grids."""

    scorecard: Scorecard
    label: str  # interviewer name, unique on the page
    answers: list[ScorecardAnswer]
    flags: list[ScorecardRedFlag]  # raised ones


@dataclass
class GridRow:
    number: int
    text: str
    version: int
    cells: list[int | None]
    score: scoring.QuestionScore | None


@dataclass
class FlagRow:
    flag: RedFlag
    cells: list[str | None]  # evidence per column, None when that interviewer did not raise it
    score: scoring.FlagScore


@dataclass
class Debrief:
    application: Application
    interviews: list[Interview]
    columns: list[Column]
    waiting: list[tuple[Interview, Any, str]]  # (interview, interviewer, "draft"/"not started")
    questions: list[GridRow]
    flags: list[FlagRow]
    summary: scoring.Summary
    decisions: list[Decision] = field(default_factory=list)

    @property
    def current_decision(self) -> Decision | None:
        return self.decisions[0] if self.decisions else None

    @property
    def clock_started_at(self) -> datetime | None:
        current = self.current_decision
        return current.decided_at if current and current.outcome == "advance" else None


def _labels(users: Iterable[Any]) -> dict[int, str]:
    users = {u.pk: u for u in users}
    names = {pk: u.get_full_name() or u.get_username() for pk, u in users.items()}
    counts: dict[str, int] = defaultdict(int)
    for name in names.values():
        counts[name] += 1
    return {
        pk: name if counts[name] == 1 else f"{name} ({users[pk].get_username()})"
        for pk, name in names.items()
    }


def _columns(scorecards: list[Scorecard]) -> list[Column]:
    ids = [s.pk for s in scorecards]
    answers: dict[int, list[ScorecardAnswer]] = defaultdict(list)
    for answer in (
        ScorecardAnswer.objects.filter(scorecard_id__in=ids)
        .select_related("question_version__question")
        .order_by("question_version__question__number", "id")
    ):
        answers[answer.scorecard_id].append(answer)
    flags: dict[int, list[ScorecardRedFlag]] = defaultdict(list)
    for flag in (
        ScorecardRedFlag.objects.filter(scorecard_id__in=ids, raised=True)
        .select_related("red_flag")
        .order_by("red_flag__number")
    ):
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


def debrief(application: Application) -> Debrief:
    """Everything the debrief page shows, in a fixed number of queries."""
    interviews = list(
        Interview.objects.filter(application=application)
        .prefetch_related("interviewers")
        .order_by("starts_at", "id")
    )
    scorecards = list(
        Scorecard.objects.filter(interview__application=application)
        .select_related("interviewer", "interview")
        .order_by("interview__starts_at", "submitted_at", "id")
    )
    submitted = [s for s in scorecards if s.status == ScorecardStatus.SUBMITTED]
    columns = _columns(submitted)
    status = {(s.interview_id, s.interviewer_id): s.status for s in scorecards}
    waiting = [
        (i, u, "draft" if status.get((i.pk, u.pk)) == ScorecardStatus.DRAFT else "not started")
        for i in interviews
        if i.status == InterviewStatus.SCHEDULED
        for u in i.interviewers.all()
        if status.get((i.pk, u.pk)) != ScorecardStatus.SUBMITTED
    ]
    red_flags = list(RedFlag.objects.order_by("number"))
    summary = summarize_columns(columns, red_flags)
    by_key = {q.question.key: q for q in summary.questions}
    questions: dict[int, GridRow] = {}
    for index, column in enumerate(columns):
        for answer in column.answers:
            version = answer.question_version
            row = questions.setdefault(
                version.question.number,
                GridRow(
                    version.question.number,
                    version.text,
                    version.version,
                    [None] * len(columns),
                    by_key.get(version.question.key),
                ),
            )
            row.cells[index] = answer.rating
    flag_scores = {f.flag.key: f for f in summary.flags}
    flag_rows = []
    for flag in red_flags:
        cells: list[str | None] = []
        for column in columns:
            raised = next((f for f in column.flags if f.red_flag_id == flag.pk), None)
            cells.append(raised.evidence if raised else None)
        flag_rows.append(FlagRow(flag, cells, flag_scores[flag.key]))
    decisions = list(
        Decision.objects.filter(application=application)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
    return Debrief(
        application=application,
        interviews=interviews,
        columns=columns,
        waiting=waiting,
        questions=[questions[n] for n in sorted(questions)],
        flags=flag_rows,
        summary=summary,
        decisions=decisions,
    )


def application_summary(application: Application) -> scoring.Summary:
    """The scoring summary alone (the API): submitted scorecards of the application."""
    submitted = list(
        Scorecard.objects.filter(
            interview__application=application, status=ScorecardStatus.SUBMITTED
        ).select_related("interviewer")
    )
    return summarize_columns(_columns(submitted), list(RedFlag.objects.order_by("number")))


def panel_columns(*, user: Any, application_id: int, exclude: Scorecard) -> list[Column]:
    """Other interviewers' submitted scorecards for the application that `user` may see."""
    rows = list(
        scorecards_visible_to(user)
        .filter(interview__application_id=application_id, status=ScorecardStatus.SUBMITTED)
        .exclude(pk=exclude.pk)
        .select_related("interviewer", "interview")
        .order_by("submitted_at", "id")
    )
    return _columns(rows)


# Calibration --------------------------------------------------------------------------------


@dataclass
class CalibrationRow:
    user: Any
    stats: scoring.InterviewerCalibration


def calibration(user: Any) -> tuple[list[CalibrationRow], scoring.InterviewerCalibration]:
    """Per interviewer, over the applications the user oversees: admins and recruiters all,
    a hiring manager their own requisitions'. Five queries whatever the numbers."""
    scope = Application.objects.all()
    if not roles_of(user) & {ADMIN, RECRUITER}:
        scope = scope.filter(requisition__hiring_manager=user)
    submitted = Scorecard.objects.filter(
        status=ScorecardStatus.SUBMITTED, interview__application__in=scope
    )
    cards = list(
        submitted.values("pk", "interviewer_id", "interview__application_id", "recommendation")
    )
    ratings: dict[int, list[int]] = defaultdict(list)
    for scorecard_id, rating in ScorecardAnswer.objects.filter(
        scorecard__in=submitted, rating__isnull=False
    ).values_list("scorecard_id", "rating"):
        ratings[scorecard_id].append(rating)
    flags: dict[int, int] = defaultdict(int)
    for scorecard_id in ScorecardRedFlag.objects.filter(
        scorecard__in=submitted, raised=True
    ).values_list("scorecard_id", flat=True):
        flags[scorecard_id] += 1
    decisions: dict[int, str] = {}
    for application_id, outcome in (
        Decision.objects.filter(application__in=scope)
        .order_by("application_id", "-decided_at", "-id")
        .values_list("application_id", "outcome")
    ):
        decisions.setdefault(application_id, outcome)
    result = scoring.calibrate(
        (
            scoring.CalibrationCard(
                interviewer=str(c["interviewer_id"]),
                application=c["interview__application_id"],
                ratings=tuple(ratings[c["pk"]]),
                flags_raised=flags[c["pk"]],
                recommendation=c["recommendation"],
            )
            for c in cards
        ),
        decisions,
    )
    users = get_user_model().objects.in_bulk([int(s.interviewer) for s in result.interviewers])
    rows = [CalibrationRow(users[int(s.interviewer)], s) for s in result.interviewers]
    return rows, result.panel
