"""Two years of hires for the demo, with their check-ins, so the quality-of-hire and
predictive-validity reports show something real on the first `make run`.

Each hire has a hidden ability; their interview ratings (the decision's snapshot) and their
performance at each check-in both follow it, each with its own noise, so the evidence goes
with the outcome, not perfectly. A few leave; one hire's 90-day check-in is due now, for the
demo manager to fill. Created once (the history requisitions' titles are the marker).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.models import Decision, Question, RedFlag
from assessments.scoring import SIGNAL_LABELS
from hiring.checkins.models import CheckIn
from hiring.checkins.rules import LEFT_REASONS, CheckInStatus, due_dates
from hiring.demo.pipeline import FIRST_NAMES, LAST_NAMES, _roles
from hiring.pipeline.models import Application, Candidate, Requisition, StageChange, StageKind
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus
from hiring.pipeline.services.requisitions import requisition_create

HISTORY_TITLES = ["Applied ML Engineer · history (demo)", "MLOps Engineer · history (demo)"]
HIRES = 48
LEAVE_CHANCE = 0.05  # per check-in
REASONS = [r for r in LEFT_REASONS if r != "performance"]


def _clamp(value: float) -> int:
    return max(1, min(4, round(value)))


def _snapshot(rng: random.Random, ability: float, questions: list[Question], flag: RedFlag,
              interviewer_id: int) -> dict[str, Any]:  # fmt: skip
    per_question: list[dict[str, Any]] = []
    for question in questions:
        ratings = [_clamp(2.6 + 0.75 * ability + rng.gauss(0, 0.6)) for _ in range(2)]
        per_question.append({"key": question.key, "number": question.number, "text": "",
                             "mean": sum(ratings) / 2, "ratings": ratings})  # fmt: skip
    ratings = [r for q in per_question for r in q["ratings"]]
    mean = sum(ratings) / len(ratings)
    raised = rng.random() < max(0.0, 0.25 - 0.2 * ability)
    confirmed = raised and rng.random() < 0.5
    signal = ["strong_no", "no", "yes", "strong_yes"][_clamp(mean) - 1]
    recommendation = ["definitely_not", "no", "yes", "strong_yes"][
        _clamp(mean + rng.gauss(0, 0.4)) - 1
    ]
    return {
        "signal": signal, "label": SIGNAL_LABELS[signal], "headline": "", "reasons": [],
        "explanation": [], "mean": round(mean, 4), "rating_count": len(ratings),
        "scorecard_count": 2, "questions": per_question,
        "flags": [{"key": flag.key, "title": flag.title, "raised": int(raised),
                   "confirmed": confirmed, "why": ""}],
        "recommendations": [{"interviewer": interviewer_id, "recommendation": recommendation}],
    }  # fmt: skip


def seed_demo_outcomes(*, recruiter: Any, manager: Any, interviewer: Any) -> str:
    if Requisition.objects.filter(title__in=HISTORY_TITLES).exists():
        return ""
    rng = random.Random(18)  # noqa: S311 - reproducible demo data
    roles = {r.slug: r for r in _roles()}
    questions = list(Question.objects.order_by("number"))
    flag = RedFlag.objects.order_by("number").first()
    if not questions or flag is None:
        return ""
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for title, slug in zip(HISTORY_TITLES, ["applied-ml-engineer", "mlops-engineer"],
                               strict=True):  # fmt: skip
            role = roles[slug]
            requisition = requisition_create(
                title=title, role=role, level=role.levels.order_by("position")[0],
                hiring_manager=manager, recruiter=recruiter, actor=recruiter,
                opened_on=today - dt.timedelta(days=800), headcount=HIRES,
                location="Remote", pedigree_blind=True,
            )  # fmt: skip
            hired = requisition.stages.get(kind=StageKind.HIRED)
            for n in range(HIRES // 2):
                made += 1
                ability = rng.gauss(0, 1)
                # The last hire started 92 days ago: their 90-day check-in is due now.
                days = 92 if made == HIRES else rng.randint(100, 730)
                start = today - dt.timedelta(days=days)
                first = FIRST_NAMES[(made * 5 + n) % len(FIRST_NAMES)]
                last = LAST_NAMES[(made * 3) % len(LAST_NAMES)]
                candidate = Candidate.objects.create(
                    name=f"{first} {last}", email=f"hire-{made}@history.example.org",
                    location="Remote", created_by=recruiter,
                )  # fmt: skip
                at = dt.datetime.combine(start, dt.time(15), tzinfo=dt.UTC)
                application = Application.objects.create(
                    candidate=candidate, requisition=requisition, stage=hired,
                    stage_position=hired.position, entered_stage_at=at,
                    status=ApplicationStatus.HIRED, owner=recruiter,
                )  # fmt: skip
                StageChange.objects.create(
                    application=application, to_stage=hired, from_status="active",
                    to_status="hired", actor=recruiter, at=at,
                )  # fmt: skip
                Decision.objects.create(
                    application=application, outcome="advance", decided_by=manager,
                    decided_at=at - dt.timedelta(days=30),
                    explanation=_snapshot(rng, ability, questions, flag, interviewer.pk),
                )  # fmt: skip
                CheckIn.objects.bulk_create(_check_ins(rng, application, start, today, ability))
            Requisition.objects.filter(pk=requisition.pk).update(status=RequisitionStatus.FILLED)
    return f"Demo history: {made} hires over two years, with their check-ins"


def _check_ins(rng: random.Random, application: Application, start: dt.date, today: dt.date,
               ability: float) -> list[CheckIn]:  # fmt: skip
    rows, left = [], False
    for horizon, due in due_dates(start):
        row = CheckIn(
            application=application, horizon=horizon, start_date=start, due_on=due,
            next_reminder_on=due,
        )  # fmt: skip
        rows.append(row)
        if left:
            row.status = CheckInStatus.CLOSED
            continue
        if due > today or (today - due).days < 3:  # not due yet, or just due: to fill
            continue
        performance = _clamp(2.9 + 0.7 * ability + rng.gauss(0, 0.7))
        row.status, row.filled_at = CheckInStatus.DONE, timezone.now()
        row.filled_by = application.requisition.hiring_manager
        if rng.random() < LEAVE_CHANCE or (performance == 1 and rng.random() < 0.4):
            left = True
            row.still_in_role = False
            row.left_reason = "performance" if performance == 1 else rng.choice(REASONS)
        else:
            row.still_in_role, row.performance = True, performance
            row.would_hire_again = performance >= 3 or rng.random() < 0.2
    return rows
