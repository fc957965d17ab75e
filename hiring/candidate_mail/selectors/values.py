"""What a candidate e-mail's placeholders stand for, for one application (and interview).

Every value is something the candidate may see: no stage, no scorecard, no note, no
interviewer. Times are shown in the candidate's time zone (Candidate.time_zone; empty
means the company's).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from hiring.careers.links import status_link as careers_status_link

if TYPE_CHECKING:
    from assessments.models import Interview
    from hiring.pipeline.models import Application, Candidate

log = logging.getLogger(__name__)


def company_name() -> str:
    """COMPANY_NAME: the employer's name as candidates read it."""
    return str(settings.COMPANY_NAME)


def candidate_zone(candidate: Candidate) -> ZoneInfo:
    """The candidate's time zone; the company's when they gave none (or an unknown one)."""
    try:
        return ZoneInfo(candidate.time_zone or settings.COMPANY_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.COMPANY_TIME_ZONE)


def local_time_label(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "Tuesday 3 March 2026, 14:00 CET": the wall-clock time and the zone's abbreviation."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def status_link(application: Application) -> str:
    """The candidate's status page (the careers domain signs the link)."""
    return careers_status_link(application)


def video_link(location: str) -> str:
    return location if location.startswith(("https://", "http://")) else ""


def application_values(application: Application) -> dict[str, str]:
    candidate = application.candidate
    recruiter = application.requisition.recruiter
    return {
        "candidate_first_name": (candidate.name.split() or [""])[0],
        "candidate_name": candidate.name,
        "role": application.requisition.title,
        "company": company_name(),
        "recruiter_name": recruiter.get_full_name() or recruiter.get_username(),
        "status_link": status_link(application),
    }


def interview_values(interview: Interview) -> dict[str, str]:
    application = interview.application
    zone = candidate_zone(application.candidate)
    return {
        **application_values(application),
        "interview_name": interview.round_name,
        "interview_time": local_time_label(interview.starts_at, zone),
        "interview_duration": f"{interview.duration_minutes} minutes",
        "video_link": video_link(interview.location),
        "interview_location": interview.location or "to be confirmed",
    }
