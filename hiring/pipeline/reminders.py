"""The stalled-applications digest: to each recruiter with applications in one stage for
more than STALLED_DAYS days, once each business day, at the first sweep of the day.

Registered with the notifications sweep by PipelineConfig.ready(); the
(status, entered_stage_at) index finds the stalled applications.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse

from hiring.business_time import company_calendar, date_key, local_date
from hiring.notifications.models import Notification
from hiring.notifications.registry import NotificationKind
from hiring.notifications.services import notification_row, notifications_claim
from hiring.permissions import RECRUITER
from hiring.pipeline.models import Application, StageKind
from hiring.pipeline.rules import ApplicationStatus

STALLED_DIGEST = "stalled_digest"


KIND = NotificationKind(
    STALLED_DIGEST,
    "Stalled applications digest",
    "Recruiters",
    lambda: (
        "Each business morning, when applications sit in one stage more than "
        f"{settings.STALLED_DAYS} days"
    ),
    frozenset({RECRUITER}),
)


def claim_stalled_digest(now: dt.datetime) -> int:
    cal = company_calendar()
    today = date_key(now, cal)
    already = Notification.objects.filter(
        subject_type="digest", subject_id=0, kind=STALLED_DIGEST, sequence=today
    )
    if already.exists():
        return 0
    days = settings.STALLED_DAYS
    stalled = (
        _active_not_hired()
        .filter(entered_stage_at__lte=now - dt.timedelta(days=days))
        .values("requisition__recruiter_id")
        .annotate(n=Count("pk"), since=Min("entered_stage_at"))
        .order_by()
    )
    link = f"{reverse('candidates:list')}?status=active&stale_days={days}"
    rows = [
        notification_row(
            recipient_id=row["requisition__recruiter_id"],
            kind=STALLED_DIGEST,
            subject_type="digest",
            subject_id=0,
            sequence=today,
            title=f"{row['n']} stalled application{'s' if row['n'] != 1 else ''} in your pipeline",
            body=(
                f"{row['n']} of your applications have been in one stage for more than {days} "
                f"days; the longest since {local_date(row['since'], cal):%d %b %Y}. Move them "
                "on or close them."
            ),
            url=link,
            now=now,
        )
        for row in stalled
    ]
    return notifications_claim(rows)


def _active_not_hired() -> Any:

    return Application.objects.filter(status=ApplicationStatus.ACTIVE).exclude(
        stage__kind=StageKind.HIRED
    )
