"""The step after the debrief is easy to find: "Draft offer" on the candidate page and on the
board card in the Offer stage, then the offer's status, clock and link in their place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from hiring.permissions import INTERVIEWER
from hiring.pipeline.models import StageKind
from hiring.pipeline.services.applications import application_move
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
TUESDAY = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def advanced(requisition: Any = None) -> Any:
    """An application advanced to the Offer stage, its clock started (no offer yet)."""
    application = factories.application(requisition_obj=requisition)
    stage = application.requisition.stages.get(kind=StageKind.OFFER)
    application_move(
        application=application, to_stage=stage, actor=application.requisition.recruiter
    )
    factories.decision(application_obj=application)
    return application


def test_the_candidate_page_offers_draft_offer_with_the_clock() -> None:
    with time_machine.travel(TUESDAY, tick=False):
        application = advanced()
        page = login(application.requisition.recruiter).get(
            f"/candidates/{application.candidate_id}/"
        )
    html = page.content.decode()
    assert f"/offers/new/?application={application.pk}" in html
    assert "No offer drafted yet" in html
    assert "due Thu 3 Dec, 10:00 (16 business hours left)" in html


def test_once_drafted_the_candidate_page_shows_the_offer_status_clock_and_link(
    make_user: Any,
) -> None:
    make_user("Admin")  # the finance/HR approver
    with time_machine.travel(TUESDAY, tick=False):
        application = advanced()
    with time_machine.travel(TUESDAY + dt.timedelta(hours=5), tick=False):
        offer = factories.offer(application_obj=application, submit=True)
        html = (
            login(application.requisition.recruiter)
            .get(f"/candidates/{application.candidate_id}/")
            .content.decode()
        )
    assert f'href="/offers/{offer.pk}/"' in html and "Pending approval" in html
    assert f"/offers/new/?application={application.pk}" not in html
    assert "due Thu 3 Dec, 10:00 (11 business hours left)" in html


def test_the_hiring_manager_sees_the_offer_state_but_no_draft_button() -> None:
    application = advanced()
    html = (
        login(application.requisition.hiring_manager)
        .get(f"/candidates/{application.candidate_id}/")
        .content.decode()
    )
    assert "No offer drafted yet" in html and "business hours left" in html
    assert "/offers/new/" not in html


def test_an_interviewer_of_the_candidate_sees_no_offer_at_all(make_user: Any) -> None:
    application = advanced()
    interviewer = make_user(INTERVIEWER)
    factories.scheduled_interview(application_obj=application, interviewers=[interviewer])
    page = login(interviewer).get(f"/candidates/{application.candidate_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Offer clock" not in html and "/offers/" not in html and "Draft offer" not in html


def test_the_board_card_in_the_offer_stage_offers_draft_offer_then_links_the_offer() -> None:
    application = advanced()
    board = f"/requisitions/{application.requisition_id}/board/"
    recruiter = login(application.requisition.recruiter)
    html = recruiter.get(board).content.decode()
    assert f'href="/offers/new/?application={application.pk}"' in html
    offer = factories.offer(application_obj=application)
    html = recruiter.get(board).content.decode()
    assert f'href="/offers/{offer.pk}/"' in html and "Offer: draft" in html
    assert "/offers/new/" not in html


def test_cards_in_other_stages_have_no_offer_action() -> None:
    application = factories.application()
    html = login(application.requisition.recruiter).get(
        f"/requisitions/{application.requisition_id}/board/"
    )
    assert "/offers/new/" not in html.content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_offer_actions_keep_the_board_at_a_fixed_number_of_queries(
    n: int, django_assert_max_num_queries: Any
) -> None:
    first = advanced()
    for _ in range(n - 1):
        factories.offer(application_obj=advanced(first.requisition))
    client = login(first.requisition.recruiter)
    with django_assert_max_num_queries(12):
        assert client.get(f"/requisitions/{first.requisition_id}/board/").status_code == 200
