"""Statuses as data: the offer's and the approval step's transition maps refuse what they do
not allow (409, nothing written), and every change of a step's status is a history row
(from, to, who, why, when)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from hiring.errors import DomainError
from hiring.offers.models import ApprovalStepChange, OfferChange
from hiring.offers.rules import OFFER_TRANSITIONS, STEP_TRANSITIONS, OfferStatus, StepStatus
from hiring.offers.services.approvals import step_vote
from hiring.offers.services.status import offer_set_status, step_set_status
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin")


def history(step: Any) -> list[tuple[str, str, int | None, str]]:
    return list(step.changes.values_list("from_status", "to_status", "actor_id", "reason"))


def test_the_maps_name_every_status_and_lead_only_to_statuses() -> None:
    for statuses, transitions in ((OfferStatus, OFFER_TRANSITIONS), (StepStatus, STEP_TRANSITIONS)):
        assert set(transitions) == set(statuses.values)
        assert set().union(*transitions.values()) <= set(statuses.values)


def test_an_offer_move_its_map_does_not_allow_is_refused_with_409(admin: Any) -> None:
    offer = factories.offer()  # a draft: it is submitted before anything else
    recruiter = offer.application.requisition.recruiter
    with pytest.raises(DomainError) as refused:
        offer_set_status(offer=offer, to=OfferStatus.SENT, actor=recruiter)
    assert refused.value.status == 409
    assert refused.value.message == "This offer cannot go from Draft to Sent."
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert not OfferChange.objects.filter(offer=offer, to_status=OfferStatus.SENT).exists()


def test_a_step_move_its_map_does_not_allow_is_refused_with_409(admin: Any) -> None:
    offer = factories.offer(submit=True)
    finance = offer.steps.get(name="Finance/HR")  # waiting for the hiring manager's step
    with pytest.raises(DomainError) as refused:
        step_set_status(step=finance, to=StepStatus.APPROVED, actor=admin, now=timezone.now())
    assert refused.value.status == 409
    assert "from Waiting for an earlier step to Approved" in refused.value.message
    finance.refresh_from_db()
    assert finance.status == StepStatus.WAITING
    assert not finance.changes.exists()


def test_a_closed_step_does_not_open_again(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    step = offer.steps.get(name="Hiring manager")
    with pytest.raises(DomainError) as refused:
        step_set_status(step=step, to=StepStatus.PENDING, actor=manager, now=timezone.now())
    assert refused.value.status == 409
    step.refresh_from_db()
    assert step.status == StepStatus.APPROVED


def test_submitting_and_a_vote_write_the_steps_history(admin: Any) -> None:
    offer = factories.offer(submit=True)
    requisition = offer.application.requisition
    step_vote(offer=offer, step_id=None, actor=requisition.hiring_manager, approve=True)
    manager_step = offer.steps.get(name="Hiring manager")
    finance = offer.steps.get(name="Finance/HR")
    assert history(manager_step) == [
        ("waiting", "pending", requisition.recruiter_id, ""),  # opened by the submit
        ("pending", "approved", requisition.hiring_manager_id, ""),
    ]
    # The manager's approval opened the next step.
    assert history(finance) == [("waiting", "pending", requisition.hiring_manager_id, "")]
    opened, closed = manager_step.changes.all()
    assert opened.at == manager_step.activated_at and closed.at == manager_step.closed_at


def test_a_rejection_records_why_each_step_of_the_round_closed(admin: Any) -> None:
    offer = factories.offer(submit=True)
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=False, comment="Bonus too high")
    rejected = offer.steps.get(name="Hiring manager").changes.last()
    cancelled = offer.steps.get(name="Finance/HR").changes.get()
    assert (rejected.to_status, rejected.actor, rejected.reason) == (
        "rejected",
        manager,
        "Bonus too high",
    )
    assert (cancelled.from_status, cancelled.to_status) == ("waiting", "cancelled")
    assert cancelled.reason.startswith("Rejected at 'Hiring manager'")
    assert cancelled.reason.endswith(": Bonus too high")


def test_an_unchanged_step_status_writes_no_history(admin: Any) -> None:
    offer = factories.offer(submit=True)
    step = offer.steps.get(name="Hiring manager")
    before = ApprovalStepChange.objects.count()
    step_set_status(step=step, to=StepStatus.PENDING, actor=admin, now=timezone.now())
    assert ApprovalStepChange.objects.count() == before
