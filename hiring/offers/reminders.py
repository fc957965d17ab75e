"""The offers' reminders: approver reminders, escalations and breaches, and their kinds.

Registered with the notifications sweep by OffersConfig.ready(). When each
fires, in business time (hiring.business_time):

- approver reminder, to each approver of an open step who has not voted: 4 business hours
  after the step opened, then each business morning;
- escalation, to the hiring manager and the recruiter: 1 business day after the debrief
  decision with the offer not sent, naming the step that waits;
- breach, to the recruiter, the hiring manager and the admins: 2 business days after the
  decision with the offer not sent (when both are due at once, only the breach goes).

The queries that find due work are served by indexes: clocks by `next_alert_at`, steps by
`next_reminder_at` (pending only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any

from django.db.models import Case, DateTimeField, F, QuerySet, Value, When
from django.urls import reverse

from hiring.business_time import company_calendar, date_key, next_business_morning
from hiring.notifications.registry import NotificationKind
from hiring.notifications.services import Claim, notification_row, notifications_claim
from hiring.offers.links import approval_link
from hiring.offers.models import ApprovalStep, Offer, OfferClock, StepApprover
from hiring.offers.rules import LIVE_OFFER_STATUSES, OfferStatus, StepStatus
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER, admin_ids

APPROVAL_REQUESTED = "approval_requested"
APPROVER_REMINDER = "approver_reminder"
ESCALATION = "escalation"
BREACH = "breach"
OFFER_RETURNED = "offer_returned"
OFFER_APPROVED = "offer_approved"
OFFER_ANSWERED = "offer_answered"


def _signed_link(step_id: int, user_id: int) -> str:
    return approval_link(step_id=step_id, user_id=user_id)


_APPROVERS = frozenset({HIRING_MANAGER, ADMIN})
KINDS = (
    NotificationKind(
        APPROVAL_REQUESTED,
        "Approval requested",
        "Approvers of the step that opens",
        lambda: "At once, when an offer reaches your step",
        _APPROVERS,
        email_link=_signed_link,
        waits_on_recipient=True,
    ),
    NotificationKind(
        APPROVER_REMINDER,
        "Approval reminder",
        "Approvers who have not voted",
        lambda: "4 business hours after the step opened, then each business morning",
        _APPROVERS,
        email_link=_signed_link,
        waits_on_recipient=True,
    ),
    NotificationKind(
        ESCALATION,
        "Offer escalation",
        "The hiring manager and the recruiter",
        lambda: "1 business day after the debrief decision if the offer is not sent",
        frozenset({HIRING_MANAGER, RECRUITER}),
    ),
    NotificationKind(
        BREACH,
        "Two-business-day breach",
        "The recruiter, the hiring manager and the admins",
        lambda: "2 business days after the debrief decision if the offer is not sent",
        frozenset({HIRING_MANAGER, RECRUITER, ADMIN}),
    ),
    NotificationKind(
        OFFER_RETURNED,
        "Offer sent back to draft",
        "The recruiter",
        lambda: "At once, when an approver rejects",
        frozenset({RECRUITER}),
    ),
    NotificationKind(
        OFFER_APPROVED,
        "Offer approved",
        "The recruiter",
        lambda: "At once, when the last step approves",
        frozenset({RECRUITER}),
    ),
    NotificationKind(
        OFFER_ANSWERED,
        "Candidate's answer",
        "The recruiter and the hiring manager",
        lambda: "At once, when the candidate accepts or declines online",
        frozenset({RECRUITER, HIRING_MANAGER}),
    ),
)


def claim_approver_reminders(now: dt.datetime) -> int:
    cal = company_calendar()
    due = StepApprover.objects.filter(
        vote="", step__status=StepStatus.PENDING, step__next_reminder_at__lte=now
    )
    batch = _due_batch(
        ApprovalStep.objects.filter(status=StepStatus.PENDING, next_reminder_at__lte=now),
        "next_reminder_at",
    )
    seats = list(
        due.filter(step_id__in=batch)
        .order_by()
        .values(
            "user_id",
            "step_id",
            "step__name",
            "step__reminders_sent",
            "step__offer_id",
            "step__offer__application__candidate__name",
            "step__offer__application__requisition__title",
        )
    )
    # No early return without seats: a due step nobody is left to remind is moved on too,
    # or a batch of them would hold up the steps behind it.
    today = date_key(now, cal)
    rows = []
    for seat in seats:
        first = seat["step__reminders_sent"] == 0
        candidate = seat["step__offer__application__candidate__name"]
        requisition = seat["step__offer__application__requisition__title"]
        rows.append(
            notification_row(
                recipient_id=seat["user_id"],
                kind=APPROVER_REMINDER,
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
    # The steps just reminded (the same batch, without listing thousands of ids): the next
    # reminder is due on the next business morning.
    ApprovalStep.objects.filter(pk__in=batch).update(
        next_reminder_at=next_business_morning(now, cal),
        reminders_sent=F("reminders_sent") + 1,
    )
    return claimed


def claim_clock_alerts(now: dt.datetime) -> int:
    batch = _due_batch(
        OfferClock.objects.filter(next_alert_at__lte=now, stopped_at__isnull=True),
        "next_alert_at",
    )
    clocks = list(
        OfferClock.objects.filter(pk__in=batch).values(
            "pk",
            "cycle",
            "due_at",
            "application_id",
            "application__candidate__name",
            "application__requisition__title",
            "application__requisition__hiring_manager_id",
            "application__requisition__recruiter_id",
        )
    )
    if not clocks:
        return 0
    waiting = _waiting_steps(now, batch)
    admins = set(admin_ids())
    no_offer_url = reverse("offers:list")
    rows: list[Claim] = []
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
            kind, recipients = BREACH, people | admins
            title = f"Missed: no offer for {candidate} within two business days"
            body = (
                f"The debrief decided to make {candidate} an offer ({requisition}) two business "
                f"days ago and it has not been sent. Waiting: {what_waits}."
            )
        else:
            kind, recipients = ESCALATION, people
            title = f"Offer for {candidate}: one business day left"
            body = (
                f"One business day has passed since the debrief decision for {candidate} "
                f"({requisition}) and the offer is not sent. Waiting: {what_waits}."
            )
        url = _offer_url(offer_id) if offer_id else no_offer_url
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
    # The clocks just alerted (the same batch): escalated ones wait for their breach;
    # breached ones (escalation skipped when both were due) are done. One UPDATE.
    OfferClock.objects.filter(pk__in=batch).update(
        next_alert_at=Case(
            When(due_at__lte=now, then=Value(None, output_field=DateTimeField())),
            default=F("due_at"),
        )
    )
    return claimed


_NO_OFFER = "no offer drafted yet (the recruiter)"


def _waiting_steps(now: dt.datetime, batch: Batch) -> dict[int, tuple[int, str]]:
    """For each application of the batch's clocks, its live offer and what it waits for.

    Joined through the clock (the same condition as the alert query, and the batch).
    """
    due: dict[str, Any] = {
        "application__offer_clock__next_alert_at__lte": now,
        "application__offer_clock__stopped_at__isnull": True,
        "application__offer_clock__in": batch,
    }
    offers = {
        row["application_id"]: row
        for row in Offer.objects.filter(status__in=LIVE_OFFER_STATUSES, **due)
        .order_by()
        .values("pk", "application_id", "status")
    }
    steps: dict[int, list[str]] = defaultdict(list)
    open_steps = ApprovalStep.objects.filter(
        status=StepStatus.PENDING, offer__status=OfferStatus.PENDING, **_prefixed(due, "offer__")
    )
    # In each offer's order (round, position), without sorting by the offers' own order.
    in_order = open_steps.order_by("offer_id", "round", "position", "id")
    for offer_id, name in in_order.values_list("offer_id", "name"):
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
            text = dict(OfferStatus.choices)[offer["status"]].lower()
        result[application_id] = (offer["pk"], text)
    return result


def _prefixed(lookups: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {f"{prefix}{name}": value for name, value in lookups.items()}


FEW = 1_000
# Subjects (clocks, steps) one claim step takes per sweep, the longest due first; the rest
# wait for the next sweep. A backlog (beat stopped for days, a first deploy on old data)
# then drains over a few sweeps that each stay short: 200,000 clocks claimed at once took
# 14 s and wrote 440,000 rows in one transaction (bench/sweep.py at 1,000,000
# applications), while delivery sends DELIVERIES_PER_SWEEP e-mails a sweep anyway.
CLAIM_BATCH = 20_000
Batch = list[int] | QuerySet[Any, dict[str, Any]]


def _due_batch(due: QuerySet[Any], order: str) -> Batch:
    """What this sweep claims of `due`: the first CLAIM_BATCH in the order they fell due.

    At most FEW: their ids, read on the table alone. A claim's join on "due" is planned
    from the table's statistics, taken before the last sweep moved every reminder on: the
    planner expects the whole backlog due again and reads all 1,000,000 applications to find
    300 clocks (0.4 s of a 1.2 s steady sweep). The ids let it plan by their number. More:
    the batch as a subquery (Django spent longer on a list of thousands than the database).
    """
    ordered = due.order_by(order, "pk")
    ids = list(ordered.values_list("pk", flat=True)[: FEW + 1])
    return ids if len(ids) <= FEW else ordered.values("pk")[:CLAIM_BATCH]


def _offer_url(offer_id: int) -> str:
    return _offer_url_pattern().replace("/0/", f"/{offer_id}/")


@lru_cache(maxsize=1)
def _offer_url_pattern() -> str:
    # reverse() once: a cold sweep builds thousands of these links.
    return reverse("offers:detail", args=[0])
