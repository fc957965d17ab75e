"""The home pages and the step after the debrief, in Chromium: "Waiting for my approval" is
above the fold at 1280x800 and on a phone (390x844); "Draft offer" at the debrief, just
after advancing, leads to the offer form. Screenshots for the README go to docs/."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from roles.playbook import playbook_load
from tests import factories
from tests.factories import UserFactory

LogIn = Callable[..., User]
DOCS = Path(__file__).resolve().parents[2] / "docs"
# Set DOCS_SCREENSHOTS=1 to refresh the README's pictures (docs/readme-home-*.png).
SHOOT = os.environ.get("DOCS_SCREENSHOTS") == "1"


def shoot(page: Page, name: str) -> None:
    if SHOOT:
        page.screenshot(path=str(DOCS / f"readme-home-{name}.png"))


def above_the_fold(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + min(box["height"], 160) <= viewport["height"], box


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_waiting_for_my_approval_is_above_the_fold(
    page: Page, log_in: LogIn, width: int, height: int
) -> None:
    playbook_load()
    UserFactory(roles=[ADMIN], first_name="Fin", last_name="Ance")
    manager = log_in(HIRING_MANAGER, INTERVIEWER, first_name="Hana")
    requisition = factories.requisition(hiring_manager=manager)
    candidate = factories.CandidateFactory(name="Grace Okafor")
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    factories.decision(application_obj=application)
    factories.offer(application_obj=application, submit=True)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    heading = page.get_by_role("heading", name="Waiting for my approval")
    expect(heading).to_be_visible()
    above_the_fold(page, "#my-approvals h2")
    above_the_fold(page, "#my-approvals .approval-list > *:first-child")
    expect(page.locator("#my-approvals")).to_contain_text("Grace Okafor")
    shoot(page, f"manager-{width}")


def test_draft_offer_at_the_debrief_leads_to_the_offer_form(page: Page, log_in: LogIn) -> None:
    playbook_load()
    # A recruiting hiring manager: decides at the debrief and drafts the offer.
    both = log_in(RECRUITER, HIRING_MANAGER, first_name="Robin")
    requisition = factories.requisition(recruiter=both, hiring_manager=both)
    candidate = factories.CandidateFactory(name="Ada Mensah")
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    people = [UserFactory(roles=[INTERVIEWER]) for _ in range(2)]
    interview = factories.scheduled_interview(application_obj=application, interviewers=people)
    for person in people:
        factories.filled_scorecard(interview=interview, interviewer=person, rating=4)

    page.goto(f"/applications/{application.pk}/debrief/")
    page.get_by_label("Advance to offer").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Advanced to offer.")).to_be_visible()
    draft = page.get_by_test_id("draft-offer")
    expect(draft).to_be_visible()
    expect(page.get_by_test_id("offer-clock").first).to_contain_text("business hours left")
    shoot(page, "debrief-draft-offer")
    draft.click()
    expect(page).to_have_url(re.compile(rf"/offers/new/\?application={application.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Mensah")

    page.goto("/")
    todo = page.locator("#todo")
    expect(todo).to_contain_text("Advanced to offer: no offer drafted")
    expect(todo).to_contain_text("business hours left")
    expect(page.get_by_test_id("nav-count").first).to_be_visible()
    shoot(page, "recruiter-todo")


def test_advancing_against_the_evidence_asks_for_a_reason(page: Page, log_in: LogIn) -> None:
    playbook_load()
    manager = log_in(HIRING_MANAGER, first_name="Hana")
    requisition = factories.requisition(hiring_manager=manager)
    application = factories.application(requisition_obj=requisition)
    people = [UserFactory(roles=[INTERVIEWER]) for _ in range(2)]
    interview = factories.scheduled_interview(application_obj=application, interviewers=people)
    flag = {"every-project-successful": "Said no project of theirs ever failed."}
    for person in people:
        factories.filled_scorecard(interview=interview, interviewer=person, rating=2, flags=flag)
    page.goto(f"/applications/{application.pk}/debrief/")
    page.get_by_label("Advance to offer").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Tick to confirm")).to_be_visible()
    page.get_by_label("I have read the evidence above").check()
    page.get_by_label("Why advance despite the evidence").fill(
        "Their references owned two failed launches; the interviewers misread the answer."
    )
    page.locator("#override").scroll_into_view_if_needed()
    shoot(page, "override-reason")
    page.get_by_label("Advance to offer").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Advanced against the evidence").first).to_be_visible()
