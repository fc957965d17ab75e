"""Demo interviews for `seed_demo`: something real to click on for each role, created once.

- The demo interviewer has an interview today (the role's loop, a video link, a scorecard to
  fill, an invite e-mail through the worker).
- A second candidate has two submitted scorecards (the demo interviewer's and a colleague's,
  one raising a red flag with evidence) and waits in the Debrief stage for the demo manager.
Everything goes through the services, as the app itself would do it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from assessments.models import Interview
from assessments.services.interviews import QuestionAssignment, interview_schedule
from assessments.services.scorecards import (
    changes_from_data,
    scorecard_autosave,
    scorecard_open,
    scorecard_submit,
)
from hiring.permissions import INTERVIEWER
from hiring.pipeline.models import Application, ApplicationStatus, StageKind
from hiring.pipeline.services.applications import application_move
from roles.models import LoopQuestion

TODAY_ROUND = "Structured interview (demo)"
DEBRIEF_ROUND = "Panel interview (demo)"
VIDEO = "https://meet.example.com/demo-interview"
NOTES = {
    1: "Paged when the fraud model's precision fell overnight; found a broken feature join, "
    "rolled back in 25 minutes, then added a freshness check.",
    2: "Model AUC was up but chargebacks were not; reframed the target with finance.",
    3: "Owned the feature store and the serving path; knows p99 (40 ms) and why they chose "
    "batch features for most signals.",
    4: "PSI on inputs weekly, prediction drift daily, alert tied to approval-rate change.",
    5: "A/B test over six weeks, 3.1% fewer manual reviews, confidence interval given.",
    6: "Declined a churn model: the retention team could not act on scores.",
}


def seed_interview_demo(*, recruiter: Any, manager: Any, interviewer: Any) -> str:
    if Interview.objects.filter(round_name__in=[TODAY_ROUND, DEBRIEF_ROUND]).exists():
        return "Demo interviews already there."
    applications = list(
        Application.objects.filter(
            requisition__hiring_manager=manager,
            requisition__title__endswith="(demo)",
            status=ApplicationStatus.ACTIVE,
            stage__kind__in=[StageKind.INTERVIEW, StageKind.SCREEN, StageKind.APPLIED],
        )
        .select_related("requisition__role")
        .order_by("-stage__position", "id")[:2]
    )
    if len(applications) < 2:
        return "Not enough active demo applications: demo interviews skipped."
    now = timezone.now().replace(second=0, microsecond=0)
    midnight = timezone.localtime(now).replace(hour=0, minute=0)
    today = max(now - dt.timedelta(minutes=10), midnight)  # under way, and always today
    interview_schedule(
        application=applications[0],
        actor=recruiter,
        round_name=TODAY_ROUND,
        starts_at=today,
        duration_minutes=60,
        interviewers=[interviewer],
        location=VIDEO,
        questions=_loop(applications[0]),
    )
    colleague = _colleague()
    panel = interview_schedule(
        application=applications[1],
        actor=recruiter,
        round_name=DEBRIEF_ROUND,
        starts_at=now - dt.timedelta(hours=3),
        duration_minutes=60,
        interviewers=[interviewer, colleague],
        location=VIDEO,
        questions=_loop(applications[1]),
    )
    _submit(panel, interviewer, ratings={1: 4, 2: 3, 3: 4, 4: 3, 5: 3, 6: 4}, flags={}, rec="yes")
    _submit(
        panel,
        colleague,
        ratings={1: 3, 2: 3, 3: 2, 4: 3, 5: 2, 6: 3},
        flags={
            "name-drops-without-depth": "Listed Kubeflow, Ray and Feast but could not say "
            "why they picked Feast over their in-house store."
        },
        rec="yes",
    )
    debrief = applications[1].requisition.stages.filter(kind=StageKind.DEBRIEF).first()
    if debrief is not None:
        application_move(application=applications[1], to_stage=debrief, actor=recruiter)
    return "Demo interviews: one today for the interviewer, one candidate ready for debrief."


def _loop(application: Application) -> list[QuestionAssignment]:
    steps = LoopQuestion.objects.filter(role=application.requisition.role)
    return [
        QuestionAssignment(step.question.current_version)
        for step in steps.select_related("question__current_version").order_by("position")
        if step.question.current_version is not None
    ]


def _colleague() -> Any:
    user, created = User.objects.get_or_create(
        username="seed-interviewer-1",
        defaults={"first_name": "Priya", "last_name": "Panelist", "email": "panelist@example.com"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=INTERVIEWER))
    return user


def _submit(
    interview: Interview, person: Any, *, ratings: dict[int, int], flags: dict[str, str], rec: str
) -> None:
    card = scorecard_open(interview=interview, interviewer=person)
    answers = card.answers.select_related("question_version__question")
    data = {
        "version": card.version,
        "recommendation": rec,
        "summary": "Specific about what broke and what they did; measured impact honestly.",
        "answers": [
            {
                "question_version": a.question_version_id,
                "rating": ratings.get(a.question_version.question.number, 3),
                "notes": NOTES.get(a.question_version.question.number, ""),
            }
            for a in answers
        ],
        "red_flags": [
            {"red_flag": key, "raised": True, "evidence": text} for key, text in flags.items()
        ],
    }
    version, changes = changes_from_data(data)
    saved = scorecard_autosave(scorecard_id=card.pk, actor=person, version=version, changes=changes)
    scorecard_submit(scorecard=card, actor=person, version=saved.version)
