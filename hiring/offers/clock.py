"""The two-business-day offer clock: started by the debrief decision, stopped by sending.

A clock row per application stores its deadlines (computed once with the business calendar)
so the sweep finds due alerts with an indexed comparison. The debrief decision starts the
clock in its own transaction ("advance to offer", assessments.services.decisions) and stops
it (a later reject or hold); sending the offer stops it. An offer drafted without a
decision starts it when the offer is created. The sweep stops the clocks of applications
that ended (`clocks_stop_ended`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hiring.business_time import (
    BusinessCalendar,
    add_business_hours,
    business_hours_between,
    company_calendar,
)
from hiring.offers.models import OfferClock
from hiring.pipeline.models import Application, ApplicationStatus

TARGET_DAYS = 2  # the source document's "offer in two business days"
ESCALATE_DAYS = 1


def deadlines(started_at: dt.datetime, cal: BusinessCalendar) -> tuple[dt.datetime, dt.datetime]:
    """(escalation time, due time): 1 and 2 business days after the start."""
    per_day = cal.hours_per_day
    return (
        add_business_hours(started_at, ESCALATE_DAYS * per_day, cal),
        add_business_hours(started_at, TARGET_DAYS * per_day, cal),
    )


@transaction.atomic  # its own, when the caller has none: the clock row is locked
def clock_start(
    *, application: Application, started_at: dt.datetime, decision_id: int | None
) -> OfferClock:
    """Start the clock, or restart it (next cycle) when it runs for an older decision."""
    escalate_at, due_at = deadlines(started_at, company_calendar())
    values = {
        "decision_id": decision_id,
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
    """The application's clock; started now if there is none (an offer drafted without a
    debrief decision still gets its two days)."""
    clock = OfferClock.objects.filter(application=application).first()
    if clock is not None:
        return clock
    return clock_start(application=application, started_at=now or timezone.now(), decision_id=None)


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


def clock_stop(*, application_id: int, at: dt.datetime, reason: str) -> int:
    """Stop the application's running clock (the debrief moved on: reject, hold)."""
    return OfferClock.objects.filter(application_id=application_id, stopped_at__isnull=True).update(
        stopped_at=at, stop_reason=reason, next_alert_at=None
    )


def clocks_stop_ended(now: dt.datetime) -> int:
    """Sweep step: stop the running clocks of applications that ended (rejected, withdrawn,
    hired) by any path: the pipeline's own actions do not know about offer clocks.

    Asked as "no active application" rather than joined to every application that is not
    active (nine in ten of them): the active ones come from the status index, 45 instead of
    200 ms at 1,000,000 applications with 87,000 clocks running (bench/sweep.py)."""
    active = Application.objects.filter(
        pk=OuterRef("application_id"), status=ApplicationStatus.ACTIVE
    )
    return (
        OfferClock.objects.filter(stopped_at__isnull=True)
        .exclude(Exists(active))
        .update(stopped_at=now, stop_reason="moved on", next_alert_at=None)
    )
