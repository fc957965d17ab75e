"""Reads about interviews that pages and the API share: who sees which interview, the
interviewer's home section, and the debriefs waiting for a hiring manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Scorecard, ScorecardStatus
from hiring.models import Application, ApplicationStatus, Decision, Interview, InterviewStatus
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER, roles_of

HOME_LIMIT = 20
TO_SUBMIT_DAYS = 60


def interviews_visible_to(user: Any) -> QuerySet[Interview]:
    """Recruiters and admins: all; hiring managers: their requisitions'; everyone: their own."""
    rows = Interview.objects.all()
    roles = roles_of(user)
    if roles & {RECRUITER, ADMIN}:
        return rows
    mine = Interview.objects.filter(interviewers=user).values("pk")
    condition = Q(pk__in=mine)
    if HIRING_MANAGER in roles:
        condition |= Q(application__requisition__hiring_manager=user)
    return rows.filter(condition)


def debrief_applications(user: Any) -> QuerySet[Application]:
    """Applications whose debrief (all scorecards, the summary, the decision) the user may see:
    recruiters and admins all, a hiring manager their own requisitions'. Not those a hiring
    manager merely interviews for elsewhere: there the blind-feedback rule applies."""
    rows = Application.objects.all()
    roles = roles_of(user)
    if roles & {RECRUITER, ADMIN}:
        return rows
    if HIRING_MANAGER in roles:
        return rows.filter(requisition__hiring_manager=user)
    return rows.none()


def _my_scorecard_status(user: Any) -> Subquery:
    own = Scorecard.objects.filter(interview=OuterRef("pk"), interviewer=user)
    return Subquery(own.values("status")[:1])


@dataclass
class HomeInterviews:
    today: list[Interview]
    upcoming: list[Interview]
    to_submit: list[Interview]

    @property
    def empty(self) -> bool:
        return not (self.today or self.upcoming or self.to_submit)


def home_interviews(user: Any) -> HomeInterviews:
    """The interviewer's section of the home page, in two queries whatever the numbers.

    today: interviews starting today (company time zone); upcoming: later ones; to submit:
    earlier interviews (last 60 days) whose scorecard is not submitted. Each interview carries
    `my_status` (draft, submitted or None when the scorecard was never opened).
    """
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(days=1)
    mine = (
        Interview.objects.filter(interviewers=user, status=InterviewStatus.SCHEDULED)
        .select_related("application__candidate", "application__requisition")
        .annotate(my_status=_my_scorecard_status(user))
    )
    coming = list(mine.filter(starts_at__gte=start).order_by("starts_at", "id")[: HOME_LIMIT + 1])
    earlier = (
        mine.filter(starts_at__lt=start, starts_at__gte=now - dt.timedelta(days=TO_SUBMIT_DAYS))
        .filter(Q(my_status__isnull=True) | ~Q(my_status=ScorecardStatus.SUBMITTED))
        .order_by("-starts_at", "-id")[:HOME_LIMIT]
    )
    return HomeInterviews(
        today=[i for i in coming if i.starts_at < end],
        upcoming=[i for i in coming if i.starts_at >= end][:HOME_LIMIT],
        to_submit=list(earlier),
    )


def debriefs_ready(user: Any, *, limit: int = 20) -> list[Application]:
    """Active applications in the user's requisitions with a scorecard submitted since the last
    decision (or none yet), newest first; each with `submitted` and `expected` counts. One query.
    """
    submitted = Scorecard.objects.filter(
        interview__application=OuterRef("pk"), status=ScorecardStatus.SUBMITTED
    )
    last_submitted = submitted.order_by("-submitted_at").values("submitted_at")[:1]
    count_submitted = (
        submitted.order_by().values("interview__application").annotate(n=Count("pk")).values("n")
    )
    Through = Interview.interviewers.through
    expected = (
        Through.objects.filter(
            interview__application=OuterRef("pk"), interview__status=InterviewStatus.SCHEDULED
        )
        .order_by()
        .values("interview__application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_decided = (
        Decision.objects.filter(application=OuterRef("pk"))
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )
    zero = Value(0, output_field=IntegerField())
    rows = (
        Application.objects.filter(
            requisition__hiring_manager=user, status=ApplicationStatus.ACTIVE
        )
        .annotate(
            last_submitted=Subquery(last_submitted),
            last_decided=Subquery(last_decided),
            submitted=Coalesce(Subquery(count_submitted, output_field=IntegerField()), zero),
            expected=Coalesce(Subquery(expected, output_field=IntegerField()), zero),
        )
        .filter(last_submitted__isnull=False)
        .filter(Q(last_decided__isnull=True) | Q(last_decided__lt=F("last_submitted")))
        .select_related("candidate", "requisition", "stage")
        .order_by("-last_submitted")
    )
    return list(rows[:limit])
