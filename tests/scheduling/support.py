"""Set-ups for the pick-link tests: a recruiter's application, a panel, a link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assessments.services.interviews import QuestionAssignment
from hiring.permissions import INTERVIEWER, RECRUITER
from hiring.scheduling.links import slot_path
from hiring.scheduling.services.links import slot_link_create
from roles.models import LoopQuestion
from tests import factories


@dataclass
class Setup:
    recruiter: Any
    interviewers: list[Any]
    application: Any


def setup(*, interviewers: int = 2, recruiter: Any = None) -> Setup:
    recruiter = recruiter or factories.UserFactory(
        roles=[RECRUITER], first_name="Rita", last_name="Recruiter", email="rita@example.com"
    )
    people = [
        factories.UserFactory(roles=[INTERVIEWER], first_name=name, last_name="Interviewer")
        for name in ["Ines", "Ivo", "Iris", "Ike", "Ida"][:interviewers]
    ]
    requisition = factories.requisition(recruiter=recruiter, title="Applied ML engineer (pick)")
    return Setup(recruiter, people, factories.application(requisition_obj=requisition))


def loop_of(application: Any) -> list[QuestionAssignment]:
    loop = LoopQuestion.objects.filter(role=application.requisition.role).select_related(
        "question__current_version"
    )
    return [
        QuestionAssignment(question_version=step.question.current_version)
        for step in loop.order_by("position")
    ]


def link_for(
    application: Any,
    interviewers: list[Any],
    *,
    first_day: dt.date,
    last_day: dt.date,
    actor: Any = None,
    duration: int = 60,
    reschedules: int = 1,
) -> Any:
    return slot_link_create(
        application=application,
        actor=actor or application.requisition.recruiter,
        round_name="Structured interview",
        duration_minutes=duration,
        interviewers=interviewers,
        location="https://meet.example.com/pick-a-slot",
        questions=loop_of(application),
        first_day=first_day,
        last_day=last_day,
        reschedules=reschedules,
    )


def path_of(link: Any) -> str:
    return slot_path(link_id=link.pk, nonce=link.nonce)
