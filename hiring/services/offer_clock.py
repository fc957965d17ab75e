"""The two-business-day offer clock: started by the debrief decision, stopped by sending.

A clock row per application stores its deadlines (computed once with the business calendar)
so the sweep finds due alerts with an indexed comparison. Clocks follow the decisions:
`clocks_sync` starts (or restarts) the clock of every application whose current decision is
"advance to offer", and stops clocks whose application has moved on (a later reject or hold,
or the application closed). It runs at the start of every sweep, so however a decision was
recorded (page, API, admin) its clock starts within one sweep interval; creating an offer
starts it at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from hiring.business_time import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    company_calendar,
)
from hiring.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    OfferClock,
)

TARGET_DAYS = 2  # the source document's "offer in two business days"
ESCALATE_DAYS = 1


def deadlines(started_at: dt.datetime, cal: BusinessCalendar) -> tuple[dt.datetime, dt.datetime]:
    """(escalation time, due time): 1 and 2 business days after the start."""
    per_day = cal.hours_per_day
    return (
        add_business_hours(started_at, ESCALATE_DAYS * per_day, cal),
        add_business_hours(started_at, TARGET_DAYS * per_day, cal),
    )


def _latest_decision(application_id: int) -> Decision | None:
    return (
        Decision.objects.filter(application_id=application_id)
        .order_by("-decided_at", "-id")
        .first()
    )


def clock_start(
    *, application: Application, started_at: dt.datetime, decision: Decision | None
) -> OfferClock:
    """Start the clock, or restart it (next cycle) when it runs for an older decision."""
    escalate_at, due_at = deadlines(started_at, company_calendar())
    values = {
        "decision": decision,
        "started_at": started_at,
        "escalate_at": escalate_at,
        "due_at": due_at,
        "next_alert_at": escalate_at,
        "stopped_at": None,
        "stop_reason": "",
        "business_hours_to_send": None,
    }
    clock = OfferClock.objects.select_for_update().filter(application=application).first()
    if clock is None:
        return OfferClock.objects.create(application=application, **values)
    for name, value in values.items():
        setattr(clock, name, value)
    clock.cycle += 1
    clock.save()
    return clock


@transaction.atomic
def clock_ensure(*, application: Application, now: dt.datetime | None = None) -> OfferClock:
    """The application's running clock; started now if there is none yet.

    The start is the current "advance to offer" decision when there is one (the normal
    case), else now: an offer drafted without a recorded debrief still gets its two days.
    """
    clock = OfferClock.objects.filter(application=application).first()
    if clock is not None:
        return clock
    decision = _latest_decision(application.pk)
    if decision is not None and decision.outcome == DecisionOutcome.ADVANCE:
        return clock_start(
            application=application, started_at=decision.decided_at, decision=decision
        )
    return clock_start(application=application, started_at=now or timezone.now(), decision=None)


def clock_stop_on_send(*, application_id: int, sent_at: dt.datetime) -> None:
    """The offer went out: the clock stops and keeps how long it took, in business hours."""
    clock = OfferClock.objects.select_for_update().filter(application_id=application_id).first()
    if clock is None or clock.stopped_at is not None:
        return
    clock.stopped_at = sent_at
    clock.stop_reason = "sent"
    clock.next_alert_at = None
    clock.business_hours_to_send = round(
        business_hours_between(clock.started_at, sent_at, company_calendar()), 2
    )
    clock.save(
        update_fields=["stopped_at", "stop_reason", "next_alert_at", "business_hours_to_send"]
    )


def clocks_sync(*, now: dt.datetime) -> tuple[int, int]:
    """Start clocks for new "advance" decisions, stop the ones whose application moved on.

    Returns (started, stopped). Every sweep runs this, so both halves are written as joins
    that stay cheap with tens of thousands of clocks running (bench/sweep.py).
    """
    # "Advance" decisions of active applications that no clock runs for yet ...
    candidates = list(
        Decision.objects.filter(
            outcome=DecisionOutcome.ADVANCE, application__status=ApplicationStatus.ACTIVE
        )
        .exclude(Exists(OfferClock.objects.filter(decision_id=OuterRef("pk"))))
        .select_related("application")
    )
    # ... that are still the application's current decision.
    newest: dict[int, tuple[dt.datetime, int]] = {}
    for application_id, decided_at, pk in Decision.objects.filter(
        application_id__in={d.application_id for d in candidates}
    ).values_list("application_id", "decided_at", "pk"):
        newest[application_id] = max(newest.get(application_id, (decided_at, pk)), (decided_at, pk))
    started = 0
    for decision in candidates:
        if newest[decision.application_id] != (decision.decided_at, decision.pk):
            continue
        with transaction.atomic():
            clock_start(
                application=decision.application, started_at=decision.decided_at, decision=decision
            )
        started += 1
    running = OfferClock.objects.filter(stopped_at__isnull=True)
    moved_on = set(
        Decision.objects.exclude(outcome=DecisionOutcome.ADVANCE)
        .filter(
            application__offer_clock__stopped_at__isnull=True,
            decided_at__gt=F("application__offer_clock__started_at"),
        )
        .values_list("application_id", flat=True)
    )
    moved_on |= set(
        running.exclude(application__status=ApplicationStatus.ACTIVE).values_list(
            "application_id", flat=True
        )
    )
    stopped = running.filter(application_id__in=moved_on).update(
        stopped_at=now, stop_reason="moved on", next_alert_at=None
    )
    return started, stopped
