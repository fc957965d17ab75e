"""The check-ins a user may fill: their own requisitions' hires (hiring managers), every
hire (admins)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from hiring.checkins.models import CheckIn
from hiring.checkins.rules import CheckInStatus
from hiring.permissions import ANY, reach_of


def checkins_reached(user: User) -> QuerySet[CheckIn]:
    rows = CheckIn.objects.select_related(
        "application__candidate", "application__requisition", "filled_by"
    )
    reach = reach_of(user, "checkins.fill")
    if ANY in reach:
        return rows
    if reach:
        return rows.filter(application__requisition__hiring_manager=user)
    return rows.none()


def checkins_due(user: User, today: dt.date) -> QuerySet[CheckIn]:
    """Due now or overdue, oldest first (the list and the home page)."""
    return checkins_reached(user).filter(status=CheckInStatus.DUE, due_on__lte=today)


def checkins_recent(user: User, limit: int = 20) -> list[CheckIn]:
    return list(
        checkins_reached(user).filter(status=CheckInStatus.DONE).order_by("-filled_at")[:limit]
    )


def checkin_of(user: User, pk: int) -> CheckIn:
    found = checkins_reached(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such check-in")
    return found
