"""Bad input on the pick-link pages: the recruiter's link form, the candidate's booking, the
busy-time forms. A clear error, never a 500, nothing written (the machinery is in
tests/bad_input.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Interview, InterviewQuestion
from hiring.models import AuditEntry
from hiring.permissions import HIRING_MANAGER, INTERVIEWER
from hiring.scheduling.links import slot_token
from hiring.scheduling.models import (
    BusySource,
    BusyTime,
    InterviewerCalendar,
    SlotLink,
    SlotLinkChange,
)
from hiring.scheduling.selectors.slots import link_free_slots
from tests import factories
from tests.bad_input import (
    HUGE_ID,
    REMOVE,
    SCRIPT,
    SQL,
    TOO_LONG,
    Bad,
    World,
    accepted,
    module_world,
    refused,
)
from tests.scheduling.support import link_for, loop_of, setup

pytestmark = pytest.mark.django_db

WATCHED = [
    SlotLink, SlotLinkChange, BusyTime, InterviewerCalendar, Interview, InterviewQuestion,
    AuditEntry,
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        yield build_world()


def build_world() -> World:
    """A recruiter's application with a pick link (and an expired one), its panel, a second
    hiring manager's application, an interviewer busy for weeks, and a recruiter."""
    base = setup(interviewers=2)
    panel = base.interviewers
    today = timezone.localdate()
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=20)
    link = link_for(base.application, panel, first_day=first, last_day=last)
    expired = link_for(base.application, panel, first_day=first, last_day=last)
    SlotLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    busy = factories.UserFactory(roles=[INTERVIEWER])
    BusyTime.objects.create(
        user=busy,
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=30),
        source=BusySource.MANUAL,
    )
    theirs = factories.application(requisition_obj=factories.requisition())
    saturday = next(
        first + dt.timedelta(days=n)
        for n in range(7)
        if (first + dt.timedelta(days=n)).weekday() == 5
    )
    slot = link_free_slots(link, now=timezone.now())[0]
    users = {
        "recruiter": base.recruiter,
        "interviewer": panel[0],
        "manager": base.application.requisition.hiring_manager,
        "other_manager": factories.UserFactory(roles=[HIRING_MANAGER]),
    }
    loop = {f"question-{a.question_version.question_id}": "all" for a in loop_of(base.application)}
    ids = {
        "app": base.application.pk,
        "theirs": theirs.pk,
        "token": slot_token(link_id=link.pk, nonce=link.nonce),
        "expired": slot_token(link_id=expired.pk, nonce=expired.nonce),
        "forged": slot_token(link_id=link.pk, nonce="guessed"),
        "slot": f"{slot:%Y-%m-%dT%H:%M:%SZ}",
        "saturday": f"{saturday:%Y-%m-%d}T15:00:00Z",
        "first": first.isoformat(),
        "last": last.isoformat(),
        "busy_from": f"{first.isoformat()}T09:00",
        "busy_to": f"{first.isoformat()}T10:00",
        "busy_early": f"{first.isoformat()}T08:00",
        "busy_far": f"{(first + dt.timedelta(days=40)).isoformat()}T10:00",
        "yesterday": (today - dt.timedelta(days=1)).isoformat(),
        "far": (first + dt.timedelta(days=40)).isoformat(),
        "panel": [p.pk for p in panel],
        "busy": busy.pk,
        "recruiter": base.recruiter.pk,
        "loop": loop,
    }
    return World(users=users, ids=ids)


def _link_base() -> dict[str, Any]:
    return {
        "round_name": "Structured interview", "duration_minutes": "60", "location": "",
        "first_day": "{first}", "last_day": "{last}", "reschedules": "1",
        "interviewers": "{panel}",
    }  # fmt: skip


BASES: dict[str, dict[str, Any]] = {
    "link": _link_base(),
    "pick": {"start": "{slot}", "tz": "Europe/Berlin"},
    "busy": {"starts_at": "{busy_from}", "ends_at": "{busy_to}"},
    "url": {"ics_url": "https://calendar.example.org/me.ics"},
    "none": {},
}


@pytest.fixture(autouse=True)
def _with_loop(world: World) -> None:
    """The link form's questions: the role's loop, asked by everyone."""
    BASES["link"] = {**_link_base(), **world.ids["loop"]}


def calendar_file(data: bytes, name: str = "cal.ics") -> Any:
    return lambda: {"file": SimpleUploadedFile(name, data, content_type="text/calendar")}


NEW = "/applications/{app}/interviews/pick/"
PICK = "/pick/{token}/"
BUSY = "/account/busy-times/"
ROWS = [
    # The recruiter's link form ---------------------------------------------------------------
    Bad("link: round empty", "recruiter", "post", NEW, "link", {"round_name": ""},
        status=400, error="This field is required."),
    Bad("link: round too long", "recruiter", "post", NEW, "link", {"round_name": TOO_LONG},
        status=400, error="at most 120 characters"),
    Bad("link: five minutes", "recruiter", "post", NEW, "link", {"duration_minutes": "5"},
        status=400, error="greater than or equal to 15"),
    Bad("link: length is SQL", "recruiter", "post", NEW, "link", {"duration_minutes": SQL},
        status=400, error="Enter a whole number."),
    Bad("link: length absurd", "recruiter", "post", NEW, "link", {"duration_minutes": HUGE_ID},
        status=400, error="less than or equal to 480"),
    Bad("link: impossible day", "recruiter", "post", NEW, "link", {"first_day": "2026-02-31"},
        status=400, error="Enter a valid date."),
    Bad("link: first day gone", "recruiter", "post", NEW, "link", {"first_day": "{yesterday}"},
        status=400, error="Pick a day from today on."),
    Bad("link: last day before the first", "recruiter", "post", NEW, "link",
        {"last_day": "{yesterday}", "first_day": "{first}"}, status=400,
        error="The last day comes before the first."),
    Bad("link: more than a month", "recruiter", "post", NEW, "link", {"last_day": "{far}"},
        status=400, error="Offer at most 31 days."),
    Bad("link: no interviewer", "recruiter", "post", NEW, "link", {"interviewers": REMOVE},
        status=400, error="This field is required."),
    Bad("link: interviewer unknown", "recruiter", "post", NEW, "link",
        {"interviewers": ["999999"]}, status=400, error="Select a valid choice"),
    Bad("link: interviewer id past the range", "recruiter", "post", NEW, "link",
        {"interviewers": [HUGE_ID]}, status=400, error="Select a valid choice"),
    Bad("link: a recruiter as interviewer", "recruiter", "post", NEW, "link",
        {"interviewers": ["{recruiter}"]}, status=400, error="Select a valid choice"),
    Bad("link: interviewer is markup", "recruiter", "post", NEW, "link",
        {"interviewers": [SCRIPT]}, status=400, error="Select a valid choice"),
    Bad("link: panel with no free time", "recruiter", "post", NEW, "link",
        {"interviewers": ["{busy}"]}, status=400, error="no free slot"),
    Bad("link: reschedules unknown", "recruiter", "post", NEW, "link", {"reschedules": "5"},
        status=400, error="Select a valid choice"),
    Bad("link: location too long", "recruiter", "post", NEW, "link", {"location": TOO_LONG},
        status=400, error="at most 300 characters"),
    Bad("link: hiring manager may not", "manager", "post", NEW, "link", status=403),
    Bad("link: interviewer may not", "interviewer", "post", NEW, "link", status=403),
    Bad("link: another manager's application", "recruiter", "post",
        "/applications/999999/interviews/pick/", "link", status=404),
    Bad("link: application id past the range", "recruiter", "post",
        f"/applications/{HUGE_ID}/interviews/pick/", "link", status=404),
    Bad("withdraw: unknown link", "recruiter", "post", "/pick-links/999999/close/", "none",
        status=404),
    Bad("withdraw: interviewer may not", "interviewer", "post", "/pick-links/999999/close/",
        "none", status=403),
    # The candidate's page --------------------------------------------------------------------
    Bad("pick: no time", "anonymous", "post-form", PICK, "pick", {"start": REMOVE},
        status=400, error="Pick one of the times shown."),
    Bad("pick: time is SQL", "anonymous", "post-form", PICK, "pick", {"start": SQL},
        status=400, error="Pick one of the times shown."),
    Bad("pick: time is markup, zone is markup", "anonymous", "post-form", PICK, "pick",
        {"start": SCRIPT, "tz": SCRIPT}, status=400, error="Pick one of the times shown."),
    Bad("pick: a date that does not exist", "anonymous", "post-form", PICK, "pick",
        {"start": "2026-02-31T10:00:00Z"}, status=400, error="Pick one of the times shown."),
    Bad("pick: a Saturday never offered", "anonymous", "post-form", PICK, "pick",
        {"start": "{saturday}"}, status=409, error="That time was just taken"),
    Bad("pick: years ago", "anonymous", "post-form", PICK, "pick",
        {"start": "1999-01-04T15:00:00Z"}, status=409, error="That time was just taken"),
    Bad("pick: expired link", "anonymous", "post-form", "/pick/{expired}/", "pick",
        status=410, error="This link has expired."),
    Bad("pick: forged nonce", "anonymous", "post-form", "/pick/{forged}/", "pick",
        status=404, error="This link is not valid."),
    Bad("pick: not a token", "anonymous", "post-form", "/pick/abc/", "pick", status=404,
        error="This link is not valid."),
    Bad("pick page: zone is markup", "anonymous", "get", PICK + "?tz=" + quote(SCRIPT), "none"),
    Bad("pick page: zone unknown", "anonymous", "get", PICK + "?tz=Mars/Olympus", "none",
        error="America/New_York"),
    # Busy times ------------------------------------------------------------------------------
    Bad("busy: start not a time", "interviewer", "post", BUSY, "busy", {"starts_at": SQL},
        status=400, error="Enter a valid date/time."),
    Bad("busy: end before start", "interviewer", "post", BUSY, "busy",
        {"ends_at": "{busy_early}"}, status=400, error="The end comes before the start."),
    Bad("busy: over already", "interviewer", "post", BUSY, "busy",
        {"starts_at": "2001-01-01T09:00", "ends_at": "2001-01-01T10:00"}, status=400,
        error="That time is over already."),
    Bad("busy: longer than a month", "interviewer", "post", BUSY, "busy",
        {"ends_at": "{busy_far}"}, status=400, error="At most 31 days at once."),
    Bad("busy: years ahead", "interviewer", "post", BUSY, "busy",
        {"starts_at": "2098-01-01T09:00", "ends_at": "2098-01-01T10:00"}, status=400,
        error="Pick a time within the next year."),
    Bad("busy: a recruiter has none", "recruiter", "post", BUSY, "busy", status=403),
    Bad("busy: remove someone else's or none", "interviewer", "post",
        f"{BUSY}999999/delete/", "none", error="not there"),
    Bad("busy: remove an id past the range", "interviewer", "post",
        f"{BUSY}{HUGE_ID}/delete/", "none", error="not there"),
    Bad("import: no file", "interviewer", "post", f"{BUSY}import/", "none", status=400,
        error="This field is required."),
    Bad("import: not a calendar", "interviewer", "post", f"{BUSY}import/", "none",
        files=calendar_file(b"%PDF-1.4 " + SCRIPT.encode()), status=400,
        error="not an iCalendar"),
    Bad("import: too big", "interviewer", "post", f"{BUSY}import/", "none",
        files=calendar_file(b"x" * (2 * 1024 * 1024 + 1)), status=400, error="2 MB"),
    Bad("address: ftp", "interviewer", "post", f"{BUSY}address/", "url",
        {"ics_url": "ftp://example.org/a.ics"}, status=400, error="http:// or https://"),
    Bad("address: markup", "interviewer", "post", f"{BUSY}address/", "url",
        {"ics_url": SCRIPT}, status=400, error="http:// or https://"),
    Bad("address: this machine", "interviewer", "post", f"{BUSY}address/", "url",
        {"ics_url": "http://127.0.0.1:6379/"}, status=400, error="private network"),
    Bad("address: too long", "interviewer", "post", f"{BUSY}address/", "url",
        {"ics_url": "https://x.org/" + TOO_LONG}, status=400, error="at most 500 characters"),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(r, id=r.name) for r in ROWS])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


GOOD = [
    Bad("link", "recruiter", "post-form", NEW, "link", status=302),
    Bad("pick", "anonymous", "post-form", PICK, "pick", status=302),
    Bad("busy", "interviewer", "post-form", BUSY, "busy", status=302),
]


@pytest.mark.parametrize("row", [pytest.param(r, id=r.name) for r in GOOD])
def test_each_base_body_unchanged_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)
