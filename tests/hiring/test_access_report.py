"""The security review's report (issue 13, item 1), reproduced as it was found.

The demo `manager` holds two roles, Hiring manager and Interviewer, and interviews a candidate
on ANOTHER manager's pedigree-blind requisition, whose offer waits for approval. Being on that
interview must open that candidate's interview and scorecard only: not the offer, its band,
the requisition's board or its other candidates, and not the candidate's degrees or schools.
Visibility is decided per capability, from the roles that hold it (hiring/permissions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")

DEGREE = "PhD Computer Science"
SCHOOL = "Stanford University"
OTHER_TEAM = "Ranking platform of the other team"
APPROVER_NOTE = "Stretch offer: she holds a competing one from a lab"


@dataclass
class Report:
    manager: Client  # Hiring manager + Interviewer, as the demo's `manager`
    requisition: Any  # another manager's, pedigree-blind
    interviewed: Any  # the application the manager interviews for
    bystander: Any  # another candidate on that requisition, not interviewed by the manager
    offer: Any  # the interviewed candidate's offer, waiting for approval
    figures: list[str]  # how its money shows in a page and in JSON


@pytest.fixture
def report(make_user: Any) -> Report:
    make_user(ADMIN)  # finance/HR approves every offer
    manager = make_user(HIRING_MANAGER, INTERVIEWER)
    factories.requisition(hiring_manager=manager)  # the manager's own requisition
    requisition = factories.requisition(title=OTHER_TEAM)
    assert requisition.pedigree_blind
    interviewed = factories.application(requisition_obj=requisition)
    bystander = factories.application(requisition_obj=requisition)
    factories.interview(application_obj=interviewed, interviewers=[manager])
    factories.decision(application_obj=interviewed)
    offer = factories.offer(application_obj=interviewed, submit=True, notes=APPROVER_NOTE)
    figures = [
        f"{amount:,}" if page else str(amount)
        for amount in (offer.base_salary, offer.total_cash)
        for page in (True, False)
    ]
    client = Client()
    client.force_login(manager)
    return Report(client, requisition, interviewed, bystander, offer, figures)


def _absent(body: str, *texts: str) -> None:
    leaked = [text for text in texts if text in body]
    assert not leaked, f"leaked: {leaked}"


def test_the_offer_of_a_candidate_they_interview_is_404_in_the_api(report: Report) -> None:
    offer = report.offer.pk
    assert report.manager.get(f"/api/offers/{offer}/").status_code == 404
    assert report.manager.get(f"/api/offers/{offer}/band-check/").status_code == 404
    listed = report.manager.get("/api/offers/").json()["results"]
    assert offer not in [row["id"] for row in listed]


def test_the_offer_page_of_a_candidate_they_interview_is_404(report: Report) -> None:
    assert report.manager.get(f"/offers/{report.offer.pk}/").status_code == 404


@pytest.mark.parametrize("page", ["/offers/", "/offers/dashboard/"])
def test_the_offer_list_and_dashboard_leave_out_the_offer_and_its_salary(
    report: Report, page: str
) -> None:
    response = report.manager.get(page)
    assert response.status_code == 200
    _absent(response.content.decode(), *report.figures, report.interviewed.candidate.name)


def test_the_other_managers_board_is_404(report: Report) -> None:
    requisition = report.requisition
    assert report.manager.get(f"/requisitions/{requisition.pk}/board/").status_code == 404
    stage = requisition.stages.order_by("position").first()
    cards = f"/requisitions/{requisition.pk}/board/stages/{stage.pk}/cards/"
    assert report.manager.get(cards).status_code == 404


@pytest.mark.parametrize(
    "page", ["/requisitions/", "/candidates/", "/candidates/export.csv", "/api/applications/"]
)
def test_lists_leave_out_the_other_managers_candidates(report: Report, page: str) -> None:
    body = b"".join(report.manager.get(page)).decode()  # streamed or not
    _absent(body, report.bystander.candidate.name, report.bystander.candidate.email)
    if page != "/api/applications/":  # the API lists the interviewed one: the interviewer's
        _absent(body, report.interviewed.candidate.email, OTHER_TEAM)


def test_candidates_they_do_not_interview_stay_404(report: Report) -> None:
    candidate = report.bystander.candidate_id
    assert report.manager.get(f"/candidates/{candidate}/").status_code == 404
    assert report.manager.get(f"/api/candidates/{candidate}/").status_code == 404


def test_the_interviewed_candidates_credentials_are_hidden_in_blind_mode(report: Report) -> None:
    candidate = report.interviewed.candidate_id
    page = report.manager.get(f"/candidates/{candidate}/")
    assert page.status_code == 200
    _absent(page.content.decode(), DEGREE, SCHOOL)
    data = report.manager.get(f"/api/candidates/{candidate}/").json()
    assert data["credentials_hidden"] is True
    assert data["degrees"] is None and data["schools"] is None


def test_the_scorecard_page_hides_the_credentials_in_blind_mode(report: Report) -> None:
    interview = report.interviewed.interviews.get()
    page = report.manager.get(f"/interviews/{interview.pk}/scorecard/")
    assert page.status_code == 200
    _absent(page.content.decode(), DEGREE, SCHOOL)


def test_the_debrief_and_summary_stay_404(report: Report) -> None:
    application = report.interviewed.pk
    assert report.manager.get(f"/applications/{application}/debrief/").status_code == 404
    assert report.manager.get(f"/api/applications/{application}/summary/").status_code == 404
