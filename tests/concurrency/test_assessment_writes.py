"""Assessment writes, ten at once: a scorecard submit and a debrief decision.

The first request does it; the other nine see what it did and get a 409 saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from assessments.models import Decision, Scorecard, ScorecardChange
from hiring.offers.models import OfferClock
from hiring.pipeline.models import Application, StageChange, StageKind
from tests import factories
from tests.concurrency.harness import (
    N,
    api_headers,
    audited,
    refusals_say_why,
    server_errors,
    statuses,
)
from tests.panels import eager_celery, panel
from tests.servers import Gunicorn, burst

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


@dataclass
class World:
    scorecard: Scorecard
    interviewer: dict[str, str]
    application: Application
    manager: dict[str, str]


@pytest.fixture(scope="module")
def world(committed: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock(), eager_celery():
        scored = panel(interviewers=1)
        card = factories.filled_scorecard(
            interview=scored.interview, interviewer=scored.first, submit=False
        )
        deciding = factories.application()
        return World(
            scorecard=card,
            interviewer=api_headers(scored.first),
            application=deciding,
            manager=api_headers(deciding.requisition.hiring_manager),
        )


def test_ten_submits_of_one_scorecard_submit_it_once(server: Gunicorn, world: World) -> None:
    card = world.scorecard
    url = f"{server.url}/api/scorecards/{card.pk}/submit/"
    body = {"version": card.version}

    answers = burst(N, lambda client, _: client.post(url, json=body, headers=world.interviewer))

    submitted = ScorecardChange.objects.filter(scorecard=card, to_status="submitted").count()
    outcome = (statuses(answers), submitted, audited("scorecard.submit", card))
    assert outcome == ({200: 1, 409: N - 1}, 1, 1), server_errors(server)
    assert refusals_say_why(answers)


def test_ten_advance_decisions_record_one_and_start_one_clock(
    server: Gunicorn, world: World
) -> None:
    application = world.application
    url = f"{server.url}/api/applications/{application.pk}/decision/"

    answers = burst(
        N, lambda client, _: client.post(url, json={"outcome": "advance"}, headers=world.manager)
    )

    decisions = Decision.objects.filter(application=application).count()
    to_offer = StageChange.objects.filter(application=application, to_stage__kind=StageKind.OFFER)
    clocks = OfferClock.objects.filter(application=application).count()
    outcome = (statuses(answers), decisions, to_offer.count(), clocks)
    assert outcome == ({201: 1, 409: N - 1}, 1, 1, 1), server_errors(server)
    assert audited("decision.record", application) == 1
    assert refusals_say_why(answers)
