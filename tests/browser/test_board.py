"""The pipeline board in Chromium: drag a card, move another by keyboard, reload to check."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from hiring.permissions import RECRUITER
from roles.playbook import playbook_load
from tests import factories

LogIn = Callable[..., User]


def test_recruiter_moves_cards_by_drag_and_by_keyboard_and_the_moves_persist(
    page: Page, log_in: LogIn
) -> None:
    playbook_load()
    recruiter = log_in(RECRUITER)
    req = factories.requisition(title="Applied ML Engineer, Fraud", recruiter=recruiter)
    dragged = factories.application(
        requisition_obj=req, candidate=factories.CandidateFactory(name="Dana Drag")
    )
    keyed = factories.application(
        requisition_obj=req, candidate=factories.CandidateFactory(name="Kim Keys")
    )

    page.goto(f"/requisitions/{req.pk}/board/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Applied ML Engineer, Fraud")
    applied = page.get_by_test_id("count-applied")
    interview = page.get_by_test_id("count-structured-interview")
    screen = page.get_by_test_id("count-recruiter-screen")
    expect(applied).to_have_text("2")
    expect(interview).to_have_text("0")

    # Drag and drop: Dana from Applied to Structured interview.
    column = page.locator(".board-column").filter(
        has=page.get_by_role("heading", name="Structured interview", exact=True)
    )
    page.locator(f"#card-{dragged.pk}").drag_to(column)
    expect(page.get_by_role("status")).to_have_text("Dana Drag moved to Structured interview.")
    expect(applied).to_have_text("1")
    expect(interview).to_have_text("1")
    expect(column.get_by_role("link", name="Dana Drag")).to_be_visible()

    # Keyboard: focus Kim's card and press the right arrow to move one stage on.
    page.locator(f"#card-{keyed.pk}").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("status")).to_have_text("Kim Keys moved to Recruiter screen.")
    expect(applied).to_have_text("0")
    expect(screen).to_have_text("1")
    expect(page.locator(f"#card-{keyed.pk}")).to_be_focused()

    page.reload()
    expect(applied).to_have_text("0")
    expect(screen).to_have_text("1")
    expect(interview).to_have_text("1")
    screen_column = page.locator(".board-column").filter(
        has=page.get_by_role("heading", name="Recruiter screen", exact=True)
    )
    expect(screen_column.get_by_role("link", name="Kim Keys")).to_be_visible()


def test_refused_move_shows_the_reason_and_leaves_the_card(page: Page, log_in: LogIn) -> None:
    playbook_load()
    recruiter = log_in(RECRUITER)
    req = factories.requisition(title="Closed soon", recruiter=recruiter)
    app = factories.application(
        requisition_obj=req, candidate=factories.CandidateFactory(name="Rae Refused")
    )
    page.goto(f"/requisitions/{req.pk}/board/")
    # Someone closes the requisition while the board is open.
    req.status = "closed"
    req.save()
    card = page.locator(f"#card-{app.pk}")
    card.get_by_label("Move Rae Refused to").select_option(label="Offer")
    card.get_by_role("button", name="Move Rae Refused").click()
    expect(page.get_by_role("alert")).to_contain_text("Rae Refused was not moved")
    expect(page.get_by_test_id("count-applied")).to_have_text("1")
    expect(page.get_by_test_id("count-offer")).to_have_text("0")
