"""Exporting a candidate's data (a subject-access request): everything stored about them in
one JSON file, from their page and the API, for recruiters and admins only, audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hiring.models import AuditEntry
from hiring.pipeline.models import Candidate
from hiring.privacy.services.erasure import candidate_anonymise
from hiring.privacy.services.export import candidate_export
from tests.privacy.people import MARKER, Staff, marked_candidate, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(playbook: Any, settings: Any, tmp_path: Path) -> Staff:
    settings.MEDIA_ROOT = tmp_path
    return staff()


@pytest.fixture
def candidate(people: Staff) -> Candidate:
    return marked_candidate(people)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exported(people: Staff, candidate: Candidate) -> dict[str, Any]:
    response = client_of(people.recruiter).get(f"/api/candidates/{candidate.pk}/export/")
    assert response.status_code == 200
    return response.json()


def test_the_export_holds_their_profile_and_the_record_merged_into_it(
    people: Staff, candidate: Candidate
) -> None:
    data = exported(people, candidate)
    profile = data["candidate"]
    assert (profile["name"], profile["email"]) == (f"Ada {MARKER}", f"{MARKER}@example.org")
    assert profile["location"] == f"{MARKER} Town" and profile["phone"] == f"+1 555 {MARKER}"
    assert profile["tags"] == ["python", f"{MARKER}-tag", f"{MARKER}-twin"]
    assert profile["resume"] == {
        "file_name": f"{MARKER}-cv.txt",
        "content_type": "text/plain",
        "bytes": len(f"Resume of {MARKER}"),
    }
    assert [r["name"] for r in data["merged_records"]] == [f"A. {MARKER}"]


def test_the_export_holds_applications_with_history_notes_interviews_and_scorecards(
    people: Staff, candidate: Candidate
) -> None:
    rejected, withdrawn = exported(people, candidate)["applications"]
    assert (rejected["status"], rejected["end_reason"]) == ("rejected", "Other")
    assert withdrawn["status"] == "withdrawn"
    assert [m["to_status"] for m in rejected["stage_history"]][-1] == "rejected"
    assert [n["text"] for n in rejected["notes"]] == [f"Called {MARKER} back"]
    held, cancelled = rejected["interviews"]
    assert (
        cancelled["status"] == "cancelled" and cancelled["history"][0]["to_status"] == "cancelled"
    )
    assert held["location"] == f"https://meet.example.com/{MARKER}"
    [card] = held["scorecards"]
    assert card["summary"] == f"{MARKER} knows their systems"
    assert card["status"] == "submitted" and {a["rating"] for a in card["answers"]} == {3}
    assert [f["evidence"] for f in card["red_flags"]] == [f"{MARKER} blamed the team"]


def test_the_export_holds_decisions_offers_with_terms_notifications_and_audit_entries(
    people: Staff, candidate: Candidate
) -> None:
    data = exported(people, candidate)
    application = data["applications"][0]
    assert [d["comment"] for d in application["decisions"]] == [f"{MARKER} is great"]
    [offer] = application["offers"]
    assert offer["notes"] == f"{MARKER} wants" and offer["base_salary"] > 0
    assert offer["currency"] == "USD" and offer["start_date"]
    votes = [seat for step in offer["approvals"] for seat in step["approvers"] if seat["vote"]]
    assert [(v["vote"], v["comment"]) for v in votes] == [("reject", f"{MARKER} no")]
    assert application["offer_clock"]["started_at"]
    titles = [n["title"] for n in data["notifications"]]
    assert f"About {MARKER}" in titles and any("sent back" in t for t in titles)
    actions = {e["action"] for e in data["audit_log"]}
    assert {"candidate.create", "candidate.update", "application.move", "offer.reject"} <= actions


def test_the_export_holds_nothing_about_anyone_else(people: Staff, candidate: Candidate) -> None:
    marked_candidate(people, marker="someoneelse")
    text = json.dumps(exported(people, candidate))
    assert MARKER in text and "someoneelse" not in text


def test_an_erased_candidates_export_says_so_and_holds_no_personal_data(
    people: Staff, candidate: Candidate
) -> None:
    candidate_anonymise(candidate=candidate, actor=people.admin)
    data = exported(people, candidate)
    assert data["candidate"]["erased"]["reason"] == "request"
    assert MARKER not in json.dumps(data)


def test_the_export_is_a_file_named_after_the_candidate_and_the_day(
    people: Staff, candidate: Candidate
) -> None:
    for url in (f"/api/candidates/{candidate.pk}/export/", f"/candidates/{candidate.pk}/export/"):
        response = client_of(people.admin).get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json")
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert f'filename="candidate-{candidate.pk}-ada-{MARKER}-' in disposition
        assert "no-store" in response["Cache-Control"]
        assert json.loads(response.content)["candidate"]["id"] == candidate.pk


def test_each_export_is_audited_with_who_exported_whom(people: Staff, candidate: Candidate) -> None:
    client_of(people.recruiter).get(f"/candidates/{candidate.pk}/export/")
    client_of(people.admin).get(f"/api/candidates/{candidate.pk}/export/")
    entries = AuditEntry.objects.filter(action="candidate.export").order_by("id")
    assert [(e.actor, e.object_id) for e in entries] == [
        (people.recruiter, str(candidate.pk)),
        (people.admin, str(candidate.pk)),
    ]
    assert {(e.before, e.after) for e in entries} == {(None, None)}


def test_the_export_takes_a_bounded_number_of_queries(
    people: Staff, candidate: Candidate, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(60):
        candidate_export(candidate=candidate, actor=people.recruiter)


def test_the_candidate_page_offers_the_export_to_recruiters_and_admins_only(
    people: Staff, candidate: Candidate
) -> None:
    link = f'href="/candidates/{candidate.pk}/export/"'
    for user, shown in ((people.recruiter, True), (people.admin, True), (people.manager, False)):
        page = client_of(user).get(f"/candidates/{candidate.pk}/")
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, user
