"""Approval-template saves, ten at once from editors opened on the same version: one is
saved, the nine others are told someone else changed it (409); never a 500, never a mix of
two saves' steps. The company default's first save has no row to lock: a lock on its name
serializes the saves (without it, two of ten went through, the second deleting the first's
steps)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from hiring.models import AuditEntry
from hiring.offers.models import ApprovalTemplateStep
from hiring.offers.selectors.approval_templates import fingerprint, template_steps
from hiring.pipeline.models import Requisition
from tests import factories
from tests.concurrency.harness import N, page_headers, server_errors, statuses
from tests.servers import Gunicorn, burst

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


@dataclass
class World:
    requisition: Requisition
    headers: dict[str, str]
    people: list[int]


@pytest.fixture(scope="module")
def world(committed: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        admin = factories.UserFactory(roles=["Admin"])
        people = [factories.UserFactory(roles=["Recruiter"]).pk for _ in range(N)]
        world = World(factories.requisition(), page_headers(admin), people)
    yield world
    with django_db_blocker.unblock():
        # The committed database outlives this module: a company default left here would
        # give the next module's offers its chain.
        ApprovalTemplateStep.objects.all().delete()


def form(i: int, world: World) -> dict[str, Any]:
    """Editor i's save: two steps, the second naming person i (so saves differ)."""
    return {
        "seen": fingerprint([]), "count": "2", "action": "save",
        "step-0-name": "Hiring manager", "step-0-source": "hiring_manager", "step-0-required": "1",
        "step-1-name": f"Editor {i}", "step-1-source": "people",
        "step-1-people": [str(world.people[i])], "step-1-required": "1",
    }  # fmt: skip


@pytest.mark.parametrize("which", ["default", "requisition"])
def test_ten_saves_from_one_version_save_once(server: Gunicorn, world: World, which: str) -> None:
    path = "default" if which == "default" else f"requisitions/{world.requisition.pk}"
    url = f"{server.url}/offers/approval-templates/{path}/"
    answers = burst(N, lambda client, i: client.post(url, data=form(i, world),
                                                     headers=world.headers))  # fmt: skip
    assert statuses(answers) == {302: 1, 409: N - 1}, server_errors(server)
    assert all("Someone else changed this template" in a.text for a in answers if a.status == 409)
    owner = None if which == "default" else world.requisition.pk
    steps = template_steps(owner)
    assert len(steps) == 2 and len(steps[1].people) == 1
    assert steps[1].name == f"Editor {world.people.index(steps[1].people[0])}"
    object_id = "default" if owner is None else str(owner)
    assert (
        AuditEntry.objects.filter(action="approval_template.save", object_id=object_id).count() == 1
    )
    assert ApprovalTemplateStep.objects.filter(requisition_id=owner).count() == 2
