"""Check-in reminders: to the requisition's hiring manager, on the first business morning on
or after the check-in's due date, then every five business days until it is done, at most
three (claimed exactly once each, like every reminder: hiring.notifications.services).

A claim step: the sweep runs it only in business hours. It reads only the check-ins whose
`next_reminder_on` has come (the partial index on it): their due date at first, then five
business days after each reminder, cleared after the last; one reminded this morning is
not read again at every sweep of the day. Only check-ins due within the last `WINDOW` are
reminded, so hires loaded with their history (check-ins long past) are not chased for
years-old horizons. The reminders already sent (their notifications) stay what decides:
the date only says when to look.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from hiring.business_time import (
    BusinessCalendar,
    company_calendar,
    date_key,
    is_business_day,
    local_date,
)
from hiring.checkins.models import CheckIn
from hiring.checkins.rules import (
    HORIZON_LABELS,
    MAX_REMINDERS,
    REMINDER_EVERY_BUSINESS_DAYS,
    CheckInStatus,
)
from hiring.notifications.models import Notification
from hiring.notifications.registry import NotificationKind
from hiring.notifications.services import notification_row, notifications_claim
from hiring.permissions import HIRING_MANAGER
from hiring.pipeline.rules import ApplicationStatus

CHECKIN_REMINDER = "checkin_reminder"
SUBJECT = "checkin"
WINDOW = dt.timedelta(days=45)
BATCH = 5_000  # check-ins per UPDATE of their next reminder date

KIND = NotificationKind(
    CHECKIN_REMINDER,
    "Check-in on a hire",
    "The hiring manager of the hire's requisition",
    lambda: (
        "at 90 days, 6, 12 and 18 months after the start date; then every 5 business "
        "days until done, at most 3"
    ),
    frozenset({HIRING_MANAGER}),
)


def claim_checkin_reminders(now: dt.datetime) -> int:
    cal = company_calendar()
    today = local_date(now, cal)
    due = list(
        CheckIn.objects.filter(
            status=CheckInStatus.DUE,
            # Never before its due date, so within the window too: the range stays short.
            next_reminder_on__lte=today,
            next_reminder_on__gte=today - WINDOW,
            due_on__gte=today - WINDOW,
            application__status=ApplicationStatus.HIRED,
        ).values(
            "pk",
            "horizon",
            "application__candidate__name",
            "application__requisition__title",
            "application__requisition__hiring_manager_id",
            "application__requisition__recruiter_id",
        )
    )
    if not due:
        return 0
    sent: dict[int, list[dt.date]] = defaultdict(list)
    for subject_id, created_at in Notification.objects.filter(
        kind=CHECKIN_REMINDER, subject_type=SUBJECT, subject_id__in=[c["pk"] for c in due]
    ).values_list("subject_id", "created_at"):
        sent[subject_id].append(local_date(created_at, cal))
    rows = []
    after_today = _reminder_after(today, cal)
    fill_url = reverse("checkins:fill", args=[0])  # once: a cold sweep builds thousands
    # When each one is looked at next (None: never, its last reminder went out).
    next_on: dict[dt.date | None, list[int]] = defaultdict(list)
    for checkin in due:
        earlier = sent.get(checkin["pk"], [])
        if len(earlier) >= MAX_REMINDERS:
            next_on[None].append(checkin["pk"])
            continue
        if earlier and _business_days(max(earlier), today, cal) < REMINDER_EVERY_BUSINESS_DAYS:
            next_on[_reminder_after(max(earlier), cal)].append(checkin["pk"])
            continue
        recipient = (
            checkin["application__requisition__hiring_manager_id"]
            or checkin["application__requisition__recruiter_id"]
        )
        if recipient is None:  # nobody to remind yet: ask again tomorrow
            next_on[today + dt.timedelta(days=1)].append(checkin["pk"])
            continue
        last = len(earlier) + 1 == MAX_REMINDERS
        next_on[None if last else after_today].append(checkin["pk"])
        name = checkin["application__candidate__name"]
        horizon = HORIZON_LABELS[checkin["horizon"]]
        rows.append(
            notification_row(
                recipient_id=recipient,
                kind=CHECKIN_REMINDER,
                subject_type=SUBJECT,
                subject_id=checkin["pk"],
                sequence=date_key(now, cal) if earlier else 0,
                title=f"{horizon} check-in: {name}",
                body=(
                    f"{name} ({checkin['application__requisition__title']}) has been with you "
                    f"{horizon}. Four questions, two minutes: how they are doing against the "
                    "role's expectations. It is how the team learns whether its interviews "
                    "pick the right people."
                ),
                url=fill_url.replace("/0/", f"/{checkin['pk']}/"),
                now=now,
            )
        )
    claimed = notifications_claim(rows)
    for day, ids in next_on.items():  # a handful of dates: an UPDATE or so each
        for start in range(0, len(ids), BATCH):
            CheckIn.objects.filter(pk__in=ids[start : start + BATCH]).update(next_reminder_on=day)
    return claimed


def _reminder_after(day: dt.date, cal: BusinessCalendar) -> dt.date:
    """The day the next reminder is due after one on `day`: five business days later."""
    later, days = day, 0
    while days < REMINDER_EVERY_BUSINESS_DAYS:
        later += dt.timedelta(days=1)
        days += is_business_day(later, cal)
    return later


def _business_days(since: dt.date, until: dt.date, cal: BusinessCalendar) -> int:
    """Business days after `since`, up to and including `until`."""
    days, day = 0, since
    while day < until:
        day += dt.timedelta(days=1)
        days += is_business_day(day, cal)
    return days
