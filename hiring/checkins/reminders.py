"""Check-in reminders: to the requisition's hiring manager, on the first business morning on
or after the check-in's due date, then every five business days until it is done, at most
three (claimed exactly once each, like every reminder: hiring.notifications.services).

A claim step: the sweep runs it only in business hours. Only check-ins due within the last
`WINDOW` are looked at (the (status, due_on) index), so hires loaded with their history
(check-ins long past) are not chased for years-old horizons.
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
            due_on__lte=today,
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
    for checkin in due:
        earlier = sent.get(checkin["pk"], [])
        if len(earlier) >= MAX_REMINDERS:
            continue
        if earlier and _business_days(max(earlier), today, cal) < REMINDER_EVERY_BUSINESS_DAYS:
            continue
        recipient = (
            checkin["application__requisition__hiring_manager_id"]
            or checkin["application__requisition__recruiter_id"]
        )
        if recipient is None:
            continue
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
                url=reverse("checkins:fill", args=[checkin["pk"]]),
                now=now,
            )
        )
    return notifications_claim(rows)


def _business_days(since: dt.date, until: dt.date, cal: BusinessCalendar) -> int:
    """Business days after `since`, up to and including `until`."""
    days, day = 0, since
    while day < until:
        day += dt.timedelta(days=1)
        days += is_business_day(day, cal)
    return days
