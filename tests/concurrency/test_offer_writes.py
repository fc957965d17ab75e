"""Offer writes, ten at once: submit, an approver's vote, send, accept.

The offer row is locked by each of them, so the ten are counted one after the other: the
first moves the offer on, the other nine find it moved and get a 409 saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hiring.offers.models import ApprovalStep, Offer, OfferChange, StepApprover
from hiring.offers.services.approvals import step_vote
from hiring.offers.services.offers import offer_mark_sent
from hiring.pipeline.models import RequisitionChange, StageChange, StageKind
from tests import factories
from tests.concurrency.harness import (
    N,
    api_headers,
    audited,
    refusals_say_why,
    server_errors,
    statuses,
)
from tests.servers import Answer, Gunicorn, burst

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


@dataclass
class Scene:
    offer: Offer
    headers: dict[str, str]  # the one who acts: the recruiter, or the first approver


@dataclass
class World:
    submit: Scene
    approve: Scene
    send: Scene
    accept: Scene


def approved(admin: Any) -> Offer:
    offer = factories.offer(submit=True)
    step_vote(offer=offer, step_id=None, actor=offer.application.requisition.hiring_manager,
              approve=True)  # fmt: skip
    return step_vote(offer=offer, step_id=None, actor=admin, approve=True)


@pytest.fixture(scope="module")
def world(committed: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock():
        admin = factories.UserFactory(roles=["Admin"])  # Finance/HR approves as an admin
        draft = factories.offer()
        pending = factories.offer(submit=True)
        to_send = approved(admin)
        to_accept = approved(admin)
        offer_mark_sent(offer=to_accept, actor=to_accept.application.requisition.recruiter)

        def recruiter(offer: Offer) -> Scene:
            return Scene(offer, api_headers(offer.application.requisition.recruiter))

        return World(
            submit=recruiter(draft),
            approve=Scene(pending, api_headers(pending.application.requisition.hiring_manager)),
            send=recruiter(to_send),
            accept=recruiter(to_accept),
        )


def fire(server: Gunicorn, scene: Scene, action: str) -> list[Answer]:
    url = f"{server.url}/api/offers/{scene.offer.pk}/{action}/"
    return burst(N, lambda client, _: client.post(url, json={}, headers=scene.headers))


def changes_to(offer: Offer, status: str) -> int:
    return OfferChange.objects.filter(offer=offer, to_status=status).count()


ONE_WINS = {200: 1, 409: N - 1}


def test_ten_submits_of_one_draft_build_one_chain(server: Gunicorn, world: World) -> None:
    offer = world.submit.offer

    answers = fire(server, world.submit, "submit")

    rounds = set(ApprovalStep.objects.filter(offer=offer).values_list("round", flat=True))
    outcome = (statuses(answers), changes_to(offer, "pending"), audited("offer.submit", offer))
    assert outcome == (ONE_WINS, 1, 1), server_errors(server)
    assert rounds == {1}
    assert refusals_say_why(answers)


def test_ten_approvals_by_one_approver_count_one_vote(server: Gunicorn, world: World) -> None:
    offer = world.approve.offer
    manager = offer.application.requisition.hiring_manager

    answers = fire(server, world.approve, "approve")

    votes = StepApprover.objects.filter(step__offer=offer, user=manager).exclude(vote="").count()
    outcome = (statuses(answers), votes, audited("offer.approve", offer))
    assert outcome == (ONE_WINS, 1, 1), server_errors(server)
    assert refusals_say_why(answers)


def test_ten_sends_of_one_offer_send_it_once(server: Gunicorn, world: World) -> None:
    offer = world.send.offer

    answers = fire(server, world.send, "send")

    outcome = (statuses(answers), changes_to(offer, "sent"), audited("offer.send", offer))
    assert outcome == (ONE_WINS, 1, 1), server_errors(server)
    assert refusals_say_why(answers)


def test_ten_accepts_of_one_offer_hire_once(server: Gunicorn, world: World) -> None:
    offer = world.accept.offer
    application = offer.application

    answers = fire(server, world.accept, "accept")

    hired = StageChange.objects.filter(application=application, to_stage__kind=StageKind.HIRED)
    filled = RequisitionChange.objects.filter(
        requisition=application.requisition, to_status="filled"
    )
    outcome = (
        statuses(answers),
        changes_to(offer, "accepted"),
        audited("offer.accept", offer),
        hired.count(),
        filled.count(),
    )
    assert outcome == (ONE_WINS, 1, 1, 1, 1), server_errors(server)
    assert refusals_say_why(answers)
