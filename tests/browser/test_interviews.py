"""Interview journeys in Chromium: schedule, the invite link, the live scorecard, blind feedback,
two tabs merging, and the hiring manager's debrief decision."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Decision, Scorecard, ScorecardAnswer
from hiring.permissions import INTERVIEWER, RECRUITER
from hiring.pipeline.models import StageKind
from tests import factories
from tests.browser.support import fill_login_form
from tests.factories import PASSWORD
from tests.panels import eager_celery, panel

pytestmark = pytest.mark.usefixtures("playbook")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NOTES = (
    "Paged at 3am when the fraud model drifted; rolled back within 20 minutes, "
    "then fixed the feature join."
)


@pytest.fixture
def celery_inline() -> Any:
    with eager_celery():
        yield


def log_in_as(page: Page, live_server: LiveServer, user: Any) -> None:
    fill_login_form(page, user.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()


def scorecard_path_from_invite(user: Any) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [user.email])
    part = next(a for a in message.attachments if a.get_content_type() == "text/calendar")
    event = next(c for c in Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"))
    link = str(event["URL"])
    assert link in str(event["DESCRIPTION"]) and link in message.body
    return urlsplit(link).path


def saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d:\d\d"))


def question(page: Page, n: int) -> Any:
    return page.locator(".sc-question").nth(n)


def rate_all(page: Page, label: str = "3 · Yes") -> None:
    for n in range(page.locator(".sc-question").count()):
        question(page, n).get_by_text(label, exact=True).click()


def test_interviewer_fills_the_scorecard_from_the_invite_link(
    page: Page, live_server: LiveServer, settings: Any, celery_inline: None
) -> None:
    settings.SITE_URL = live_server.url
    recruiter = factories.UserFactory(roles=[RECRUITER])
    interviewer = factories.UserFactory(roles=[INTERVIEWER], first_name="Ines", last_name="Ortega")
    requisition = factories.requisition(recruiter=recruiter)
    application = factories.application(requisition_obj=requisition)

    log_in_as(page, live_server, recruiter)
    page.goto(f"/applications/{application.pk}/interviews/new/")
    starts = timezone.localtime() + timezone.timedelta(hours=2)
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ines Ortega").check()
    page.get_by_label("Video link or room").fill("https://meet.example.com/abc-defg-hij")
    page.get_by_role("button", name="Schedule and send invites").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interviews:")
    expect(page.locator(".messages")).to_contain_text("scheduled")
    log_out(page)

    path = scorecard_path_from_invite(interviewer)
    log_in_as(page, live_server, interviewer)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scorecard:")
    expect(page.locator(".credentials")).to_contain_text(
        "Hidden: this requisition is pedigree-blind"
    )
    page.get_by_label("Notes on Q1").fill(NOTES)
    saved(page)

    page.reload()
    expect(page.get_by_label("Notes on Q1")).to_have_value(NOTES)

    rate_all(page)
    page.get_by_label("⚑ Every Project Was Successful").check()
    page.locator("#overall").get_by_text("Yes", exact=True).click()
    page.get_by_label("Summary").fill("Owns production incidents end to end.")
    saved(page)
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.locator("#form-error")).to_contain_text("give evidence for the red flag")
    expect(page.locator("#flag-every-project-successful")).to_contain_text(
        "Write a line of evidence"
    )

    page.get_by_label("Evidence for 'Every Project Was Successful'").fill(
        "Described four launches, none with a setback."
    )
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard submitted and locked")
    expect(page.locator("#save-status")).to_contain_text("this scorecard is locked")
    expect(page.get_by_label("Notes on Q1")).to_be_disabled()

    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.status == "submitted"
    assert ScorecardAnswer.objects.filter(scorecard=card, notes=NOTES).exists()
    assert not ScorecardAnswer.objects.filter(scorecard=card, rating__isnull=True).exists()
    assert card.red_flags.get(raised=True).evidence.startswith("Described four launches")


def test_second_interviewer_sees_the_first_scorecard_only_after_submitting(
    page: Page, live_server: LiveServer
) -> None:
    setup = panel()
    factories.filled_scorecard(
        interview=setup.interview,
        interviewer=setup.first,
        summary="First opinion: strong on drift monitoring.",
    )
    log_in_as(page, live_server, setup.second)
    page.goto(f"/interviews/{setup.interview.pk}/scorecard/")
    panel_box = page.locator("#panel")
    expect(panel_box).to_contain_text("stay hidden until you submit yours")
    expect(page.locator("main")).not_to_contain_text("First opinion")

    rate_all(page, "4 · Strong yes")
    page.locator("#overall").get_by_text("Strong yes", exact=True).click()
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard submitted")
    expect(panel_box).to_contain_text("First opinion: strong on drift monitoring.")
    expect(panel_box).to_contain_text(setup.first.get_full_name())


def test_two_tabs_editing_one_scorecard_merge_without_losing_text(
    page: Page, live_server: LiveServer
) -> None:
    setup = panel(interviewers=1)
    log_in_as(page, live_server, setup.first)
    url = f"/interviews/{setup.interview.pk}/scorecard/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.get_by_label("Summary").fill("Written in tab one.")
    saved(page)
    other.get_by_label("Summary").fill("Written in tab two.")
    merge = other.locator("#merge-panel")
    expect(merge).to_be_visible()
    expect(merge).to_contain_text("Written in tab one.")
    expect(merge).to_contain_text("Written in tab two.")
    merge.get_by_role("button", name="Keep both").click()
    saved(other)
    card = Scorecard.objects.get(interviewer=setup.first)
    assert card.summary == "Written in tab two.\n\nWritten in tab one."


def test_hiring_manager_decides_at_the_debrief(page: Page, live_server: LiveServer) -> None:
    setup = panel()
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.first, rating=4)
    factories.filled_scorecard(
        interview=setup.interview, interviewer=setup.second, rating=3, recommendation="strong_yes"
    )
    log_in_as(page, live_server, setup.manager)
    page.locator("#ready-for-debrief").get_by_role(
        "link", name=setup.application.candidate.name
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Debrief:")
    expect(page.locator("#summary")).to_contain_text("Strong yes: mean rating 3.5")
    expect(page.locator("#ratings")).to_contain_text("Ines Interviewer")
    expect(page.locator("#ratings")).to_contain_text("Ivo Interviewer")

    page.locator("#decide").get_by_text("Advance to offer", exact=True).click()
    page.get_by_label("Comment for the record").fill("Clear production ownership; move fast.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("offer clock started")
    expect(page.locator(".decision-current")).to_contain_text("Advance to offer")

    decision = Decision.objects.get(application=setup.application)
    assert decision.decided_by == setup.manager
    setup.application.refresh_from_db()
    assert setup.application.stage.kind == StageKind.OFFER


def test_interview_pages_look_finished_on_desktop_and_phone(
    page: Page, live_server: LiveServer
) -> None:
    setup = panel()
    factories.filled_scorecard(
        interview=setup.interview,
        interviewer=setup.first,
        rating={1: 2, 3: 1},
        flags={"every-project-successful": "Four launches, no setbacks, ever."},
        recommendation="no",
    )
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.second, rating=4)
    later = factories.scheduled_interview(
        application_obj=setup.application, interviewers=[setup.first], round_name="Follow-up"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    views = [
        (setup.first, f"/interviews/{later.pk}/scorecard/", "scorecard"),
        (setup.first, "/", "interviewer-home"),
        (setup.manager, f"/applications/{setup.application.pk}/debrief/", "debrief"),
        (setup.manager, "/interviews/calibration/", "calibration"),
        (setup.recruiter, f"/applications/{setup.application.pk}/interviews/new/", "schedule"),
        (
            setup.recruiter,
            f"/applications/{setup.application.pk}/interviews/",
            "application-interviews",
        ),
    ]
    current = None
    for user, url, name in views:
        if user != current:
            page.context.clear_cookies()
            log_in_as(page, live_server, user)
            current = user
        for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
            page.set_viewport_size(size)
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.screenshot(path=SHOTS / f"interviews-{name}-{label}.png", full_page=True)
            if label == "390":
                width = page.evaluate("document.scrollingElement.scrollWidth")
                assert width <= PHONE["width"] + 1, f"{name} is {width}px wide at 390px"
