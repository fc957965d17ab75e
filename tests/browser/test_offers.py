"""Offer journeys in Chromium: a hiring manager approves from the home page; an out-of-band
offer demands a justification and gets an extra step; the reminder e-mail's link leads the
approver (through the login page) to the voting page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from hiring.business_time import company_calendar, next_business_opening
from hiring.notifications.sweep import sweep
from hiring.offers.models import ApprovalStep, Offer
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER
from roles.playbook import playbook_load
from tests import factories
from tests.factories import PASSWORD, UserFactory

LogIn = Callable[..., User]


def test_hiring_manager_approves_an_offer_from_the_home_page(page: Page, log_in: LogIn) -> None:
    playbook_load()
    UserFactory(roles=[ADMIN], first_name="Fin", last_name="Ance")
    manager = log_in(HIRING_MANAGER, first_name="Hana")
    requisition = factories.requisition(hiring_manager=manager)
    candidate = factories.CandidateFactory(name="Grace Okafor")
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    factories.decision(application_obj=application)
    offer = factories.offer(application_obj=application, submit=True)

    page.goto("/")
    approvals = page.locator("#my-approvals")
    expect(approvals.get_by_role("link", name="Grace Okafor")).to_be_visible()
    expect(approvals).to_contain_text("left")
    approvals.get_by_role("button", name="Approve").click()

    expect(approvals.get_by_role("status")).to_contain_text(
        "Approved. The offer for Grace Okafor now waits for: Finance/HR"
    )
    page.goto(f"/offers/{offer.pk}/")
    step = page.get_by_test_id("step-hiring-manager")
    expect(step).to_contain_text("Approved")
    expect(page.get_by_test_id("step-financehr")).to_contain_text("Pending")


def test_out_of_band_offer_demands_a_justification_and_adds_a_step(
    page: Page, log_in: LogIn
) -> None:
    playbook_load()
    UserFactory(roles=[ADMIN])
    recruiter = log_in(RECRUITER)
    requisition = factories.requisition(recruiter=recruiter)
    candidate = factories.CandidateFactory(name="Ivan Novak")
    application = factories.application(candidate=candidate, requisition_obj=requisition)
    today = timezone.localdate()

    page.goto(f"/offers/new/?application={application.pk}")
    expect(page.get_by_test_id("band-hint")).to_contain_text("total cash")
    page.get_by_label("Base salary").fill("420000")
    page.get_by_label("Target bonus").fill("40000")
    page.get_by_label("Start date").fill((today + dt.timedelta(days=40)).isoformat())
    page.get_by_label("Offer expires on").fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Offer for Ivan Novak")
    expect(page.locator("#band")).to_contain_text("Above band")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("alert")).to_contain_text("This offer is out of band")
    expect(page.get_by_test_id("offer-status")).to_have_text("Draft")

    page.get_by_label("Justification").fill(
        "Two competing offers from AI labs; he ran our exact retrieval stack in production."
    )
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("offer-status")).to_have_text("Pending approval")
    chain = page.locator("#approvals")
    expect(chain.get_by_test_id("step-compensation-exception")).to_be_visible()
    expect(chain.locator(".chain-step")).to_have_count(3)
    assert Offer.objects.get(application=application).band_result == "above"


def test_the_reminder_e_mail_link_leads_the_approver_to_the_vote(
    page: Page, live_server: LiveServer
) -> None:
    playbook_load()
    UserFactory(roles=[ADMIN])
    manager = UserFactory(roles=[HIRING_MANAGER], first_name="Mo", email="mo@example.com")
    requisition = factories.requisition(hiring_manager=manager)
    candidate = factories.CandidateFactory(name="Lina Haddad")
    offer = factories.offer(
        application_obj=factories.application(candidate=candidate, requisition_obj=requisition),
        submit=True,
    )
    # The step opened long ago: its reminder is due at the next business moment.
    step = ApprovalStep.objects.get(offer=offer, position=0)
    ApprovalStep.objects.filter(pk=step.pk).update(
        next_reminder_at=timezone.now() - dt.timedelta(hours=1)
    )
    moment = next_business_opening(timezone.now(), company_calendar()) + dt.timedelta(minutes=1)
    mail.outbox.clear()
    sweep(now=moment)

    reminder = next(m for m in mail.outbox if m.subject.startswith("Reminder"))
    assert reminder.to == ["mo@example.com"]
    link = re.search(r"http://\S+", reminder.body).group(0)  # type: ignore[union-attr]
    path = link.removeprefix("http://127.0.0.1:8000")

    page.goto(path)  # not logged in yet: the login page, then back to the link
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the offer for Lina Haddad")
    page.get_by_label("Comment").fill("Good band position.")
    page.get_by_role("button", name="Approve").click()
    expect(page).to_have_url(f"{live_server.url}/offers/{offer.pk}/")
    expect(page.locator(".messages")).to_contain_text("now waits for: Finance/HR")

    page.goto(path)  # single use
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This approval link has already been used."
    )
