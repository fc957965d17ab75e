"""Pipeline writes, ten at once: a stage move (API and board), a bulk move, an import confirm.

A move to the stage the application is already in changes nothing, so each of the ten moves
answers as the first did (the same result); the history and the audit log show one move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hiring.pipeline.models import (
    Application,
    Candidate,
    Requisition,
    Stage,
    StageChange,
    StageKind,
)
from tests import factories
from tests.concurrency.harness import N, api_headers, audited, page_headers, server_errors, statuses
from tests.servers import Gunicorn, burst

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


@dataclass
class Moving:
    """A requisition's applications, its screen stage, and its recruiter's credentials."""

    requisition: Requisition
    applications: list[Application]
    screen: Stage
    api: dict[str, str]
    page: dict[str, str]


@dataclass
class World:
    api_move: Moving
    board_move: Moving
    bulk_move: Moving
    importer: dict[str, str]


def moving(count: int = 1) -> Moving:
    requisition = factories.requisition()
    return Moving(
        requisition=requisition,
        applications=[factories.application(requisition_obj=requisition) for _ in range(count)],
        screen=requisition.stages.get(kind=StageKind.SCREEN),
        api=api_headers(requisition.recruiter),
        page=page_headers(requisition.recruiter),
    )


@pytest.fixture(scope="module")
def world(committed: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock():
        return World(
            api_move=moving(),
            board_move=moving(),
            bulk_move=moving(3),
            importer=page_headers(factories.UserFactory(roles=["Recruiter"])),
        )


def moves(application: Application) -> int:
    """Stage moves in the history (the row written on entering the pipeline is not one)."""
    return StageChange.objects.filter(application=application, from_stage__isnull=False).count()


def test_ten_api_moves_of_one_application_move_it_once(server: Gunicorn, world: World) -> None:
    scene = world.api_move
    (application,) = scene.applications
    url = f"{server.url}/api/applications/{application.pk}/move/"
    body = {"stage": scene.screen.pk}

    answers = burst(N, lambda client, _: client.post(url, json=body, headers=scene.api))

    outcome = (statuses(answers), moves(application), audited("application.move", application))
    assert outcome == ({200: N}, 1, 1), server_errors(server)
    assert {answer.json()["stage"]["id"] for answer in answers} == {scene.screen.pk}  # type: ignore[index]


def test_ten_board_moves_of_one_card_move_it_once(server: Gunicorn, world: World) -> None:
    scene = world.board_move
    (application,) = scene.applications
    url = f"{server.url}/requisitions/{scene.requisition.pk}/board/move/"
    data = {"application": application.pk, "stage": scene.screen.pk}
    headers = {**scene.page, "HX-Request": "true"}

    answers = burst(N, lambda client, _: client.post(url, data=data, headers=headers))

    outcome = (statuses(answers), moves(application), audited("application.move", application))
    assert outcome == ({200: N}, 1, 1), server_errors(server)
    assert all("moved to Recruiter screen" in answer.text for answer in answers)


def test_ten_bulk_moves_of_the_same_rows_move_each_once(server: Gunicorn, world: World) -> None:
    scene = world.bulk_move
    data = {
        "action": "move",
        "stage": "Recruiter screen",
        "ids": [a.pk for a in scene.applications],
    }
    url = f"{server.url}/candidates/"

    answers = burst(N, lambda client, _: client.post(url, data=data, headers=scene.page))

    each = [moves(a) for a in scene.applications]
    outcome = (statuses(answers), each, audited("application.move", *scene.applications))
    assert outcome == ({302: N}, [1, 1, 1], 3), server_errors(server)  # 302: back to the list


CSV = "name,email\n" + "".join(f"Person {n},burst-import-{n}@example.org\n" for n in range(20))


def test_ten_confirms_of_one_import_write_it_once(server: Gunicorn, world: World) -> None:
    url = f"{server.url}/candidates/import/"
    files = {"file": ("people.csv", CSV.encode(), "text/csv")}
    (preview,) = burst(1, lambda client, _: client.post(url, files=files, headers=world.importer))
    assert preview.status == 200 and "20 will be created" in preview.text

    answers = burst(
        N, lambda client, _: client.post(url, data={"step": "confirm"}, headers=world.importer)
    )

    imported = list(Candidate.objects.filter(email__startswith="burst-import-"))
    outcome = (statuses(answers), len(imported), audited("candidate.create", *imported))
    assert outcome == ({200: N}, 20, 20), server_errors(server)
    # Every click gets the result page of the one import.
    assert all("Imported 20 candidates" in answer.text for answer in answers)
