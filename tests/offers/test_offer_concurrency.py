"""Two approvers clicking at once: one outcome, never two (PostgreSQL row locks).

Each click runs in its own thread with its own database connection, released together by a
barrier; the first to lock the offer row is counted, the second waits for that commit, then
sees the outcome and is refused with 409.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from hiring.errors import DomainError
from hiring.notifications.models import Notification
from hiring.offers.models import ApprovalStep, ApprovalTemplateStep, Offer, StepApprover
from hiring.offers.services import approvals
from hiring.offers.services.approvals import step_vote
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("playbook")]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    from django.contrib.auth.models import Group

    from hiring.permissions import ROLES

    # The flush that ends a transactional test deletes the groups migration 0002 created.
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks (it serialises whole-database writes), "
            "so two connections cannot race the way two gunicorn workers do"
        )


def race(*clicks: Callable[[], Any]) -> list[Any]:
    """Run the clicks at the same moment, each on its own connection; return their results."""
    barrier = threading.Barrier(len(clicks))
    results: list[Any] = [None] * len(clicks)

    def run(index: int, click: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = click()
        except DomainError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def slow_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the lock a little longer, so the second click surely arrives while it is held."""
    original = approvals._locked_offer

    def locked_then_pause(offer_id: int) -> Offer:
        offer = original(offer_id)
        time.sleep(0.3)
        return offer

    monkeypatch.setattr(approvals, "_locked_offer", locked_then_pause)


def test_two_approvers_of_one_step_approving_at_once_open_the_next_step_once(
    make_user: Callable[..., Any], slow_lock: None
) -> None:
    make_user("Admin")
    first, second = make_user("Hiring manager"), make_user("Hiring manager")
    requisition = factories.requisition()
    leads = ApprovalTemplateStep.objects.create(
        requisition=requisition, position=1, name="Leads", source="people"
    )
    leads.people.set([first, second])  # one of two is enough
    ApprovalTemplateStep.objects.create(
        requisition=requisition, position=2, name="Finance/HR", source="finance"
    )
    offer = factories.offer(
        application_obj=factories.application(requisition_obj=requisition), submit=True
    )
    results = race(
        lambda: step_vote(offer=offer, step_id=None, actor=first, approve=True),
        lambda: step_vote(offer=offer, step_id=None, actor=second, approve=True),
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].status == 409
    assert StepApprover.objects.filter(step__name="Leads", vote="approve").count() == 1
    finance = ApprovalStep.objects.get(offer=offer, name="Finance/HR")
    assert finance.status == "pending"
    asked = Notification.objects.filter(kind="approval_requested", subject_id=finance.pk)
    assert asked.count() == 1


def test_an_approval_and_a_rejection_at_once_give_one_outcome(
    make_user: Callable[..., Any], slow_lock: None
) -> None:
    admin = make_user("Admin")
    offer = factories.offer(submit=True)
    manager = offer.application.requisition.hiring_manager
    step_vote(offer=offer, step_id=None, actor=manager, approve=True)
    other_admin = make_user("Admin")
    # Finance/HR: both admins sit on it (one of two). One approves, one rejects, at once.
    step = ApprovalStep.objects.get(offer=offer, name="Finance/HR")
    StepApprover.objects.get_or_create(step=step, user=other_admin)
    results = race(
        lambda: step_vote(offer=offer, step_id=step.pk, actor=admin, approve=True),
        lambda: step_vote(
            offer=offer, step_id=step.pk, actor=other_admin, approve=False, comment="No"
        ),
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1
    offer.refresh_from_db()
    votes = list(StepApprover.objects.filter(step=step).exclude(vote="").values_list(
        "vote", flat=True
    ))  # fmt: skip
    assert len(votes) == 1
    assert offer.status == ("approved" if votes == ["approve"] else "draft")
    assert offer.changes.filter(from_status="pending").count() == 1
