"""Demo offers for `make run`, and the bulk offers of the sweep benchmark."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from hiring.notifications.sweep import sweep
from hiring.offers.models import ApprovalStep, Offer, OfferClock, StepApprover

pytestmark = pytest.mark.usefixtures("playbook")


def test_seed_demo_gives_the_manager_an_offer_to_approve_and_one_out_of_band() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    manager = User.objects.get(username="manager")
    waiting = StepApprover.objects.filter(user=manager, vote="", step__status="pending")
    assert waiting.count() == 1
    statuses = set(Offer.objects.values_list("status", flat=True))
    assert {"draft", "pending", "approved", "sent"} <= statuses
    above = Offer.objects.get(band_result="above")
    assert above.justification
    assert above.steps.filter(name="Compensation exception").exists()
    assert OfferClock.objects.filter(stopped_at__isnull=True, application__offers=None).exists()
    count = Offer.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Offer.objects.count() == count  # once only


def test_bulk_offers_are_swept_once(make_user: Any) -> None:
    from hiring.demo.offers import seed_offers_bulk

    call_command("seed_demo", applications=200, stdout=io.StringIO())
    moment = dt.datetime(2026, 3, 4, 16, tzinfo=dt.UTC)  # Wednesday 11:00 in New York
    report = seed_offers_bulk(total=40, now=moment)
    assert report["offers"] == 40
    assert ApprovalStep.objects.filter(status="pending").exists()
    first = sweep(now=moment, deliver=False)
    assert first.total_claimed > 0
    assert sweep(now=moment, deliver=False).total_claimed == 0
