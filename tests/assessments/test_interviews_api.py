"""The interviews API and every new page and endpoint for each role (and anonymous)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import Decision, Interview, Scorecard
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import StageKind
from tests import factories
from tests.panels import Panel, panel

pytestmark = pytest.mark.usefixtures("playbook")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup(db: None) -> Panel:
    return panel()


@pytest.fixture
def people(setup: Panel, make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role key; "interviewer" is on the interview, "outsider" interviews nothing."""
    return {
        "recruiter": setup.recruiter,
        "interviewer": setup.first,
        "hiring_manager": setup.manager,
        "admin": make_user(ADMIN),
        "other_manager": make_user(HIRING_MANAGER),
        "outsider": make_user(INTERVIEWER),
    }


def pages(setup: Panel, card: Scorecard) -> list[tuple[str, set[str]]]:
    app, interview = setup.application.pk, setup.interview.pk
    return [
        (
            "/interviews/",
            {"recruiter", "interviewer", "hiring_manager", "admin", "other_manager", "outsider"},
        ),
        ("/interviews/calibration/", {"hiring_manager", "admin", "other_manager"}),
        (
            "/interviews/calibration/mine/",
            {"interviewer", "hiring_manager", "admin", "other_manager", "outsider"},
        ),
        (f"/interviews/{interview}/scorecard/", {"interviewer"}),
        (f"/applications/{app}/interviews/", {"recruiter", "hiring_manager", "admin"}),
        (f"/applications/{app}/interviews/new/", {"recruiter", "admin"}),
        (f"/interviews/{interview}/edit/", {"recruiter", "admin"}),
        (f"/applications/{app}/debrief/", {"recruiter", "hiring_manager", "admin"}),
    ]


NOT_FOUND = {
    # Outside someone's visibility the page is a 404, not a 403: it does not say it exists.
    "/interviews/calibration/": set(),
}


def test_every_interview_page_for_every_role(setup: Panel, people: dict[str, Any]) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    for url, allowed in pages(setup, card):
        for key, user in people.items():
            response = logged_in(user).get(url)
            if key in allowed:
                assert response.status_code == 200, (url, key, response.status_code)
            else:
                assert response.status_code in (302, 403, 404), (url, key, response.status_code)
                if response.status_code == 302:  # a manager opening a scorecard goes to the debrief
                    assert "/debrief/" in response["Location"], (url, key)
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_every_interview_endpoint_for_every_role(setup: Panel, people: dict[str, Any]) -> None:
    card = factories.filled_scorecard(interview=setup.interview, interviewer=setup.first)
    app, interview = setup.application.pk, setup.interview.pk
    everyone = set(people)
    endpoints = [
        ("/api/interviews/", everyone),
        (f"/api/interviews/{interview}/", {"recruiter", "interviewer", "hiring_manager", "admin"}),
        ("/api/scorecards/", everyone),
        (f"/api/scorecards/{card.pk}/", {"recruiter", "interviewer", "hiring_manager", "admin"}),
        (f"/api/applications/{app}/summary/", {"recruiter", "hiring_manager", "admin"}),
        (f"/api/applications/{app}/decision/", {"recruiter", "hiring_manager", "admin"}),
    ]
    for url, allowed in endpoints:
        for key, user in people.items():
            response = logged_in(user).get(url)
            expected = {200} if key in allowed else {403, 404}
            assert response.status_code in expected, (url, key, response.status_code)
            if response.status_code != 200:
                assert set(response.json()) == {"detail", "fields"}
        assert Client().get(url).status_code == 401


def test_lists_show_only_what_each_role_may_see(setup: Panel, people: dict[str, Any]) -> None:
    def ids(user: Any) -> set[int]:
        return {row["id"] for row in logged_in(user).get("/api/interviews/").json()["results"]}

    assert ids(people["recruiter"]) == {setup.interview.pk}
    assert ids(people["hiring_manager"]) == {setup.interview.pk}
    assert ids(people["interviewer"]) == {setup.interview.pk}
    assert ids(people["other_manager"]) == set()
    assert ids(people["outsider"]) == set()


def test_a_recruiter_schedules_through_the_api(setup: Panel) -> None:
    starts = (timezone.now() + dt.timedelta(days=3)).isoformat()
    body = {
        "application": setup.application.pk,
        "round_name": "API round",
        "starts_at": starts,
        "duration_minutes": 30,
        "interviewers": [setup.first.pk],
        "location": "https://meet.example.com/x",
        "questions": [{"question": "quantified-impact", "interviewer": setup.first.pk}],
    }
    response = logged_in(setup.recruiter).post(
        "/api/interviews/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["questions"][0]["question"] == "quantified-impact"
    assert data["scorecard_url"].endswith(f"/interviews/{data['id']}/scorecard/")

    moved = logged_in(setup.recruiter).patch(
        f"/api/interviews/{data['id']}/", {"duration_minutes": 45}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    cancelled = logged_in(setup.recruiter).post(f"/api/interviews/{data['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    refused = logged_in(setup.first).post("/api/interviews/", body, content_type="application/json")
    assert refused.status_code == 403


def test_a_cancelled_interview_can_be_neither_changed_nor_cancelled_again(setup: Panel) -> None:
    client = logged_in(setup.recruiter)
    url = f"/api/interviews/{setup.interview.pk}/"
    assert client.post(f"{url}cancel/").status_code == 200

    moved = client.patch(url, {"round_name": "Revived"}, content_type="application/json")
    again = client.post(f"{url}cancel/")

    assert moved.status_code == 409 and "cancelled" in moved.json()["detail"]
    assert again.status_code == 409 and again.json()["detail"] == (
        "This interview is cancelled already."
    )
    assert client.get(url).json()["round_name"] != "Revived"


def test_scheduling_through_the_api_names_bad_fields(setup: Panel) -> None:
    body = {
        "application": setup.application.pk,
        "round_name": "x",
        "starts_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        "duration_minutes": 30,
        "interviewers": [99_999_999],
    }
    response = logged_in(setup.recruiter).post(
        "/api/interviews/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "interviewers" in response.json()["fields"]
    assert Interview.objects.count() == 1


def test_the_scorecard_api_saves_with_the_version_and_refuses_a_stale_one(setup: Panel) -> None:
    client = logged_in(setup.first)
    opened = client.post(
        "/api/scorecards/", {"interview": setup.interview.pk}, content_type="application/json"
    )
    assert opened.status_code == 201
    card = opened.json()
    qv = card["answers"][0]["question_version"]
    patch = {
        "version": card["version"],
        "answers": [{"question_version": qv, "rating": 3, "notes": "A"}],
    }
    saved = client.patch(f"/api/scorecards/{card['id']}/", patch, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == card["version"] + 1

    stale = client.patch(f"/api/scorecards/{card['id']}/", patch, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["answers"][0]["notes"] == "A"

    submit = client.post(
        f"/api/scorecards/{card['id']}/submit/", {"version": saved.json()["version"]},
        content_type="application/json",
    )  # fmt: skip
    assert submit.status_code == 400
    assert f"rating-{card['answers'][1]['question_version']}" in submit.json()["fields"]
    assert "recommendation" in submit.json()["fields"]


def test_nobody_else_can_write_a_scorecard(setup: Panel) -> None:
    card = factories.filled_scorecard(
        interview=setup.interview, interviewer=setup.first, submit=False
    )
    response = logged_in(setup.recruiter).patch(
        f"/api/scorecards/{card.pk}/", {"version": card.version, "summary": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404  # not visible: a draft is its author's only
    opened = logged_in(setup.recruiter).post(
        "/api/scorecards/", {"interview": setup.interview.pk}, content_type="application/json"
    )
    assert opened.status_code == 400


def test_the_summary_endpoint_explains_the_signal(setup: Panel) -> None:
    factories.filled_scorecard(
        interview=setup.interview, interviewer=setup.first, rating=2,
        flags={"every-project-successful": "Only successes."}, recommendation="no",
    )  # fmt: skip
    data = logged_in(setup.manager).get(f"/api/applications/{setup.application.pk}/summary/").json()
    assert data["signal"] == "strong_no"
    assert data["headline"].startswith(
        "Strong no: confirmed red flag 'Every Project Was Successful'"
    )
    flag = next(f for f in data["red_flags"] if f["key"] == "every-project-successful")
    assert flag["confirmed"] and flag["raised_by"][0]["evidence"] == "Only successes."
    assert data["scorecard_count"] == 1 and data["mean"] == 2.0


def test_the_decision_endpoint_records_and_reports_the_clock(setup: Panel) -> None:
    url = f"/api/applications/{setup.application.pk}/decision/"
    assert logged_in(setup.manager).get(url).json() == {
        "current": None, "offer_clock_started_at": None, "history": [],
    }  # fmt: skip
    refused = logged_in(setup.recruiter).post(
        url, {"outcome": "advance"}, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = logged_in(setup.manager).post(url, {"outcome": "reject"}, content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    made = logged_in(setup.manager).post(
        url, {"outcome": "advance"}, content_type="application/json"
    )
    assert made.status_code == 201
    state = logged_in(setup.recruiter).get(url).json()
    assert state["current"]["outcome"] == "advance"
    assert state["offer_clock_started_at"] == made.json()["decided_at"]
    setup.application.refresh_from_db()
    assert setup.application.stage.kind == StageKind.OFFER
    assert Decision.objects.count() == 1


def test_the_schema_describes_the_new_endpoints(admin_client: Client) -> None:
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "409" in paths["/api/scorecards/{id}/"]["patch"]["responses"]
    assert "/api/applications/{application_id}/summary/" in paths
    assert "post" in paths["/api/applications/{application_id}/decision/"]
    assert {
        "/api/interviews/",
        "/api/interviews/{id}/cancel/",
        "/api/scorecards/{id}/submit/",
    } <= set(paths)


def test_the_schema_names_each_status_after_its_model_and_documents_the_409s(
    admin_client: Client,
) -> None:
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    enums = schema["components"]["schemas"]
    assert enums["ScorecardStatusEnum"]["enum"] == ["draft", "submitted"]
    assert enums["InterviewStatusEnum"]["enum"] == ["scheduled", "cancelled"]
    paths = schema["paths"]
    assert "409" in paths["/api/interviews/{id}/"]["patch"]["responses"]
    assert "409" in paths["/api/interviews/{id}/cancel/"]["post"]["responses"]


@pytest.mark.parametrize("role", [RECRUITER, INTERVIEWER, HIRING_MANAGER, ADMIN])
def test_garbage_in_filters_and_ids_is_never_a_500(
    setup: Panel, make_user: Callable[..., Any], role: str
) -> None:
    client = logged_in(make_user(role))
    for url in [
        "/api/interviews/?application=abc",
        "/api/interviews/?status=nope",
        "/api/scorecards/?interview=99999999999999999999999",
        "/api/scorecards/999999999999999999/",
        "/api/applications/99999999999999999999/summary/",
        "/api/scorecards/?cursor=garbage",
    ]:
        assert client.get(url).status_code < 500, url
    for body in [{"version": "x"}, {"version": 1, "answers": [{"question_version": "x"}]}, []]:
        response = client.patch(
            f"/api/scorecards/{setup.interview.pk}/", body, content_type="application/json"
        )
        assert response.status_code < 500


def test_the_scorecard_and_interview_lists_cost_the_same_queries_for_more_rows(
    db: None, make_user: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = logged_in(make_user(ADMIN))

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url).status_code == 200
        return len(queries)

    small = panel(interviewers=1)
    factories.filled_scorecard(interview=small.interview, interviewer=small.first)
    before = (count("/api/scorecards/"), count("/api/interviews/"))
    large = panel(interviewers=4)
    for person in large.interview.interviewers.all():
        factories.filled_scorecard(interview=large.interview, interviewer=person)
    assert (count("/api/scorecards/"), count("/api/interviews/")) == before
    with django_assert_max_num_queries(10):
        admin.get("/api/scorecards/")


def test_state_conflicts_answer_409_as_the_readme_promises(setup: Panel) -> None:
    """A request the data's state refuses is a 409; a malformed one stays a 400."""
    client = logged_in(setup.recruiter)
    factories.filled_scorecard(interview=setup.interview, interviewer=setup.first, rating=3)
    took_place = client.post(f"/api/interviews/{setup.interview.pk}/cancel/")
    assert took_place.status_code == 409 and "submitted" in took_place.json()["detail"]

    from hiring.pipeline.services.applications import application_end

    application_end(
        application=setup.application, status="withdrawn", reason="Timing", actor=setup.recruiter
    )
    body = {
        "application": setup.application.pk, "round_name": "Late", "duration_minutes": 30,
        "starts_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "interviewers": [setup.first.pk],
    }  # fmt: skip
    ended = client.post("/api/interviews/", body, content_type="application/json")
    assert ended.status_code == 409 and "withdrawn" in ended.json()["detail"]
    decided = logged_in(setup.manager).post(
        f"/api/applications/{setup.application.pk}/decision/",
        {"outcome": "hold"}, content_type="application/json",
    )  # fmt: skip
    assert decided.status_code == 409


def test_the_schema_documents_409_for_every_interview_write(admin_client: Client) -> None:
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "409" in paths["/api/interviews/"]["post"]["responses"]
    assert "409" in paths["/api/applications/{application_id}/decision/"]["post"]["responses"]
