"""The Harvest-shaped export: its field names and values on a small world, who may take it,
what each sees of it (a requisition, everything theirs; offers' figures), and its queries."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import AuditEntry
from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.pipeline.services.applications import application_end
from hiring.transfer.selectors.export import export_scope, harvest_document
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


@dataclasses.dataclass
class World:
    recruiter: Any
    manager: Any
    interviewer: Any
    requisition: Any
    ada: Any
    hired: Any
    rejected: Any
    card: Any
    offer: Any
    elsewhere: Any


@pytest.fixture
def world(db: None) -> World:
    recruiter = factories.UserFactory(roles=[RECRUITER], first_name="Rita", last_name="Cruz")
    manager = factories.UserFactory(roles=[HIRING_MANAGER], first_name="Max", last_name="Lee")
    interviewer = factories.UserFactory(roles=[INTERVIEWER], first_name="Ivy", last_name="Ng")
    requisition = factories.requisition(
        title="ML Platform Lead", hiring_manager=manager, recruiter=recruiter, location="Berlin"
    )
    ada = factories.CandidateFactory(
        name="Ada King Lovelace", email="ada@example.org", phone="+44 20 7946 0000",
        location="London", source="referral", github_url="https://github.com/ada",
    )  # fmt: skip
    ada.tags.create(name="mlops")
    hired = factories.application(candidate=ada, requisition_obj=requisition)
    interview = factories.scheduled_interview(application_obj=hired, interviewers=[interviewer])
    card = factories.filled_scorecard(
        interview=interview, interviewer=interviewer, rating=4, recommendation="strong_yes"
    )
    offer = factories.offer(application_obj=hired, base_salary=187_654, target_bonus=12_345)
    rejected = factories.application(requisition_obj=requisition)
    application_end(
        application=rejected, status="rejected", reason=REJECTION_REASONS[0], actor=recruiter
    )
    elsewhere = factories.application(
        candidate=factories.CandidateFactory(email="elsewhere@example.org")
    )
    return World(recruiter, manager, interviewer, requisition, ada, hired, rejected, card,
                 offer, elsewhere)  # fmt: skip


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.streaming
    assert response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def test_the_export_has_harvest_s_objects_and_field_names(world: World) -> None:
    url = reverse("transfer:export-requisition", args=[world.requisition.pk])
    data = download(signed_in(world.recruiter), url)
    assert data["format"] == "greenhouse-harvest-v1"
    assert data["requisition"] == {"id": world.requisition.pk, "name": "ML Platform Lead"}
    [job] = data["jobs"]
    assert job["name"] == "ML Platform Lead" and job["status"] == "open"
    assert job["offices"] == [{"name": "Berlin"}]
    assert job["hiring_team"]["hiring_managers"][0]["name"] == "Max Lee"
    assert [s["name"] for s in data["job_stages"]][:1] == [world.hired.stage.name]
    people = {c["id"]: c for c in data["candidates"]}
    assert set(people) == {world.ada.pk, world.rejected.candidate_id}  # not the other pipeline
    ada = people[world.ada.pk]
    assert (ada["first_name"], ada["last_name"]) == ("Ada", "King Lovelace")
    assert ada["email_addresses"] == [{"value": "ada@example.org", "type": "personal"}]
    assert ada["phone_numbers"] == [{"value": "+44 20 7946 0000", "type": "other"}]
    assert ada["addresses"] == [{"value": "London", "type": "other"}]
    assert ada["social_media_addresses"] == [{"value": "https://github.com/ada"}]
    assert {"value": "https://example.org/portfolio", "type": "portfolio"} in ada[
        "website_addresses"
    ]
    assert ada["tags"] == ["mlops"] and ada["application_ids"] == [world.hired.pk]
    assert ada["custom_fields"]["schools"] == "Stanford University"
    [application] = ada["applications"]
    assert application["id"] == world.hired.pk and application["job_id"] == world.requisition.pk
    assert application["jobs"] == [{"id": world.requisition.pk, "name": "ML Platform Lead"}]
    assert application["status"] == "active" and application["rejected_at"] is None
    assert application["current_stage"] == {
        "id": world.hired.stage_id,
        "name": world.hired.stage.name,
    }
    assert application["source"] == {"id": None, "public_name": "Referral"}
    assert application["credited_to"]["name"] == "Rita Cruz"
    [rejected] = people[world.rejected.candidate_id]["applications"]
    assert rejected["status"] == "rejected" and rejected["rejected_at"].endswith("Z")
    assert rejected["rejection_reason"] == {
        "id": None, "name": REJECTION_REASONS[0], "type": {"id": None, "name": "We rejected them"}
    }  # fmt: skip
    [card] = data["scorecards"]
    assert card["id"] == world.card.pk and card["application_id"] == world.hired.pk
    assert card["candidate_id"] == world.ada.pk and card["interview"] == "Structured interview"
    assert card["submitted_by"] == card["interviewer"] == {
        "id": world.interviewer.pk, "name": "Ivy Ng", "employee_id": None
    }  # fmt: skip
    assert card["overall_recommendation"] == "strong_yes"
    assert card["attributes"] and {a["rating"] for a in card["attributes"]} == {"strong_yes"}
    assert card["ratings"]["strong_yes"] == [a["name"] for a in card["attributes"]]
    assert card["questions"][0] == {"id": None, "question": "Summary",
                                    "answer": "Clear about what they shipped."}  # fmt: skip
    [offer] = data["offers"]
    assert offer["id"] == world.offer.pk and offer["application_id"] == world.hired.pk
    assert offer["version"] == 1 and offer["status"] == "unresolved"
    assert offer["starts_at"] == world.offer.start_date.isoformat()
    assert offer["sent_at"] is None and offer["resolved_at"] is None
    assert offer["custom_fields"]["salary"] == {"value": 187_654, "currency": "USD"}
    assert offer["custom_fields"]["target_bonus"] == {"value": 12_345, "currency": "USD"}
    assert offer["custom_fields"]["offer_status"] == "draft"


def test_the_export_is_audited(world: World) -> None:
    signed_in(world.recruiter).get(
        reverse("transfer:export-requisition", args=[world.requisition.pk])
    )
    entry = AuditEntry.objects.get(action="transfer.export")
    assert entry.actor == world.recruiter and entry.object_id == str(world.requisition.pk)


def test_offer_figures_are_left_out_for_whoever_may_not_see_compensation(world: World) -> None:
    scope = dataclasses.replace(export_scope(world.recruiter), compensation=False)
    text = "".join(harvest_document(scope, now=timezone.now()))
    [offer] = [o for o in json.loads(text)["offers"] if o["id"] == world.offer.pk]
    assert "salary" not in offer["custom_fields"] and "target_bonus" not in offer["custom_fields"]
    assert "187654" not in text and "12345" not in text
    assert offer["custom_fields"]["level"]  # what is not compensation stays


def test_interviewers_may_not_export_at_all(world: World) -> None:
    client = signed_in(world.interviewer)
    for url in (reverse("transfer:export"), reverse("transfer:export-everything"),
                reverse("transfer:export-requisition", args=[world.requisition.pk])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403
        assert b"187654" not in response.content


def test_a_hiring_manager_exports_their_own_requisitions_only(world: World) -> None:
    client = signed_in(world.manager)
    other = reverse("transfer:export-requisition", args=[world.elsewhere.requisition_id])
    assert client.get(other).status_code == 404
    data = download(client, reverse("transfer:export-everything"))
    assert [j["id"] for j in data["jobs"]] == [world.requisition.pk]
    emails = {e["value"] for c in data["candidates"] for e in c["email_addresses"]}
    assert "elsewhere@example.org" not in emails and "ada@example.org" in emails
    assert [o["id"] for o in data["offers"]] == [world.offer.pk]
    assert data["offers"][0]["custom_fields"]["salary"]["value"] == 187_654


def test_everything_for_a_recruiter_holds_every_pipeline_and_candidates_in_none(
    world: World,
) -> None:
    loner = factories.CandidateFactory(email="loner@example.org")
    data = download(signed_in(world.recruiter), reverse("transfer:export-everything"))
    ids = {c["id"] for c in data["candidates"]}
    assert {world.ada.pk, world.elsewhere.candidate_id, loner.pk} <= ids
    assert {j["id"] for j in data["jobs"]} == {world.requisition.pk, world.elsewhere.requisition_id}
    assert data["requisition"] is None


def test_the_export_page_sends_a_chosen_requisition_to_its_download(world: World) -> None:
    client = signed_in(world.manager)
    page = client.get(reverse("transfer:export"))
    assert page.status_code == 200 and "ML Platform Lead" in page.content.decode()
    assert world.elsewhere.requisition.title not in page.content.decode()
    chosen = client.get(reverse("transfer:export"), {"requisition": world.requisition.pk})
    assert chosen.status_code == 302
    assert chosen.url == reverse("transfer:export-requisition", args=[world.requisition.pk])
    refused = client.get(
        reverse("transfer:export"), {"requisition": world.elsewhere.requisition_id}
    )
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()


def _export_queries(user: Any) -> int:
    client = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        download(client, reverse("transfer:export-everything"))
    return len(queries)


def test_the_export_keeps_a_constant_number_of_queries(world: World) -> None:
    before = _export_queries(world.recruiter)
    for _ in range(4):  # more of everything: candidates, applications, scorecards, offers
        application = factories.application(requisition_obj=world.requisition)
        interview = factories.scheduled_interview(
            application_obj=application, interviewers=[world.interviewer]
        )
        factories.filled_scorecard(interview=interview, interviewer=world.interviewer)
        factories.offer(application_obj=application)
    assert _export_queries(world.recruiter) == before


def test_a_large_export_is_read_in_chunks(world: World, monkeypatch: Any) -> None:
    from hiring.transfer.selectors import export

    monkeypatch.setattr(export, "CHUNK", 2)  # five candidates: three chunks, every one kept
    for _ in range(3):
        factories.CandidateFactory()
    data = download(signed_in(world.recruiter), reverse("transfer:export-everything"))
    ids = [c["id"] for c in data["candidates"]]
    assert len(ids) == len(set(ids)) == 6 and ids == sorted(ids)


def _options(html: str, select_id: str) -> list[str]:
    start = html.index(f'id="{select_id}"')
    return re.findall(r'<option value="(\d+)"', html[start : html.index("</select>", start)])


@pytest.mark.parametrize("extra", [5, 60])
def test_the_export_page_lists_50_requisitions_at_most_in_a_constant_number_of_queries(
    world: World, extra: int
) -> None:
    """It read each requisition's role and level for its label, one query each: 9,000
    queries and 6.1 s with 20,000 requisitions (1,000,000 applications)."""
    for n in range(extra):
        factories.requisition(title=f"Role {n:02d}")
    client = signed_in(world.recruiter)
    client.get(reverse("transfer:export"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("transfer:export")).content.decode()
    assert len(queries) <= 6
    assert 1 <= len(_options(html, "id_requisition")) <= 50
    assert 'hx-get="/transfer/export/requisition-options/"' in html
    found = client.get(
        "/transfer/export/requisition-options/", {"find": "role 59" if extra == 60 else "role 04"}
    )
    assert len(re.findall(r'<option value="\d+">Role', found.content.decode())) == 1


def test_the_export_finds_closed_requisitions_too(world: World) -> None:
    from hiring.pipeline.models import Requisition

    Requisition.objects.filter(pk=world.requisition.pk).update(status="closed")
    client = signed_in(world.recruiter)
    found = client.get(
        "/transfer/export/requisition-options/", {"find": "platform"}
    ).content.decode()
    assert f'<option value="{world.requisition.pk}">ML Platform Lead (closed)</option>' in found
    assert client.get("/transfer/export/requisition-options/").status_code == 200
    assert (
        signed_in(world.interviewer).get("/transfer/export/requisition-options/").status_code == 403
    )
