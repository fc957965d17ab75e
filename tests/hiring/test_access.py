"""Who may open what: every page and endpoint, for every role, plus anonymous users.

Each row: URL, the role keys that may open it. Everyone else with a login gets 403
(a friendly page, or JSON for the API); anonymous users go to the login page (API: 401).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

ALL = {"recruiter", "interviewer", "hiring_manager", "admin"}
STAFF = {"recruiter", "hiring_manager", "admin"}
EDITORS = {"recruiter", "admin"}
PAGES: list[tuple[str, set[str]]] = [
    ("/", ALL),
    ("/audit-log/", {"admin"}),
    ("/roles/", ALL),
    ("/roles/ml-engineering-lead/", ALL),
    ("/roles/ml-engineering-lead/edit/", {"admin"}),
    ("/roles/team-plan/", STAFF),
    ("/assessments/bank/", ALL),
    ("/assessments/questions/worst-production-failure/edit/", {"admin"}),
    ("/assessments/red-flags/every-project-successful/edit/", {"admin"}),
    ("/compensation/bands/", STAFF),
    ("/compensation/bands/new/", {"admin"}),
    ("/requisitions/", STAFF),
    ("/requisitions/new/", EDITORS),
    ("/candidates/", STAFF),
    ("/candidates/export.csv", STAFF),
    ("/candidates/new/", EDITORS),
    ("/candidates/import/", EDITORS),
    ("/candidates/import/template.csv", EDITORS),
]
ENDPOINTS: list[tuple[str, set[str]]] = [
    ("/api/me/", ALL),
    ("/api/audit-log/", {"admin"}),
    ("/api/roles/", ALL),
    ("/api/roles/ml-engineering-lead/", ALL),
    ("/api/questions/", ALL),
    ("/api/questions/worst-production-failure/", ALL),
    ("/api/red-flags/", ALL),
    ("/api/compensation-bands/", STAFF),
    ("/api/compensation-bands/?role=applied-ml-engineer&level=Senior+(6%2B+yrs)", STAFF),
    # Interviewers may call these: they see only the candidates they interview.
    ("/api/requisitions/", ALL),
    ("/api/candidates/", ALL),
    ("/api/applications/", ALL),
]
pytestmark = pytest.mark.usefixtures("playbook")
ROLE_KEYS = [*sorted(ALL), "none"]


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize(("url", "allowed"), PAGES)
def test_page_access_follows_the_permission_table(
    client_as: Callable[[str], Client], url: str, allowed: set[str], role: str
) -> None:
    response = client_as(role).get(url)
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"This page is not part of your role" in response.content


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize(("url", "allowed"), ENDPOINTS)
def test_endpoint_access_follows_the_permission_table(
    client_as: Callable[[str], Client], url: str, allowed: set[str], role: str
) -> None:
    response = client_as(role).get(url)
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == "You do not have permission to perform this action."


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "_allowed"), PAGES)
def test_anonymous_visitor_is_sent_to_login(client: Client, url: str, _allowed: set[str]) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "_allowed"), ENDPOINTS)
def test_anonymous_api_call_gets_401_json(client: Client, url: str, _allowed: set[str]) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_me_lists_roles_and_capabilities(client_as: Callable[[str], Client]) -> None:
    data = client_as("interviewer").get("/api/me/").json()
    assert data["roles"] == ["Interviewer"]
    assert "compensation.view" not in data["capabilities"]
    assert "interviews.view_own" in data["capabilities"]


def test_interviewer_never_holds_a_compensation_capability() -> None:
    from hiring.permissions import INTERVIEWER, RULES

    assert not any(INTERVIEWER in roles for name, roles in RULES.items() if "compensation" in name)


def test_user_with_two_roles_gets_both_home_sections(make_user: Callable[..., object]) -> None:
    client = Client()
    client.force_login(make_user("Recruiter", "Hiring manager"))
    page = client.get("/").content.decode()
    assert "Pipeline" in page
    assert "Waiting for my approval" in page
    assert "My interviews" not in page


@pytest.mark.parametrize(
    ("role", "section"),
    [
        ("recruiter", "Pipeline"),
        ("interviewer", "My interviews"),
        ("hiring_manager", "Waiting for my approval"),
        ("admin", "Administration"),
    ],
)
def test_each_role_lands_on_its_own_home(
    client_as: Callable[[str], Client], role: str, section: str
) -> None:
    assert section in client_as(role).get("/").content.decode()


def test_navigation_hides_what_the_role_cannot_open(client_as: Callable[[str], Client]) -> None:
    assert 'href="/audit-log/"' not in client_as("interviewer").get("/").content.decode()
    assert 'href="/audit-log/"' in client_as("admin").get("/").content.decode()


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Nothing here" in response.content


@pytest.mark.django_db
def test_unknown_api_path_gets_json_404(client: Client) -> None:
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."
