"""Reads of notifications that more than one caller needs."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from hiring.notifications.models import Notification


def inbox_of(user: User, *, now: dt.datetime | None = None) -> QuerySet[Notification]:
    """What the user's inbox shows (the page, the unread count, the API): not the e-mail-only
    or muted ones, nor those held by a snooze until it ends. The inbox index (recipient,
    -created_at) serves it."""
    return Notification.objects.filter(
        recipient=user, in_inbox=True, created_at__lte=now or timezone.now()
    )
