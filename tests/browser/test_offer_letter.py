"""The offer in the candidate's hands, in Chromium: after the decision at the debrief the
recruiter drafts the offer from the debrief page, submits it, the two approvers approve in
their own browsers (the hiring manager in place on their home page, Finance/HR on the offer
page), the recruiter sends it; the e-mail arrives at a real SMTP server, the candidate opens
the link from that e-mail on a phone, downloads the letter, accepts and signs; the recruiter
then sees the offer accepted and the candidate hired, and the dashboard counts the answer."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from hiring.notifications.delivery import message_send
from hiring.notifications.models import OutboxMessage
from hiring.offers.models import Offer, OfferSignature
from hiring.offers.rules import OfferStatus
from hiring.permissions import ADMIN, RECRUITER
from hiring.pipeline.rules import ApplicationStatus
from roles.playbook import playbook_load
from tests import factories
from tests.browser.support import fill_login_form
from tests.factories import PASSWORD, UserFactory

LogIn = Callable[..., User]
DOCS = Path(__file__).resolve().parents[2] / "docs"
# Set DOCS_SCREENSHOTS=1 to refresh the README's pictures (docs/readme-letters-*.png).
SHOOT = os.environ.get("DOCS_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}


def deliver_pending() -> None:
    """What the outbox's worker does: send every message that is due."""
    for pk in OutboxMessage.objects.filter(status="pending").values_list("pk", flat=True):
        message_send(message_id=pk)


def approve_as(
    browser: Browser, live_server: LiveServer, user: User, offer: Offer, *, home: bool
) -> None:
    """The approver signs in in a browser of their own and approves: in place on their home
    page's "Waiting for my approval" (htmx), or on the offer page."""
    context = browser.new_context(base_url=live_server.url)
    try:
        approver = context.new_page()
        fill_login_form(approver, user.username, PASSWORD)
        expect(approver).to_have_url(f"{live_server.url}/")
        if home:
            item = approver.locator(f"#approval-{offer.pk}")
            item.get_by_role("button", name="Approve").click()
            expect(item.get_by_role("status")).to_contain_text("Approved")
        else:
            approver.goto(f"/offers/{offer.pk}/")
            approver.locator("#your-approval").get_by_role("button", name="Approve").click()
            expect(approver.locator(".messages")).to_contain_text(
                "Approved. The offer for Grace Okafor is fully approved and can be sent."
            )
    finally:
        context.close()


def test_the_candidate_opens_the_e_mailed_offer_on_a_phone_and_accepts_it(
    page: Page,
    browser: Browser,
    log_in: LogIn,
    live_server: LiveServer,
    smtp_server: Any,
) -> None:
    playbook_load()
    UserFactory(roles=[ADMIN], first_name="Fin", last_name="Ance")
    recruiter = log_in(RECRUITER, first_name="Riley", last_name="Chen")
    requisition = factories.requisition(recruiter=recruiter)
    candidate = factories.CandidateFactory(name="Grace Okafor", email="grace@example.org")
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    factories.decision(application_obj=application)

    # The debrief: "Draft offer" right there; the form; submit.
    page.goto(f"/applications/{application.pk}/debrief/")
    page.get_by_test_id("draft-offer").click()
    terms = factories.offer_terms(application)
    page.get_by_label("Base salary").fill(str(terms["base_salary"]))
    page.get_by_label("Target bonus").fill(str(terms["target_bonus"]))
    page.get_by_label("Start date").fill(terms["start_date"].isoformat())
    page.get_by_label("Offer expires on").fill(terms["expires_on"].isoformat())
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for approval").click()
    offer = Offer.objects.get(application=application)
    assert offer.status == OfferStatus.PENDING
    # The hiring manager's step, then Finance/HR's, each approved by its approver.
    for home in (True, False):
        step = offer.steps.get(round=offer.approval_round, status="pending")
        approve_as(browser, live_server, step.approvers.get().user, offer, home=home)
        step.refresh_from_db()
        assert step.status == "approved", step.name
    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED

    # The recruiter sends it from the offer page; the worker hands it to the mail server.
    page.goto(f"/offers/{offer.pk}/")
    page.get_by_test_id("send-offer").click()
    expect(page.locator("body")).to_contain_text("grace@example.org")
    deliver_pending()
    [mail] = [m for m in smtp_server.wait_for(1) if m["To"] == "grace@example.org"]
    assert [a[1] for a in smtp_server.attachments(mail)] == ["application/pdf"]
    found = re.search(r"https?://\S+?(/offer/\S+?/)(?:\s|$)", smtp_server.text(mail))
    assert found, smtp_server.text(mail)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT

    # The candidate, on a phone, with no account.
    phone = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        candidate_page = phone.new_page()
        candidate_page.goto(found.group(1))
        expect(candidate_page.get_by_role("heading", level=1)).to_have_text(
            "Your offer, Grace Okafor"
        )
        expect(candidate_page.get_by_test_id("letter")).to_contain_text("Grace")
        width = candidate_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        if SHOOT:
            candidate_page.screenshot(
                path=str(DOCS / "readme-letters-candidate-390.png"), full_page=True
            )
        with candidate_page.expect_download() as download:
            candidate_page.get_by_test_id("download-pdf").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

        # A name that is not the one on the letter is refused in the page.
        candidate_page.get_by_label("Type your full name").fill("Someone Else")
        candidate_page.locator("#id_agree").check()
        candidate_page.get_by_role("button", name="Accept and sign").click()
        expect(candidate_page.locator("#full-name-error")).to_be_visible()
        candidate_page.get_by_label("Type your full name").fill("Grace Okafor")
        candidate_page.locator("#id_agree").check()
        candidate_page.get_by_role("button", name="Accept and sign").click()
        expect(candidate_page.get_by_role("heading", level=1)).to_have_text(
            "Thank you: you have accepted"
        )
        if SHOOT:
            candidate_page.screenshot(path=str(DOCS / "readme-letters-accepted-390.png"))
    finally:
        phone.close()

    offer.refresh_from_db()
    application.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert application.status == ApplicationStatus.HIRED
    assert OfferSignature.objects.get(offer=offer).full_name == "Grace Okafor"
    # The recruiter sees it without asking anyone.
    page.goto(f"/offers/{offer.pk}/")
    expect(page.locator("body")).to_contain_text("Accepted")
    expect(page.get_by_test_id("signed-copy")).to_be_visible()
    page.goto(f"/candidates/{candidate.pk}/")
    expect(page.locator("body")).to_contain_text("Hired")
    assert Offer.objects.filter(application=application).count() == 1
    # The dashboard counts the candidate's answer, with its business-hours turnaround.
    page.goto("/offers/dashboard/")
    answered = page.get_by_test_id("candidate-legs-30").get_by_role("row", name="Sent → answered")
    expect(answered.get_by_role("cell").first).to_have_text("1")
