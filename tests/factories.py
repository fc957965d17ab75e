from __future__ import annotations

import itertools
from typing import Any

import factory
from django.contrib.auth.models import Group, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()


_numbers = itertools.count(1)


def requisition(*, role_slug: str = "applied-ml-engineer", **fields: Any) -> Any:
    """A requisition with its default stages, created through the service (playbook needed)."""
    from django.utils import timezone

    from hiring.pipeline.services.requisitions import requisition_create
    from roles.models import RoleProfile

    role = RoleProfile.objects.get(slug=role_slug)
    manager = fields.pop("hiring_manager", None) or UserFactory(roles=["Hiring manager"])
    recruiter = fields.pop("recruiter", None) or UserFactory(roles=["Recruiter"])
    return requisition_create(
        title=fields.pop("title", f"{role.title} #{next(_numbers)}"),
        role=role,
        level=fields.pop("level", None) or role.levels.order_by("position").last(),
        hiring_manager=manager,
        recruiter=recruiter,
        opened_on=fields.pop("opened_on", timezone.localdate()),
        actor=recruiter,
        **fields,
    )


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pipeline.Candidate"

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    source = "inbound"
    portfolio_url = "https://example.org/portfolio"
    shipped_systems = "Fraud model serving 4M requests/day; on-call for its drift alerts."
    degrees = "PhD Computer Science"
    schools = "Stanford University"
    certifications = "AWS ML Specialty"


def application(*, candidate: Any = None, requisition_obj: Any = None, **fields: Any) -> Any:
    """An application in the requisition's first stage, created through the service."""
    from hiring.pipeline.services.applications import application_create

    requisition_obj = requisition_obj or requisition()
    candidate = candidate or CandidateFactory()
    return application_create(
        candidate=candidate, requisition=requisition_obj, actor=requisition_obj.recruiter, **fields
    )


def interview(*, application_obj: Any, interviewers: list[Any], **fields: Any) -> Any:
    """An interview on an application (scheduling e-mails come with the interviews issue)."""
    from django.utils import timezone

    from assessments.models import Interview

    row = Interview.objects.create(
        application=application_obj,
        round_name=fields.pop("round_name", "Structured interview"),
        starts_at=fields.pop("starts_at", timezone.now()),
        **fields,
    )
    row.interviewers.set(interviewers)
    return row


def scheduled_interview(
    *,
    application_obj: Any,
    interviewers: list[Any],
    questions: list[Any] | None = None,
    **fields: Any,
) -> Any:
    """An interview scheduled through the service: by default the role's whole loop, asked by
    every interviewer, starting in an hour (the invites are queued on commit)."""
    import datetime as dt

    from django.utils import timezone

    from assessments.services.interviews import QuestionAssignment, interview_schedule
    from roles.models import LoopQuestion

    if questions is None:
        role = application_obj.requisition.role
        loop = LoopQuestion.objects.filter(role=role).select_related("question__current_version")
        questions = [
            QuestionAssignment(question_version=step.question.current_version)
            for step in loop.order_by("position")
        ]
    return interview_schedule(
        application=application_obj,
        actor=fields.pop("actor", None) or application_obj.requisition.recruiter,
        round_name=fields.pop("round_name", "Structured interview"),
        starts_at=fields.pop("starts_at", None) or timezone.now() + dt.timedelta(hours=1),
        duration_minutes=fields.pop("duration_minutes", 60),
        interviewers=interviewers,
        location=fields.pop("location", "https://meet.example.com/abc-defg-hij"),
        questions=questions,
    )


def filled_scorecard(
    *,
    interview: Any,
    interviewer: Any,
    rating: int | dict[int, int] = 3,
    flags: dict[str, str] | None = None,
    recommendation: str = "yes",
    summary: str = "Clear about what they shipped.",
    submit: bool = True,
) -> Any:
    """The interviewer's scorecard, every question rated (`rating`, or by question number),
    `flags` raised with their evidence, submitted unless `submit` is False."""
    from assessments.services.scorecards import (
        changes_from_data,
        scorecard_autosave,
        scorecard_open,
        scorecard_submit,
    )

    card = scorecard_open(interview=interview, interviewer=interviewer)
    answers = card.answers.select_related("question_version__question")
    data = {
        "version": card.version,
        "recommendation": recommendation,
        "summary": summary,
        "answers": [
            {
                "question_version": a.question_version_id,
                "rating": rating.get(a.question_version.question.number, 3)
                if isinstance(rating, dict)
                else rating,
                "notes": f"Notes on Q{a.question_version.question.number}.",
            }
            for a in answers
        ],
        "red_flags": [
            {"red_flag": key, "raised": True, "evidence": evidence}
            for key, evidence in (flags or {}).items()
        ],
    }
    version, changes = changes_from_data(data)
    saved = scorecard_autosave(
        scorecard_id=card.pk, actor=interviewer, version=version, changes=changes
    )
    if submit:
        card = scorecard_submit(scorecard=card, actor=interviewer, version=saved.version)
    card.refresh_from_db()
    return card


# Offers (issue 6) -----------------------------------------------------------------------------


def decision(
    *, application_obj: Any, outcome: str = "advance", at: Any = None, by: Any = None
) -> Any:
    """A debrief decision row, written directly, with its effect on the offer clock as
    `decision_record` has it ("advance" starts the clock, anything else stops it)."""
    from django.utils import timezone

    from assessments.models import Decision
    from hiring.offers.clock import clock_start, clock_stop

    made = Decision.objects.create(
        application=application_obj,
        outcome=outcome,
        decided_by=by or application_obj.requisition.hiring_manager,
        decided_at=at or timezone.now(),
    )
    if outcome == "advance":
        clock_start(application=application_obj, started_at=made.decided_at, decision_id=made.pk)
    else:
        clock_stop(application_id=application_obj.pk, at=made.decided_at, reason="moved on")
    return made


def offer_terms(application_obj: Any, *, position: float = 0.5, **fields: Any) -> dict[str, Any]:
    """Terms for an offer on the application: by default in the middle of its band."""
    import datetime as dt

    from django.utils import timezone

    from compensation.selectors import band_for

    level = fields.get("level") or application_obj.requisition.level
    band = band_for(level_id=level.pk, currency="USD", on=timezone.localdate())
    total = round(band.low + (band.high - band.low) * position) if band else 150_000
    bonus = fields.pop("target_bonus", 10_000)
    today = timezone.localdate()
    return {
        "base_salary": total - bonus,
        "target_bonus": bonus,
        "currency": "USD",
        "level": level,
        "start_date": today + dt.timedelta(days=45),
        "expires_on": today + dt.timedelta(days=10),
        **fields,
    }


def offer(*, application_obj: Any = None, submit: bool = False, **fields: Any) -> Any:
    """A draft offer through the service (optionally submitted: the approval chain built)."""
    from hiring.offers.services.offers import offer_create, offer_submit

    application_obj = application_obj or application()
    justification = fields.pop("justification", None)
    row = offer_create(
        application=application_obj,
        fields=offer_terms(application_obj, **fields),
        actor=application_obj.requisition.recruiter,
    )
    if submit:
        row = offer_submit(
            offer=row, actor=application_obj.requisition.recruiter, justification=justification
        )
    return row
