"""Demo and benchmark offers.

`seed_demo_offers` gives the small demo pipeline a few offers in every state, built through
the services (so chains, history and audit are real) and then dated into the past: one
waiting for the demo manager's approval, one out of band with its justification and the
extra compensation-exception step, a draft, an approved one to send, an advanced
application without an offer yet, and sent offers from the past weeks for the dashboard.

`seed_offers_bulk(total=N)` is for the sweep benchmark: N offers in flight on as many
active applications, with their clocks, chains and approvers, written with bulk inserts
(COPY on PostgreSQL) in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.models import Decision, DecisionOutcome
from hiring.business_time import add_business_hours, company_calendar
from hiring.demo.pipeline import SMALL_DEMO_TITLES, _write
from hiring.offers.clock import clock_start, deadlines
from hiring.offers.models import (
    ApprovalStep,
    ApprovalStepChange,
    Offer,
    OfferChange,
    OfferClock,
    StepApprover,
)
from hiring.offers.rules import LIVE_OFFER_STATUSES, OfferStatus, StepStatus
from hiring.pipeline.models import Application, ApplicationStatus, Requisition, StageKind

JUSTIFICATION = (
    "She has a competing offer from an AI lab about 15% higher and has run exactly our "
    "feature-store migration in production. Losing her costs a quarter of hiring."
)


def _ago(business_hours: float) -> dt.datetime:
    """The moment `business_hours` business hours before now (walking back hour by hour)."""
    cal = company_calendar()
    now = timezone.now()
    moment = now
    step = dt.timedelta(minutes=30)
    for _ in range(10_000):
        if add_business_hours(moment, business_hours, cal) <= now:
            return moment
        moment -= step
    return moment


def _decide(application: Application, at: dt.datetime) -> Decision:
    decision = Decision.objects.create(
        application=application,
        outcome=DecisionOutcome.ADVANCE,
        decided_by=application.requisition.hiring_manager,
        decided_at=at,
        comment="Strong production evidence across the loop.",
    )
    clock_start(application=application, started_at=at, decision_id=decision.pk)
    return decision


def _backdate_round(offer: Offer, opened: dt.datetime) -> None:
    cal = company_calendar()
    ApprovalStep.objects.filter(offer=offer, status=StepStatus.PENDING).update(
        activated_at=opened, next_reminder_at=add_business_hours(opened, 4, cal)
    )


def seed_demo_offers(*, recruiter: Any, manager: Any, admin: Any) -> int:
    """A handful of offers in the small demo pipeline; nothing when they are already there."""
    from hiring.notifications.models import Notification
    from hiring.offers.services import offers as services
    from hiring.offers.services.approvals import step_vote
    from hiring.pipeline.models import Stage
    from hiring.pipeline.services.applications import application_move

    demo = Requisition.objects.filter(title__in=SMALL_DEMO_TITLES)
    if not demo.exists() or Offer.objects.filter(application__requisition__in=demo).exists():
        return 0
    started = timezone.now()
    from compensation.models import Band

    # Requisitions whose level has a band: "within" and "out of band" mean something there.
    banded = demo.filter(level__in=Band.objects.filter(currency="USD").values("level"))
    pool = list(
        Application.objects.filter(requisition__in=banded, status=ApplicationStatus.ACTIVE)
        .exclude(stage__kind=StageKind.HIRED)
        .select_related("requisition", "candidate", "stage")
        .order_by("-stage__position", "id")[:10]
    )
    if len(pool) < 9:
        return 0

    def advance(application: Application, hours_ago: float) -> Application:
        stage = Stage.objects.get(requisition=application.requisition, kind=StageKind.OFFER)
        application_move(application=application, to_stage=stage, actor=manager)
        _decide(application, _ago(hours_ago))
        return application

    def approve(offer: Offer, who: Any) -> None:
        step_vote(offer=offer, step_id=None, actor=who, approve=True, comment="Looks right.")

    with transaction.atomic():
        # Waiting for the demo manager: within band, three business hours on the clock.
        waiting = advance(pool[0], 3)
        offer = services.offer_create(
            application=waiting, fields=_terms(waiting, position=0.55), actor=recruiter
        )
        offer = services.offer_update(
            offer=offer,
            fields={"notes": "Mid-band; she asked for a March start."},
            actor=recruiter,
        )
        services.offer_submit(offer=offer, actor=recruiter)
        _backdate_round(offer, _ago(2.5))

        # Out of band, justified: the manager approved, finance/HR and the exception wait.
        high = advance(pool[1], 6)
        offer = services.offer_create(
            application=high, fields=_terms(high, position=1.15), actor=recruiter
        )
        services.offer_submit(offer=offer, actor=recruiter, justification=JUSTIFICATION)
        approve(offer, manager)
        _backdate_round(offer, _ago(4.5))

        # A draft the recruiter has not submitted: past its one-business-day escalation.
        draft = advance(pool[2], 10)
        services.offer_create(
            application=draft, fields=_terms(draft, position=0.3), actor=recruiter
        )

        # Approved, to be sent.
        ready = advance(pool[3], 5)
        offer = services.offer_create(
            application=ready, fields=_terms(ready, position=0.45), actor=recruiter
        )
        services.offer_submit(offer=offer, actor=recruiter)
        approve(offer, manager)
        approve(offer, admin)

        # Advanced at the debrief an hour ago; no offer drafted yet.
        advance(pool[4], 1)

        # Sent in the past weeks: the dashboard's history.
        for application, days_ago, took in zip(
            pool[5:9], (4, 11, 19, 45), (6.0, 13.5, 21.0, 30.0), strict=True
        ):
            _sent_in_the_past(application, days_ago, took, recruiter, manager, admin)

        # The demo's own setup is not news: only the open approvals stay in the inboxes.
        live_steps = ApprovalStep.objects.filter(
            offer__application__in=pool[:2], status=StepStatus.PENDING
        ).values("pk")
        Notification.objects.filter(created_at__gte=started).exclude(
            subject_type="step", subject_id__in=live_steps
        ).delete()
    return Offer.objects.filter(application__in=pool).count()


def _sent_in_the_past(
    application: Application, days_ago: int, took: float, recruiter: Any, manager: Any, admin: Any
) -> None:
    from hiring.offers.services import offers as services
    from hiring.offers.services.approvals import step_vote
    from hiring.pipeline.models import Stage
    from hiring.pipeline.services.applications import application_move

    cal = company_calendar()
    stage = Stage.objects.get(requisition=application.requisition, kind=StageKind.OFFER)
    application_move(application=application, to_stage=stage, actor=manager)
    start = timezone.now() - dt.timedelta(days=days_ago)
    start = add_business_hours(start, 0, cal)
    _decide(application, start)
    offer = services.offer_create(
        application=application, fields=_terms(application, position=0.5), actor=recruiter
    )
    services.offer_submit(offer=offer, actor=recruiter)
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    step_vote(offer=offer, step_id=None, actor=admin, approve=True)
    offer.refresh_from_db()
    services.offer_mark_sent(offer=offer, actor=recruiter)
    # Date it all into the past: the manager took 40 % of the time, finance 35 %.
    sent_at = add_business_hours(start, took, cal)
    first = add_business_hours(start, took * 0.2, cal)
    middle = add_business_hours(start, took * 0.6, cal)
    steps = list(offer.steps.order_by("position"))
    for step, (opened, closed) in zip(steps, [(first, middle), (middle, sent_at)], strict=True):
        wait = (0.4 if step.position == 0 else 0.35) * took
        ApprovalStep.objects.filter(pk=step.pk).update(
            activated_at=opened, closed_at=closed, wait_business_hours=round(wait, 2)
        )
        history = ApprovalStepChange.objects.filter(step=step)
        history.filter(to_status=StepStatus.PENDING).update(at=opened)
        history.exclude(to_status=StepStatus.PENDING).update(at=closed)
    Offer.objects.filter(pk=offer.pk).update(sent_at=sent_at, sent_on=sent_at.date())
    when = {"draft": start, "pending": first, "approved": sent_at, "sent": sent_at}
    for change in OfferChange.objects.filter(offer=offer):
        OfferChange.objects.filter(pk=change.pk).update(at=when.get(change.to_status, start))
    StepApprover.objects.filter(step__offer=offer, step__position=0).update(voted_at=middle)
    StepApprover.objects.filter(step__offer=offer, step__position=1).update(voted_at=sent_at)
    OfferClock.objects.filter(application=application).update(
        stopped_at=sent_at, business_hours_to_send=took
    )


def _terms(application: Application, *, position: float, days: int = 10) -> dict[str, Any]:
    from compensation.selectors import band_for

    level = application.requisition.level
    band = band_for(level_id=level.pk, currency="USD", on=timezone.localdate())
    total = round(band.low + (band.high - band.low) * position, -3) if band else 150_000
    bonus = round(total * 0.1, -3)
    today = timezone.localdate()
    return {
        "base_salary": int(total - bonus),
        "target_bonus": int(bonus),
        "currency": "USD",
        "level": level,
        "start_date": _monday_after(today + dt.timedelta(days=days + 30)),
        "expires_on": today + dt.timedelta(days=days),
    }


def seed_offers_bulk(*, total: int, now: dt.datetime, seed: int = 2026) -> dict[str, Any]:
    """`total` offers in flight (draft, pending approval, approved), in bulk.

    Each on its own active application, with an "advance" decision and a running clock
    started up to five calendar days before `now`, and for submitted offers the default
    chain (hiring manager, then finance/HR with every admin as approver). Nothing is marked
    as reminded yet: the first sweep afterwards meets the worst case, everything due at once.
    """
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    cal = company_calendar()
    admins = list(User.objects.filter(is_superuser=True).values_list("pk", flat=True)) or list(
        User.objects.filter(groups__name="Admin").values_list("pk", flat=True)
    )
    if not admins:
        raise ValueError("no admin to approve for finance/HR: run seed_demo first")
    taken = Offer.objects.filter(status__in=LIVE_OFFER_STATUSES).values("application_id")
    clocked = OfferClock.objects.values("application_id")
    apps = list(
        Application.objects.filter(status=ApplicationStatus.ACTIVE)
        .exclude(stage__kind=StageKind.HIRED)
        .exclude(pk__in=taken)
        .exclude(pk__in=clocked)
        .values_list("pk", "requisition__hiring_manager_id", "requisition__level_id")
        .order_by("pk")[:total]
    )
    decisions, clocks, offers = [], [], []
    for app_id, manager_id, level_id in apps:
        # Decided between an hour and five calendar days ago: some fresh, most overdue.
        start = now - dt.timedelta(hours=rng.uniform(1, 120))
        escalate_at, due_at = deadlines(start, cal)
        decisions.append(
            Decision(
                application_id=app_id,
                outcome=DecisionOutcome.ADVANCE,
                decided_by_id=manager_id,
                decided_at=start,
            )
        )
        clocks.append(
            OfferClock(
                application_id=app_id,
                started_at=start,
                escalate_at=escalate_at,
                due_at=due_at,
                next_alert_at=escalate_at,
            )
        )
        status = rng.choices(
            [OfferStatus.DRAFT, OfferStatus.PENDING, OfferStatus.APPROVED], weights=[20, 65, 15]
        )[0]
        base = rng.randrange(150_000, 300_000, 1_000)
        offers.append(
            Offer(
                application_id=app_id,
                status=status,
                base_salary=base,
                target_bonus=round(base * 0.1),
                currency="USD",
                level_id=level_id,
                start_date=now.date() + dt.timedelta(days=45),
                expires_on=now.date() + dt.timedelta(days=10),
                band_result="within" if status != OfferStatus.DRAFT else "",
                approval_round=0 if status == OfferStatus.DRAFT else 1,
                created_at=start,
                updated_at=start,
            )
        )
        offers[-1]._seed = (manager_id, start)  # type: ignore[attr-defined]
    with transaction.atomic():
        _write(Decision, decisions)
        for clock, decision in zip(clocks, decisions, strict=True):
            clock.decision_id = decision.pk
        _write(OfferClock, clocks)
        _write(Offer, offers)
        steps, seats, changes = _chains(rng, offers, admins, cal)
        _write(ApprovalStep, steps)
        for seat in seats:
            seat.step_id = seat._step.pk  # type: ignore[attr-defined]
        _write(StepApprover, seats)
        _write(OfferChange, changes)
    return {
        "offers": len(offers),
        "steps": len(steps),
        "approvers": len(seats),
        "seconds": time.perf_counter() - started,
    }


def _chains(
    rng: random.Random, offers: list[Offer], admins: list[int], cal: Any
) -> tuple[list[ApprovalStep], list[StepApprover], list[OfferChange]]:
    steps: list[ApprovalStep] = []
    seats: list[StepApprover] = []
    changes: list[OfferChange] = []
    for offer in offers:
        manager_id, start = offer._seed  # type: ignore[attr-defined]
        changes.append(OfferChange(offer_id=offer.pk, to_status="draft", at=start))
        if offer.status == OfferStatus.DRAFT:
            continue
        changes.append(
            OfferChange(offer_id=offer.pk, from_status="draft", to_status="pending", at=start)
        )
        manager_done = offer.status == OfferStatus.APPROVED or rng.random() < 0.4
        finance_done = offer.status == OfferStatus.APPROVED
        opened = start
        second = start + dt.timedelta(hours=rng.uniform(0.5, 3))
        plan = [
            ("Hiring manager", "hiring_manager", [manager_id], manager_done, opened),
            ("Finance/HR", "finance", admins, finance_done, second if manager_done else None),
        ]
        for position, (name, kind, people, done, activated) in enumerate(plan):
            status = StepStatus.APPROVED if done else StepStatus.PENDING if activated else "waiting"
            step = ApprovalStep(
                offer_id=offer.pk,
                round=1,
                position=position,
                name=name,
                kind=kind,
                status=status,
                activated_at=activated,
                closed_at=second if done else None,
                next_reminder_at=(
                    add_business_hours(activated, 4, cal)
                    if status == StepStatus.PENDING and activated
                    else None
                ),
            )
            steps.append(step)
            for user_id in people:
                seat = StepApprover(user_id=user_id, vote="approve" if done else "")
                seat._step = step  # type: ignore[attr-defined]
                seats.append(seat)
    return steps, seats, changes


def _monday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)
