"""The offers API: the offer lifecycle, its errors (400 with field messages, 403, 409), the
band check and the notifications inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hiring.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin")


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def body_for(application: Any, **fields: Any) -> dict[str, Any]:
    terms = factories.offer_terms(application, **fields)
    data = {**terms, "application": application.pk, "level": terms["level"].pk}
    for name in ("start_date", "expires_on"):
        data[name] = data[name].isoformat()
    return data


def test_create_returns_the_offer_with_its_total_and_clock(admin: Any) -> None:
    application = factories.application()
    response = post(api(application.requisition.recruiter), "/api/offers/", body_for(application))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert data["total_cash"] == data["base_salary"] + data["target_bonus"]
    assert data["clock"]["label"].endswith("left)")
    assert data["steps"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [({"base_salary": -1}, "base_salary"), ({"base_salary": "lots"}, "base_salary"),
     ({"currency": "usd"}, "currency"), ({"expires_on": "2020-01-01"}, "expires_on"),
     ({"start_date": "not a date"}, "start_date"), ({"application": 10**15}, "application"),
     ({"expires_on": "2099-01-01"}, "expires_on")],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_field(
    admin: Any, change: dict[str, Any], field: str
) -> None:
    application = factories.application()
    response = post(
        api(application.requisition.recruiter), "/api/offers/", {**body_for(application), **change}
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_edit_with_a_stale_version_is_a_409(admin: Any) -> None:
    offer = factories.offer()
    client = api(offer.application.requisition.recruiter)
    ok = client.patch(
        f"/api/offers/{offer.pk}/", {"notes": "one", "version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/offers/{offer.pk}/", {"notes": "two", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "version" in stale.json()["fields"]


def test_submitting_out_of_band_needs_a_justification(admin: Any) -> None:
    offer = factories.offer(position=-0.5)
    client = api(offer.application.requisition.recruiter)
    refused = post(client, f"/api/offers/{offer.pk}/submit/")
    assert refused.status_code == 400
    assert "justification" in refused.json()["fields"]
    done = post(
        client,
        f"/api/offers/{offer.pk}/submit/",
        {"justification": "Relocating from a low-cost market; agreed to revisit at six months."},
    )
    assert done.status_code == 200
    assert done.json()["band_result"] == "below"
    assert [s["name"] for s in done.json()["steps"]] == [
        "Hiring manager", "Finance/HR", "Compensation exception"
    ]  # fmt: skip


def test_the_whole_lifecycle_through_the_api(admin: Any) -> None:
    offer = factories.offer(submit=True)
    requisition = offer.application.requisition
    recruiter, manager = api(requisition.recruiter), api(requisition.hiring_manager)
    early = post(recruiter, f"/api/offers/{offer.pk}/send/")
    assert early.status_code == 409

    assert post(manager, f"/api/offers/{offer.pk}/approve/").status_code == 200
    again = post(manager, f"/api/offers/{offer.pk}/approve/")
    assert again.status_code == 409
    approved = post(api(admin), f"/api/offers/{offer.pk}/approve/", {"comment": "Fine by me"})
    assert approved.json()["status"] == "approved"

    assert post(recruiter, f"/api/offers/{offer.pk}/send/").json()["status"] == "sent"
    accepted = post(recruiter, f"/api/offers/{offer.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["clock"]["stopped_at"] is not None


def test_a_rejection_needs_a_comment_and_returns_the_offer_to_draft(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = api(offer.application.requisition.hiring_manager)
    refused = post(manager, f"/api/offers/{offer.pk}/reject/")
    assert refused.status_code == 400 and "comment" in refused.json()["fields"]
    rejected = post(manager, f"/api/offers/{offer.pk}/reject/", {"comment": "Bonus too high"})
    assert rejected.json()["status"] == "draft"
    assert "Bonus too high" in rejected.json()["returned_reason"]


def test_revise_returns_a_new_draft_revision(admin: Any) -> None:
    offer = factories.offer(submit=True)
    requisition = offer.application.requisition
    post(api(requisition.hiring_manager), f"/api/offers/{offer.pk}/approve/")
    post(api(admin), f"/api/offers/{offer.pk}/approve/")
    recruiter = api(requisition.recruiter)
    post(recruiter, f"/api/offers/{offer.pk}/send/")
    revised = post(recruiter, f"/api/offers/{offer.pk}/revise/")
    assert revised.status_code == 201
    assert (revised.json()["revision"], revised.json()["supersedes"]) == (2, offer.pk)


def test_an_offer_that_cannot_be_revised_or_made_answers_409(admin: Any) -> None:
    offer = factories.offer()
    recruiter = api(offer.application.requisition.recruiter)
    draft = post(recruiter, f"/api/offers/{offer.pk}/revise/")
    assert draft.status_code == 409 and "edit this one" in draft.json()["detail"]
    from hiring.pipeline.services.applications import application_end

    application = factories.application()
    application_end(application=application, status="rejected", reason="Role filled", actor=admin)
    ended = post(api(application.requisition.recruiter), "/api/offers/", body_for(application))
    assert ended.status_code == 409 and "rejected" in ended.json()["detail"]


def test_the_band_check_endpoint(admin: Any) -> None:
    offer = factories.offer(position=0.25)
    data = api(admin).get(f"/api/offers/{offer.pk}/band-check/").json()
    assert data["result"] == "within" and data["position"] == 25
    assert data["low"] < data["amount"] < data["high"]
    assert data["needs_justification"] is False
    assert data["market_tension"]


def test_unknown_and_huge_ids_are_404(admin: Any) -> None:
    client = api(admin)
    assert client.get("/api/offers/999999/").status_code == 404
    assert client.get(f"/api/offers/{10**30}/").status_code == 404


def test_notifications_are_listed_and_marked_read(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = api(offer.application.requisition.hiring_manager)
    rows = manager.get("/api/notifications/?unread=true").json()["results"]
    assert [r["kind"] for r in rows] == ["approval_requested"]
    assert rows[0]["read"] is False
    read = post(manager, f"/api/notifications/{rows[0]['id']}/read/")
    assert read.json()["read"] is True
    assert manager.get("/api/notifications/?unread=true").json()["results"] == []
    assert post(manager, "/api/notifications/read-all/").json() == {"updated": 0}
    other = Notification.objects.get().pk
    assert api(admin).get(f"/api/notifications/{other}/").status_code == 404


def test_the_schema_documents_the_offer_endpoints(admin: Any) -> None:
    response = api(admin).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/offers/", "/api/offers/{id}/approve/", "/api/offers/{id}/band-check/",
                 "/api/notifications/", "/api/notifications/read-all/"):  # fmt: skip
        assert path in paths
    assert "409" in paths["/api/offers/{id}/approve/"]["post"]["responses"]


def test_a_step_shows_each_approvers_vote_and_when_it_closed(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = api(offer.application.requisition.hiring_manager)
    data = post(manager, f"/api/offers/{offer.pk}/approve/", {"comment": "Fair"}).json()
    first, second = data["steps"]
    [seat] = first["approvers"]
    assert (seat["vote"], seat["comment"]) == ("approve", "Fair")
    assert seat["voted_at"] is not None and first["closed_at"] is not None
    assert second["approvers"][0]["vote"] == "" and second["closed_at"] is None
    assert "decision" not in seat and "decided_at" not in first
