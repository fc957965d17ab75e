"""Rejecting with an e-mail to the candidate: the recruiter picks a template (or none),
may edit its text, and it goes out at the next business morning unless they send it now.

One transaction: the rejection and the e-mail's claim commit together, or neither does. A
bulk rejection sends one e-mail per candidate (a candidate ticked in two requisitions gets
one, about the first), each once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hiring.business_time import (
    business_window,
    company_calendar,
    is_business_day,
    local_date,
    next_business_morning,
)
from hiring.candidate_mail.rules import MailKind
from hiring.candidate_mail.selectors.values import application_values
from hiring.candidate_mail.services.sending import candidate_email_claim
from hiring.candidate_mail.services.templates import text_problems
from hiring.errors import DomainError
from hiring.pipeline.models import Application, StageChange
from hiring.pipeline.rules import ApplicationStatus
from hiring.pipeline.services.applications import application_end, applications_bulk_reject
from hiring.templating import fill

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class RejectionEmail:
    """What the recruiter chose: the text (with placeholders) and when it goes."""

    subject: str
    body: str
    send_now: bool = False


def rejection_send_time(now: dt.datetime) -> dt.datetime:
    """The next business morning: today's opening when it is still ahead (a rejection at
    2 a.m. on a Tuesday goes at 09:00 that Tuesday), else the next business day's."""
    cal = company_calendar()
    today = local_date(now, cal)
    if is_business_day(today, cal):
        opens = business_window(today, cal)[0]
        if now < opens:
            return opens
    return next_business_morning(now, cal)


def _checked(email: RejectionEmail) -> None:
    errors = text_problems(kind=MailKind.NOT_MOVING_FORWARD, subject=email.subject, body=email.body)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(f"Nothing was rejected: the e-mail {first[0].lower()}{first[1:]}",
                          fields=errors)  # fmt: skip


def _claim(application: Application, change_id: int, email: RejectionEmail) -> None:
    values = application_values(application)
    candidate_email_claim(
        key=f"rejection:{change_id}",
        application=application,
        subject=fill(email.subject, values),
        body=fill(email.body, values),
        send_after=None if email.send_now else rejection_send_time(timezone.now()),
    )


def _rejection_changes(ids: Iterable[int]) -> dict[int, int]:
    """application id -> the id of its latest rejection row (the e-mail's claim)."""
    rows = (
        StageChange.objects.filter(
            application_id__in=list(ids), to_status=ApplicationStatus.REJECTED
        )
        .values("application_id")
        .annotate(last=Max("id"))
    )
    return {row["application_id"]: row["last"] for row in rows}


def _with_people(ids: Iterable[int]) -> list[Application]:
    return list(
        Application.objects.filter(pk__in=list(ids))
        .select_related("candidate", "requisition__recruiter")
        .order_by("id")
    )


@transaction.atomic
def application_reject_with_email(
    *, application: Application, reason: str, email: RejectionEmail | None, actor: User
) -> Application:
    """Reject (pipeline.application_end) and, unless `email` is None, claim the e-mail."""
    if email is not None:
        _checked(email)
    rejected = application_end(
        application=application, status=ApplicationStatus.REJECTED, reason=reason, actor=actor
    )
    if email is not None:
        fresh = _with_people([rejected.pk])[0]
        _claim(fresh, _rejection_changes([fresh.pk])[fresh.pk], email)
    return rejected


@transaction.atomic
def applications_bulk_reject_with_email(
    *, ids: Iterable[int], reason: str, email: RejectionEmail | None, actor: User
) -> int:
    """The bulk rejection, all or nothing, and one e-mail per candidate."""
    ids = sorted(set(ids))
    if email is not None:
        _checked(email)
    count = applications_bulk_reject(ids=ids, reason=reason, actor=actor)
    if email is None:
        return count
    changes = _rejection_changes(ids)
    told: set[int] = set()
    for application in _with_people(ids):
        if application.candidate_id in told:
            continue
        told.add(application.candidate_id)
        _claim(application, changes[application.pk], email)
    return count
