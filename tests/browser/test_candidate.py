"""Candidate journeys in Chromium: add with a resume, preview it, note inline, move a stage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from hiring.permissions import RECRUITER
from hiring.pipeline.models import Candidate
from tests import factories
from tests.browser.support import pdf_with_text

LogIn = Callable[..., User]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.usefixtures("playbook")


RESUME_PDF = pdf_with_text("Margaret Hamilton - flight software")


def add_candidate(page: Page, requisition: Any) -> None:
    page.goto("/candidates/new/")
    page.get_by_label("Name").fill("Margaret Hamilton")
    page.get_by_label("E-mail").fill("margaret@example.org")
    page.get_by_label("Location").fill("Boston")
    page.get_by_label("Tags").fill("flight software, reliability")
    page.get_by_label("Portfolio").fill("https://margaret.example.org")
    page.get_by_label("Shipped systems").fill("Apollo guidance software, in production 1969.")
    page.get_by_label("Degrees").fill("BA Mathematics")
    page.get_by_label("Resume").set_input_files(
        {"name": "Margaret Hamilton.pdf", "mimeType": "application/pdf", "buffer": RESUME_PDF}
    )
    page.get_by_label("Add to requisition").select_option(
        label=f"{requisition.title} ({requisition.level.name})"
    )
    page.get_by_role("button", name="Add candidate").click()


def test_recruiter_adds_a_candidate_notes_and_moves_them(
    page: Page, log_in: LogIn, live_server: LiveServer, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    requisition = factories.requisition(title="Platform ML Engineer")
    log_in(RECRUITER)
    # The preview loads as soon as the page shows it (loading="lazy" and the iframe may be in
    # view at once): every answer for it is recorded from the start, not only after a scroll.
    previews: list[Response] = []
    page.on(
        "response", lambda r: previews.append(r) if r.url.endswith("/resume/preview/") else None
    )

    add_candidate(page, requisition)

    candidate = Candidate.objects.get(email="margaret@example.org")
    expect(page).to_have_url(f"{live_server.url}/candidates/{candidate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Margaret Hamilton")
    expect(page.get_by_role("heading", name="Platform ML Engineer")).to_be_visible()
    preview = page.locator("iframe.resume-preview")
    expect(preview).to_have_attribute("src", f"/candidates/{candidate.pk}/resume/preview/")
    preview.scroll_into_view_if_needed()
    for _ in range(50):
        if previews:
            break
        page.wait_for_timeout(100)
    assert previews and {r.status for r in previews} == {200}  # the PDF viewer may ask twice
    # Chromium hands the PDF to its viewer and reports no headers for it: ask again.
    fetched = page.request.get(f"/candidates/{candidate.pk}/resume/preview/")
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.headers["x-frame-options"] == "SAMEORIGIN"

    # A note, added without a reload: the marker set on the window survives.
    page.evaluate("window.noReload = true")
    timeline = page.locator("#timeline")
    timeline.get_by_label("Note", exact=True).fill("Walked through the Apollo 11 alarms.")
    timeline.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline .note-body")).to_have_text(
        "Walked through the Apollo 11 alarms."
    )
    expect(page.locator("#timeline textarea")).to_have_value("")
    assert page.evaluate("window.noReload") is True

    # An empty note is refused in place.
    page.locator("#timeline").get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline")).to_contain_text("Write something first.")
    assert page.evaluate("window.noReload") is True

    page.get_by_label("Move to stage").select_option(label="Structured interview")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(
        page.get_by_text("Moved to Structured interview in Platform ML Engineer.")
    ).to_be_visible()
    expect(page.locator("#applications")).to_contain_text("Stage Structured interview")
    expect(page.locator("#timeline")).to_contain_text("Applied → Structured interview")
    assert candidate.applications.get().stage.name == "Structured interview"
    assert requisition.applications.count() == 1


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at 390px"


def test_candidate_pages_fit_a_phone_and_a_desktop(
    page: Page, log_in: LogIn, settings: Any, tmp_path: Path
) -> None:
    """Screenshots of the three pages at 1280 and 390 px (test-artifacts/screenshots/)."""
    settings.MEDIA_ROOT = tmp_path
    requisition = factories.requisition(title="Platform ML Engineer")
    factories.requisition(title="Search Ranking Lead")
    log_in(RECRUITER)
    add_candidate(page, requisition)
    candidate = Candidate.objects.get(email="margaret@example.org")
    page.locator("#timeline").get_by_label("Note", exact=True).fill("Strong on on-call stories.")
    page.locator("#timeline").get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline .note-body")).to_have_count(1)
    factories.interview(
        application_obj=candidate.applications.get(requisition=requisition),
        interviewers=[factories.UserFactory(first_name="Ivy", last_name="Ng")],
    )
    csv_text = (
        "name,email,phone,location,source,portfolio_url,github_url,tags\n"
        "Ada Lovelace,ada@example.org,,London,referral,https://ada.example.org,,mlops\n"
        "Margaret Again,margaret@example.org,,,,,,\n"
        ",nobody@example.org,,,,,,\n"
        "Bad Link,bad@example.org,,,linkedin,notaurl,,\n"
    )
    pages = {
        "candidate-page": lambda: _candidate_page(page, candidate),
        "candidate-add-form": lambda: page.goto("/candidates/new/"),
        "candidate-import-preview": lambda: _import_preview(page, csv_text),
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, open_page in pages.items():
        for label, size in (("1280", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            open_page()
            if label == "390":
                _no_sideways_scroll(page)
            page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)


def _candidate_page(page: Page, candidate: Candidate) -> None:
    page.goto(f"/candidates/{candidate.pk}/")
    page.locator("iframe.resume-preview").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the PDF viewer draws the page after the frame loads
    page.evaluate("window.scrollTo(0, 0)")


def _import_preview(page: Page, csv_text: str) -> None:
    page.goto("/candidates/import/")
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Preview of people.csv")
