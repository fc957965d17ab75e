"""What each role's home page shows: the next thing to do, from every domain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from assessments.selectors.interviews import debriefs_ready, home_interviews
from hiring.business_time import company_calendar, local_date
from hiring.checkins.selectors import checkins_due
from hiring.home.todo import recruiter_todo
from hiring.offers.selectors.approvals import home_approvals
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, roles_of
from hiring.pipeline.selectors import open_requisitions_with_stage_counts, requisitions_visible_to

HOME_CHECKINS = 5  # the oldest ones due; the check-ins page lists all


def home_page(user: User) -> dict[str, Any]:
    roles = roles_of(user)
    context: dict[str, Any] = {
        "is_recruiter": RECRUITER in roles,
        "is_interviewer": INTERVIEWER in roles,
        "is_hiring_manager": HIRING_MANAGER in roles,
        "is_admin": ADMIN in roles,
    }
    if RECRUITER in roles:
        context["todo"] = recruiter_todo(user)
    if roles & {RECRUITER, HIRING_MANAGER}:
        # Recruiters see every open requisition; a hiring manager, the ones they manage.
        requisitions = requisitions_visible_to(user, "pipeline.view")
        context["pipeline"] = open_requisitions_with_stage_counts(requisitions)
    if INTERVIEWER in roles:
        context["my_interviews"] = home_interviews(user)
    if HIRING_MANAGER in roles:
        context["debriefs"] = debriefs_ready(user)
        today = local_date(timezone.now(), company_calendar())
        context["checkins"] = list(checkins_due(user, today)[:HOME_CHECKINS])
    if roles & {HIRING_MANAGER, ADMIN}:
        context["approvals"] = home_approvals(user)
    return context
