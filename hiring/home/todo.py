"""The home pages' lists that chase every step, and their counts for the navigation.

Recruiter (the requisitions they recruit for): advanced with no offer drafted, approved and
not sent, sent and not viewed after one business day, offers expiring within two business
days, scorecards overdue (with a nudge), interviews to schedule. Hiring manager: approvals
waiting for them. Interviewer: their scorecards due. Each list is one query (TODO_LIMIT rows
at most) and each count one query, whatever the numbers; every item carries its clock,
naming its moment and unit ("due Wed 3 Dec, 15:00 (11 business hours left)"), and one
action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from assessments.models import Interview, Scorecard
from assessments.reminders import SCORECARD_DELAY, SCORECARD_REMINDER, SCORECARD_WINDOW
from assessments.rules import InterviewStatus, ScorecardStatus
from assessments.services.nudges import NUDGE
from hiring.accounts import person_name
from hiring.business_time import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    business_hours_text,
    business_window,
    company_calendar,
    deadline_label,
    is_business_day,
    local_date,
    moment_label,
)
from hiring.compiled import compiled
from hiring.notifications.models import Notification
from hiring.offers.models import Offer, OfferClock
from hiring.offers.rules import LIVE_OFFER_STATUSES, OUT_WITH_CANDIDATE, OfferStatus
from hiring.offers.selectors.approvals import approvals_waiting_for
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, roles_of
from hiring.pipeline.models import Application, ApplicationStatus, StageKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TODO_LIMIT = 20
EXPIRY_WINDOW_DAYS = 2  # offers expiring within two business days
TO_SUBMIT_DAYS = 60  # as the interviewer's home list has it


@dataclass(frozen=True)
class TodoItem:
    kind: str  # "draft", "send", "unviewed", "expiring", "scorecard", "schedule"
    title: str  # what to do, in a few words
    candidate: str
    context: str  # the requisition, the round, the interviewer
    clock: str  # "due Wed 3 Dec, 15:00 (11 business hours left)"
    urgency: str  # "ok", "medium", "high"
    action: str  # the button's words
    url: str
    post: bool = False  # the action is a form (the nudge)
    done: str = ""  # the action already taken ("Nudged Tue 1 Dec, 10:02")
    sort_at: dt.datetime | None = None


def _urgency(hours_left: float, cal: BusinessCalendar) -> str:
    return "high" if hours_left < 0 else "medium" if hours_left < cal.hours_per_day else "ok"


# The recruiter's lists: querysets, counted for the navigation and read for the page --------


# Each list's rows are a query compiled once (hiring.compiled), per user id and moment.


def _advanced_without_offer(user_id: int) -> QuerySet[OfferClock]:
    live = Offer.objects.filter(application=OuterRef("application"), status__in=LIVE_OFFER_STATUSES)
    return OfferClock.objects.filter(
        stopped_at__isnull=True,
        application__requisition__recruiter=user_id,
        application__status=ApplicationStatus.ACTIVE,
    ).exclude(Exists(live))


@compiled
def _drafts_due(user_id: int) -> QuerySet[OfferClock]:
    return (
        _advanced_without_offer(user_id)
        .select_related("application__candidate", "application__requisition")
        .order_by("due_at")[:TODO_LIMIT]
    )


def _approved_not_sent(user_id: int) -> QuerySet[Offer]:
    return Offer.objects.filter(
        status=OfferStatus.APPROVED, application__requisition__recruiter=user_id
    )


@compiled
def _sends_due(user_id: int) -> QuerySet[Offer]:
    return (
        _approved_not_sent(user_id)
        .select_related(
            "application__candidate", "application__requisition", "application__offer_clock"
        )
        .order_by("application__offer_clock__due_at", "pk")[:TODO_LIMIT]
    )


@compiled
def _sent_unviewed(user_id: int, sent_before: dt.datetime) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(
            status=OfferStatus.SENT,
            sent_via="email",
            viewed_at__isnull=True,
            sent_at__lte=sent_before,
            application__requisition__recruiter=user_id,
        )
        .select_related("application__candidate", "application__requisition")
        .order_by("sent_at", "pk")[: TODO_LIMIT * 5]
    )


def _sent_not_viewed(user_id: int, now: dt.datetime, cal: BusinessCalendar) -> list[Offer]:
    """Sent by e-mail a business day ago or more, and the candidate has not opened the link.

    The query keeps offers sent at least a business day's length of clock time ago (a
    business day takes at least that long), the business hours are counted on those."""
    sent = _sent_unviewed(user_id, now - dt.timedelta(hours=cal.hours_per_day))
    return [
        offer
        for offer in sent
        if offer.sent_at and business_hours_between(offer.sent_at, now, cal) >= cal.hours_per_day
    ][:TODO_LIMIT]


def _expiry_limit(now: dt.datetime, cal: BusinessCalendar) -> dt.date:
    """The last expiry date within two business days of now."""
    return local_date(add_business_hours(now, EXPIRY_WINDOW_DAYS * cal.hours_per_day, cal), cal)


def _expiring(user_id: int, now: dt.datetime, cal: BusinessCalendar) -> QuerySet[Offer]:
    return Offer.objects.filter(
        status__in=OUT_WITH_CANDIDATE,
        application__requisition__recruiter=user_id,
        expires_on__gte=local_date(now, cal),
        expires_on__lte=_expiry_limit(now, cal),
    )


def _scorecards_overdue(recruiter_id: int, now: dt.datetime) -> QuerySet[Any]:
    """(interview, interviewer) pairs of the recruiter's requisitions whose scorecard is
    overdue: the interview ended over an hour ago (when the first reminder goes), the
    scorecard not submitted."""
    return _overdue_pairs(recruiter_id, now - SCORECARD_DELAY, now - SCORECARD_WINDOW)


def _overdue_pairs(
    recruiter_id: int, ended_before: dt.datetime, ended_after: dt.datetime
) -> QuerySet[Any]:
    pairs = Interview.interviewers.through.objects.filter(
        interview__status=InterviewStatus.SCHEDULED,
        interview__ends_at__lte=ended_before,
        interview__ends_at__gte=ended_after,
    )
    pairs = pairs.filter(interview__application__requisition__recruiter=recruiter_id)
    submitted = Scorecard.objects.filter(
        interview_id=OuterRef("interview_id"),
        interviewer_id=OuterRef("user_id"),
        status=ScorecardStatus.SUBMITTED,
    )
    return pairs.exclude(Exists(submitted))


@compiled
def _overdue_rows(
    recruiter_id: int, ended_before: dt.datetime, ended_after: dt.datetime
) -> QuerySet[Any, dict[str, Any]]:
    nudged = Notification.objects.filter(
        kind=SCORECARD_REMINDER,
        subject_type="interview",
        subject_id=OuterRef("interview_id"),
        recipient_id=OuterRef("user_id"),
        sequence=NUDGE,
    )
    return (
        _overdue_pairs(recruiter_id, ended_before, ended_after)
        .annotate(nudged=Exists(nudged))
        .order_by("interview__ends_at", "pk")
        .values(
            "interview_id",
            "user_id",
            "nudged",
            "interview__ends_at",
            "interview__round_name",
            "interview__application__candidate__name",
            "user__first_name",
            "user__last_name",
            "user__username",
        )[:TODO_LIMIT]
    )


def _to_schedule(user_id: int) -> QuerySet[Application]:
    scheduled = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.SCHEDULED
    )
    return Application.objects.filter(
        requisition__recruiter=user_id,
        status=ApplicationStatus.ACTIVE,
        stage__kind=StageKind.INTERVIEW,
    ).exclude(Exists(scheduled))


@compiled
def _schedules_due(user_id: int) -> QuerySet[Application]:
    return (
        _to_schedule(user_id)
        .select_related("candidate", "requisition")
        .order_by("entered_stage_at", "pk")[:TODO_LIMIT]
    )


def recruiter_todo(user: User, *, now: dt.datetime | None = None) -> list[TodoItem]:
    """The recruiter's to-do list, most urgent first: six queries."""
    now = now or timezone.now()
    cal = company_calendar()
    items: list[TodoItem] = []
    for clock in _drafts_due(user.pk):
        hours = business_hours_between(now, clock.due_at, cal)
        items.append(
            TodoItem(
                "draft",
                "Advanced to offer: no offer drafted",
                clock.application.candidate.name,
                clock.application.requisition.title,
                f"offer {deadline_label(clock.due_at, hours, cal)}",
                _urgency(hours, cal),
                "Draft offer",
                f"{reverse('offers:new')}?application={clock.application_id}",
                sort_at=clock.due_at,
            )
        )
    for offer in _sends_due(user.pk):
        sending: OfferClock | None = getattr(offer.application, "offer_clock", None)
        due = sending.due_at if sending else now
        hours = business_hours_between(now, due, cal)
        items.append(
            TodoItem(
                "send",
                "Approved: to be sent",
                offer.application.candidate.name,
                offer.application.requisition.title,
                f"offer {deadline_label(due, hours, cal)}",
                _urgency(hours, cal),
                "Send the offer",
                reverse("offers:detail", args=[offer.pk]),
                sort_at=due,
            )
        )
    for offer in _sent_not_viewed(user.pk, now, cal):
        assert offer.sent_at is not None
        waited = business_hours_between(offer.sent_at, now, cal)
        items.append(
            TodoItem(
                "unviewed",
                "Sent: the candidate has not opened it",
                offer.application.candidate.name,
                offer.application.requisition.title,
                f"sent {moment_label(offer.sent_at, cal)} ({business_hours_text(waited)} ago)",
                "medium",
                "Check in with the candidate",
                reverse("offers:detail", args=[offer.pk]),
                sort_at=offer.sent_at + dt.timedelta(days=1),
            )
        )
    for offer in (
        _expiring(user.pk, now, cal)
        .select_related("application__candidate", "application__requisition")
        .order_by("expires_on", "pk")[:TODO_LIMIT]
    ):
        day = offer.expires_on
        closes = business_window(day, cal)[1] if is_business_day(day, cal) else None
        ends = closes or dt.datetime.combine(day, dt.time(23, 59), tzinfo=cal.tz)
        hours = business_hours_between(now, ends, cal)
        label = (
            deadline_label(ends, hours, cal).replace("was due", "expired").replace("due", "expires")
        )
        items.append(
            TodoItem(
                "expiring",
                "Sent: the offer expires soon, no answer yet",
                offer.application.candidate.name,
                offer.application.requisition.title,
                label,
                "high" if hours < cal.hours_per_day else "medium",
                "Chase the candidate",
                reverse("offers:detail", args=[offer.pk]),
                sort_at=ends,
            )
        )
    for pair in _overdue_rows(user.pk, now - SCORECARD_DELAY, now - SCORECARD_WINDOW):
        due = pair["interview__ends_at"] + SCORECARD_DELAY
        hours = business_hours_between(now, due, cal)
        person = person_name(pair, "user")
        items.append(
            TodoItem(
                "scorecard",
                "Scorecard overdue",
                pair["interview__application__candidate__name"],
                f"{person} · {pair['interview__round_name']}",
                f"scorecard {deadline_label(due, hours, cal)}",
                "high",
                f"Nudge {person}",
                reverse("interviews:nudge", args=[pair["interview_id"], pair["user_id"]]),
                post=True,
                done="Nudged: the reminder went out" if pair["nudged"] else "",
                sort_at=due,
            )
        )
    for application in _schedules_due(user.pk):
        since = application.entered_stage_at
        waited = business_hours_between(since, now, cal)
        items.append(
            TodoItem(
                "schedule",
                "Interview to schedule",
                application.candidate.name,
                application.requisition.title,
                f"waiting since {moment_label(since, cal)} ({business_hours_text(waited)} so far)",
                "medium" if waited >= cal.hours_per_day else "ok",
                "Schedule the interview",
                reverse("interviews:schedule", args=[application.pk]),
                sort_at=since + dt.timedelta(days=2),
            )
        )
    items.sort(key=lambda item: (item.sort_at or now, item.kind))
    return items


def scorecards_due(user: User, *, now: dt.datetime | None = None) -> QuerySet[Interview]:
    """The interviewer's interviews held (last 60 days) without their submitted scorecard."""
    now = now or timezone.now()
    mine = Scorecard.objects.filter(
        interview=OuterRef("pk"), interviewer=user, status=ScorecardStatus.SUBMITTED
    )
    return Interview.objects.filter(
        interviewers=user,
        status=InterviewStatus.SCHEDULED,
        ends_at__lte=now,
        ends_at__gte=now - dt.timedelta(days=TO_SUBMIT_DAYS),
    ).exclude(Exists(mine))


@dataclass(frozen=True)
class NavCounts:
    todo: int = 0  # the recruiter's to-do items
    approvals: int = 0  # approvals waiting for the user
    scorecards: int = 0  # the user's scorecards due

    @property
    def total(self) -> int:
        return self.todo + self.approvals + self.scorecards

    @property
    def summary(self) -> str:
        parts = [
            f"{self.todo} to do" if self.todo else "",
            f"{self.approvals} approval{'' if self.approvals == 1 else 's'} waiting"
            if self.approvals
            else "",
            f"{self.scorecards} scorecard{'' if self.scorecards == 1 else 's'} due"
            if self.scorecards
            else "",
        ]
        return ", ".join(p for p in parts if p)


def nav_counts(user: User, *, now: dt.datetime | None = None) -> NavCounts:
    """The counts the navigation shows: one query per list, at most eight, whatever the data."""
    now = now or timezone.now()
    roles = roles_of(user)
    todo = approvals = scorecards = 0
    if RECRUITER in roles:
        cal = company_calendar()
        todo = (
            _advanced_without_offer(user.pk).count()
            + _approved_not_sent(user.pk).count()
            + len(_sent_not_viewed(user.pk, now, cal))
            + _expiring(user.pk, now, cal).count()
            + _scorecards_overdue(user.pk, now).count()
            + _to_schedule(user.pk).count()
        )
    if roles & {HIRING_MANAGER, ADMIN}:  # as the home page lists them
        approvals = approvals_waiting_for(user).count()
    if INTERVIEWER in roles:
        scorecards = scorecards_due(user, now=now).count()
    return NavCounts(todo=todo, approvals=approvals, scorecards=scorecards)
