"""Who reads a note (issue 13, item 3): a recruiter's note ("candidate asked for 250k") is the
hiring team's by default (recruiters, the requisition's hiring manager, admins); a recruiter
shares one with interviewers explicitly. Interviewers read only shared notes (and their own),
on the candidate page, its timeline, the notes API, and in search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hiring.errors import DomainError
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import Note, NoteVisibility
from hiring.pipeline.services.applications import note_add
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
HTMX = {"HTTP_HX_REQUEST": "true"}
HIDDEN = "Candidate asked for 250k base"
SHARED = "Ask about the outage they led"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Team:
    recruiter: Any
    manager: Any
    interviewer: Any
    admin: Any
    application: Any

    @property
    def page(self) -> str:
        return f"/candidates/{self.application.candidate_id}/"

    @property
    def notes_api(self) -> str:
        return f"/api/applications/{self.application.pk}/notes/"


@pytest.fixture
def team(make_user: Callable[..., Any]) -> Team:
    recruiter, manager = make_user(RECRUITER), make_user(HIRING_MANAGER)
    interviewer = make_user(INTERVIEWER)
    requisition = factories.requisition(hiring_manager=manager, recruiter=recruiter)
    application = factories.application(requisition_obj=requisition)
    factories.interview(application_obj=application, interviewers=[interviewer])
    note_add(application=application, body=HIDDEN, actor=recruiter)
    note_add(application=application, body=SHARED, actor=recruiter, visibility="shared")
    return Team(recruiter, manager, interviewer, make_user(ADMIN), application)


def test_a_note_is_for_the_hiring_team_unless_shared(team: Team) -> None:
    assert Note.objects.get(body=HIDDEN).visibility == NoteVisibility.TEAM
    assert Note.objects.get(body=SHARED).visibility == NoteVisibility.SHARED


@pytest.mark.parametrize("who", ["recruiter", "manager", "admin"])
def test_the_hiring_team_reads_every_note(team: Team, who: str) -> None:
    page = login(getattr(team, who)).get(team.page).content.decode()
    assert HIDDEN in page and SHARED in page


def test_an_interviewer_reads_only_shared_notes_on_the_candidate_page(team: Team) -> None:
    client = login(team.interviewer)
    for url in (team.page, f"{team.page}timeline/"):
        page = client.get(url, **HTMX).content.decode()
        assert SHARED in page
        assert HIDDEN not in page


def test_an_interviewer_reads_only_shared_notes_in_the_api(team: Team) -> None:
    rows = login(team.interviewer).get(team.notes_api).json()["results"]
    assert [(row["body"], row["visibility"]) for row in rows] == [(SHARED, "shared")]


def test_an_interviewer_reads_the_note_they_wrote(team: Team) -> None:
    client = login(team.interviewer)
    body = {"application": team.application.pk, "body": "My own reminder"}
    response = client.post(f"{team.page}notes/", body, **HTMX)
    assert "My own reminder" in response.content.decode()
    assert Note.objects.get(body="My own reminder").visibility == NoteVisibility.TEAM
    assert (
        "My own reminder"
        not in login(factories.UserFactory(roles=[INTERVIEWER])).get(team.page).content.decode()
    )


def test_a_recruiter_shares_a_note_with_the_checkbox(team: Team) -> None:
    client = login(team.recruiter)
    assert "Share with interviewers" in client.get(team.page).content.decode()
    body = {"application": team.application.pk, "body": "Prefers mornings", "shared": "on"}
    client.post(f"{team.page}notes/", body, **HTMX)
    assert Note.objects.get(body="Prefers mornings").visibility == NoteVisibility.SHARED
    assert "Prefers mornings" in login(team.interviewer).get(team.page).content.decode()


def test_a_hiring_manager_gets_no_checkbox_and_a_posted_one_shares_nothing(team: Team) -> None:
    client = login(team.manager)
    assert "Share with interviewers" not in client.get(team.page).content.decode()
    body = {"application": team.application.pk, "body": "Team only", "shared": "on"}
    client.post(f"{team.page}notes/", body, **HTMX)
    assert Note.objects.get(body="Team only").visibility == NoteVisibility.TEAM


def test_the_api_takes_the_visibility_of_a_new_note(team: Team) -> None:
    client = login(team.recruiter)
    made = client.post(
        team.notes_api, {"body": "Shared by API", "visibility": "shared"}, "application/json"
    )
    assert made.status_code == 201 and made.json()["visibility"] == "shared"
    default = client.post(team.notes_api, {"body": "Team by default"}, "application/json")
    assert default.json()["visibility"] == "team"
    wrong = client.post(team.notes_api, {"body": "x", "visibility": "all"}, "application/json")
    assert wrong.status_code == 400 and "visibility" in wrong.json()["fields"]


def test_only_those_who_may_share_can_share_a_note(team: Team) -> None:
    for who in (team.manager, team.interviewer):
        with pytest.raises(DomainError) as refused:
            note_add(application=team.application, body="x", actor=who, visibility="shared")
        assert refused.value.status == 403
    assert not Note.objects.filter(body="x").exists()


@pytest.mark.parametrize(("words", "found"), [("250k", False), ("outage", True)])
def test_an_interviewer_finds_a_candidate_only_by_notes_they_may_read(
    team: Team, words: str, found: bool
) -> None:
    rows = login(team.interviewer).get("/api/applications/", {"q": words}).json()["results"]
    assert [row["id"] for row in rows] == ([team.application.pk] if found else [])


def test_an_interviewer_cannot_open_the_candidate_list_and_its_search(team: Team) -> None:
    client = login(team.interviewer)
    assert client.get("/candidates/", {"q": "250k"}).status_code == 403
    assert client.get("/candidates/export.csv", {"q": "250k"}).status_code == 403


def test_the_hiring_team_finds_a_candidate_by_a_team_note(team: Team) -> None:
    for who in (team.recruiter, team.manager):
        page = login(who).get("/candidates/", {"q": "250k"}).content.decode()
        assert team.application.candidate.email in page


def test_a_manager_cannot_find_their_candidate_by_another_teams_note(team: Team) -> None:
    elsewhere = factories.application(candidate=team.application.candidate)
    note_add(application=elsewhere, body="Counter-offer from a bank", actor=team.recruiter)
    page = login(team.manager).get("/candidates/", {"q": "counter-offer"}).content.decode()
    assert team.application.candidate.email not in page
    page = login(team.recruiter).get("/candidates/", {"q": "counter-offer"}).content.decode()
    assert team.application.candidate.email in page


def test_the_hiring_manager_search_still_matches_name_email_and_tags(team: Team) -> None:
    candidate = team.application.candidate
    client = login(team.manager)
    for words in (candidate.name.split()[0], candidate.email.split("@")[0]):
        assert candidate.email in client.get("/candidates/", {"q": words}).content.decode()
