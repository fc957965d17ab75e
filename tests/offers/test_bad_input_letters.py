"""Bad input to the letter pages and the candidate's link: refused clearly, nothing written
(tests/bad_input.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from hiring.models import AuditEntry
from hiring.notifications.models import Notification, OutboxMessage
from hiring.offers.models import LetterTemplate, Offer, OfferChange, OfferSignature
from hiring.offers.services.sending import offer_send
from hiring.pipeline.models import Application
from tests import factories
from tests.bad_input import (
    ANONYMOUS,
    SCRIPT,
    TOO_LONG,
    Bad,
    World,
    module_world,
    refused,
    two_pipelines,
)
from tests.offers.test_offers import approve_all

pytestmark = pytest.mark.django_db
WATCHED = [
    LetterTemplate, Offer, OfferChange, OfferSignature, OutboxMessage, Notification, AuditEntry,
    Application,
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        setup = two_pipelines()
        offer = approve_all(factories.offer(application_obj=setup.application, submit=True))
        offer_send(offer=offer, actor=setup.users["recruiter"])
        offer.refresh_from_db()
        from hiring.offers.links import candidate_link

        link = candidate_link(offer_id=offer.pk, nonce=offer.link_nonce)
        template = LetterTemplate.objects.create(name="Default", subject="S", body="Dear {role}")
        yield World(
            users=setup.users,
            ids={
                "link": link,
                "name": setup.application.candidate.name,
                "template": template.pk,
                "application": setup.application.pk,
            },
        )


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


BASES: dict[str, dict[str, Any]] = {
    "template": {"name": "Default", "subject": "Your offer", "body": "Dear {candidate_name}"},
    "accept": {"full_name": "{name}", "agree": "on"},
    "decline": {"reason": "other_offer", "comment": "Thanks"},
    "preview": {"application": "{application}"},
    "none": {},
}
ROWS = [
    Bad("template: unknown placeholder", "admin", "post-form", "/offers/letters/new/",
        "template", {"body": "Dear {salary}"}, 400, "Unknown placeholder {{salary}}"),
    Bad("template: lone brace", "admin", "post-form", "/offers/letters/new/", "template",
        {"body": "Dear {candidate_name"}, 400, "A lone '{{'"),
    Bad("template: unknown placeholder in the subject", "admin", "post-form",
        "/offers/letters/new/", "template", {"subject": "Offer {pay}"}, 400,
        "Unknown placeholder {{pay}}"),
    Bad("template: markup and an unknown placeholder", "admin", "post-form",
        "/offers/letters/new/", "template", {"body": SCRIPT + "{x}"}, 400, "Unknown placeholder"),
    Bad("template: no name", "admin", "post-form", "/offers/letters/new/", "template",
        {"name": ""}, 400, "This field is required"),
    Bad("template: empty body", "admin", "post-form", "/offers/letters/new/", "template",
        {"body": ""}, 400, "This field is required"),
    Bad("template: a requisition that does not exist", "admin", "post-form",
        "/offers/letters/new/", "template", {"requisition": "999999"}, 400, "Select a valid"),
    Bad("template: an unknown template", "admin", "post-form", "/offers/letters/999999/",
        "template", status=404),
    Bad("template: by a recruiter", "recruiter", "post-form", "/offers/letters/new/",
        "template", status=403),
    Bad("template: edit by an interviewer", "interviewer", "post-form",
        "/offers/letters/{template}/", "template", status=403),
    Bad("preview: no application", "recruiter", "post-form", "/offers/letter-preview/", "none",
        status=404),
    Bad("preview: an unknown application", "recruiter", "post-form", "/offers/letter-preview/",
        "preview", {"application": "999999"}, 404),
    Bad("preview: by an interviewer", "interviewer", "post-form", "/offers/letter-preview/",
        "preview", status=403),
    Bad("accept: another name", ANONYMOUS, "post-form", "{link}accept/", "accept",
        {"full_name": "Somebody Else"}, 400, "Type your full name as it is on the letter"),
    Bad("accept: the name with markup", ANONYMOUS, "post-form", "{link}accept/", "accept",
        {"full_name": SCRIPT}, 400, "Type your full name"),
    Bad("accept: the name too long", ANONYMOUS, "post-form", "{link}accept/", "accept",
        {"full_name": TOO_LONG}, 400, "at most 200 characters"),
    Bad("accept: no tick", ANONYMOUS, "post-form", "{link}accept/", "accept",
        {"agree": ""}, 400, "Tick the statement"),
    Bad("accept: a forged link", ANONYMOUS, "post-form", "/offer/forged-link/accept/", "accept",
        status=404, error="This link is not valid"),
    Bad("decline: a reason not in the list", ANONYMOUS, "post-form", "{link}decline/",
        "decline", {"reason": "bored"}, 400, "Select a valid choice"),
    Bad("decline: the comment too long", ANONYMOUS, "post-form", "{link}decline/", "decline",
        {"comment": TOO_LONG}, 400, "at most 1000 characters"),
    Bad("decline: a forged link", ANONYMOUS, "post-form", "/offer/forged/decline/", "decline",
        status=404),
    Bad("pdf: a forged link", ANONYMOUS, "get", "/offer/forged/letter.pdf", "none", status=404),
    Bad("page: a link cut short", ANONYMOUS, "get", "/offer/abc:def/", "none", status=404),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(row, id=row.name) for row in ROWS])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)
