"""Reads of the playbook that pages and the API share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from assessments.models import Question, RedFlag
from compensation.models import Band
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


def question_bank() -> QuerySet[Question]:
    return Question.objects.select_related("current_version").prefetch_related(
        Prefetch("red_flags", queryset=RedFlag.objects.order_by("number")), "roles"
    )


def red_flags() -> QuerySet[RedFlag]:
    return RedFlag.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("number"))
    )


def bands_in_force(
    *, on: dt.date | None = None, role: str | None = None, level: str | None = None
) -> list[Band]:
    """For each level, its newest band whose effective date has come (one per currency)."""
    on = on or timezone.localdate()
    rows = Band.objects.select_related("level__role").filter(effective_date__lte=on)
    if role:
        rows = rows.filter(level__role__slug=role)
    if level:
        rows = rows.filter(level__name=level)
    seen: set[tuple[int, str]] = set()
    current = []
    for band in rows.order_by("level__role__position", "level__position", "-effective_date"):
        if (band.level_id, band.currency) not in seen:
            seen.add((band.level_id, band.currency))
            current.append(band)
    return current


def levels_with_roles() -> QuerySet[RoleLevel]:
    return RoleLevel.objects.select_related("role")


def team_rules() -> list[Rule]:
    return [
        Rule(
            key=r.key, message=r.message, reason=r.reason, source=r.source, conditions=r.conditions
        )
        for r in TeamRule.objects.all()
    ]
