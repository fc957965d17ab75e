"""Reads of the debrief: the page (every submitted scorecard side by side, who is still
to submit, the scoring summary, the decisions) and the summary alone. Calibration:
`assessments.selectors.calibration`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from assessments import scoring
from assessments.models import (
    Decision,
    Interview,
    RedFlag,
    Scorecard,
)
from assessments.rules import InterviewStatus, ScorecardStatus
from assessments.selectors.interviews import may_decide
from assessments.selectors.scorecards import (
    Column,
    red_flags_in_order,
    scorecard_columns,
    summarize_columns,
)
from hiring.compiled import compiled
from hiring.offers.selectors.application import offer_state
from hiring.permissions import can
from hiring.pipeline.models import Application, ApplicationStatus


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
    waiting: list[tuple[Interview, User, str]]  # (interview, interviewer, "draft"/"not started")
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


@compiled
def _interviews_of(application_id: int) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(application_id=application_id)
        .prefetch_related("interviewers")
        .order_by("starts_at", "id")
    )


@compiled
def _scorecards_of(application_id: int) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(interview__application_id=application_id)
        .select_related("interviewer", "interview")
        .order_by("interview__starts_at", "submitted_at", "id")
    )


@compiled
def _decisions_of(application_id: int) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(application_id=application_id)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )


def debrief(application: Application) -> Debrief:
    """Everything the debrief page shows, in a fixed number of queries."""
    interviews = list(_interviews_of(application.pk))
    scorecards = list(_scorecards_of(application.pk))
    submitted = [s for s in scorecards if s.status == ScorecardStatus.SUBMITTED]
    columns = scorecard_columns(submitted)
    status = {(s.interview_id, s.interviewer_id): s.status for s in scorecards}
    waiting = [
        (i, u, "draft" if status.get((i.pk, u.pk)) == ScorecardStatus.DRAFT else "not started")
        for i in interviews
        if i.status == InterviewStatus.SCHEDULED
        for u in i.interviewers.all()
        if status.get((i.pk, u.pk)) != ScorecardStatus.SUBMITTED
    ]
    red_flags = list(red_flags_in_order())
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
    decisions = list(_decisions_of(application.pk))
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


def debrief_page(application: Application, *, user: User) -> dict[str, Any]:
    """The debrief page (without its decision form): the debrief and what the user may do."""
    data = debrief(application)
    summary = data.summary
    return {
        "application": application,
        "debrief": data,
        "summary": summary,
        # Advancing needs a confirmation and a written reason (services.decisions).
        "against_evidence": scoring.against_evidence(summary),
        "can_decide": application.status == ApplicationStatus.ACTIVE
        and may_decide(user, application),
        "can_reopen": can(user, "scorecards.reopen"),
        "can_schedule": can(user, "interviews.schedule"),
        # Right where the decision is made: "Draft offer", or the offer with its clock.
        "offer_state": offer_state(user, application),
    }


def application_summary(application: Application) -> scoring.Summary:
    """The scoring summary alone (the API): submitted scorecards of the application."""
    submitted = list(
        Scorecard.objects.filter(
            interview__application=application, status=ScorecardStatus.SUBMITTED
        ).select_related("interviewer")
    )
    return summarize_columns(scorecard_columns(submitted), list(red_flags_in_order()))
