"""A candidate's whole way through the product, in Chromium, with no account: they find the
job on the careers page and apply from a phone, get the acknowledgement e-mail (through a
real SMTP server on loopback) with the link to their status page, the recruiter sends them a
link to pick their interview time, they pick one, get the invite (.ics) by e-mail, and their
status page shows the interview."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Interview
from hiring.careers.rules import MIN_SECONDS_TO_SUBMIT
from hiring.permissions import INTERVIEWER, RECRUITER
from hiring.pipeline.models import Application
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.support import fill_login_form
from tests.careers.support import published_posting
from tests.factories import PASSWORD
from tests.panels import eager_celery

pytestmark = pytest.mark.usefixtures("playbook")
PHONE = {"width": 390, "height": 844}


def mail_to(smtp_server: Any, address: str, subject_part: str, count: int) -> Any:
    """The last message to `address` whose subject has `subject_part`, as the SMTP server
    received it (waiting until it has `count` messages in all)."""
    received = smtp_server.wait_for(count)
    matching = [m for m in received if m["To"] == address and subject_part in str(m["Subject"])]
    assert matching, [(m["To"], str(m["Subject"])) for m in received]
    return matching[-1]


def link_in(text: str, path: str) -> str:
    found = re.search(rf"https?://[^\s]+?({path}[^\s]+?/)(?:\s|$)", text)
    assert found, text
    return found.group(1)


def test_a_candidate_applies_picks_their_interview_and_follows_it_on_their_status_page(
    page: Page, browser: Browser, live_server: LiveServer, settings: Any, smtp_server: Any
) -> None:
    settings.SITE_URL = live_server.url
    recruiter = factories.UserFactory(roles=[RECRUITER], first_name="Rita", last_name="Reyes")
    factories.UserFactory(roles=[INTERVIEWER], first_name="Ines", last_name="Ortega")
    requisition = factories.requisition(
        title="Applied ML Engineer", location="Lisbon", recruiter=recruiter
    )
    posting = published_posting(requisition=requisition, slug="applied-ml-engineer-lisbon")

    phone = browser.new_context(viewport=PHONE, base_url=live_server.url)
    phone.set_default_timeout(TIMEOUT_MS)
    candidate = phone.new_page()
    with eager_celery():
        # The careers page, the posting, the form.
        candidate.goto("/careers/")
        candidate.get_by_role("link", name="Applied ML Engineer").click()
        candidate.get_by_role("link", name="Apply").click()
        candidate.get_by_label("Full name").fill("Ana Sousa")
        candidate.get_by_label("E-mail").fill("ana.sousa@example.org")
        candidate.get_by_label("Where you are based").fill("Lisbon, Portugal")
        candidate.get_by_label("Systems you have shipped").fill("A ranking model, 2M users.")
        candidate.get_by_label(posting.questions[0]).fill("Caught a skewed feature in a canary.")
        candidate.get_by_label("I agree that").check()
        candidate.wait_for_timeout(MIN_SECONDS_TO_SUBMIT * 1000 + 200)
        candidate.get_by_role("button", name="Send application").click()
        expect(candidate.get_by_role("heading", level=1)).to_have_text("Your application, Ana")
        application = Application.objects.get(candidate__email="ana.sousa@example.org")

        # The acknowledgement, with the link to where the application stands.
        # (The recruiter's notice is the second message.)
        received = mail_to(smtp_server, "ana.sousa@example.org", "We received your application", 2)
        status_path = link_in(smtp_server.text(received), "/careers/status/")

        # The recruiter lets the candidate pick a time with Ines.
        fill_login_form(page, recruiter.username, PASSWORD)
        page.goto(f"/applications/{application.pk}/interviews/")
        page.get_by_role("link", name="Let the candidate pick").click()
        page.get_by_label("Ines Ortega").check()
        page.get_by_label("Video link or room").fill("https://meet.example.com/ana")
        page.get_by_role("button", name="Create the link").click()
        expect(page.get_by_text("send it to the candidate")).to_be_visible()
        pick_path = link_in(page.locator("input.link-url").first.input_value() + " ", "/pick/")

        # The candidate picks the first free time.
        candidate.goto(pick_path)
        first = candidate.locator("button.slot").first
        value = first.get_attribute("value") or ""
        first.click()
        expect(candidate.get_by_role("heading", level=1)).to_contain_text("Booked")
        starts = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        interview = Interview.objects.get(application=application)
        assert interview.starts_at == starts

        # Their invite, for that time, with nothing internal in it.
        # The candidate's and the interviewer's invites.
        invite = mail_to(smtp_server, "ana.sousa@example.org", "Interview for", 4)
        [calendar] = [a for a in smtp_server.attachments(invite) if a[1] == "text/calendar"]
        event = Calendar.from_ical(calendar[2]).walk("VEVENT")[0]
        assert event.decoded("DTSTART") == starts
        text = smtp_server.text(invite)
        assert "meet.example.com/ana" in text + str(event.get("LOCATION", ""))
        assert "scorecard" not in text.lower()

        # The status page, from the first e-mail, now shows the interview.
        candidate.goto(status_path)
        expect(candidate.get_by_role("heading", name="Your upcoming interviews")).to_be_visible()
        expect(candidate.locator(".interview-list li")).to_have_count(1)
        assert candidate.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        body = candidate.locator("body").inner_text()
        assert "score" not in body.lower() and "salary" not in body.lower()
    phone.close()
