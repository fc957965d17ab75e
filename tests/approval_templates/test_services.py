"""Saving approval templates and the chains built from them: the fallback order (own, then
the company default, then the built-in chain), the checks, one transaction, the audit log,
and offers already submitted keeping their chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.offers.models import ApprovalStep, ApprovalTemplateStep
from hiring.offers.rules import ApproverSource, TemplateStep
from hiring.offers.selectors.approval_templates import fingerprint, template_steps
from hiring.offers.services.approval_templates import (
    approval_template_save,
    approval_template_use_default,
)
from hiring.offers.services.offers import offer_update
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests import factories
from tests.approval_templates.support import FINANCE, HM, people, save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("playbook")]


@pytest.fixture
def admin() -> Any:
    return factories.UserFactory(roles=[ADMIN], username="boss")


@pytest.fixture
def pair() -> tuple[Any, Any]:
    return (factories.UserFactory(roles=[HIRING_MANAGER], username="ada"),
            factories.UserFactory(roles=[RECRUITER], username="ben"))  # fmt: skip


def chain_of(offer: Any) -> list[tuple[str, int, list[int]]]:
    steps = ApprovalStep.objects.filter(offer=offer, round=offer.approval_round)
    return [
        (s.name, s.required_approvals, sorted(a.user_id for a in s.approvers.all()))
        for s in steps.order_by("position", "id")
    ]


def submitted_offer(requisition: Any) -> Any:
    return factories.offer(application_obj=factories.application(requisition_obj=requisition),
                           submit=True)  # fmt: skip


def test_without_any_template_an_offer_gets_the_built_in_chain(admin: Any) -> None:
    requisition = factories.requisition()
    offer = submitted_offer(requisition)
    assert chain_of(offer) == [
        ("Hiring manager", 1, [requisition.hiring_manager_id]), ("Finance/HR", 1, [admin.pk]),
    ]  # fmt: skip


def test_a_requisition_without_its_own_template_gets_the_company_default(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    save(None, [HM, people("Leadership", *pair, required=2)], admin)
    offer = submitted_offer(factories.requisition())
    assert [name for name, *_ in chain_of(offer)] == ["Hiring manager", "Leadership"]
    assert chain_of(offer)[1][1:] == (2, sorted(u.pk for u in pair))


def test_a_requisitions_own_template_wins_over_the_company_default(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    save(None, [HM, FINANCE], admin)
    requisition = factories.requisition()
    save(requisition, [people("Pair", *pair, required=1)], admin)
    assert chain_of(submitted_offer(requisition)) == [("Pair", 1, sorted(u.pk for u in pair))]
    # Another requisition still gets the default.
    assert [n for n, *_ in chain_of(submitted_offer(factories.requisition()))] == [
        "Hiring manager", "Finance/HR",
    ]  # fmt: skip


def test_going_back_to_the_company_default_deletes_the_own_steps_and_is_audited(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    requisition = factories.requisition()
    save(requisition, [people("Pair", *pair)], admin)
    seen = fingerprint(template_steps(requisition.pk))
    assert approval_template_use_default(requisition=requisition, seen=seen, actor=admin) == 1
    assert not ApprovalTemplateStep.objects.filter(requisition=requisition).exists()
    entry = AuditEntry.objects.get(action="approval_template.use_default")
    assert entry.before["steps"][0]["people"] == ["ada", "ben"]
    assert entry.object_id == str(requisition.pk)


def test_a_save_is_audited_with_the_steps_before_and_after(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    save(None, [HM], admin)
    save(None, [HM, people("Pair", *pair, required=2, parallel=True)], admin)
    first, second = AuditEntry.objects.filter(action="approval_template.save").order_by("id")
    assert (first.before, first.object_id, first.actor_username) == (None, "default", "boss")
    assert second.before == first.after == {"steps": [
        {"name": "Hiring manager", "source": "hiring_manager", "people": [],
         "required_approvals": 1, "parallel_with_previous": False},
    ]}  # fmt: skip
    assert second.after["steps"][1] == {
        "name": "Pair", "source": "people", "people": ["ada", "ben"], "required_approvals": 2,
        "parallel_with_previous": True,
    }  # fmt: skip
    assert second.object_repr == "Company default approval template"


def test_saving_the_same_steps_again_writes_and_records_nothing(admin: Any) -> None:
    save(None, [HM, FINANCE], admin)
    ids = list(ApprovalTemplateStep.objects.values_list("pk", flat=True))
    save(None, [HM, FINANCE], admin)
    assert list(ApprovalTemplateStep.objects.values_list("pk", flat=True)) == ids
    assert AuditEntry.objects.filter(action="approval_template.save").count() == 1


def test_a_refused_save_leaves_the_stored_template_as_it_was(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    save(None, [HM, FINANCE], admin)
    before = template_steps(None)
    with pytest.raises(DomainError) as caught:
        save(None, [people("Pair", *pair), people("Three of two", *pair, required=3)], admin)
    assert caught.value.fields == {
        "step-1-required": ["At most 2: this step has 2 approver(s) who can approve."]
    }
    assert template_steps(None) == before
    assert AuditEntry.objects.filter(action="approval_template.save").count() == 1


def test_a_save_from_an_editor_opened_before_another_save_is_refused_with_409(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    opened = fingerprint(template_steps(None))
    save(None, [HM], admin)
    with pytest.raises(DomainError) as caught:
        approval_template_save(requisition=None, steps=[FINANCE], seen=opened, actor=admin)
    assert caught.value.status == 409 and "Someone else changed" in caught.value.message
    assert template_steps(None) == [HM]


def test_named_people_who_cannot_approve_are_refused(admin: Any) -> None:
    interviewer = factories.UserFactory(roles=[INTERVIEWER], first_name="Ivy", last_name="Ng")
    former = factories.UserFactory(roles=[ADMIN], first_name="Old", last_name="Hand",
                                   is_active=False)  # fmt: skip
    with pytest.raises(DomainError) as caught:
        save(None, [people("Pair", interviewer, former, admin)], admin)
    assert caught.value.fields["step-0-people"][0].startswith("Ivy Ng, Old Hand cannot approve")


@override_settings(OFFER_FINANCE_APPROVERS=["nobody-here"])
def test_a_finance_step_with_no_finance_approver_is_refused(admin: Any) -> None:
    with pytest.raises(DomainError) as caught:
        save(None, [HM, FINANCE], admin)
    assert "OFFER_FINANCE_APPROVERS" in caught.value.fields["step-1-source"][0]


def test_a_requisitions_inactive_hiring_manager_is_refused_on_its_template(admin: Any) -> None:
    requisition = factories.requisition()
    requisition.hiring_manager.is_active = False
    requisition.hiring_manager.save()
    with pytest.raises(DomainError) as caught:
        save(requisition, [HM], admin)
    assert "hiring manager cannot approve" in caught.value.fields["step-0-source"][0]


def test_people_on_another_source_and_a_first_parallel_flag_are_not_kept(admin: Any) -> None:
    odd = TemplateStep("Finance/HR", ApproverSource.FINANCE, (admin.pk,), 1, True)
    assert save(None, [odd], admin) == [FINANCE]


def test_a_template_change_does_not_alter_chains_of_offers_already_submitted(
    admin: Any, pair: tuple[Any, Any]
) -> None:
    requisition = factories.requisition()
    offer = submitted_offer(requisition)
    chain = chain_of(offer)
    save(requisition, [people("Pair", *pair, required=2)], admin)
    save(None, [people("Ada alone", pair[0])], admin)
    assert chain_of(offer) == chain
    assert ApprovalStep.objects.filter(offer=offer).count() == 2
    # A new round (an edit of the pending offer restarts its chain) follows the new template.
    offer = offer_update(offer=offer, fields={"notes": "Relocation agreed"},
                         actor=requisition.recruiter)  # fmt: skip
    assert chain_of(offer) == [("Pair", 2, sorted(u.pk for u in pair))]
