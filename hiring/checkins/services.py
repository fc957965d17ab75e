"""Scheduling a hire's check-ins and recording one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
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
BATCH = 20_000  # check-ins per INSERT


def checkins_schedule(now: dt.datetime) -> int:
    """Every hire without check-ins gets its four, counted from the start date: the accepted
    offer's, else the day they were moved to Hired. A sweep step (every sweep), so a hire
    made by an accepted offer, a board move or Django admin is covered alike; the unique
    (application, horizon) makes a second sweep add nothing. All of them in one run (a sweep
    that left some for the next would claim their reminders then): three queries whatever
    their number, the rows written in batches. Returns how many it added."""
    hires = Application.objects.filter(status=ApplicationStatus.HIRED).exclude(
        Exists(CheckIn.objects.filter(application_id=OuterRef("pk")))
    )
    ids = sorted(hires.order_by().values_list("pk", flat=True))
    if not ids:
        return 0
    # The hires as a subquery, not a list of ids: Django spent 0.4 s a query on the list
    # of 44,000 (bench/sweep.py at 1,000,000 applications).
    starts = _start_dates(hires.values("pk"))
    today = local_date(now, company_calendar())
    rows = [
        (pk, horizon, start, due)
        for pk in ids
        for start in [starts.get(pk, today)]
        for horizon, due in _due_dates(start)
    ]
    for start in range(0, len(rows), BATCH):  # by application: the indexes fill in order
        _insert(rows[start : start + BATCH])
    return len(rows)


def _start_dates(hires: QuerySet[Application, Any]) -> dict[int, dt.date]:
    """The hires' start dates, by application id: the latest accepted offer's, else the
    day they were moved to Hired (none for a hire with neither)."""
    cal = company_calendar()
    starts: dict[int, dt.date] = {
        row["application_id"]: local_date(row["at"], cal)
        for row in StageChange.objects.filter(application_id__in=hires, to_status="hired")
        .values("application_id")
        .annotate(at=Max("at"))
        .order_by()
    }
    for application_id, start in (
        Offer.objects.filter(application_id__in=hires, status=OfferStatus.ACCEPTED)
        .order_by("application_id", "id")
        .values_list("application_id", "start_date")
    ):
        starts[application_id] = start  # the latest accepted offer wins
    return starts


_due_dates = lru_cache(maxsize=4096)(due_dates)  # hires share start dates


def _insert(rows: list[tuple[int, str, dt.date, dt.date]]) -> None:
    """New check-ins, each looked at for its first reminder on its due date; ones already
    there (a second sweep at the same time) are skipped. On PostgreSQL one INSERT from
    arrays: building a model instance per row took 7 of the 10 s a cold sweep spent
    scheduling 177,000 check-ins (bench/sweep.py at 1,000,000 applications)."""
    if connection.vendor != "postgresql":
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    application_id=pk,
                    horizon=horizon,
                    start_date=start,
                    due_on=due,
                    next_reminder_on=due,
                )
                for pk, horizon, start, due in rows
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CheckIn._meta.db_table} (application_id, horizon, start_date, "  # noqa: S608
            "due_on, next_reminder_on, status, left_reason, comment) "
            "SELECT pk, horizon, start_date, due_on, due_on, %s, '', '' "
            "FROM unnest(%s::bigint[], %s::text[], %s::date[], %s::date[]) "
            "AS row (pk, horizon, start_date, due_on) ON CONFLICT DO NOTHING",
            [CheckInStatus.DUE, *(_array(column) for column in zip(*rows, strict=True))],
        )


def _array(values: Iterable[object]) -> str:
    """A PostgreSQL array literal, '{1,2,3}', of values that need no quoting (ids, dates,
    horizon keys). Parsed in one go: a Python list becomes an expression per element, ten
    times slower to read (0.13 against 0.014 s for 20,000 rows)."""
    return "{" + ",".join(map(str, values)) + "}"


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
