"""Ten candidates after one interviewer's slot at the same moment (PostgreSQL, gunicorn):
one books it; the nine others are told it was taken and shown the times still free. And one
candidate's link clicked ten times at once books one interview."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from assessments.models import Interview
from assessments.rules import InterviewStatus
from hiring.scheduling.models import SlotLink
from hiring.scheduling.selectors.slots import link_free_slots
from tests import factories
from tests.concurrency.harness import N, server_errors, statuses
from tests.panels import eager_celery
from tests.scheduling.support import link_for, path_of, setup
from tests.servers import Gunicorn, burst

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db]


@dataclass
class World:
    interviewer: Any
    links: list[SlotLink]  # one per candidate, all with the same interviewer
    double: SlotLink  # one candidate's link, clicked N times
    slot: str


@pytest.fixture(scope="module")
def world(committed: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock(), eager_celery():
        base = setup(interviewers=1)
        person = base.interviewers[0]
        today = timezone.localdate()
        window = {
            "first_day": today + dt.timedelta(days=2),
            "last_day": today + dt.timedelta(days=12),
        }
        links = [link_for(base.application, [person], **window)]
        for _ in range(N - 1):
            other = factories.application(requisition_obj=base.application.requisition)
            links.append(link_for(other, [person], **window))
        lone = setup(interviewers=1)
        double = link_for(lone.application, lone.interviewers, **window)
        slot = link_free_slots(links[0], now=timezone.now())[0]
        return World(person, links, double, f"{slot:%Y-%m-%dT%H:%M:%SZ}")


def anonymous_headers() -> dict[str, str]:
    """A browser with no session: a CSRF cookie, sent back in the header."""
    csrf = get_random_string(32)
    return {"Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}", "X-CSRFToken": csrf}


def test_ten_candidates_after_one_slot_one_books_it_the_others_see_fresh_slots(
    server: Gunicorn, world: World
) -> None:
    def send(client: Any, index: int) -> Any:
        url = f"{server.url}{path_of(world.links[index])}"
        return client.post(
            url, data={"start": world.slot, "tz": "UTC"}, headers=anonymous_headers()
        )

    answers = burst(N, send)

    booked = Interview.objects.filter(
        interviewers=world.interviewer,
        status=InterviewStatus.SCHEDULED,
        starts_at=dt.datetime.strptime(world.slot, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC),
    ).count()
    assert (statuses(answers), booked) == ({302: 1, 409: N - 1}, 1), server_errors(server)
    for answer in (a for a in answers if a.status == 409):
        assert "That time was just taken" in answer.text
        offered = re.findall(r'name="start" value="([^"]+)"', answer.text)
        assert offered and world.slot not in offered
    assert (
        SlotLink.objects.filter(pk__in=[link.pk for link in world.links], status="booked").count()
        == 1
    )


def test_one_link_clicked_ten_times_at_once_books_one_interview(
    server: Gunicorn, world: World
) -> None:
    url = f"{server.url}{path_of(world.double)}"
    slot = link_free_slots(world.double, now=timezone.now())[0]
    body = {"start": f"{slot:%Y-%m-%dT%H:%M:%SZ}"}

    answers = burst(N, lambda client, _: client.post(url, data=body, headers=anonymous_headers()))

    interviews = Interview.objects.filter(application=world.double.application).count()
    world.double.refresh_from_db()
    assert (statuses(answers), interviews) == ({302: N}, 1), server_errors(server)
    assert world.double.reschedules_left == 1  # the same time again used no reschedule
