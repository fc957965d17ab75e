"""The pipeline API: permissions per role, writes through the services, filters, pagination,
blind mode and constant query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.api.applications import ApplicationSerializer
from hiring.pipeline.models import (
    Application,
    Candidate,
    Note,
    Requisition,
    RequisitionChange,
    StageChange,
)
from hiring.pipeline.services.applications import (
    application_end,
    application_move,
    application_update,
    note_add,
)
from hiring.pipeline.services.candidates import candidate_update, tags_set
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
LISTS = ["/api/requisitions/", "/api/candidates/", "/api/applications/"]


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    """Two requisitions of two managers; the interviewer interviews one application of the first."""
    manager, other_manager = make_user(HIRING_MANAGER), make_user(HIRING_MANAGER)
    interviewer = make_user(INTERVIEWER)
    mine = factories.requisition(hiring_manager=manager)
    theirs = factories.requisition(hiring_manager=other_manager)
    interviewed = factories.application(requisition_obj=mine)
    not_interviewed = factories.application(requisition_obj=mine)
    elsewhere = factories.application(requisition_obj=theirs)
    factories.interview(application_obj=interviewed, interviewers=[interviewer])
    return {
        "manager": manager,
        "interviewer": interviewer,
        "recruiter": make_user(RECRUITER),
        "admin": make_user("Admin"),
        "mine": mine,
        "theirs": theirs,
        "interviewed": interviewed,
        "not_interviewed": not_interviewed,
        "elsewhere": elsewhere,
    }


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# Who sees what --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_anonymous_call_gets_401(client: Client, url: str) -> None:
    assert client.get(url).status_code == 401
    assert client.post(url, {}).status_code == 401


@pytest.mark.parametrize("url", LISTS)
def test_user_without_a_role_gets_403(client_as: Callable[[str], Client], url: str) -> None:
    assert client_as("none").get(url).status_code == 403


@pytest.mark.parametrize("who", ["recruiter", "admin"])
def test_recruiter_and_admin_see_everything(world: dict[str, Any], who: str) -> None:
    client = login(world[who])
    assert ids(client.get("/api/requisitions/")) == {world["mine"].pk, world["theirs"].pk}
    apps = {world[k].pk for k in ("interviewed", "not_interviewed", "elsewhere")}
    assert ids(client.get("/api/applications/")) == apps
    assert len(ids(client.get("/api/candidates/"))) == 3


def test_hiring_manager_sees_only_their_requisitions(world: dict[str, Any]) -> None:
    client = login(world["manager"])
    assert ids(client.get("/api/requisitions/")) == {world["mine"].pk}
    assert ids(client.get("/api/applications/")) == {
        world["interviewed"].pk,
        world["not_interviewed"].pk,
    }
    assert world["elsewhere"].candidate_id not in ids(client.get("/api/candidates/"))
    assert client.get(f"/api/requisitions/{world['theirs'].pk}/").status_code == 404
    assert client.get(f"/api/applications/{world['elsewhere'].pk}/").status_code == 404
    candidate = world["elsewhere"].candidate_id
    assert client.get(f"/api/candidates/{candidate}/").status_code == 404


def test_interviewer_sees_only_what_they_interview(world: dict[str, Any]) -> None:
    client = login(world["interviewer"])
    assert ids(client.get("/api/requisitions/")) == {world["mine"].pk}
    assert ids(client.get("/api/applications/")) == {world["interviewed"].pk}
    assert ids(client.get("/api/candidates/")) == {world["interviewed"].candidate_id}
    not_mine = world["not_interviewed"]
    assert client.get(f"/api/applications/{not_mine.pk}/").status_code == 404
    assert client.get(f"/api/candidates/{not_mine.candidate_id}/").status_code == 404
    assert client.get(f"/api/applications/{not_mine.pk}/notes/").status_code == 404


@pytest.mark.parametrize("who", ["manager", "interviewer"])
def test_hiring_manager_and_interviewer_cannot_write(world: dict[str, Any], who: str) -> None:
    client = login(world[who])
    app = world["interviewed"]
    screen = app.requisition.stages.get(name="Recruiter screen")
    attempts = [
        client.post(f"/api/applications/{app.pk}/move/", {"stage": screen.pk}),
        client.post(f"/api/applications/{app.pk}/notes/", {"body": "hi"}),
        client.post(
            f"/api/applications/{app.pk}/end/", {"status": "rejected", "reason": "Role filled"}
        ),
        client.patch(
            f"/api/applications/{app.pk}/", {"next_step": "x"}, content_type="application/json"
        ),
        client.post("/api/candidates/", {"name": "A", "email": "a@example.com"}),
        client.patch(
            f"/api/requisitions/{app.requisition_id}/",
            {"headcount": 3},
            content_type="application/json",
        ),  # fmt: skip
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert Application.objects.get(pk=app.pk).stage.name == "Applied"


def test_interviewer_can_read_the_shared_notes_of_what_they_interview(
    world: dict[str, Any],
) -> None:
    app = world["interviewed"]
    note_add(application=app, body="Strong on rollbacks", actor=world["recruiter"])  # team
    note_add(
        application=app, body="Ask about the outage", actor=world["recruiter"], visibility="shared"
    )
    rows = login(world["interviewer"]).get(f"/api/applications/{app.pk}/notes/").json()
    assert [n["body"] for n in rows["results"]] == ["Ask about the outage"]


# Blind mode ------------------------------------------------------------------------------


def test_interviewer_gets_credentials_as_null_in_blind_mode(world: dict[str, Any]) -> None:
    candidate = world["interviewed"].candidate_id
    client = login(world["interviewer"])
    for data in (
        client.get(f"/api/candidates/{candidate}/").json(),
        client.get("/api/candidates/").json()["results"][0],
    ):
        assert data["credentials_hidden"] is True
        assert data["degrees"] is data["schools"] is data["certifications"] is None
        assert data["shipped_systems"]  # production evidence stays visible


def test_interviewer_sees_credentials_when_the_requisition_is_not_blind(
    world: dict[str, Any],
) -> None:
    world["mine"].__class__.objects.filter(pk=world["mine"].pk).update(pedigree_blind=False)
    data = login(world["interviewer"]).get("/api/candidates/").json()["results"][0]
    assert data["credentials_hidden"] is False
    assert data["degrees"] == "PhD Computer Science"


@pytest.mark.parametrize("who", ["recruiter", "manager", "admin"])
def test_staff_always_see_credentials(world: dict[str, Any], who: str) -> None:
    candidate = world["interviewed"].candidate_id
    data = login(world[who]).get(f"/api/candidates/{candidate}/").json()
    assert data["schools"] == "Stanford University"


# Writes ------------------------------------------------------------------------------------


def test_recruiter_creates_a_requisition_with_default_stages(world: dict[str, Any]) -> None:
    from roles.models import RoleProfile

    role = RoleProfile.objects.get(slug="mlops-engineer")
    response = login(world["recruiter"]).post(
        "/api/requisitions/",
        {
            "title": "MLOps Engineer, Lisbon",
            "role": role.slug,
            "level": role.levels.first().pk,
            "hiring_manager": world["manager"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["recruiter"] == world["recruiter"].pk
    assert [s["name"] for s in data["stages"]][0] == "Applied"
    assert len(data["stages"]) == 6


def test_requisition_with_unknown_manager_is_a_400_naming_the_field(
    world: dict[str, Any],
) -> None:
    response = login(world["recruiter"]).post(
        "/api/requisitions/",
        {"title": "X", "role": "mlops-engineer", "level": 999999, "hiring_manager": 999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"level", "hiring_manager"} <= set(response.json()["fields"])


def test_requisition_stages_can_be_renamed_and_added(world: dict[str, Any]) -> None:
    req = world["theirs"]
    stages = [{"id": s.pk, "name": s.name} for s in req.stages.order_by("position")]
    stages[1]["name"] = "Phone screen"
    stages.insert(2, {"name": "Take-home"})
    response = login(world["recruiter"]).put(
        f"/api/requisitions/{req.pk}/stages/", {"stages": stages}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert [s["name"] for s in response.json()["stages"]][1:3] == ["Phone screen", "Take-home"]


def test_requisition_status_change_follows_the_transition_map(world: dict[str, Any]) -> None:
    client = login(world["recruiter"])
    url = f"/api/requisitions/{world['theirs'].pk}/"
    filled = client.patch(url, {"status": "filled"}, content_type="application/json")
    assert filled.status_code == 200
    refused = client.patch(url, {"status": "on_hold"}, content_type="application/json")
    assert refused.status_code == 409
    assert "status" in refused.json()["fields"]


def test_requisition_status_change_is_kept_in_its_history(world: dict[str, Any]) -> None:
    requisition = world["theirs"]
    response = login(world["recruiter"]).patch(
        f"/api/requisitions/{requisition.pk}/",
        {"status": "on_hold"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    change = RequisitionChange.objects.get(requisition=requisition)
    assert (change.from_status, change.to_status, change.actor) == (
        "open", "on_hold", world["recruiter"],
    )  # fmt: skip


def test_closed_requisition_cannot_be_put_on_hold_and_nothing_changes(
    world: dict[str, Any],
) -> None:
    requisition = world["theirs"]
    Requisition.objects.filter(pk=requisition.pk).update(status="closed")
    response = login(world["recruiter"]).patch(
        f"/api/requisitions/{requisition.pk}/",
        {"status": "on_hold", "title": "Renamed"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This requisition cannot go from Closed to On hold."
    requisition.refresh_from_db()
    assert requisition.status == "closed"
    assert requisition.title != "Renamed"  # all or nothing: the other field is not saved
    assert not RequisitionChange.objects.filter(requisition=requisition).exists()


def test_hired_application_cannot_be_withdrawn_with_409(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    client = login(world["recruiter"])
    hired = client.post(f"/api/applications/{app.pk}/move/", {"stage_name": "Hired"})
    assert hired.json()["status"] == "hired"
    response = client.post(
        f"/api/applications/{app.pk}/end/", {"status": "withdrawn", "reason": "Timing"}
    )
    assert response.status_code == 409
    assert "status" in response.json()["fields"]
    assert Application.objects.get(pk=app.pk).status == "hired"
    assert StageChange.objects.filter(application=app).count() == 2  # entered, hired


def test_candidate_create_flags_a_duplicate_e_mail(world: dict[str, Any]) -> None:
    existing = world["elsewhere"].candidate
    response = login(world["recruiter"]).post(
        "/api/candidates/",
        {"name": "Same Person", "email": f"  {existing.email.upper()} ", "tags": ["LLM", "rag"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["duplicate_of"] == existing.pk
    assert data["email"] == existing.email
    assert data["tags"] == ["llm", "rag"]


def test_candidate_update_goes_through_the_service(world: dict[str, Any]) -> None:
    candidate = world["elsewhere"].candidate
    response = login(world["recruiter"]).patch(
        f"/api/candidates/{candidate.pk}/",
        {"phone": "+44 20 7946 0000", "tags": ["mlops"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    candidate.refresh_from_db()
    assert candidate.phone == "+44 20 7946 0000"
    assert "mlops" in candidate.search_document


def test_application_create_puts_the_candidate_in_the_first_stage(world: dict[str, Any]) -> None:
    candidate = world["elsewhere"].candidate
    response = login(world["recruiter"]).post(
        "/api/applications/",
        {"candidate": candidate.pk, "requisition": world["mine"].pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"]["name"] == "Applied"
    again = login(world["recruiter"]).post(
        "/api/applications/",
        {"candidate": candidate.pk, "requisition": world["mine"].pk},
        content_type="application/json",
    )
    assert again.status_code == 409  # the data's state, not the input, refuses it
    assert "already in" in again.json()["detail"]


def test_application_create_with_unknown_ids_names_the_fields(world: dict[str, Any]) -> None:
    response = login(world["recruiter"]).post(
        "/api/applications/", {"candidate": 999999, "requisition": 999998}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"candidate", "requisition"}


def test_application_owner_and_next_step_can_be_updated(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    response = login(world["recruiter"]).patch(
        f"/api/applications/{app.pk}/",
        {"owner": world["admin"].pk, "next_step": "Call on Friday"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["next_step"]) == (
        world["admin"].pk,
        "Call on Friday",
    )


def test_move_by_stage_id_and_by_name_records_history(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    client = login(world["recruiter"])
    screen = app.requisition.stages.get(name="Recruiter screen")
    first = client.post(f"/api/applications/{app.pk}/move/", {"stage": screen.pk})
    assert first.status_code == 200, first.content
    assert first.json()["stage"]["name"] == "Recruiter screen"
    second = client.post(
        f"/api/applications/{app.pk}/move/", {"stage_name": "structured interview"}
    )
    assert second.json()["stage"]["name"] == "Structured interview"
    moves = StageChange.objects.filter(application=app).order_by("id")
    assert [c.to_stage.name for c in moves] == [
        "Applied",
        "Recruiter screen",
        "Structured interview",
    ]
    assert moves.last().actor == world["recruiter"]


def test_move_to_another_requisitions_stage_is_a_400_saying_why(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    foreign = world["mine"].stages.get(name="Offer")
    response = login(world["recruiter"]).post(
        f"/api/applications/{app.pk}/move/", {"stage": foreign.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "That stage belongs to another requisition.",
        "fields": {"stage": ["Not a stage of this requisition."]},
    }


def test_move_of_a_rejected_application_is_refused_naming_why(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    client = login(world["recruiter"])
    ended = client.post(
        f"/api/applications/{app.pk}/end/", {"status": "rejected", "reason": "Role filled"}
    )
    assert ended.json()["status"] == "rejected"
    response = client.post(f"/api/applications/{app.pk}/move/", {"stage_name": "Offer"})
    assert response.status_code == 409
    assert "reopen it first" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": 999999}, "stage"),
        ({"stage_name": "Nowhere"}, "stage_name"),
        ({}, "stage"),
    ],
)
def test_move_to_an_unknown_stage_names_the_field(
    world: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    app = world["elsewhere"]
    response = login(world["recruiter"]).post(f"/api/applications/{app.pk}/move/", body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_end_needs_a_reason_from_the_list(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    response = login(world["recruiter"]).post(
        f"/api/applications/{app.pk}/end/", {"status": "withdrawn", "reason": "Felt like it"}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert Application.objects.get(pk=app.pk).status == "active"


def test_withdrawn_application_can_be_reopened(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    client = login(world["recruiter"])
    client.post(f"/api/applications/{app.pk}/end/", {"status": "withdrawn", "reason": "Timing"})
    response = client.post(f"/api/applications/{app.pk}/reopen/")
    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_notes_are_added_and_listed_oldest_first(world: dict[str, Any]) -> None:
    app = world["elsewhere"]
    client = login(world["recruiter"])
    for body in ("First call done", "Sent the take-home"):
        created = client.post(f"/api/applications/{app.pk}/notes/", {"body": body})
        assert created.status_code == 201
        assert created.json()["author"] == world["recruiter"].pk
    listed = client.get(f"/api/applications/{app.pk}/notes/").json()["results"]
    assert [n["body"] for n in listed] == ["First call done", "Sent the take-home"]
    assert "take-home" in Candidate.objects.get(pk=app.candidate_id).search_document
    empty = client.post(f"/api/applications/{app.pk}/notes/", {"body": "   "})
    assert empty.status_code == 400
    assert "body" in empty.json()["fields"]


# Filters and pagination ---------------------------------------------------------------------


def test_filters_match_the_list_page(world: dict[str, Any]) -> None:
    client = login(world["recruiter"])
    target = world["not_interviewed"]
    target.candidate = candidate_update(
        candidate=target.candidate, fields={"name": "Zelda Quintero"}, tags=["pytorch"], actor=None
    )
    note_add(application=target, body="Knows feature stores well", actor=None)
    screen = target.requisition.stages.get(name="Recruiter screen")
    client.post(f"/api/applications/{target.pk}/move/", {"stage": screen.pk})
    Application.objects.filter(pk=world["interviewed"].pk).update(
        entered_stage_at=timezone.now() - dt.timedelta(days=20)
    )
    url = "/api/applications/"
    assert ids(client.get(url, {"q": "zelda"})) == {target.pk}
    assert ids(client.get(url, {"q": "feature stores"})) == {target.pk}
    assert ids(client.get(url, {"tag": "pytorch"})) == {target.pk}
    assert ids(client.get(url, {"stage": "Recruiter screen"})) == {target.pk}
    assert ids(client.get(url, {"requisition": world["theirs"].pk})) == {world["elsewhere"].pk}
    assert ids(client.get(url, {"stale_days": 14})) == {world["interviewed"].pk}
    assert ids(client.get(url, {"candidate": target.candidate_id})) == {target.pk}


def test_cursor_pagination_returns_every_application_once(world: dict[str, Any]) -> None:
    requisition = world["theirs"]
    for _ in range(12):
        factories.application(requisition_obj=requisition)
    client = login(world["recruiter"])
    seen: list[int] = []
    url: str | None = "/api/applications/?page_size=5"
    while url:
        page = client.get(url).json()
        assert "count" not in page
        seen.extend(row["id"] for row in page["results"])
        url = page["next"]
    assert sorted(seen) == sorted(Application.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 15


# The list and the detail read rows, not instances ------------------------------------------


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_list_and_detail_answer_what_the_application_serializer_gives(
    world: dict[str, Any], make_user: Callable[..., Any], zone: str
) -> None:
    recruiter = world["recruiter"]
    moved, ended, unowned = world["interviewed"], world["not_interviewed"], world["elsewhere"]
    nameless = make_user(RECRUITER, first_name="", last_name="")
    application_update(
        application=moved, fields={"owner": nameless, "next_step": "Send the take-home"},
        actor=recruiter,
    )  # fmt: skip
    application_move(
        application=moved, to_stage=moved.requisition.stages.get(name="Offer"), actor=recruiter
    )
    application_end(application=ended, status="rejected", reason="Role filled", actor=recruiter)
    application_update(application=unowned, fields={"owner": None}, actor=recruiter)
    client = login(recruiter)
    with timezone.override(zone):
        listed = client.get("/api/applications/").json()["results"]
        detail = client.get(f"/api/applications/{moved.pk}/").json()
        rows = Application.objects.order_by("-id")
        expected = json.loads(JSONRenderer().render(ApplicationSerializer(rows, many=True).data))
    assert len(listed) == 3
    assert listed == expected
    assert detail == next(row for row in expected if row["id"] == moved.pk)
    # the cases the serializer spells out: no owner, and an owner without a name
    owners = {(row["owner"] is None, row["owner_name"]) for row in listed}
    assert (True, "") in owners and (False, "") in owners


def test_browsable_api_edit_form_holds_the_current_values(world: dict[str, Any]) -> None:
    app = world["interviewed"]
    recruiter = world["recruiter"]
    application_update(application=app, fields={"next_step": "Call the referee"}, actor=recruiter)
    page = login(recruiter).get(f"/api/applications/{app.pk}/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    edit_form = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.content.decode(), re.S)
    assert edit_form is not None
    assert "Call the referee" in edit_form.group(1)


# Query counts ---------------------------------------------------------------------------------


def _fill(requisition: Any, count: int, interviewer: Any) -> None:
    for n in range(count):
        candidate = factories.CandidateFactory()
        tags_set(candidate=candidate, names=["llm", f"t{n % 3}"])
        app = factories.application(candidate=candidate, requisition_obj=requisition)
        factories.interview(application_obj=app, interviewers=[interviewer])
        Note.objects.create(application=app, body="note")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["recruiter", "interviewer"])
@pytest.mark.parametrize("url", [*LISTS, "/api/applications/?q=llm&tag=llm"])
def test_list_query_count_does_not_grow_with_rows(
    make_user: Callable[..., Any], who: str, url: str
) -> None:
    interviewer = make_user(INTERVIEWER)
    user = interviewer if who == "interviewer" else make_user(RECRUITER)
    client = login(user)
    requisitions = [factories.requisition() for _ in range(2)]
    _fill(requisitions[0], 10, interviewer)
    small = _queries(client, url + ("&" if "?" in url else "?") + "page_size=200")
    _fill(requisitions[1], 190, interviewer)
    large = _queries(client, url + ("&" if "?" in url else "?") + "page_size=200")
    assert small == large
