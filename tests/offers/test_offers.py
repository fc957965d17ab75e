"""Offers: band check, the approval chain (default, out of band, template, N of M),
votes, edits that restart the chain, revisions, sending and accepting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from compensation.band_check import BandFigures, BandResult, band_bar, band_check
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.offers.models import ApprovalStep, ApprovalTemplateStep, Offer, OfferClock
from hiring.offers.rules import OfferStatus, StepStatus, TemplateStep, build_chain
from hiring.offers.services import offers as services
from hiring.offers.services.approvals import step_vote
from hiring.pipeline.models import ApplicationStatus, RequisitionStatus
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
BAND = BandFigures(low=200_000, high=300_000, open_ended=False, currency="USD", market_tension="")


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    return make_user("Admin", username="ada")


@pytest.fixture
def application() -> Any:
    return factories.application()


def approve_all(offer: Offer) -> Offer:
    """Every open step approved by its approvers, until the offer is approved."""
    for _ in range(10):
        offer.refresh_from_db()
        if offer.status != OfferStatus.PENDING:
            return offer
        step = offer.steps.filter(round=offer.approval_round, status="pending").first()
        for seat in step.approvers.filter(vote=""):
            offer.refresh_from_db()
            if offer.status == OfferStatus.PENDING and step.status == "pending":
                step_vote(offer=offer, step_id=step.pk, actor=seat.user, approve=True)
                step.refresh_from_db()
    offer.refresh_from_db()
    return offer


# Band check (plain functions) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "result", "position"),
    [(150_000, "below", 0), (200_000, "within", 0), (250_000, "within", 50),
     (300_000, "within", 100), (330_000, "above", 100)],
)  # fmt: skip
def test_band_check_places_the_amount_below_within_or_above(
    amount: int, result: str, position: int
) -> None:
    check = band_check(amount=amount, currency="USD", band=BAND)
    assert check.result == result
    assert check.position == position


def test_out_of_band_reports_how_far_outside() -> None:
    check = band_check(amount=330_000, currency="USD", band=BAND)
    assert (check.outside_by, check.outside_percent) == (30_000, 10.0)
    assert check.needs_justification
    assert "Above the band" in check.summary()


def test_an_open_ended_band_has_nothing_above_it() -> None:
    open_band = BandFigures(500_000, 600_000, True, "USD", "Scarce")
    check = band_check(amount=900_000, currency="USD", band=open_band)
    assert (check.result, check.position) == (BandResult.WITHIN, 100)


def test_another_currency_has_no_band_and_needs_a_justification() -> None:
    check = band_check(amount=100_000, currency="EUR", band=BAND)
    assert check.result == BandResult.NO_BAND
    assert check.needs_justification
    assert band_bar(check) is None


def test_the_band_bar_marks_the_offer_inside_the_drawn_scale() -> None:
    bar = band_bar(band_check(amount=250_000, currency="USD", band=BAND))
    assert bar is not None
    assert 0 < bar.band_left < bar.marker < bar.band_end < 100
    assert bar.marker == pytest.approx(50.0)


# Chain building (plain function) ------------------------------------------------------------


def test_the_default_chain_is_the_hiring_manager_then_finance() -> None:
    plans = build_chain(template=[], out_of_band=False, hiring_manager=7, finance=[3, 4],
                        exception=[3])  # fmt: skip
    assert [(p.position, p.name, p.approvers, p.required) for p in plans] == [
        (0, "Hiring manager", (7,), 1),
        (1, "Finance/HR", (3, 4), 1),
    ]


def test_out_of_band_adds_a_compensation_exception_step_at_the_end() -> None:
    plans = build_chain(template=[], out_of_band=True, hiring_manager=7, finance=[3],
                        exception=[5])  # fmt: skip
    assert [p.name for p in plans] == ["Hiring manager", "Finance/HR", "Compensation exception"]
    assert plans[-1].approvers == (5,)


def test_a_template_step_can_run_in_parallel_and_need_two_of_three() -> None:
    template = [
        TemplateStep("Hiring manager", "hiring_manager"),
        TemplateStep("Panel leads", "people", people=(11, 12, 13), required=2),
        TemplateStep("Finance/HR", "finance", parallel_with_previous=True),
    ]
    plans = build_chain(template=template, out_of_band=False, hiring_manager=7, finance=[3],
                        exception=[3])  # fmt: skip
    assert [(p.position, p.name, p.required) for p in plans] == [
        (0, "Hiring manager", 1), (1, "Panel leads", 2), (1, "Finance/HR", 1)
    ]  # fmt: skip


def test_a_step_nobody_can_approve_is_refused() -> None:
    with pytest.raises(DomainError, match="OFFER_FINANCE_APPROVERS"):
        build_chain(template=[], out_of_band=False, hiring_manager=7, finance=[], exception=[])
    with pytest.raises(DomainError, match="needs 3 approvals"):
        build_chain(template=[TemplateStep("Two", "people", people=(1, 2), required=3)],
                    out_of_band=False, hiring_manager=7, finance=[3], exception=[3])  # fmt: skip


# Submitting and voting ----------------------------------------------------------------------


def test_submit_builds_the_default_chain_and_asks_the_hiring_manager(
    application: Any, admin: Any
) -> None:
    offer = factories.offer(application_obj=application, submit=True)
    steps = list(offer.steps.order_by("position"))
    assert offer.status == OfferStatus.PENDING
    assert [(s.name, s.status) for s in steps] == [
        ("Hiring manager", StepStatus.PENDING), ("Finance/HR", StepStatus.WAITING)
    ]  # fmt: skip
    assert [a.user for a in steps[0].approvers.all()] == [application.requisition.hiring_manager]
    assert [a.user for a in steps[1].approvers.all()] == [admin]
    assert offer.band_result == "within"
    asked = Notification.objects.get(kind="approval_requested")
    assert asked.recipient == application.requisition.hiring_manager
    assert asked.url == f"/offers/{offer.pk}/"


def test_the_last_approval_approves_the_offer_and_tells_the_recruiter(
    application: Any, admin: Any
) -> None:
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    assert offer.status == OfferStatus.APPROVED
    assert set(offer.steps.values_list("status", flat=True)) == {StepStatus.APPROVED}
    told = Notification.objects.get(kind="offer_approved")
    assert told.recipient == application.requisition.recruiter
    actions = set(
        AuditEntry.objects.filter(object_id=str(offer.pk)).values_list("action", flat=True)
    )
    assert {"offer.create", "offer.submit", "offer.approve"} <= actions


def test_an_out_of_band_offer_needs_a_justification_before_approval(
    application: Any, admin: Any
) -> None:
    offer = factories.offer(application_obj=application, position=1.4)
    with pytest.raises(DomainError) as refused:
        services.offer_submit(offer=offer, actor=application.requisition.recruiter)
    assert "justification" in refused.value.fields
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT and not offer.steps.exists()

    services.offer_submit(
        offer=offer,
        actor=application.requisition.recruiter,
        justification="Competing offer from a lab at 20% more; she built our exact stack.",
    )
    offer.refresh_from_db()
    assert offer.band_result == "above"
    assert list(offer.steps.order_by("position").values_list("name", flat=True)) == [
        "Hiring manager", "Finance/HR", "Compensation exception"
    ]  # fmt: skip


def test_a_rejection_sends_the_offer_back_to_draft_with_the_reason(
    application: Any, admin: Any
) -> None:
    offer = factories.offer(application_obj=application, submit=True)
    manager = application.requisition.hiring_manager
    with pytest.raises(DomainError) as refused:
        step_vote(offer=offer, step_id=None, actor=manager, approve=False, comment="")
    assert "comment" in refused.value.fields

    step_vote(offer=offer, step_id=None, actor=manager, approve=False, comment="Too high")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert "Too high" in offer.returned_reason and "Hiring manager" in offer.returned_reason
    assert list(offer.steps.values_list("status", flat=True).order_by("position")) == [
        StepStatus.REJECTED, StepStatus.CANCELLED
    ]  # fmt: skip
    assert offer.changes.last().to_status == OfferStatus.DRAFT
    assert Notification.objects.filter(kind="offer_returned").count() == 1


def test_someone_outside_the_step_cannot_vote_on_it(
    application: Any, admin: Any, make_user: Callable[..., Any]
) -> None:
    offer = factories.offer(application_obj=application, submit=True)
    with pytest.raises(DomainError) as refused:
        step_vote(offer=offer, step_id=None, actor=make_user("Hiring manager"), approve=True)
    assert refused.value.status == 403
    # The finance approver's step has not opened yet.
    with pytest.raises(DomainError) as early:
        step_vote(offer=offer, step_id=None, actor=admin, approve=True)
    assert early.value.status == 409


def test_a_second_vote_by_the_same_approver_is_refused(application: Any, admin: Any) -> None:
    offer = factories.offer(application_obj=application, submit=True)
    manager = application.requisition.hiring_manager
    step = offer.steps.get(position=0)
    step_vote(offer=offer, step_id=step.pk, actor=manager, approve=True)
    with pytest.raises(DomainError) as refused:
        step_vote(offer=offer, step_id=step.pk, actor=manager, approve=False, comment="oops")
    assert refused.value.status == 409


def test_two_of_three_approvers_complete_a_step(
    application: Any, admin: Any, make_user: Callable[..., Any]
) -> None:
    leads = [make_user("Hiring manager") for _ in range(3)]
    requisition = application.requisition
    ApprovalTemplateStep.objects.create(
        requisition=requisition, position=1, name="Hiring manager", source="hiring_manager"
    )
    panel = ApprovalTemplateStep.objects.create(
        requisition=requisition, position=2, name="Panel leads", source="people",
        required_approvals=2,
    )  # fmt: skip
    panel.people.set(leads)
    ApprovalTemplateStep.objects.create(
        requisition=requisition, position=3, name="Finance/HR", source="finance",
        parallel_with_previous=True,
    )  # fmt: skip
    offer = factories.offer(application_obj=application, submit=True)
    step_vote(offer=offer, step_id=None, actor=requisition.hiring_manager, approve=True)
    opened = set(offer.steps.filter(status="pending").values_list("name", flat=True))
    assert opened == {"Panel leads", "Finance/HR"}  # parallel: both open at once

    step_vote(offer=offer, step_id=None, actor=leads[0], approve=True)
    assert offer.steps.get(name="Panel leads").status == StepStatus.PENDING  # 1 of 2
    step_vote(offer=offer, step_id=None, actor=leads[2], approve=True)
    assert offer.steps.get(name="Panel leads").status == StepStatus.APPROVED
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING  # finance still open
    step_vote(offer=offer, step_id=None, actor=admin, approve=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED
    with pytest.raises(DomainError):  # the third lead is too late: the step is done
        step_vote(offer=offer, step_id=None, actor=leads[1], approve=True)


def test_finance_approvers_can_be_named_in_settings(
    application: Any, admin: Any, make_user: Callable[..., Any], settings: Any
) -> None:
    fiona = make_user("Hiring manager", username="fiona")
    settings.OFFER_FINANCE_APPROVERS = ["fiona"]
    offer = factories.offer(application_obj=application, submit=True)
    finance = offer.steps.get(name="Finance/HR")
    assert [a.user for a in finance.approvers.all()] == [fiona]


def test_no_finance_approver_at_all_is_a_clear_error(application: Any) -> None:
    offer = factories.offer(application_obj=application)
    with pytest.raises(DomainError, match="nobody to approve"):
        services.offer_submit(offer=offer, actor=application.requisition.recruiter)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


# Editing, one live offer, revisions ---------------------------------------------------------


def test_an_edit_after_approval_restarts_the_chain(application: Any, admin: Any) -> None:
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    services.offer_update(
        offer=offer, fields={"target_bonus": offer.target_bonus + 1_000},
        actor=application.requisition.recruiter,
    )  # fmt: skip
    offer.refresh_from_db()
    assert (offer.status, offer.approval_round, offer.version) == (OfferStatus.PENDING, 2, 2)
    current = offer.steps.filter(round=2).order_by("position")
    assert [s.status for s in current] == [StepStatus.PENDING, StepStatus.WAITING]
    assert offer.changes.last().reason == "Edited: the approval chain restarts"


def test_a_stale_edit_is_refused_with_409(application: Any) -> None:
    offer = factories.offer(application_obj=application)
    recruiter = application.requisition.recruiter
    services.offer_update(offer=offer, fields={"notes": "first"}, actor=recruiter, version=1)
    with pytest.raises(DomainError) as refused:
        services.offer_update(offer=offer, fields={"notes": "second"}, actor=recruiter, version=1)
    assert refused.value.status == 409


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"base_salary": -5}, "base_salary"),
     ({"expires_on": dt.date(2020, 1, 1)}, "expires_on"),
     ({"currency": "dollars"}, "currency")],
)  # fmt: skip
def test_bad_terms_are_refused_with_the_field_named(
    application: Any, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.offer_create(
            application=application,
            fields=factories.offer_terms(application, **fields),
            actor=application.requisition.recruiter,
        )
    assert field in refused.value.fields


def test_an_offer_expiring_after_the_start_date_is_refused(application: Any) -> None:
    today = timezone.localdate()
    terms = factories.offer_terms(
        application,
        start_date=today + dt.timedelta(days=5),
        expires_on=today + dt.timedelta(days=9),
    )
    with pytest.raises(DomainError, match="expire on or before the start date"):
        services.offer_create(
            application=application, fields=terms, actor=application.requisition.recruiter
        )


def test_the_database_allows_one_live_offer_per_application(application: Any) -> None:
    first = factories.offer(application_obj=application)
    with pytest.raises(DomainError) as refused:
        factories.offer(application_obj=application)
    assert refused.value.status == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            application=application, base_salary=1, level=first.level,
            start_date=first.start_date, expires_on=first.expires_on, status="approved",
        )  # fmt: skip


def test_revising_a_sent_offer_supersedes_it_and_keeps_it(application: Any, admin: Any) -> None:
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    recruiter = application.requisition.recruiter
    services.offer_mark_sent(offer=offer, actor=recruiter)
    revision = services.offer_revise(offer=offer, actor=recruiter)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUPERSEDED
    assert (revision.revision, revision.supersedes, revision.status) == (2, offer, "draft")
    assert revision.total_cash == offer.total_cash


# Sending, accepting, the clock --------------------------------------------------------------


def test_sending_stops_the_clock_with_the_business_hours_it_took(
    application: Any, admin: Any, time_machine: Any
) -> None:
    monday = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC).replace(hour=15)  # 10:00 New York
    time_machine.move_to(monday, tick=False)
    factories.decision(application_obj=application, at=monday)
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    time_machine.move_to(monday + dt.timedelta(days=1, hours=2), tick=False)  # Tue 12:00
    services.offer_mark_sent(offer=offer, actor=application.requisition.recruiter)
    clock = OfferClock.objects.get(application=application)
    assert clock.stop_reason == "sent"
    assert clock.business_hours_to_send == 10.0  # 7 h on Monday, 3 on Tuesday
    assert clock.next_alert_at is None


def test_an_unapproved_offer_cannot_be_sent(application: Any, admin: Any) -> None:
    offer = factories.offer(application_obj=application, submit=True)
    with pytest.raises(DomainError, match="waits for approvals"):
        services.offer_mark_sent(offer=offer, actor=application.requisition.recruiter)


def test_acceptance_hires_the_candidate_and_fills_the_requisition(
    application: Any, admin: Any
) -> None:
    recruiter = application.requisition.recruiter
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    services.offer_mark_sent(offer=offer, actor=recruiter)
    services.offer_mark_accepted(offer=offer, actor=recruiter)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert application.stage.kind == "hired"
    application.requisition.refresh_from_db()
    assert application.requisition.status == RequisitionStatus.FILLED


def test_acceptance_leaves_the_requisition_open_below_its_headcount(admin: Any) -> None:
    requisition = factories.requisition(headcount=2)
    application = factories.application(requisition_obj=requisition)
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    services.offer_mark_sent(offer=offer, actor=requisition.recruiter)
    services.offer_mark_accepted(offer=offer, actor=requisition.recruiter)
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.OPEN


def test_a_declined_offer_keeps_the_reason_and_can_be_revised(application: Any, admin: Any) -> None:
    recruiter = application.requisition.recruiter
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    services.offer_mark_sent(offer=offer, actor=recruiter)
    services.offer_mark_declined(offer=offer, actor=recruiter, reason="Took a counter-offer")
    offer.refresh_from_db()
    assert (offer.status, offer.response_note) == ("declined", "Took a counter-offer")
    revision = services.offer_revise(offer=offer, actor=recruiter)
    offer.refresh_from_db()
    assert offer.status == "declined" and revision.status == "draft"


def test_sent_offers_past_their_expiry_date_expire(application: Any, admin: Any) -> None:
    recruiter = application.requisition.recruiter
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    services.offer_mark_sent(offer=offer, actor=recruiter)
    assert services.offers_expire(today=offer.expires_on) == 0
    assert services.offers_expire(today=offer.expires_on + dt.timedelta(days=1)) == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_steps_record_how_long_they_waited(application: Any, admin: Any) -> None:
    offer = approve_all(factories.offer(application_obj=application, submit=True))
    waits = ApprovalStep.objects.filter(offer=offer).values_list("wait_business_hours", flat=True)
    assert all(w is not None for w in waits)
