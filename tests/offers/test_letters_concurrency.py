"""The candidate answering in two tabs at once, or double-clicking: one outcome (PostgreSQL
row locks). Each answer runs on its own connection, released together by a barrier."""

from __future__ import annotations

from typing import Any

import pytest

from hiring.errors import DomainError
from hiring.offers.models import Offer, OfferSignature
from hiring.offers.services.candidate import (
    Client,
    offer_accept_by_link,
    offer_decline_by_link,
)
from hiring.pipeline.models import ApplicationStatus
from tests.offers.test_letters import link_of, sent_offer
from tests.offers.test_offer_concurrency import _postgresql_only, race  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("playbook")]
BROWSER = Client("127.0.0.1", "Test browser")


@pytest.fixture(autouse=True)
def _admin(make_user: Any) -> None:
    make_user("Admin")


def token(offer: Offer) -> str:
    return link_of(offer).strip("/").split("/")[-1]


def accept(offer: Offer) -> Any:
    name = offer.application.candidate.name
    return lambda: offer_accept_by_link(
        token=token(offer), full_name=name, agreed=True, client=BROWSER
    )


def decline(offer: Offer) -> Any:
    return lambda: offer_decline_by_link(token=token(offer), reason="other_offer", comment="")


def test_two_tabs_accepting_at_once_sign_once() -> None:
    offer = sent_offer()
    results = race(accept(offer), accept(offer), accept(offer))
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 2 and {r.status for r in refused} == {409}
    assert OfferSignature.objects.filter(offer=offer).count() == 1
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert offer.changes.filter(to_status="accepted").count() == 1
    assert offer.application.status == ApplicationStatus.HIRED


def test_accept_and_decline_at_once_give_one_outcome() -> None:
    offer = sent_offer()
    results = race(accept(offer), decline(offer))
    assert sum(isinstance(r, DomainError) for r in results) == 1
    offer.refresh_from_db()
    assert offer.status in {"accepted", "declined"}
    answers = offer.changes.filter(to_status__in=["accepted", "declined"])
    assert answers.count() == 1
    assert OfferSignature.objects.filter(offer=offer).exists() == (offer.status == "accepted")
