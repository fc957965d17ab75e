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

    from hiring.services.requisitions import requisition_create
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
        model = "hiring.Candidate"

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
    from hiring.services.applications import application_create

    requisition_obj = requisition_obj or requisition()
    candidate = candidate or CandidateFactory()
    return application_create(
        candidate=candidate, requisition=requisition_obj, actor=requisition_obj.recruiter, **fields
    )


def interview(*, application_obj: Any, interviewers: list[Any], **fields: Any) -> Any:
    """An interview on an application (scheduling e-mails come with the interviews issue)."""
    from django.utils import timezone

    from hiring.models import Interview

    row = Interview.objects.create(
        application=application_obj,
        round_name=fields.pop("round_name", "Structured interview"),
        starts_at=fields.pop("starts_at", timezone.now()),
        **fields,
    )
    row.interviewers.set(interviewers)
    return row
