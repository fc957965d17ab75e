"""The careers page in Chromium: a candidate applies from their phone (390 px), lands on
their status page, and the recruiter sees them on the board.

With DOCS_SCREENSHOTS=1 it also saves the README's figures to docs/ (careers page, posting,
apply form, status page, at 1280 and 390 px).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from hiring.careers.models import Submission
from hiring.careers.rules import MIN_SECONDS_TO_SUBMIT
from hiring.demo.careers import description_from_role
from hiring.permissions import RECRUITER
from hiring.pipeline.models import Application
from roles.playbook import playbook_load
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.support import fill_login_form
from tests.careers.support import published_posting
from tests.factories import PASSWORD

LogIn = Callable[..., User]
PHONE = {"width": 390, "height": 844}
DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOTS = os.environ.get("DOCS_SCREENSHOTS") == "1"


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=DOCS / f"{name}.png", full_page=True)


def test_a_candidate_applies_from_a_phone_and_the_recruiter_sees_them_on_the_board(
    browser: Browser, live_server: LiveServer, page: Page, log_in: LogIn
) -> None:
    playbook_load()
    recruiter = factories.UserFactory(roles=[RECRUITER])
    requisition = factories.requisition(
        title="Applied ML Engineer", location="Berlin", recruiter=recruiter
    )
    posting = published_posting(
        requisition=requisition, slug="applied-ml-engineer-berlin", team="Applied ML",
        workplace="hybrid", description=description_from_role(requisition.role),
    )  # fmt: skip
    other = factories.requisition(role_slug="mlops-engineer", title="MLOps Engineer",
                                  location="Remote")  # fmt: skip
    published_posting(
        requisition=other, slug="mlops-engineer-remote", team="ML Platform",
        workplace="remote", description=description_from_role(other.role),
    )  # fmt: skip

    phone = browser.new_context(viewport=PHONE, base_url=live_server.url)
    phone.set_default_timeout(TIMEOUT_MS)
    candidate = phone.new_page()
    candidate.goto("/careers/?source=meetup")
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Open jobs")
    # Nothing is wider than the phone.
    assert candidate.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(candidate, "careers-390")
    candidate.get_by_role("link", name="Applied ML Engineer").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Applied ML Engineer")
    assert candidate.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    candidate.get_by_role("link", name="Apply").click()

    # First a mistake: no e-mail. The field says so, nothing is sent.
    candidate.get_by_label("Full name").fill("Lin Chen")
    candidate.get_by_label("Where you are based").fill("Berlin, Germany")
    candidate.get_by_label("Systems you have shipped").fill("A fraud model serving 4M calls/day.")
    candidate.get_by_label(posting.questions[0]).fill("Rolled back a bad model in 4 minutes.")
    candidate.get_by_label("I agree that").check()
    candidate.wait_for_timeout(MIN_SECONDS_TO_SUBMIT * 1000 + 200)  # a person reads first
    candidate.get_by_role("button", name="Send application").click()
    expect(candidate.locator(".field-error").first).to_be_visible()
    assert not Application.objects.exists()
    shot(candidate, "careers-apply-errors-390")

    candidate.get_by_label("E-mail").fill("lin.chen@example.org")
    candidate.get_by_role("button", name="Send application").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Your application, Lin")
    expect(candidate.get_by_text("Application received.")).to_be_visible()
    shot(candidate, "careers-status-390")
    submission = Submission.objects.select_related("application__candidate").get()
    assert submission.source == "meetup"
    assert submission.application.candidate.email == "lin.chen@example.org"
    phone.close()

    # The recruiter: their inbox says so, the card is on the board in the first stage.
    page.goto("/login/")
    fill_login_form(page, recruiter.username, PASSWORD)
    page.goto("/notifications/")
    expect(page.get_by_text("New application for Applied ML Engineer: Lin Chen")).to_be_visible()
    page.goto(f"/requisitions/{requisition.pk}/board/")
    applied = page.locator(".board-column").first
    expect(applied.get_by_role("link", name="Lin Chen")).to_be_visible()
    if SHOTS:
        page.goto(f"/requisitions/{requisition.pk}/posting/")
        shot(page, "careers-posting-edit-1280")
        page.goto("/careers/")
        shot(page, "careers-1280")
        page.goto(f"/careers/{posting.slug}/")
        shot(page, "careers-posting-1280")
