"""Scheduling a hire's check-ins and recording one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import company_calendar, local_date
from hiring.checkins.models import CheckIn
from hiring.checkins.rules import LEFT_REASONS, PERFORMANCE, CheckInStatus, due_dates
from hiring.errors import DomainError
from hiring.offers.models import Offer
from hiring.offers.rules import OfferStatus
from hiring.pipeline.models import Application, StageChange
from hiring.pipeline.rules import ApplicationStatus

CONFLICT = 409
BATCH = 5000  # hires per round of scheduling


def checkins_schedule(now: dt.datetime) -> int:
    """Every hire without check-ins gets its four, counted from the start date: the accepted
    offer's, else the day they were moved to Hired. A sweep step (every sweep), so a hire
    made by an accepted offer, a board move or Django admin is covered alike; the unique
    (application, horizon) makes a second sweep add nothing. All of them in one run, in
    batches (a sweep that left some for the next would claim their reminders then). Returns
    how many it added."""
    added, seen = 0, set[int]()
    while (ids := _hires_without_check_ins()) and seen.isdisjoint(ids):  # never the same twice
        seen.update(ids)
        added += _schedule(ids, now)
    return added


def _hires_without_check_ins() -> list[int]:
    has_check_ins = CheckIn.objects.filter(application_id=OuterRef("pk"))
    return list(
        Application.objects.filter(status=ApplicationStatus.HIRED)
        .exclude(Exists(has_check_ins))
        .values_list("pk", flat=True)[:BATCH]
    )


def _schedule(ids: list[int], now: dt.datetime) -> int:
    cal = company_calendar()
    starts: dict[int, dt.date] = {
        row["application_id"]: local_date(row["at"], cal)
        for row in StageChange.objects.filter(application_id__in=ids, to_status="hired")
        .values("application_id")
        .annotate(at=Max("at"))
    }
    for application_id, start in (
        Offer.objects.filter(application_id__in=ids, status=OfferStatus.ACCEPTED)
        .order_by("application_id", "id")
        .values_list("application_id", "start_date")
    ):
        starts[application_id] = start  # the latest accepted offer wins
    today = local_date(now, cal)
    rows = [
        CheckIn(application_id=pk, horizon=horizon, start_date=start, due_on=due)
        for pk in ids
        for start in [starts.get(pk, today)]
        for horizon, due in due_dates(start)
    ]
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def checkin_record(*, checkin: CheckIn, fields: dict[str, Any], actor: User) -> CheckIn:
    """The hiring manager's answer. Performance and "would hire again" are asked while the
    person is in the role; once they have left, why, and their remaining check-ins close.
    A check-in already done can be corrected; one closed (they had left) cannot be filled."""
    still = fields.get("still_in_role")
    performance = fields.get("performance")
    again = fields.get("would_hire_again")
    reason = fields.get("left_reason") or ""
    problems: dict[str, list[str]] = {}
    if still is None:
        problems["still_in_role"] = ["Say whether they are still in the role."]
    if still and performance not in PERFORMANCE:
        problems["performance"] = ["Choose one of the four levels."]
    if still and again is None:
        problems["would_hire_again"] = ["Say whether you would hire them again."]
    if still is False and reason not in LEFT_REASONS:
        problems["left_reason"] = ["Say why they left."]
    if problems:
        raise DomainError("The check-in was not saved: some answers are missing.", fields=problems)
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if locked.status == CheckInStatus.CLOSED:
            raise DomainError(
                "This check-in is closed: the person had left the role before it was due.",
                status=CONFLICT,
            )
        before = _answers(locked)
        locked.status = CheckInStatus.DONE
        locked.still_in_role = still
        locked.performance = performance if performance in PERFORMANCE else None
        locked.would_hire_again = again
        locked.left_reason = "" if still else reason
        locked.comment = (fields.get("comment") or "").strip()
        locked.filled_by = actor
        locked.filled_at = timezone.now()
        locked.save()
        closed = 0
        if still is False:
            closed = CheckIn.objects.filter(
                application_id=locked.application_id,
                due_on__gt=locked.due_on,
                status=CheckInStatus.DUE,
            ).update(status=CheckInStatus.CLOSED)
        audit_record(
            actor=actor,
            action="checkin.record",
            target=locked,
            before=before,
            after={**_answers(locked), "closed_later": closed},
        )
    return locked


def _answers(checkin: CheckIn) -> dict[str, Any]:
    return {
        "status": checkin.status,
        "performance": checkin.performance,
        "would_hire_again": checkin.would_hire_again,
        "still_in_role": checkin.still_in_role,
        "left_reason": checkin.left_reason,
    }
