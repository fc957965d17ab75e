"""Scorecard reminders: to each interviewer without a submitted scorecard, 1 hour after
the interview ended, then each business morning, at most 10 in all (business time).

Registered with the notifications sweep by AssessmentsConfig.ready(), with
the backstop that keeps offer clocks in line with debrief decisions recorded elsewhere than
`decision_record` (Django admin, data from before the clock started with the decision).
Overdue interviews are found by the (status, ends_at) index.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from assessments.models import Interview, Scorecard
from assessments.rules import InterviewStatus, ScorecardStatus
from hiring.business_time import company_calendar, date_key, local_date
from hiring.notifications.models import Notification
from hiring.notifications.registry import NotificationKind
from hiring.notifications.services import notification_row, notifications_claim
from hiring.permissions import INTERVIEWER

SCORECARD_REMINDER = "scorecard_reminder"
SCORECARD_DELAY = dt.timedelta(hours=1)
SCORECARD_MAX_REMINDERS = 10
# Ten reminders, one per business morning, end within this many calendar days even with a
# run of holidays: the bound keeps the interview query on a short index range.
SCORECARD_WINDOW = dt.timedelta(days=31)


KIND = NotificationKind(
    SCORECARD_REMINDER,
    "Scorecard reminder",
    "Interviewers without a submitted scorecard",
    lambda: "1 hour after the interview ended, then each business morning, at most 10",
    frozenset({INTERVIEWER}),
)


def claim_scorecard_reminders(now: dt.datetime) -> int:
    cal = company_calendar()
    Link = Interview.interviewers.through
    pairs = list(
        Link.objects.filter(
            interview__status=InterviewStatus.SCHEDULED,
            interview__ends_at__lte=now - SCORECARD_DELAY,
            interview__ends_at__gte=now - SCORECARD_WINDOW,
        ).values(
            "interview_id",
            "user_id",
            "interview__round_name",
            "interview__application__candidate__name",
        )
    )
    if not pairs:
        return 0
    interview_ids = {p["interview_id"] for p in pairs}
    submitted = set(
        Scorecard.objects.filter(
            interview_id__in=interview_ids, status=ScorecardStatus.SUBMITTED
        ).values_list("interview_id", "interviewer_id")
    )
    sent: dict[tuple[int, int], list[tuple[int, dt.datetime]]] = defaultdict(list)
    for subject_id, recipient_id, sequence, created_at in Notification.objects.filter(
        subject_type="interview", subject_id__in=interview_ids, kind=SCORECARD_REMINDER
    ).values_list("subject_id", "recipient_id", "sequence", "created_at"):
        sent[(subject_id, recipient_id)].append((sequence, created_at))
    today, today_date = date_key(now, cal), local_date(now, cal)
    rows = []
    for pair in pairs:
        key = (pair["interview_id"], pair["user_id"])
        if key in submitted:
            continue
        earlier = sent.get(key, [])
        if len(earlier) >= SCORECARD_MAX_REMINDERS:
            continue
        if not earlier:
            sequence = 0
        else:
            first_day = min(local_date(created, cal) for _, created in earlier)
            if today_date <= first_day or any(seq == today for seq, _ in earlier):
                continue  # one a day, from the morning after the first reminder
            sequence = today
        candidate = pair["interview__application__candidate__name"]
        rows.append(
            notification_row(
                recipient_id=pair["user_id"],
                kind=SCORECARD_REMINDER,
                subject_type="interview",
                subject_id=pair["interview_id"],
                sequence=sequence,
                title=f"Submit your scorecard for {candidate}",
                body=(
                    f"Your scorecard for {candidate} ({pair['interview__round_name']}) is not "
                    "submitted yet. The debrief waits for it; write it while the interview is "
                    "fresh."
                ),
                url=_scorecard_url(pair["interview_id"]),
                now=now,
            )
        )
    return notifications_claim(rows)


def _scorecard_url(interview_id: int) -> str:
    return reverse("interviews:scorecard", args=[interview_id])
