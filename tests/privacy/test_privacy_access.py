"""Who may erase and export: admins erase, recruiters and admins export; everyone else gets
403 (404 for a candidate they cannot see, 401 or the login page when signed out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.pipeline.models import Candidate
from hiring.privacy.models import Erasure
from tests import factories
from tests.privacy.people import ended_application

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict[str, User]
    candidate: Candidate

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


@pytest.fixture
def world(playbook: Any) -> World:
    users = {
        "admin": factories.UserFactory(roles=[ADMIN]),
        "recruiter": factories.UserFactory(roles=[RECRUITER]),
        "manager": factories.UserFactory(roles=[HIRING_MANAGER]),
        "other_manager": factories.UserFactory(roles=[HIRING_MANAGER]),
        "interviewer": factories.UserFactory(roles=[INTERVIEWER]),
    }
    requisition = factories.requisition(hiring_manager=users["manager"])
    application = factories.application(requisition_obj=requisition)
    factories.scheduled_interview(application_obj=application, interviewers=[users["interviewer"]])
    factories.requisition(hiring_manager=users["other_manager"])
    ended_application(candidate=application.candidate)
    from hiring.pipeline.services.applications import application_end

    application_end(
        application=application, status="rejected", reason="Other", actor=requisition.recruiter
    )
    return World(users=users, candidate=application.candidate)


ANONYMISE = "/api/candidates/{pk}/anonymise/"
API_EXPORT = "/api/candidates/{pk}/export/"
PAGE_EXPORT = "/candidates/{pk}/export/"


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("recruiter", 403), ("manager", 403), ("other_manager", 403),
     ("interviewer", 403), ("anonymous", 401)],
)  # fmt: skip
def test_only_admins_anonymise(world: World, who: str, status: int) -> None:
    response = world.client(who).post(ANONYMISE.format(pk=world.candidate.pk))
    assert response.status_code == status, response.content
    assert Erasure.objects.exists() is (status == 200)


def test_the_api_answers_with_the_erasure_and_again_with_the_same_one(world: World) -> None:
    client, url = world.client("admin"), ANONYMISE.format(pk=world.candidate.pk)
    first = client.post(url).json()
    assert first["candidate"] == world.candidate.pk
    assert first["name"] == f"Erased candidate #{world.candidate.pk}"
    assert (first["reason"], first["erased_by"]) == ("request", world.users["admin"].username)
    assert client.post(url).json() == first


def test_the_api_refuses_a_candidate_with_an_active_application_with_409(world: World) -> None:
    active = factories.application().candidate
    response = world.client("admin").post(ANONYMISE.format(pk=active.pk))
    assert response.status_code == 409
    assert "active application" in response.json()["detail"]
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("pk", ["999999", str(2**70)])
def test_an_unknown_candidate_is_a_404(world: World, pk: str) -> None:
    for who, method, url in (
        ("admin", "post", ANONYMISE),
        ("recruiter", "get", API_EXPORT),
        ("recruiter", "get", PAGE_EXPORT),
    ):
        response = getattr(world.client(who), method)(url.format(pk=pk))
        assert response.status_code == 404, url


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("recruiter", 200), ("manager", 403), ("other_manager", 403),
     ("interviewer", 403), ("anonymous", 401)],
)  # fmt: skip
def test_only_recruiters_and_admins_export_through_the_api(
    world: World, who: str, status: int
) -> None:
    response = world.client(who).get(API_EXPORT.format(pk=world.candidate.pk))
    assert response.status_code == status
    assert ("applications" in response.json()) is (status == 200)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("recruiter", 200), ("manager", 403), ("other_manager", 403),
     ("interviewer", 403), ("anonymous", 302)],
)  # fmt: skip
def test_only_recruiters_and_admins_export_from_the_page(
    world: World, who: str, status: int
) -> None:
    response = world.client(who).get(PAGE_EXPORT.format(pk=world.candidate.pk))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/login/")


def test_the_export_page_answers_get_only(world: World) -> None:
    response = world.client("recruiter").post(PAGE_EXPORT.format(pk=world.candidate.pk))
    assert response.status_code == 405


# Django admin ---------------------------------------------------------------------------------


def admin_client(**fields: Any) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, **fields))
    return client


def test_the_admin_action_asks_first_then_erases(world: World) -> None:
    client = admin_client(is_superuser=True)
    pk = world.candidate.pk
    body = {"action": "anonymise", "_selected_action": [str(pk)]}
    confirm = client.post("/admin/pipeline/candidate/", body)
    assert confirm.status_code == 200
    assert world.candidate.name in confirm.content.decode()
    assert not Erasure.objects.exists()
    done = client.post("/admin/pipeline/candidate/", body | {"confirmed": "yes"}, follow=True)
    assert f"Erased the personal data of #{pk}" in done.content.decode()
    assert Candidate.objects.get(pk=pk).name == f"Erased candidate #{pk}"
    assert Erasure.objects.get().actor is not None


def test_the_admin_action_skips_a_candidate_with_an_active_application(world: World) -> None:
    active = factories.application().candidate
    body = {
        "action": "anonymise",
        "_selected_action": [str(active.pk), str(world.candidate.pk)],
        "confirmed": "yes",
    }
    done = admin_client(is_superuser=True).post("/admin/pipeline/candidate/", body, follow=True)
    page = done.content.decode()
    assert f"Erased the personal data of #{world.candidate.pk}" in page
    assert f"an active application; reject or withdraw it first): #{active.pk}" in page
    assert list(Erasure.objects.values_list("candidate_id", flat=True)) == [world.candidate.pk]


def test_staff_without_the_admin_role_cannot_erase_in_django_admin(world: World) -> None:
    from django.contrib.auth.models import Permission

    staff = factories.UserFactory(is_staff=True, roles=[RECRUITER])
    staff.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/pipeline/candidate/")
    assert listing.status_code == 200 and "anonymise" not in listing.content.decode()
    body = {
        "action": "anonymise",
        "_selected_action": [str(world.candidate.pk)],
        "confirmed": "yes",
    }
    client.post("/admin/pipeline/candidate/", body)
    assert not Erasure.objects.exists()
