"""Visibility per capability, for users who hold two roles: what one role opens is never
widened by another role that lacks the capability (hiring/permissions.py, REACH).

The review's own report is tests/hiring/test_access_report.py; these are the other places
the same union of scopes let a user further than the table says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from assessments.models import Decision
from hiring.permissions import (
    ADMIN,
    HIRING_MANAGER,
    INTERVIEWER,
    REACH,
    RECRUITER,
    RULES,
    reach_of,
)
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_scoped_capability_names_the_roles_of_the_table() -> None:
    assert all(set(REACH[name]) == RULES[name] for name in REACH)


def test_reach_comes_only_from_the_roles_holding_the_capability(
    make_user: Callable[..., Any],
) -> None:
    both = make_user(HIRING_MANAGER, INTERVIEWER)
    assert reach_of(both, "offers.view") == {"managed", "approving"}
    assert reach_of(both, "pipeline.view") == {"managed"}
    assert reach_of(both, "candidates.view") == {"managed", "interviewed"}
    assert reach_of(make_user(INTERVIEWER), "offers.view") == frozenset()


def test_a_recruiter_who_is_a_manager_decides_only_on_their_own_requisitions(
    make_user: Callable[..., Any],
) -> None:
    """Reading a debrief comes from the recruiter role (every requisition); deciding from
    the hiring-manager role, which reaches only their own requisitions."""
    both = make_user(RECRUITER, HIRING_MANAGER)
    theirs = factories.application()
    mine = factories.application(requisition_obj=factories.requisition(hiring_manager=both))
    client = login(both)
    url = f"/applications/{theirs.pk}/debrief/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="outcome"' not in page.content.decode()  # no decision form to offer
    assert 'name="outcome"' in client.get(f"/applications/{mine.pk}/debrief/").content.decode()
    assert client.post(url, {"outcome": "hold"}).status_code == 403
    api = f"/api/applications/{theirs.pk}/decision/"
    assert client.get(api).status_code == 200
    refused = client.post(api, {"outcome": "hold"}, "application/json")
    assert refused.status_code == 403
    assert not Decision.objects.filter(application=theirs).exists()
    mine_api = f"/api/applications/{mine.pk}/decision/"
    assert client.post(mine_api, {"outcome": "hold"}, "application/json").status_code == 201


def test_calibration_of_a_recruiter_who_is_a_manager_covers_their_requisitions_only(
    make_user: Callable[..., Any],
) -> None:
    both = make_user(RECRUITER, HIRING_MANAGER)
    stranger = make_user(INTERVIEWER, first_name="Quentin", last_name="Elsewhere")
    application = factories.application()  # another manager's
    interview = factories.scheduled_interview(application_obj=application, interviewers=[stranger])
    factories.filled_scorecard(interview=interview, interviewer=stranger)
    page = login(both).get("/interviews/calibration/").content.decode()
    assert "Quentin Elsewhere" not in page
    assert (
        "Quentin Elsewhere"
        in login(make_user(ADMIN)).get("/interviews/calibration/").content.decode()
    )


def test_a_manager_on_another_managers_interview_sees_no_blind_credentials(
    make_user: Callable[..., Any],
) -> None:
    """Hiring managers can be put on interviews; on another manager's pedigree-blind
    requisition they are an interviewer there, not its hiring manager."""
    manager = make_user(HIRING_MANAGER)
    application = factories.application()
    interview = factories.interview(application_obj=application, interviewers=[manager])
    page = login(manager).get(f"/interviews/{interview.pk}/scorecard/").content.decode()
    candidate = application.candidate
    assert candidate.degrees not in page and candidate.schools not in page


def test_a_manager_who_interviews_elsewhere_waits_for_the_blind_rule_there(
    make_user: Callable[..., Any],
) -> None:
    """The panel's scorecards show once the user owes none for the candidate, unless
    `scorecards.view_all` reaches the requisition: a hiring manager's own ones only."""
    both, other = make_user(HIRING_MANAGER, INTERVIEWER), make_user(INTERVIEWER)
    application = factories.application()
    first = factories.scheduled_interview(application_obj=application, interviewers=[both, other])
    factories.scheduled_interview(application_obj=application, interviewers=[both])
    factories.filled_scorecard(interview=first, interviewer=other, summary="Panel verdict text")
    factories.filled_scorecard(interview=first, interviewer=both)
    page = login(both).get(f"/interviews/{first.pk}/scorecard/").content.decode()
    assert "Panel verdict text" not in page
    assert "Hidden until you have submitted all your scorecards" in page
    listed = login(both).get("/api/scorecards/", {"application": application.pk}).json()
    assert "Panel verdict text" not in str(listed)


def test_the_candidate_page_links_only_the_boards_the_user_may_open(
    make_user: Callable[..., Any],
) -> None:
    both = make_user(HIRING_MANAGER, INTERVIEWER)
    application = factories.application()
    factories.interview(application_obj=application, interviewers=[both])
    page = login(both).get(f"/candidates/{application.candidate_id}/").content.decode()
    assert f"/requisitions/{application.requisition_id}/board/" not in page
    assert f"/applications/{application.pk}/debrief/" not in page


def test_an_approver_from_another_team_sees_only_the_revisions_they_approve(
    make_user: Callable[..., Any], settings: Any
) -> None:
    from hiring.offers.services.offers import offer_rescind, offer_revise, offer_update

    make_user(ADMIN)
    approver = make_user(HIRING_MANAGER)  # finance/HR, managing another team
    settings.OFFER_FINANCE_APPROVERS = [approver.username]
    application = factories.application()
    recruiter = application.requisition.recruiter
    first = factories.offer(application_obj=application, submit=True)
    offer_rescind(offer=first, actor=recruiter, reason="Terms to change")
    second = offer_revise(offer=first, actor=recruiter)
    second = offer_update(
        offer=second, fields={"base_salary": first.base_salary + 1_234}, actor=recruiter
    )
    client = login(approver)
    assert client.get(f"/offers/{second.pk}/").status_code == 404
    page = client.get(f"/offers/{first.pk}/").content.decode()
    assert f"/offers/{second.pk}/" not in page
    assert f"{second.total_cash:,}" not in page


@pytest.mark.parametrize(
    "capability",
    ["compensation.view", "compensation.edit", "offers.view", "offers.edit", "offers.dashboard"],
)
def test_no_capability_that_shows_compensation_is_held_by_the_interviewer_role(
    capability: str,
) -> None:
    assert INTERVIEWER not in RULES[capability]
    assert INTERVIEWER not in REACH.get(capability, {})
