"""Busy times: entered by hand, imported from an .ics file or from the calendar's address.

An import replaces what the previous import of the same kind brought (a file replaces the
last file's times, the address the last fetch's), so importing again never doubles a
meeting. Only future times, and at most a year ahead, are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import company_calendar
from hiring.errors import DomainError
from hiring.scheduling.fetch import calendar_fetch
from hiring.scheduling.ics import CalendarFileError, busy_from_ics
from hiring.scheduling.models import BusySource, BusyTime, InterviewerCalendar

if TYPE_CHECKING:
    from django.contrib.auth.models import User

HORIZON = dt.timedelta(days=366)
LONGEST = dt.timedelta(days=31)


def _calendar(user: User) -> InterviewerCalendar:
    calendar, _created = InterviewerCalendar.objects.get_or_create(user=user)
    return calendar


@transaction.atomic
def busy_time_add(*, actor: User, starts_at: dt.datetime, ends_at: dt.datetime) -> BusyTime:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        errors["starts_at"] = ["Give a time with its time zone."]
    elif ends_at <= starts_at:
        errors["ends_at"] = ["The end comes before the start."]
    elif ends_at - starts_at > LONGEST:
        errors["ends_at"] = ["At most 31 days at once."]
    elif ends_at <= now:
        errors["ends_at"] = ["That time is over already."]
    elif starts_at > now + HORIZON:
        errors["starts_at"] = ["Pick a time within the next year."]
    if errors:
        raise DomainError(f"Not saved: {next(iter(errors.values()))[0]}", fields=errors)
    busy = BusyTime.objects.create(
        user=actor, starts_at=starts_at, ends_at=ends_at, source=BusySource.MANUAL
    )
    audit_record(actor=actor, action="busy_time.add", target=busy)
    return busy


@transaction.atomic
def busy_time_delete(*, actor: User, busy_id: int) -> None:
    deleted, _rows = BusyTime.objects.filter(pk=busy_id, user=actor).delete()
    if not deleted:
        raise DomainError("That busy time is not there (any more).", status=404)


def _replace(*, actor: User, data: bytes, source: str) -> int:
    now = timezone.now()
    try:
        found = busy_from_ics(data, tz=company_calendar().tz, horizon=(now, now + HORIZON))
    except CalendarFileError as error:
        raise DomainError(str(error), fields={"file": [str(error)]}) from None
    BusyTime.objects.filter(user=actor, source=source).delete()
    BusyTime.objects.bulk_create(
        BusyTime(user=actor, starts_at=item.start, ends_at=item.end, source=source)
        for item in found
    )
    return len(found)


@transaction.atomic
def busy_import_file(*, actor: User, data: bytes) -> int:
    """Import the busy times of an .ics file; returns how many were kept."""
    count = _replace(actor=actor, data=data, source=BusySource.FILE)
    audit_record(
        actor=actor, action="busy_time.import_file", target=_calendar(actor), after={"count": count}
    )
    return count


def busy_import_url(*, actor: User, url: str) -> int:
    """Remember the calendar's address and import it now (fetched outside the transaction:
    a slow calendar server holds no lock). A failure is kept on the calendar and raised."""
    url = url.strip()
    if len(url) > 500:
        raise DomainError(
            "At most 500 characters.", fields={"ics_url": ["At most 500 characters."]}
        )
    try:
        data = calendar_fetch(url)
    except CalendarFileError as error:
        raise DomainError(str(error), fields={"ics_url": [str(error)]}) from None
    with transaction.atomic():
        try:
            count = _replace(actor=actor, data=data, source=BusySource.URL)
        except DomainError as error:
            raise DomainError(error.message, fields={"ics_url": [error.message]}) from None
        calendar = InterviewerCalendar.objects.select_for_update().get(pk=_calendar(actor).pk)
        calendar.ics_url, calendar.imported_at, calendar.import_error = url, timezone.now(), ""
        calendar.save()
        audit_record(
            actor=actor, action="busy_time.import_url", target=calendar, after={"count": count}
        )
    return count
