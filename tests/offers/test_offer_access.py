"""Who may open what in offers: every page and endpoint, for every role and anonymous.

Recruiters and admins: everything. The requisition's hiring manager: read, approve, the
dashboard, no editing. Interviewers: nothing at all (403). No role: 403. Anonymous: the
login page (API: 401). Notifications: everyone with a login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hiring.offers.links import approval_link
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
ROLES = ["recruiter", "hiring_manager", "admin", "interviewer", "none"]
STAFF = {"recruiter", "hiring_manager", "admin"}
EDITORS = {"recruiter", "admin"}
EVERYONE = set(ROLES) - {"none"}


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    admin = make_user("Admin")
    requisition = factories.requisition()
    application = factories.application(requisition_obj=requisition)
    offer = factories.offer(application_obj=application, submit=True)
    users = {
        "recruiter": requisition.recruiter,
        "hiring_manager": requisition.hiring_manager,
        "admin": admin,
        "interviewer": make_user("Interviewer"),
        "none": make_user(),
    }
    fresh = factories.application(requisition_obj=requisition)  # no offer yet
    return {"offer": offer, "application": fresh, "users": users}


def client_for(world: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


PAGES: list[tuple[str, set[str]]] = [
    ("/offers/", STAFF),
    ("/offers/dashboard/", STAFF),
    ("/offers/{offer}/", STAFF),
    ("/offers/{offer}/edit/", EDITORS),
    ("/offers/new/?application={application}", EDITORS),
    ("/notifications/", EVERYONE),
    ("/notifications/settings/", EVERYONE),
]
ENDPOINTS: list[tuple[str, set[str]]] = [
    ("/api/offers/", STAFF),
    ("/api/offers/{offer}/", STAFF),
    ("/api/offers/{offer}/band-check/", STAFF),
    ("/api/notifications/", EVERYONE),
]
POSTS: list[tuple[str, set[str]]] = [
    ("/offers/{offer}/withdraw/", EDITORS),
    ("/offers/{offer}/rescind/", EDITORS),
]


def url(template: str, world: dict[str, Any]) -> str:
    return template.format(offer=world["offer"].pk, application=world["application"].pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "allowed"), PAGES)
def test_offer_pages_follow_the_permission_table(
    world: dict[str, Any], page: str, allowed: set[str], role: str
) -> None:
    response = client_for(world, role).get(url(page, world))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"This page is not part of your role" in response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "allowed"), ENDPOINTS)
def test_offer_endpoints_follow_the_permission_table(
    world: dict[str, Any], endpoint: str, allowed: set[str], role: str
) -> None:
    response = client_for(world, role).get(url(endpoint, world))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "You do not have permission to perform this action.",
            "fields": {},
        }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "allowed"), POSTS)
def test_offer_actions_need_the_edit_right(
    world: dict[str, Any], action: str, allowed: set[str], role: str
) -> None:
    response = client_for(world, role).post(url(action, world), {"reason": "Budget frozen"})
    assert response.status_code == (302 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_create_offers_through_the_api(world: dict[str, Any], role: str) -> None:
    other = factories.application()
    terms = factories.offer_terms(other)
    body = {**terms, "application": other.pk, "level": terms["level"].pk}
    for name in ("start_date", "expires_on"):
        body[name] = body[name].isoformat()
    response = client_for(world, role).post("/api/offers/", body, content_type="application/json")
    assert response.status_code == (201 if role in EDITORS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_steps_approver_may_approve(world: dict[str, Any], role: str) -> None:
    offer = world["offer"]
    response = client_for(world, role).post(
        f"/api/offers/{offer.pk}/approve/", {}, content_type="application/json"
    )
    expected = {"hiring_manager": 200, "recruiter": 403, "admin": 409}
    # The admin sits on the finance step, which has not opened yet: 409, not 403.
    assert response.status_code == expected.get(role, 403)


def test_a_hiring_manager_does_not_see_another_managers_offers(
    world: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    stranger = Client()
    stranger.force_login(make_user("Hiring manager"))
    offer = world["offer"]
    assert stranger.get(f"/offers/{offer.pk}/").status_code == 404
    assert stranger.get(f"/api/offers/{offer.pk}/").status_code == 404
    assert stranger.get("/api/offers/").json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/offers/", "/offers/dashboard/", "/offers/1/", "/offers/1/edit/", "/notifications/",
     "/notifications/settings/", "/offers/approve/abc/"],
)  # fmt: skip
def test_anonymous_visitors_are_sent_to_log_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/offers/", "/api/offers/1/", "/api/offers/1/band-check/", "/api/notifications/"]
)
def test_anonymous_api_calls_get_401(client: Client, path: str) -> None:
    assert client.get(path).status_code == 401


def test_the_approval_link_works_for_its_approver_only(world: dict[str, Any]) -> None:
    offer = world["offer"]
    step = offer.steps.get(position=0)
    link = approval_link(step_id=step.pk, user_id=world["users"]["hiring_manager"].pk)
    assert client_for(world, "hiring_manager").get(link).status_code == 200
    other = client_for(world, "admin").get(link)
    assert other.status_code == 403
    assert b"sent to another approver" in other.content
    assert client_for(world, "interviewer").get(link).status_code == 403
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
