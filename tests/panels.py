"""Test set-ups for the interview tests: a candidate, a panel, an interview, eager Celery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests import factories


@dataclass
class Panel:
    recruiter: Any
    manager: Any
    first: Any  # interviewers
    second: Any
    requisition: Any
    application: Any
    interview: Any


def panel(*, blind: bool = True, interviewers: int = 2, **interview_fields: Any) -> Panel:
    """A pedigree-blind requisition (by default) with one application and one interview on which
    `interviewers` interviewers ask the role's whole loop. Needs the playbook loaded."""
    recruiter = factories.UserFactory(roles=[RECRUITER], first_name="Riley", last_name="Recruiter")
    manager = factories.UserFactory(
        roles=[HIRING_MANAGER], first_name="Morgan", last_name="Manager"
    )
    people = [
        factories.UserFactory(roles=[INTERVIEWER], first_name=name, last_name="Interviewer")
        for name in ["Ines", "Ivo", "Iris", "Ike", "Ida", "Ilan"][:interviewers]
    ]
    requisition = factories.requisition(
        recruiter=recruiter, hiring_manager=manager, pedigree_blind=blind
    )
    application = factories.application(requisition_obj=requisition)
    interview = factories.scheduled_interview(
        application_obj=application, interviewers=people, **interview_fields
    )
    return Panel(
        recruiter,
        manager,
        people[0],
        people[1] if len(people) > 1 else None,
        requisition,
        application,
        interview,
    )


@contextmanager
def eager_celery() -> Iterator[None]:
    """Tasks run inline where they are queued (inside on_commit callbacks in the tests)."""
    from hiring.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
