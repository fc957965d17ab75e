"""Reads of notifications that more than one caller needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from hiring.business_time import company_calendar
from hiring.notifications.models import Notification
from hiring.notifications.preferences import (
    kinds_for,
    preferences_of,
    snoozed_until,
    waiting_kinds_for,
)
from hiring.notifications.rules import snooze_limit


def inbox_of(user: User, *, now: dt.datetime | None = None) -> QuerySet[Notification]:
    """What the user's inbox shows (the page, the unread count, the API): not the e-mail-only
    or muted ones, nor those held by a snooze until it ends. The inbox index (recipient,
    -created_at) serves it."""
    return Notification.objects.filter(
        recipient=user, in_inbox=True, created_at__lte=now or timezone.now()
    )


def preference_rows(user: User) -> list[dict[str, Any]]:
    """Every kind the user receives with their choice (the API's list)."""
    current = preferences_of(user)
    return [
        {
            "kind": kind.key,
            "name": kind.name,
            "muted": current[kind.key].muted,
            "channel": current[kind.key].channel,
            "can_mute": not kind.waits_on_recipient,
        }
        for kind in kinds_for(user)
    ]


def preferences_state(user: User, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The user's choices, their snooze's end and the latest a snooze may end now (None when
    no reminder waits on them)."""
    now = now or timezone.now()
    waiting = bool(waiting_kinds_for(user))
    return {
        "preferences": preference_rows(user),
        "snoozed_until": snoozed_until(user, now=now),
        "snooze_latest": snooze_limit(now, company_calendar()) if waiting else None,
    }
