"""Page context of the pick-link pages: the candidate's slot picker, the recruiter's links,
an interviewer's busy times."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.utils import timezone

from hiring.pipeline.models import Application
from hiring.scheduling.links import slot_path
from hiring.scheduling.models import BusyTime, InterviewerCalendar, SlotLink
from hiring.scheduling.selectors.slots import link_free_slots

REGIONS = {
    "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific",
}  # fmt: skip
BUSY_PAGE = 50


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """The IANA zones a candidate can choose: the regional ones, and UTC."""
    return frozenset(
        {z for z in available_timezones() if z.split("/", 1)[0] in REGIONS and "/" in z} | {"UTC"}
    )


@lru_cache(maxsize=1)
def zone_options() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(zone_names())]


def zone_or_company(name: str | None) -> ZoneInfo:
    return ZoneInfo(name if name in zone_names() else settings.COMPANY_TIME_ZONE)


def when(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "Tuesday 8 December 2026, 10:00" in `zone`."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def contact(link: SlotLink) -> dict[str, str]:
    person = link.created_by
    return {"name": person.get_full_name() or person.get_username(), "email": person.email}


def pick_page(
    link: SlotLink, *, zone: ZoneInfo, now: dt.datetime, slots: list[dt.datetime] | None = None
) -> dict[str, Any]:
    """What the candidate's page shows: the interview, and the free slots grouped by day in
    the candidate's zone (or the booked time, when it is booked)."""
    if slots is None:
        slots = link_free_slots(link, now=now)
    local = [(s, s.astimezone(zone)) for s in slots]
    days = [
        {
            "label": f"{day:%A} {day.day} {day:%B}",
            "slots": [
                {"value": f"{s:%Y-%m-%dT%H:%M:%SZ}", "label": f"{t:%H:%M}"} for s, t in items
            ],
        }
        for day, group in groupby(local, key=lambda pair: pair[1].date())
        for items in [list(group)]
    ]
    interview = link.interview
    booked = None
    if interview is not None:
        ends = interview.starts_at + dt.timedelta(minutes=interview.duration_minutes)
        booked = {
            "when": when(interview.starts_at, zone),
            "until": f"{ends.astimezone(zone):%H:%M}",
            "location": interview.location,
        }
    return {
        "link": link,
        "role": link.application.requisition.title,
        "candidate_name": link.application.candidate.name,
        "duration": interview.duration_minutes if interview else link.duration_minutes,
        "round_name": interview.round_name if interview else link.round_name,
        "days": days,
        "zone": zone.key,
        "zones": zone_options(),
        "booked": booked,
        "contact": contact(link),
        "expires": when(link.expires_at, zone),
    }


def application_links_page(application: Application) -> list[dict[str, Any]]:
    """The application's pick links, newest first, each with its address to send."""
    links = SlotLink.objects.filter(application=application).select_related("interview")
    zone = ZoneInfo(settings.COMPANY_TIME_ZONE)
    return [
        {
            "link": link,
            "url": settings.SITE_URL.rstrip("/") + slot_path(link_id=link.pk, nonce=link.nonce),
            "expires": when(link.expires_at, zone),
            "booked": when(link.interview.starts_at, zone) if link.interview else "",
        }
        for link in links.order_by("-created_at", "-id")[:20]
    ]


def busy_page(user: User, *, page: str | None) -> dict[str, Any]:
    """The user's busy times still to come (paginated), and their calendar's address."""
    rows = BusyTime.objects.filter(user=user, ends_at__gt=timezone.now()).order_by(
        "starts_at", "id"
    )
    paginator = Paginator(rows, BUSY_PAGE)
    return {
        "busy": paginator.get_page(page),
        "calendar": InterviewerCalendar.objects.filter(user=user).first(),
        "zone": settings.COMPANY_TIME_ZONE,
    }
