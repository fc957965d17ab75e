"""Reads about interviews that pages and the API share: who sees which interview, the
interviewer's home section, the debriefs waiting for a hiring manager, and the context of the
scheduling pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import (
    Decision,
    Interview,
    InterviewQuestion,
    Question,
    QuestionVersion,
    Scorecard,
)
from assessments.rules import InterviewStatus, ScorecardStatus
from hiring.compiled import compiled, first_or_404
from hiring.permissions import ANY, HIRING_MANAGER, INTERVIEWED, INTERVIEWER, MANAGED, can, reach_of
from hiring.pipeline.models import Application, ApplicationStatus
from hiring.pipeline.selectors import applications_reached, applications_visible_to
from hiring.pipeline.timeline import TimelineEntry
from roles.models import LoopQuestion

HOME_LIMIT = 20
TO_SUBMIT_DAYS = 60
INTERVIEWER_ROLES = (INTERVIEWER, HIRING_MANAGER)


def interviewer_choices() -> QuerySet[User]:
    """Who can be put on an interview: active users holding the Interviewer or HM role."""
    return (
        User.objects.filter(is_active=True, groups__name__in=INTERVIEWER_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def interviews_visible_to(user: User, capability: str) -> QuerySet[Interview]:
    """The interviews `capability` lets the user see (hiring.permissions.REACH): for
    `interviews.view_own`, recruiters and admins all, hiring managers their requisitions',
    everyone the ones they are on."""
    rows = Interview.objects.all()
    reach = reach_of(user, capability)
    if ANY in reach:
        return rows
    condition = Q(pk__in=[])
    for name in reach:
        if name == MANAGED:
            condition |= Q(application__requisition__hiring_manager=user.pk)
        elif name == INTERVIEWED:
            condition |= Q(pk__in=Interview.objects.filter(interviewers=user.pk).values("pk"))
        else:
            raise ValueError(f"{capability}: interviews are not scoped by {name!r}")
    return rows.filter(condition)


def may_decide(user: User, application: Application) -> bool:
    """Whether the user may record the debrief decision of the application (`debrief.decide`):
    admins, and the requisition's hiring manager. Reading the debrief reaches further: a
    recruiter who is also a hiring manager reads every debrief, decides on their own."""
    return bool(list(_reached_among(reach_of(user, "debrief.decide"), user.pk, application.pk)))


@compiled
def _reached_among(
    reach: frozenset[str], user_id: int | None, application_id: int
) -> QuerySet[Application, int]:
    return (
        applications_reached(reach, user_id)
        .filter(pk=application_id)
        .values_list("pk", flat=True)[:1]
    )


def _my_scorecard_status(user: User) -> Subquery:
    own = Scorecard.objects.filter(interview=OuterRef("pk"), interviewer=user)
    return Subquery(own.values("status")[:1])


@dataclass
class HomeInterviews:
    today: Sequence[Interview]
    upcoming: Sequence[Interview]
    to_submit: Sequence[Interview]

    @property
    def empty(self) -> bool:
        return not (self.today or self.upcoming or self.to_submit)


def home_interviews(user: User) -> HomeInterviews:
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


def debriefs_ready(user: User, *, limit: int = 20) -> list[Application]:
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
    expected = (  # interviewers of the scheduled interviews: one per scorecard expected
        Interview.objects.filter(application=OuterRef("pk"), status=InterviewStatus.SCHEDULED)
        .order_by()
        .values("application")
        .annotate(n=Count("interviewers"))
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


@compiled
def _interviews_of(application_ids: list[int]) -> QuerySet[Interview]:
    return Interview.objects.filter(application_id__in=application_ids).prefetch_related(
        "interviewers"
    )


def interview_timeline_entries(by_id: Mapping[int, Application]) -> list[TimelineEntry]:
    """The interviews of these applications, for the candidate's timeline (one query for the
    interviews, one for their interviewers)."""
    now = timezone.now()
    interviews = _interviews_of(list(by_id))
    return [
        TimelineEntry(
            "interview",
            i.starts_at,
            by_id[i.application_id],
            "assessments/interviews/_event_interview.jinja",
            i,
            upcoming=i.starts_at > now,
        )
        for i in interviews
    ]


# The interview pages ------------------------------------------------------------------------


def page_applications(user: User, *, debrief: bool = False) -> QuerySet[Application]:
    """Applications the user may schedule interviews of (with `debrief`: those whose debrief
    and interviews they may see), with what the pages' headers show."""
    # The debrief and the interviews of an application: not those a hiring manager merely
    # interviews for elsewhere (there the blind-feedback rule applies).
    rows = applications_visible_to(user, "debrief.view" if debrief else "interviews.schedule")
    return rows.select_related("candidate", "requisition__role", "stage")


def debrief_application(user: User, application_id: int) -> Application:
    """The application whose debrief and interviews the user opens (one of
    `page_applications(debrief=True)`); Http404 when they may not see it."""
    found = _page_application(reach_of(user, "debrief.view"), user.pk, application_id)
    return first_or_404(found, "No such application")


@compiled
def _page_application(
    reach: frozenset[str], user_id: int | None, application_id: int
) -> QuerySet[Application]:
    return (
        applications_reached(reach, user_id)
        .select_related("candidate", "requisition__role", "stage")
        .filter(pk=application_id)[:1]
    )


def page_interviews(user: User) -> QuerySet[Interview]:
    """Interviews the user may see, with the application, candidate and role they show."""
    return interviews_visible_to(user, "interviews.view_own").select_related(
        "application__candidate", "application__requisition__role"
    )


def is_interviewer(user: User, interview: Interview) -> bool:
    return interview.interviewers.filter(pk=user.pk).exists()


def my_interviews_page(user: User) -> dict[str, Any]:
    """My interviews: today's, upcoming and to submit; a hiring manager's debriefs ready."""
    return {
        "interviews": home_interviews(user),
        "can_calibrate": can(user, "calibration.view"),
        "can_see_own_calibration": can(user, "calibration.own"),
        "debriefs": debriefs_ready(user) if can(user, "debrief.decide") else [],
    }


def application_interviews_page(application: Application, *, user: User) -> dict[str, Any]:
    """An application's interviews, each with its panel: (interviewer, scorecard status or "")."""
    interviews = list(
        Interview.objects.filter(application=application)
        .prefetch_related("interviewers", "questions__question_version__question")
        .order_by("starts_at", "id")
    )
    statuses = {
        (s.interview_id, s.interviewer_id): s.status
        for s in Scorecard.objects.filter(interview__application=application).only(
            "interview_id", "interviewer_id", "status"
        )
    }
    for interview in interviews:
        interview.panel = [  # type: ignore[attr-defined]
            (person, statuses.get((interview.pk, person.pk), ""))
            for person in interview.interviewers.all()
        ]
    return {
        "application": application,
        "interviews": interviews,
        "can_schedule": can(user, "interviews.schedule"),
    }


EVERYONE = "all"  # a question every interviewer of the interview asks


@dataclass(frozen=True)
class ScheduleChoices:
    """What the scheduling form offers and starts from."""

    people: QuerySet[User]  # who can be put on the interview
    questions: list[Question]  # the bank, the role's loop first
    loop_ids: list[int]  # the role's loop
    initial: dict[str, Any]
    # The version each question is asked at: the one it was scheduled at when the interview
    # has it already (what was asked stays asked), else the current one.
    versions: dict[int, QuestionVersion]


def _bank_for(application: Application) -> tuple[list[Question], list[int]]:
    """Every bank question, the role's loop first (in its order), and the loop's ids."""
    loop_ids = list(
        LoopQuestion.objects.filter(role_id=application.requisition.role_id)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    questions = list(Question.objects.select_related("current_version").order_by("number"))
    order = {pk: i for i, pk in enumerate(loop_ids)}
    questions.sort(key=lambda q: (order.get(q.pk, len(order)), q.number))
    return [q for q in questions if q.current_version_id], loop_ids


def _default_assignments(application: Application, loop_ids: list[int]) -> dict[str, Any]:
    """The role's loop, less what the application's other interviews already cover."""
    covered = set(
        InterviewQuestion.objects.filter(
            interview__application=application, interview__status=InterviewStatus.SCHEDULED
        ).values_list("question_version__question_id", flat=True)
    )
    wanted = [pk for pk in loop_ids if pk not in covered] or loop_ids
    return {f"question-{pk}": EVERYONE for pk in wanted}


def _current_plan(interview: Interview) -> tuple[dict[str, Any], dict[int, QuestionVersion]]:
    """The interview as it is scheduled, as the form's starting values, and its versions."""
    plan = list(
        InterviewQuestion.objects.filter(interview=interview).select_related("question_version")
    )
    initial = {
        "round_name": interview.round_name,
        "starts_at": interview.starts_at,
        "duration_minutes": interview.duration_minutes,
        "interviewers": list(interview.interviewers.all()),
        "location": interview.location,
        **{
            f"question-{iq.question_version.question_id}": str(iq.interviewer_id or EVERYONE)
            for iq in plan
        },
    }
    return initial, {iq.question_version.question_id: iq.question_version for iq in plan}


def schedule_choices(
    application: Application, *, interview: Interview | None = None
) -> ScheduleChoices:
    """The scheduling form of a new interview of the application, or of `interview` (edit)."""
    questions, loop_ids = _bank_for(application)
    kept: dict[int, QuestionVersion] = {}
    if interview is None:
        initial = _default_assignments(application, loop_ids)
    else:
        initial, kept = _current_plan(interview)
    current = {q.pk: q.current_version for q in questions if q.current_version is not None}
    versions = {**current, **{pk: v for pk, v in kept.items() if pk in current}}
    return ScheduleChoices(interviewer_choices(), questions, loop_ids, initial, versions)
