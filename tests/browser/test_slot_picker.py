"""The candidate picks their own interview slot, in Chromium: the recruiter sets up the link,
the candidate (in Tokyo) sees the panel's free times in their own zone, books one, the
interviewer gets the invite for that time, and the candidate reschedules once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Interview
from hiring.permissions import INTERVIEWER, RECRUITER
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.support import fill_login_form
from tests.factories import PASSWORD
from tests.panels import eager_celery

pytestmark = pytest.mark.usefixtures("playbook")
DOCS = Path(__file__).resolve().parents[2] / "docs"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def celery_inline() -> Any:
    with eager_celery():
        yield


def invite_start(user: Any) -> tuple[dt.datetime, int]:
    message = next(m for m in reversed(mail.outbox) if m.to == [user.email] and m.attachments)
    part = next(a for a in message.attachments if a.get_content_type() == "text/calendar")
    event = next(c for c in Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"))
    return event.decoded("DTSTART"), int(event["SEQUENCE"])


def test_a_candidate_in_tokyo_picks_a_slot_then_reschedules_once(
    page: Page, browser: Browser, live_server: LiveServer, settings: Any, celery_inline: None
) -> None:
    settings.SITE_URL = live_server.url
    recruiter = factories.UserFactory(
        roles=[RECRUITER], first_name="Rita", last_name="Recruiter", email="rita@example.com"
    )
    interviewer = factories.UserFactory(roles=[INTERVIEWER], first_name="Ines", last_name="Ortega")
    requisition = factories.requisition(recruiter=recruiter, title="Applied ML engineer")
    application = factories.application(requisition_obj=requisition)

    # The recruiter: "Let the candidate pick", with the defaults (tomorrow, two weeks).
    fill_login_form(page, recruiter.username, PASSWORD)
    page.goto(f"/applications/{application.pk}/interviews/")
    page.get_by_role("link", name="Let the candidate pick").click()
    page.get_by_label("Ines Ortega").check()
    page.get_by_label("Video link or room").fill("https://meet.example.com/tokyo")
    page.get_by_role("button", name="Create the link").click()
    expect(page.get_by_text("send it to the candidate")).to_be_visible()
    address = page.locator("input.link-url").first.input_value()
    assert re.match(rf"{re.escape(live_server.url)}/pick/[^/]+/$", address)

    # The candidate, whose browser is in Tokyo: the page switches to their zone by itself.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, timezone_id="Asia/Tokyo"
    )
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    candidate = context.new_page()
    candidate.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    candidate.goto(address)
    expect(candidate.locator("#tz")).to_have_value("Asia/Tokyo")
    expect(candidate.get_by_text("Times are shown in")).to_contain_text("Asia/Tokyo")
    first = candidate.locator("button.slot").first
    label = first.get_attribute("aria-label") or ""
    value = first.get_attribute("value") or ""
    starts = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    local = starts.astimezone(TOKYO)
    assert label.endswith(f"{local:%H:%M}")  # the button reads the Tokyo time
    candidate.screenshot(path=DOCS / "slot-picker.png")
    first.click()

    heading = candidate.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Booked: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}")
    interview = Interview.objects.get(application=application)
    assert interview.starts_at == starts
    assert invite_start(interviewer) == (starts, 0)  # the interviewer's invite, same time

    # Rescheduling once: another time; the invite is updated (same UID, SEQUENCE 1).
    candidate.get_by_role("link", name="Pick another time").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text(
        "Pick a new time for your interview"
    )
    later = candidate.locator("button.slot").nth(3)
    new_value = later.get_attribute("value") or ""
    later.click()
    moved = dt.datetime.strptime(new_value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    shown = moved.astimezone(TOKYO)
    expect(candidate.get_by_role("heading", level=1)).to_contain_text(f"{shown:%H:%M}")
    expect(candidate.get_by_text("This link has been used")).to_be_visible()
    expect(candidate.get_by_role("link", name="Pick another time")).to_have_count(0)
    expect(candidate.get_by_text("rita@example.com")).to_be_visible()
    interview.refresh_from_db()
    assert (interview.starts_at, interview.sequence) == (moved, 1)
    assert invite_start(interviewer) == (moved, 1)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    context.close()
