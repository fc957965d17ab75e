"""Playbook pages and API as each role uses them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from assessments.models import Question
from compensation.models import Band
from hiring.models import AuditEntry

pytestmark = pytest.mark.usefixtures("playbook")


def test_roles_page_lists_every_profile(client_as: Callable[[str], Client]) -> None:
    page = client_as("interviewer").get("/roles/").content.decode()
    for title in ["ML Engineering Lead", "Applied ML Engineer", "AI Governance Analyst"]:
        assert title in page


def test_role_page_shows_signals_loop_guidance_and_bands(
    client_as: Callable[[str], Client],
) -> None:
    page = client_as("recruiter").get("/roles/applied-ml-engineer/").content.decode()
    assert "Feature engineering experience" in page
    assert "What to hear:" in page
    assert "Hire Applied ML Engineers in Pairs" in page
    assert "165,000" in page and "High competition from AI startups" in page


def test_interviewer_sees_no_bands_on_role_pages(client_as: Callable[[str], Client]) -> None:
    client = client_as("interviewer")
    for slug in ["applied-ml-engineer", "head-of-ai", "ml-engineering-lead"]:
        page = client.get(f"/roles/{slug}/").content.decode()
        assert "What to look for" in page
        assert "$" not in page and "USD" not in page and "Market tension" not in page
    assert "/compensation/" not in client.get("/").content.decode()


def test_interviewer_gets_403_on_bands_api_with_filters(client_as: Callable[[str], Client]) -> None:
    response = client_as("interviewer").get("/api/compensation-bands/?role=head-of-ai")
    assert response.status_code == 403
    assert "low" not in response.content.decode()


def test_bands_api_filters_by_role_and_level(client_as: Callable[[str], Client]) -> None:
    client = client_as("hiring_manager")
    rows = client.get("/api/compensation-bands/", {"role": "applied-ml-engineer"}).json()
    assert {row["level"] for row in rows} == {"Mid (3-6 yrs)", "Senior (6+ yrs)"}
    rows = client.get(
        "/api/compensation-bands/", {"role": "applied-ml-engineer", "level": "Senior (6+ yrs)"}
    ).json()
    assert [(r["low"], r["high"], r["currency"]) for r in rows] == [(220000, 310000, "USD")]


def test_question_api_carries_the_guidance_fields(client_as: Callable[[str], Client]) -> None:
    rows = client_as("interviewer").get("/api/questions/").json()
    assert len(rows) == 8
    assert set(rows[0]) >= {"key", "number", "version", "text", "what_to_hear", "red_flag"}
    assert rows[7]["red_flag"] == ""


def test_role_api_lists_loop_in_order(client_as: Callable[[str], Client]) -> None:
    role = client_as("interviewer").get("/api/roles/head-of-ai/").json()
    assert [step["position"] for step in role["interview_loop"]] == list(range(8))
    assert "Executive" in role["levels"]
    assert "band" not in str(role).lower()


@pytest.mark.parametrize("role", ["recruiter", "interviewer", "hiring_manager"])
def test_only_admins_write_to_the_playbook_api(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    patch = {"content_type": "application/json", "data": {"text": "changed"}}
    assert client.patch("/api/questions/worst-production-failure/", **patch).status_code == 403
    assert (
        client.patch("/api/roles/head-of-ai/", **{**patch, "data": {"title": "x"}}).status_code
        == 403
    )
    assert (
        client.post("/api/compensation-bands/", {}, content_type="application/json").status_code
        == 403
    )


def test_admin_edits_a_question_in_the_page_and_a_version_is_created(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("admin")
    url = "/assessments/questions/drift-monitoring/edit/"
    question = Question.objects.select_related("current_version").get(key="drift-monitoring")
    data = {
        "text": "How would you detect drift?",
        "what_to_hear": question.current_version.what_to_hear,
        "red_flag": question.current_version.red_flag,
    }
    response = client.post(url, data, follow=True)
    assert "Saved as version 2" in response.content.decode()
    assert "How would you detect drift?" in client.get("/assessments/bank/").content.decode()
    assert AuditEntry.objects.filter(action="question.version", object_id=str(question.pk)).exists()


def test_empty_question_text_is_refused_in_the_page(client_as: Callable[[str], Client]) -> None:
    response = client_as("admin").post(
        "/assessments/questions/drift-monitoring/edit/", {"text": "", "what_to_hear": "x"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Question.objects.get(key="drift-monitoring").current_version.version == 1


def test_admin_patches_a_question_through_the_api(client_as: Callable[[str], Client]) -> None:
    response = client_as("admin").patch(
        "/api/questions/quantified-impact/",
        {"what_to_hear": "Methodology and numbers."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["what_to_hear"] == "Methodology and numbers."


def test_band_form_with_low_above_high_shows_the_error(client_as: Callable[[str], Client]) -> None:
    band = Band.objects.select_related("level").first()
    assert band is not None
    response = client_as("admin").post(
        f"/compensation/bands/{band.pk}/edit/",
        {
            "level": band.level.pk,
            "low": 400000,
            "high": 300000,
            "currency": "USD",
            "effective_date": band.effective_date.isoformat(),
            "market_tension": "x",
        },
    )
    assert response.status_code == 200
    assert "Must be below the high figure." in response.content.decode()
    band.refresh_from_db()
    assert band.low != 400000


def test_api_band_create_validates_with_field_messages(client_as: Callable[[str], Client]) -> None:
    client = client_as("admin")
    bad = {"role": "head-of-ai", "level": "Executive", "low": 5, "high": 1,
           "effective_date": "2026-09-01", "market_tension": "x"}  # fmt: skip
    response = client.post("/api/compensation-bands/", bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["low"] == ["Must be below high."]
    unknown = {**bad, "low": 1, "high": 5, "level": "Intern"}
    response = client.post("/api/compensation-bands/", unknown, content_type="application/json")
    assert response.status_code == 400
    assert "level" in response.json()["fields"]


def test_api_band_with_new_date_keeps_the_old_band(client_as: Callable[[str], Client]) -> None:
    body = {
        "role": "head-of-ai",
        "level": "Executive",
        "low": 350000,
        "high": 520000,
        "open_ended": True,
        "effective_date": "2026-09-01",
        "market_tension": "Tighter",
    }
    response = client_as("admin").post(
        "/api/compensation-bands/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Band.objects.filter(level__role__slug="head-of-ai").count() == 2


@pytest.mark.parametrize("url", ["/roles/", "/assessments/bank/", "/compensation/bands/"])
def test_playbook_pages_run_a_fixed_number_of_queries(
    client_as: Callable[[str], Client], django_assert_max_num_queries: Any, url: str
) -> None:
    client = client_as("admin")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_role_page_runs_a_fixed_number_of_queries(
    client_as: Callable[[str], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_as("admin")
    with django_assert_max_num_queries(14):
        assert client.get("/roles/head-of-ai/").status_code == 200


def test_a_patch_answers_with_the_values_it_stored(client_as: Any) -> None:
    """PATCH /api/red-flags/{key}/ and /api/roles/{slug}/ used to answer with the old values."""
    admin = client_as("admin")
    flag = admin.patch(
        "/api/red-flags/every-project-successful/",
        {"title": "Every project was a success", "questions": []},
        content_type="application/json",
    ).json()
    assert flag["title"] == "Every project was a success" and flag["questions"] == []
    assert admin.get("/api/red-flags/every-project-successful/").json() == flag
    role = admin.patch(
        "/api/roles/applied-ml-engineer/",
        {"summary": "Ships models."},
        content_type="application/json",
    ).json()
    assert role["summary"] == "Ships models."
    assert admin.get("/api/roles/applied-ml-engineer/").json() == role
