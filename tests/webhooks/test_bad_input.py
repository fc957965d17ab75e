"""Bad input on the webhook pages: the form again with the error beside its field (400),
never a 500, nothing written (tests/bad_input.py's machinery)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from hiring.models import AuditEntry
from hiring.notifications.models import OutboxMessage
from hiring.webhooks.models import SUBJECT_TYPE, Endpoint
from hiring.webhooks.services.endpoints import endpoint_create
from tests.bad_input import (
    ANONYMOUS,
    HUGE_ID,
    REMOVE,
    SCRIPT,
    TOO_LONG,
    Bad,
    World,
    accepted,
    module_world,
    refused,
    two_pipelines,
)

pytestmark = pytest.mark.django_db
WATCHED = [Endpoint, OutboxMessage, AuditEntry]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        setup = two_pipelines()
        fields = dict(BASES["endpoint"], events=["offer.sent"], active=True)
        hook = endpoint_create(fields=fields, actor=setup.users["admin"])
        other = endpoint_create(fields=dict(fields, name="Other"), actor=setup.users["admin"])
        now = timezone.now()
        theirs = OutboxMessage.objects.create(
            channel="webhook", claim_key="webhook:other:1", to=other.url, title="offer.sent x",
            subject_type=SUBJECT_TYPE, subject_id=other.pk, created_at=now, send_after=now,
            next_attempt_at=now,
        )  # fmt: skip
        yield World(setup.users, {"hook": hook.pk, "other_delivery": theirs.pk})


BASES: dict[str, dict[str, Any]] = {
    "endpoint": {"name": "HR system", "url": "https://hr.example.com/hooks", "kind": "signed",
                 "events": ["application.hired"], "active": "on"},
    "none": {},
}  # fmt: skip
LIST, DETAIL = "/webhooks/", "/webhooks/{hook}/"


def row(name: str, changes: dict[str, Any], error: str, url: str = LIST) -> Bad:
    return Bad(name, "admin", "post-form", url, "endpoint", changes, status=400, error=error)


ROWS = [
    row("no name", {"name": REMOVE}, "This field is required."),
    row("name too long", {"name": TOO_LONG}, "at most 100 characters"),
    row("URL missing", {"url": ""}, "This field is required."),
    row("URL not http", {"url": "ftp://hr.example.com/x"}, "http:// or https:// URL"),
    row("URL javascript", {"url": "javascript:alert(1)"}, "http:// or https:// URL"),
    row("URL markup", {"url": SCRIPT}, "http:// or https:// URL"),
    row("URL with a password", {"url": "https://u:p@hr.example.com/"}, "Leave user names"),
    row("URL port out of range", {"url": "https://hr.example.com:99999/"}, "Enter a URL"),
    row("URL too long", {"url": "https://x.example.com/" + TOO_LONG}, "at most 500 characters"),
    row("no events", {"events": []}, "Choose at least one event."),
    row("unknown event", {"events": ["offer.teleported"]}, "not one of the available choices"),
    row("chat-only event on a signed endpoint", {"events": ["offer.approval_waiting"]},
        "not one of the available choices"),
    row("unknown kind", {"kind": "carrier-pigeon"}, "not one of the available choices"),
    row("an edit with a bad URL", {"url": "nope"}, "http:// or https:// URL", DETAIL),
    Bad("an interviewer", "interviewer", "post-form", LIST, "endpoint", status=403),
    Bad("a recruiter", "recruiter", "post-form", LIST, "endpoint", status=403),
    Bad("a hiring manager opens the log", "manager", "get", DETAIL, "none", status=403),
    Bad("signed out", ANONYMOUS, "post-form", LIST, "endpoint", status=302),
    Bad("unknown endpoint", "admin", "get", "/webhooks/999999/", "none", status=404),
    Bad("endpoint id past the range", "admin", "get", f"/webhooks/{HUGE_ID}/", "none",
        status=404),
    Bad("send again: another endpoint's delivery", "admin", "post-form",
        "/webhooks/{hook}/deliveries/{other_delivery}/again/", "none", status=404),
    Bad("send again: unknown delivery", "admin", "post-form",
        "/webhooks/{hook}/deliveries/999999/again/", "none", status=404),
    Bad("send again: GET", "admin", "get", "/webhooks/{hook}/deliveries/{other_delivery}/again/",
        "none", status=405),
    Bad("new secret: GET", "admin", "get", "/webhooks/{hook}/secret/", "none", status=405),
]  # fmt: skip


@pytest.mark.parametrize("bad", [pytest.param(r, id=r.name) for r in ROWS])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, bad: Bad) -> None:
    refused(bad, world, BASES, WATCHED)


GOOD = [
    Bad("add an endpoint", "admin", "post-form", LIST, "endpoint", status=302),
    Bad("edit an endpoint", "admin", "post-form", DETAIL, "endpoint", status=302),
]


@pytest.mark.parametrize("good", [pytest.param(r, id=r.name) for r in GOOD])
def test_each_request_by_an_admin_is_accepted_and_written(world: World, good: Bad) -> None:
    accepted(good, world, BASES, WATCHED)
