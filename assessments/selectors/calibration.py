"""Calibration: each interviewer against the panel, and whether interviewers agree at all.

Everything comes from four queries whatever the numbers (the scorecards, their ratings, their
raised red flags, the decisions); the arithmetic is in `assessments.scoring` (counts) and
`assessments.agreement` (Krippendorff's alpha, leniency, drift).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet

from assessments import agreement, scoring
from assessments.models import (
    Decision,
    Question,
    Scorecard,
    ScorecardAnswer,
    ScorecardRedFlag,
)
from assessments.rules import ScorecardStatus
from hiring.pipeline.models import Application
from hiring.pipeline.selectors import applications_visible_to


@dataclass
class CalibrationRow:
    user: User
    stats: scoring.InterviewerCalibration
    agreement: agreement.RaterAgreement | None = None


@dataclass
class QuestionReliability:
    number: int
    text: str
    reliability: agreement.Reliability


@dataclass
class CalibrationPage:
    rows: list[CalibrationRow]
    panel: scoring.InterviewerCalibration
    overall: agreement.Reliability
    questions: list[QuestionReliability]


def calibration(user: User) -> CalibrationPage:
    """Over the applications the user oversees (`calibration.view`): admins all, a hiring
    manager their own requisitions'."""
    return _page(applications_visible_to(user, "calibration.view"))


def my_calibration(user: User) -> CalibrationRow | None:
    """The user's own figures only (`calibration.own`), against the others who rated the same
    candidates. Nobody else's row and no organisation-wide alpha."""
    theirs = Scorecard.objects.filter(interviewer=user, status=ScorecardStatus.SUBMITTED)
    scope = Application.objects.filter(pk__in=theirs.values("interview__application_id")).order_by()
    page = _page(scope, only=user.pk)
    return page.rows[0] if page.rows else None


def _page(scope: QuerySet[Application], *, only: int | None = None) -> CalibrationPage:
    submitted = Scorecard.objects.filter(
        status=ScorecardStatus.SUBMITTED, interview__application__in=scope
    )
    cards = list(
        submitted.values("pk", "interviewer_id", "interview__application_id", "recommendation")
    )
    ratings: dict[int, list[int]] = defaultdict(list)
    # (application, question) -> interviewer -> rating; a second rating of the same question by
    # the same interviewer (a second interview) replaces the first: ordered by scorecard.
    units: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for scorecard_id, interviewer_id, application_id, question_id, rating in (
        ScorecardAnswer.objects.filter(scorecard__in=submitted, rating__isnull=False)
        .order_by("scorecard_id")
        .values_list(
            "scorecard_id",
            "scorecard__interviewer_id",
            "scorecard__interview__application_id",
            "question_version__question_id",
            "rating",
        )
    ):
        if rating is not None:  # the query leaves these out; this tells the type checker
            ratings[scorecard_id].append(rating)
            units[(application_id, question_id)][str(interviewer_id)] = rating
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
    raters = agreement.rater_agreement(list(units.values()))
    people = [s for s in result.interviewers if only is None or s.interviewer == str(only)]
    users = User.objects.in_bulk([int(s.interviewer) for s in people])
    rows = [CalibrationRow(users[int(s.interviewer)], s, raters.get(s.interviewer)) for s in people]
    if only is not None:
        empty = agreement.Reliability(n=0, alpha=None, low=None, high=None)
        return CalibrationPage(rows, result.panel, empty, [])
    return CalibrationPage(rows, result.panel, *_reliabilities(units))


def _reliabilities(
    units: dict[tuple[int, int], dict[str, int]],
) -> tuple[agreement.Reliability, list[QuestionReliability]]:
    by_question: dict[int, list[dict[str, int]]] = defaultdict(list)
    for (_, question_id), unit in units.items():
        by_question[question_id].append(unit)
    questions = Question.objects.filter(pk__in=by_question).select_related("current_version")
    per_question = [
        QuestionReliability(
            q.number,
            q.current_version.text if q.current_version else q.key,
            agreement.reliability(by_question[q.pk]),
        )
        for q in questions.order_by("number")
    ]
    return agreement.reliability(list(units.values())), per_question
