"""The pipeline board in Chromium: drag a card, move another by keyboard, reload to check;
load the rest of a long column with "Show more" and move a loaded card."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from hiring.permissions import RECRUITER
from hiring.pipeline.models import Application
from hiring.pipeline.selectors.board import BOARD_COLUMN_CAP
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


def test_show_more_loads_the_rest_of_a_column_and_loaded_cards_move_by_keyboard(
    page: Page, log_in: LogIn
) -> None:
    playbook_load()
    recruiter = log_in(RECRUITER)
    req = factories.requisition(title="Busy requisition", recruiter=recruiter)
    applied = req.stages.get(name="Applied")
    start = timezone.now() - dt.timedelta(days=3)
    candidates = factories.CandidateFactory.create_batch(BOARD_COLUMN_CAP + 2)
    Application.objects.bulk_create(
        Application(candidate=c, requisition=req, stage=applied,
                    entered_stage_at=start + dt.timedelta(minutes=i))
        for i, c in enumerate(candidates)
    )  # fmt: skip
    last = Application.objects.get(requisition=req, candidate=candidates[-1])

    page.goto(f"/requisitions/{req.pk}/board/")
    column = page.locator(".board-column").filter(
        has=page.get_by_role("heading", name="Applied", exact=True)
    )
    expect(page.get_by_test_id("count-applied")).to_have_text(str(BOARD_COLUMN_CAP + 2))
    expect(column.locator(".board-card")).to_have_count(BOARD_COLUMN_CAP)
    expect(page.locator(f"#card-{last.pk}")).to_have_count(0)

    page.get_by_role("link", name="Show 2 more in Applied").click()
    expect(column.locator(".board-card")).to_have_count(BOARD_COLUMN_CAP + 2)
    expect(page.get_by_role("link", name="Show 2 more in Applied")).to_have_count(0)
    expect(column.locator(".board-card").nth(BOARD_COLUMN_CAP)).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/requisitions/{req.pk}/board/$"))  # no reload

    # A card that "Show more" loaded moves by keyboard like any other.
    page.locator(f"#card-{last.pk}").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("status")).to_have_text(
        f"{last.candidate.name} moved to Recruiter screen."
    )
    expect(page.get_by_test_id("count-applied")).to_have_text(str(BOARD_COLUMN_CAP + 1))
    expect(page.get_by_test_id("count-recruiter-screen")).to_have_text("1")
    expect(page.locator(f"#card-{last.pk}")).to_be_focused()


def test_fast_arrow_presses_all_arrive_in_order_and_none_is_lost(page: Page, log_in: LogIn) -> None:
    """Three presses within 50 ms used to post a plain form with no CSRF token (Django's raw
    "CSRF verification failed" page) and lose the move: now they queue."""
    playbook_load()
    recruiter = log_in(RECRUITER)
    req = factories.requisition(title="Applied ML Engineer, Speed", recruiter=recruiter)
    quick = factories.application(
        requisition_obj=req, candidate=factories.CandidateFactory(name="Quinn Quick")
    )
    page.goto(f"/requisitions/{req.pk}/board/")
    page.locator(f"#card-{quick.pk}").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight", delay=0)
    expect(page.get_by_role("status")).to_have_text("Quinn Quick moved to Debrief.")
    expect(page.get_by_test_id("count-debrief")).to_have_text("1")
    expect(page.locator("body")).not_to_contain_text("CSRF")
    quick.refresh_from_db()
    assert quick.stage.name == "Debrief"
    assert [c.to_stage.name for c in quick.stage_changes.order_by("at", "id")][-3:] == [
        "Recruiter screen", "Structured interview", "Debrief",
    ]  # fmt: skip
