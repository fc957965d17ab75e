"""The reminder sweep: what is due, claimed exactly once, then delivered.

Celery beat runs `hiring.tasks.reminders_sweep` every REMINDER_SWEEP_MINUTES. Each run:

1. expires sent offers past their expiry date, and syncs the offer clocks with the debrief
   decisions (starts new ones, stops those whose application moved on);
2. during business hours of a business day only (none at night, on weekends or holidays),
   claims every reminder that is due, one kind at a time, each kind in one transaction
   that inserts the notifications (unique key: recipient, kind, subject, sequence) and
   moves the subject's "next due" marker on; a worker killed in the middle rolls the kind
   back, and the next run claims it again;
3. delivers pending e-mails (claimed ones, failed ones whose backoff has passed, and sends
   whose lease ran out), each by compare-and-set so no e-mail goes twice. The Celery task
   hands them to `notifications_send` tasks in chunks; `sweep(deliver=True)` sends inline.

The reminder kinds and when each fires (business time: see hiring.business_time):

- approver reminder, to each approver of an open step who has not decided: 4 business hours
  after the step opened, then each business morning;
- escalation, to the hiring manager and the recruiter: 1 business day after the debrief
  decision with the offer not sent, naming the step that waits;
- breach, to the recruiter, the hiring manager and the admins: 2 business days after the
  decision with the offer not sent (when both are due at once, only the breach goes);
- scorecard reminder, to each interviewer without a submitted scorecard: 1 hour after the
  interview ended, then each business morning, at most 10 in all;
- stalled digest, to each recruiter with applications in one stage for more than
  STALLED_DAYS days: once each business day, at the first sweep of the day.

Every query that finds due work is served by an index: clocks by `next_alert_at`, steps by
`next_reminder_at` (pending only), interviews by (status, ends_at), applications by
(status, entered_stage_at), notifications by subject and by next attempt time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hiring.business_time import (
    company_calendar,
    date_key,
    is_business_time,
    local_date,
    next_business_morning,
)
from hiring.models import (
    LIVE_OFFER_STATUSES,
    ApplicationStatus,
    ApprovalStep,
    Interview,
    InterviewStatus,
    Notification,
    NotificationKind,
    Offer,
    OfferClock,
    OfferStatus,
    StageKind,
    StepApprover,
    StepStatus,
)
from hiring.services.approvals import admin_ids
from hiring.services.notifications import (
    due_for_delivery,
    notification_row,
    notification_send,
    notifications_claim,
)
from hiring.services.offer_clock import clocks_sync
from hiring.services.offers import offers_expire

log = logging.getLogger(__name__)

SCORECARD_DELAY = dt.timedelta(hours=1)
SCORECARD_MAX_REMINDERS = 10
# Ten reminders, one per business morning, end within this many calendar days even with a
# run of holidays: the bound keeps the interview query on a short index range.
SCORECARD_WINDOW = dt.timedelta(days=31)
DELIVERIES_PER_SWEEP = 500
Kind = NotificationKind


@dataclass
class SweepReport:
    clocks_started: int = 0
    clocks_stopped: int = 0
    offers_expired: int = 0
    claimed: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    failed: int = 0
    skipped: str = ""

    @property
    def total_claimed(self) -> int:
        return sum(self.claimed.values())


def sweep(*, now: dt.datetime | None = None, deliver: bool = True) -> SweepReport:
    """One run: sync, claim what is due, deliver. Safe to run twice, or in two processes."""
    now = now or timezone.now()
    cal = company_calendar()
    report = SweepReport()
    report.offers_expired = offers_expire(today=local_date(now, cal))
    report.clocks_started, report.clocks_stopped = clocks_sync(now=now)
    if is_business_time(now, cal):
        for kind, claim in CLAIMS:
            with transaction.atomic():
                report.claimed[kind] = claim(now)
    else:
        report.skipped = "outside business hours: no new reminders"
    if deliver:
        report.delivered, report.failed = deliver_due(now=now)
    return report


def deliver_due(*, now: dt.datetime, limit: int = DELIVERIES_PER_SWEEP) -> tuple[int, int]:
    sent = failed = 0
    for notification_id in due_for_delivery(now=now, limit=limit):
        outcome = notification_send(notification_id=notification_id, now=now)
        sent += outcome == "sent"
        failed += outcome == "failed"
    return sent, failed


# Approver reminders ------------------------------------------------------------------------


def claim_approver_reminders(now: dt.datetime) -> int:
    cal = company_calendar()
    seats = list(
        StepApprover.objects.filter(
            decision="",
            step__status=StepStatus.PENDING,
            step__next_reminder_at__lte=now,
        ).values(
            "user_id",
            "step_id",
            "step__name",
            "step__reminders_sent",
            "step__offer_id",
            "step__offer__application__candidate__name",
            "step__offer__application__requisition__title",
        )
    )
    if not seats:
        return 0
    today = date_key(now, cal)
    rows = []
    for seat in seats:
        first = seat["step__reminders_sent"] == 0
        candidate = seat["step__offer__application__candidate__name"]
        requisition = seat["step__offer__application__requisition__title"]
        rows.append(
            notification_row(
                recipient_id=seat["user_id"],
                kind=Kind.APPROVER_REMINDER,
                subject_type="step",
                subject_id=seat["step_id"],
                sequence=0 if first else today,
                title=f"Reminder: the offer for {candidate} waits for your approval",
                body=(
                    f"The offer for {candidate} ({requisition}) still waits for you at "
                    f"'{seat['step__name']}'. Every business hour counts toward the "
                    "two-business-day target."
                ),
                url=_offer_url(seat["step__offer_id"]),
                now=now,
            )
        )
    claimed = notifications_claim(rows)
    # The steps just reminded (the same condition as above, without listing thousands of
    # ids): the next reminder is due on the next business morning.
    ApprovalStep.objects.filter(status=StepStatus.PENDING, next_reminder_at__lte=now).update(
        next_reminder_at=next_business_morning(now, cal),
        reminders_sent=F("reminders_sent") + 1,
    )
    return claimed


# Escalations and breaches ------------------------------------------------------------------


def claim_clock_alerts(now: dt.datetime) -> int:
    clocks = list(
        OfferClock.objects.filter(next_alert_at__lte=now, stopped_at__isnull=True).values(
            "pk",
            "cycle",
            "escalate_at",
            "due_at",
            "next_alert_at",
            "application_id",
            "application__candidate__name",
            "application__requisition__title",
            "application__requisition__hiring_manager_id",
            "application__requisition__recruiter_id",
        )
    )
    if not clocks:
        return 0
    waiting = _waiting_steps(now)
    admins = admin_ids()
    rows = []
    for clock in clocks:
        breach = clock["due_at"] <= now
        candidate = clock["application__candidate__name"]
        requisition = clock["application__requisition__title"]
        offer_id, what_waits = waiting.get(clock["application_id"], (None, _NO_OFFER))
        people = {
            clock["application__requisition__hiring_manager_id"],
            clock["application__requisition__recruiter_id"],
        }
        if breach:
            kind, recipients = Kind.BREACH, people | set(admins)
            title = f"Missed: no offer for {candidate} within two business days"
            body = (
                f"The debrief decided to make {candidate} an offer ({requisition}) two business "
                f"days ago and it has not been sent. Waiting: {what_waits}."
            )
        else:
            kind, recipients = Kind.ESCALATION, people
            title = f"Offer for {candidate}: one business day left"
            body = (
                f"One business day has passed since the debrief decision for {candidate} "
                f"({requisition}) and the offer is not sent. Waiting: {what_waits}."
            )
        url = _offer_url(offer_id) if offer_id else reverse("offers:list")
        rows.extend(
            notification_row(
                recipient_id=user_id,
                kind=kind,
                subject_type="clock",
                subject_id=clock["pk"],
                sequence=clock["cycle"],
                title=title,
                body=body,
                url=url,
                now=now,
            )
            for user_id in sorted(recipients)
        )
    claimed = notifications_claim(rows)
    # The clocks just alerted (the same condition as above): escalated ones wait for their
    # breach; breached ones (escalation skipped when both were due) are done.
    due = OfferClock.objects.filter(next_alert_at__lte=now, stopped_at__isnull=True)
    due.filter(due_at__lte=now).update(next_alert_at=None)
    due.filter(due_at__gt=now).update(next_alert_at=F("due_at"))
    return claimed


_NO_OFFER = "no offer drafted yet (the recruiter)"


def _waiting_steps(now: dt.datetime) -> dict[int, tuple[int, str]]:
    """For each application whose clock alert is due, its live offer and what it waits for.

    Joined through the clock (the same condition as the alert query), not an id list: a cold
    sweep has tens of thousands of them.
    """
    due = {
        "application__offer_clock__next_alert_at__lte": now,
        "application__offer_clock__stopped_at__isnull": True,
    }
    offers = {
        row["application_id"]: row
        for row in Offer.objects.filter(status__in=LIVE_OFFER_STATUSES, **due).values(
            "pk", "application_id", "status"
        )
    }
    steps: dict[int, list[str]] = defaultdict(list)
    open_steps = ApprovalStep.objects.filter(
        status=StepStatus.PENDING, offer__status=OfferStatus.PENDING, **_prefixed(due, "offer__")
    )
    for offer_id, name in open_steps.values_list("offer_id", "name"):
        steps[offer_id].append(name)
    result = {}
    for application_id, offer in offers.items():
        if offer["status"] == OfferStatus.DRAFT:
            text = "the offer is in draft (the recruiter)"
        elif offer["status"] == OfferStatus.APPROVED:
            text = "approved, to be sent (the recruiter)"
        elif steps.get(offer["pk"]):
            text = " and ".join(f"approval step '{name}'" for name in steps[offer["pk"]])
        else:
            text = OfferStatus(offer["status"]).label.lower()
        result[application_id] = (offer["pk"], text)
    return result


def _prefixed(lookups: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {f"{prefix}{name}": value for name, value in lookups.items()}


# Scorecard reminders -----------------------------------------------------------------------


def claim_scorecard_reminders(now: dt.datetime) -> int:
    from assessments.models import Scorecard, ScorecardStatus

    cal = company_calendar()
    Link = Interview.interviewers.through
    pairs = list(
        Link.objects.filter(
            interview__status=InterviewStatus.SCHEDULED,
            interview__ends_at__lte=now - SCORECARD_DELAY,
            interview__ends_at__gte=now - SCORECARD_WINDOW,
        ).values(
            "interview_id",
            "user_id",
            "interview__round_name",
            "interview__application__candidate__name",
        )
    )
    if not pairs:
        return 0
    interview_ids = {p["interview_id"] for p in pairs}
    submitted = set(
        Scorecard.objects.filter(
            interview_id__in=interview_ids, status=ScorecardStatus.SUBMITTED
        ).values_list("interview_id", "interviewer_id")
    )
    sent: dict[tuple[int, int], list[tuple[int, dt.datetime]]] = defaultdict(list)
    for subject_id, recipient_id, sequence, created_at in Notification.objects.filter(
        subject_type="interview", subject_id__in=interview_ids, kind=Kind.SCORECARD_REMINDER
    ).values_list("subject_id", "recipient_id", "sequence", "created_at"):
        sent[(subject_id, recipient_id)].append((sequence, created_at))
    today, today_date = date_key(now, cal), local_date(now, cal)
    rows = []
    for pair in pairs:
        key = (pair["interview_id"], pair["user_id"])
        if key in submitted:
            continue
        earlier = sent.get(key, [])
        if len(earlier) >= SCORECARD_MAX_REMINDERS:
            continue
        if not earlier:
            sequence = 0
        else:
            first_day = min(local_date(created, cal) for _, created in earlier)
            if today_date <= first_day or any(seq == today for seq, _ in earlier):
                continue  # one a day, from the morning after the first reminder
            sequence = today
        candidate = pair["interview__application__candidate__name"]
        rows.append(
            notification_row(
                recipient_id=pair["user_id"],
                kind=Kind.SCORECARD_REMINDER,
                subject_type="interview",
                subject_id=pair["interview_id"],
                sequence=sequence,
                title=f"Submit your scorecard for {candidate}",
                body=(
                    f"Your scorecard for {candidate} ({pair['interview__round_name']}) is not "
                    "submitted yet. The debrief waits for it; write it while the interview is "
                    "fresh."
                ),
                url=_scorecard_url(pair["interview_id"]),
                now=now,
            )
        )
    return notifications_claim(rows)


# The stalled-applications digest ----------------------------------------------------------


def claim_stalled_digest(now: dt.datetime) -> int:
    cal = company_calendar()
    today = date_key(now, cal)
    already = Notification.objects.filter(
        subject_type="digest", subject_id=0, kind=Kind.STALLED_DIGEST, sequence=today
    )
    if already.exists():
        return 0
    days = settings.STALLED_DAYS
    stalled = (
        _active_not_hired()
        .filter(entered_stage_at__lte=now - dt.timedelta(days=days))
        .values("requisition__recruiter_id")
        .annotate(n=Count("pk"), since=Min("entered_stage_at"))
        .order_by()
    )
    link = f"{reverse('candidates:list')}?status=active&stale_days={days}"
    rows = [
        notification_row(
            recipient_id=row["requisition__recruiter_id"],
            kind=Kind.STALLED_DIGEST,
            subject_type="digest",
            subject_id=0,
            sequence=today,
            title=f"{row['n']} stalled application{'s' if row['n'] != 1 else ''} in your pipeline",
            body=(
                f"{row['n']} of your applications have been in one stage for more than {days} "
                f"days; the longest since {local_date(row['since'], cal):%d %b %Y}. Move them "
                "on or close them."
            ),
            url=link,
            now=now,
        )
        for row in stalled
    ]
    return notifications_claim(rows)


def _active_not_hired() -> Any:
    from hiring.models import Application

    return Application.objects.filter(status=ApplicationStatus.ACTIVE).exclude(
        stage__kind=StageKind.HIRED
    )


CLAIMS = [
    (Kind.APPROVER_REMINDER.value, claim_approver_reminders),
    ("clock", claim_clock_alerts),
    (Kind.SCORECARD_REMINDER.value, claim_scorecard_reminders),
    (Kind.STALLED_DIGEST.value, claim_stalled_digest),
]


def _offer_url(offer_id: int) -> str:
    return _offer_url_pattern().replace("/0/", f"/{offer_id}/")


@lru_cache(maxsize=1)
def _offer_url_pattern() -> str:
    # reverse() once: a cold sweep builds thousands of these links.
    return reverse("offers:detail", args=[0])


def _scorecard_url(interview_id: int) -> str:
    try:
        return reverse("interviews:scorecard", args=[interview_id])
    except NoReverseMatch:  # the scorecard page ships with the interviews work
        return reverse("home")


@dataclass(frozen=True)
class ReminderInfo:
    """One line of the user's reminder settings page: what, to whom, when."""

    kind: str
    name: str
    to: str
    when: str
    roles: frozenset[str]


def reminder_catalogue() -> list[ReminderInfo]:
    from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER

    approvers = frozenset({HIRING_MANAGER, ADMIN})
    return [
        ReminderInfo(
            Kind.APPROVAL_REQUESTED,
            "Approval requested",
            "Approvers of the step that opens",
            "At once, when an offer reaches your step",
            approvers,
        ),
        ReminderInfo(
            Kind.APPROVER_REMINDER,
            "Approval reminder",
            "Approvers who have not decided",
            "4 business hours after the step opened, then each business morning",
            approvers,
        ),
        ReminderInfo(
            Kind.ESCALATION,
            "Offer escalation",
            "The hiring manager and the recruiter",
            "1 business day after the debrief decision if the offer is not sent",
            frozenset({HIRING_MANAGER, RECRUITER}),
        ),
        ReminderInfo(
            Kind.BREACH,
            "Two-business-day breach",
            "The recruiter, the hiring manager and the admins",
            "2 business days after the debrief decision if the offer is not sent",
            frozenset({HIRING_MANAGER, RECRUITER, ADMIN}),
        ),
        ReminderInfo(
            Kind.OFFER_RETURNED,
            "Offer sent back to draft",
            "The recruiter",
            "At once, when an approver rejects",
            frozenset({RECRUITER}),
        ),
        ReminderInfo(
            Kind.OFFER_APPROVED,
            "Offer approved",
            "The recruiter",
            "At once, when the last step approves",
            frozenset({RECRUITER}),
        ),
        ReminderInfo(
            Kind.SCORECARD_REMINDER,
            "Scorecard reminder",
            "Interviewers without a submitted scorecard",
            "1 hour after the interview ended, then each business morning, at most 10",
            frozenset({INTERVIEWER}),
        ),
        ReminderInfo(
            Kind.STALLED_DIGEST,
            "Stalled applications digest",
            "Recruiters",
            f"Each business morning, when applications sit in one stage more than "
            f"{settings.STALLED_DAYS} days",
            frozenset({RECRUITER}),
        ),
    ]
