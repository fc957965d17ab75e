"""The privacy rules that need no database: what an erased candidate is called, and when
the retention period of an ended application is over."""

from __future__ import annotations

import calendar
import datetime as dt

from hiring.statuses import Status


class ErasureReason(Status):
    REQUEST = "request", "Erasure request"
    RETENTION = "retention", "Retention period ended"


def erased_name(candidate_id: int) -> str:
    return f"Erased candidate #{candidate_id}"


def erased_email(candidate_id: int) -> str:
    """An address that cannot reach anyone (.invalid is reserved, RFC 2606) yet passes the
    e-mail check of the candidate form, so the record can still be saved."""
    return f"erased-{candidate_id}@erased.invalid"


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same time `months` calendar months earlier; a day the month lacks becomes its
    last day (31 March minus one month: 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
