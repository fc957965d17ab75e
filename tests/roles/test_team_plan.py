"""Team plan check: the playbook's hiring-sequence warnings, rules read from the playbook."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from roles.selectors import team_rules
from roles.team_plan import Team, team_plan_warnings

pytestmark = pytest.mark.usefixtures("playbook")

# A balanced plan that follows the 90-day roadmap: no warning.
GOOD = Team(
    current={"ml-engineering-lead": 1, "ai-program-manager": 1},
    planned={"applied-ml-engineer": 2, "ai-governance-analyst": 1},
    models_in_production=0,
)


def keys(team: Team) -> set[str]:
    return {w.key for w in team_plan_warnings(team, team_rules())}


def test_a_plan_that_follows_the_roadmap_has_no_warning() -> None:
    assert keys(GOOD) == set()


@pytest.mark.parametrize(
    ("team", "warning"),
    [
        (Team(current={"ai-program-manager": 1, "ai-governance-analyst": 1},
              planned={"applied-ml-engineer": 2}), "applied-before-lead"),
        (Team(current={"ml-engineering-lead": 1, "ai-program-manager": 1,
                       "ai-governance-analyst": 1},
              planned={"applied-ml-engineer": 1}), "applied-in-pairs"),
        (Team(current={"ai-governance-analyst": 1}, planned={"ml-engineering-lead": 1}),
         "no-program-manager"),
        (Team(current={"ml-engineering-lead": 1, "ai-program-manager": 1}, planned={}),
         "governance-before-production"),
        (Team(current={"ml-engineering-lead": 1, "ai-program-manager": 1,
                       "ai-governance-analyst": 1},
              planned={"mlops-engineer": 1}, models_in_production=1), "mlops-too-early"),
        (Team(current={"data-scientist": 3}, planned={"data-scientist": 1}),
         "all-data-scientists"),
    ],
)  # fmt: skip
def test_each_rule_fires_for_the_plan_it_describes(team: Team, warning: str) -> None:
    assert warning in keys(team)


def test_mlops_engineer_is_fine_with_two_models_in_production() -> None:
    team = Team(
        current={"ml-engineering-lead": 1, "ai-program-manager": 1, "ai-governance-analyst": 1},
        planned={"mlops-engineer": 1},
        models_in_production=2,
    )
    assert "mlops-too-early" not in keys(team)


def test_page_shows_warnings_with_reasons(client_as: Callable[[str], Client]) -> None:
    client = client_as("hiring_manager")
    response = client.post(
        "/roles/team-plan/", {"planned_applied-ml-engineer": 1, "models_in_production": 0}
    )
    page = response.content.decode()
    assert "Hire Applied ML Engineers in pairs" in page or "pairs" in page
    assert "Source:" in page


def test_page_refuses_negative_counts_with_a_message(client_as: Callable[[str], Client]) -> None:
    response = client_as("recruiter").post(
        "/roles/team-plan/", {"planned_applied-ml-engineer": -2, "models_in_production": 0}
    )
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_api_returns_warnings_and_rejects_unknown_roles(client_as: Callable[[str], Client]) -> None:
    client = client_as("hiring_manager")
    body = {"current": {"data-scientist": 2}, "planned": {}, "models_in_production": 0}
    response = client.post("/api/team-plan/", body, content_type="application/json")
    assert response.status_code == 200
    assert "all-data-scientists" in {w["key"] for w in response.json()}
    body = {"current": {"wizard": 1}, "planned": {}}
    response = client.post("/api/team-plan/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["current"] == ["Unknown role 'wizard'."]


def test_interviewers_cannot_use_the_team_plan(client_as: Callable[[str], Client]) -> None:
    client = client_as("interviewer")
    assert client.get("/roles/team-plan/").status_code == 403
    body = {"current": {}, "planned": {}}
    assert client.post("/api/team-plan/", body, content_type="application/json").status_code == 403
