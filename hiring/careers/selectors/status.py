"""The candidate's status page: where they stand, in plain words, and their upcoming
interviews. Nothing internal: no stage names (a requisition's own), no people, no notes,
no scores; an interview shows its time, its length and where it happens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from assessments.models import Interview
from assessments.rules import InterviewStatus
from hiring.careers.rules import STANDING_TEXT, Facts, Standing, standing
from hiring.offers.models import Offer
from hiring.offers.rules import OfferStatus
from hiring.pipeline.models import Application

OFFERED = (OfferStatus.SENT, OfferStatus.ACCEPTED)


@dataclass(frozen=True)
class Upcoming:
    starts_at: Any
    duration_minutes: int
    where: str


def status_page(application_id: int) -> dict[str, Any] | None:
    """The page's context, or None when there is no such application (or its candidate was
    erased: the link then shows nothing of them)."""
    application = (
        Application.objects.select_related("candidate", "requisition", "stage")
        .filter(pk=application_id, candidate__erasure__isnull=True)  # privacy's Erasure row
        .first()
    )
    if application is None:
        return None
    interviews = list(
        Interview.objects.filter(application=application)
        .exclude(status=InterviewStatus.CANCELLED)
        .values("starts_at", "duration_minutes", "location", "status")
    )
    now = timezone.now()
    facts = Facts(
        status=application.status,
        stage_kind=application.stage.kind,
        offer_sent=Offer.objects.filter(application=application, status__in=OFFERED).exists(),
        interviewed=bool(interviews),
    )
    where_now = standing(facts)
    ahead = [
        Upcoming(i["starts_at"], i["duration_minutes"], _where(i["location"]))
        for i in sorted(interviews, key=lambda i: i["starts_at"])
        if i["starts_at"] > now and where_now != Standing.CLOSED
    ]
    return {
        "first_name": application.candidate.name.split()[0] if application.candidate.name else "",
        "job": application.requisition.title,
        "applied_on": application.created_at,
        "standing": where_now,
        "standing_text": STANDING_TEXT[where_now],
        "steps": [s for s in Standing if s != Standing.CLOSED],
        "upcoming": ahead,
        "company": settings.COMPANY_NAME,
        "time_zone": settings.COMPANY_TIME_ZONE,
    }


def _where(location: str) -> str:
    """A video link or a room, as the interview has it; nothing else of the interview."""
    return location.strip()[:300]
