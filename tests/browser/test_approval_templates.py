"""The approval-template pages in Chromium: an admin builds the company default (a step of
two named approvers, N of M checked), gives a requisition its own template from it, and the
next offer submitted on that requisition gets the chain from that template."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from hiring.offers.models import ApprovalStep
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER
from roles.playbook import playbook_load
from tests import factories
from tests.factories import UserFactory

LogIn = Callable[..., User]


def test_admin_builds_the_default_then_a_requisition_template_that_the_next_offer_gets(
    page: Page, log_in: LogIn
) -> None:
    playbook_load()
    ada = UserFactory(roles=[HIRING_MANAGER], first_name="Ada", last_name="Lovelace")
    ben = UserFactory(roles=[RECRUITER], first_name="Ben", last_name="Okri")
    manager = UserFactory(roles=[HIRING_MANAGER], first_name="Hana", last_name="Ito")
    admin = log_in(ADMIN, first_name="Adm", last_name="In")
    requisition = factories.requisition(title="Platform engineer", hiring_manager=manager)
    draft = factories.offer(
        application_obj=factories.application(
            candidate=factories.CandidateFactory(name="Noor Haddad"), requisition_obj=requisition
        )
    )

    # The company default: the built-in chain to start from, plus a step of two people.
    page.goto("/offers/")
    page.get_by_role("link", name="Approval templates").click()
    page.get_by_role("link", name="Edit the company default").click()
    expect(page.get_by_test_id("starting-point")).to_contain_text("No company default is saved")
    page.get_by_role("button", name="Add step").click()
    step = page.get_by_test_id("editor-step-3")
    expect(step.get_by_label("Step name")).to_be_focused()
    step.get_by_label("Step name").fill("Leadership")
    step.get_by_label("Ada Lovelace").check()
    step.get_by_label("Ben Okri").check()
    step.get_by_label("Approvals needed").fill("3")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("alert")).to_contain_text("Step 3: At most 2")
    expect(step.locator(".field-error")).to_have_text(
        "At most 2: this step has 2 approver(s) who can approve."
    )
    step.get_by_label("Approvals needed").fill("2")
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".messages")).to_contain_text("Approval template saved.")

    # The requisition uses it, until it gets its own (from the default, one step removed).
    page.goto(f"/requisitions/{requisition.pk}/board/")
    chain = page.locator("#approval-chain")
    expect(chain.get_by_test_id("chain-kind")).to_have_text("Company default")
    expect(chain.locator(".chain-step")).to_have_count(3)
    chain.get_by_role("link", name="Edit approval template").click()
    expect(page.locator("#uses-default")).to_contain_text("Company default")
    page.get_by_role("link", name="Give it its own template").click()
    page.get_by_role("button", name="Remove step 2").click()
    expect(page.get_by_test_id("editor-step-2").get_by_label("Step name")).to_have_value(
        "Leadership"
    )
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".messages")).to_contain_text("Approval template saved.")
    page.goto(f"/requisitions/{requisition.pk}/board/")
    expect(chain.get_by_test_id("chain-kind")).to_have_text("Own template")
    expect(chain.locator(".chain-step")).to_have_count(2)

    # The next offer submitted there: the hiring manager, then 2 of Ada and Ben.
    page.goto(f"/offers/{draft.pk}/")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("offer-status")).to_have_text("Pending approval")
    approvals = page.locator("#approvals")
    expect(approvals.locator(".chain-step")).to_have_count(2)
    leadership = approvals.get_by_test_id("step-leadership")
    expect(leadership).to_contain_text("2 of 2 approvers needed")
    expect(leadership).to_contain_text(re.compile("Ada Lovelace.*Ben Okri", re.S))
    steps = ApprovalStep.objects.filter(offer=draft).order_by("position")
    assert [(s.name, s.required_approvals) for s in steps] == [
        ("Hiring manager", 1), ("Leadership", 2),
    ]  # fmt: skip
    assert {a.user_id for a in steps[1].approvers.all()} == {ada.pk, ben.pk}
    assert admin.is_active


# Every post is slowed by 600 ms, as on a slow network: Save pressed while Add step is still
# in flight was dropped by htmx, and the swap then showed the form as if nothing was pressed.
SLOW_POSTS = """() => {
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) { setTimeout(() => send.call(this, body), 600); };
}"""


def test_save_pressed_while_add_step_is_in_flight_is_not_lost(page: Page, log_in: LogIn) -> None:
    log_in(ADMIN)
    page.goto("/offers/approval-templates/default/")
    page.evaluate(SLOW_POSTS)
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_role("button", name="Save template")).to_be_disabled()
    page.get_by_role("button", name="Save template").click()  # waits for the swapped-in form
    expect(page.get_by_test_id("editor-step-3")).to_be_visible()
    expect(page.get_by_test_id("editor-step-3").locator(".field-error").first).to_be_visible()
