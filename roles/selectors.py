"""Reads of the playbook that pages and the API share."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from assessments.models import RedFlag
from roles.models import LoopQuestion, RoleLevel, RoleProfile, TeamRule
from roles.team_plan import Rule


def role_list() -> QuerySet[RoleProfile]:
    return RoleProfile.objects.prefetch_related("levels")


def role_detail(slug: str) -> RoleProfile:
    loop = LoopQuestion.objects.select_related("question__current_version").order_by("position")
    flags = RedFlag.objects.order_by("number")
    return RoleProfile.objects.prefetch_related(
        Prefetch("loop", queryset=loop),
        Prefetch("loop__question__red_flags", queryset=flags),
        "levels",
    ).get(slug=slug)


def levels_with_roles() -> QuerySet[RoleLevel]:
    return RoleLevel.objects.select_related("role")


def team_rules() -> list[Rule]:
    return [
        Rule(
            key=r.key, message=r.message, reason=r.reason, source=r.source, conditions=r.conditions
        )
        for r in TeamRule.objects.all()
    ]
