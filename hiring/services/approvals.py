"""Approval chains: built on submit, decided step by step, restarted by an edit.

Every decision locks the offer row first (`select_for_update(of=("self",))`), so two
approvers clicking at once are decided one after the other: the second sees the first's
outcome (a step already approved, an offer back in draft) and gets a clear 409, never a
second outcome. Each decision is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hiring.business_time import (
    add_business_hours,
    business_hours_between,
    company_calendar,
    time_left_label,
)
from hiring.errors import DomainError
from hiring.models import (
    ApprovalStep,
    ApprovalTemplateStep,
    NotificationKind,
    Offer,
    OfferClock,
    OfferStatus,
    StepApprover,
    StepStatus,
    UsedApprovalLink,
)
from hiring.offer_rules import TemplateStep, build_chain, step_outcome
from hiring.permissions import ADMIN
from hiring.services.audit import audit_record
from hiring.services.notifications import notify
from hiring.services.offer_status import offer_set_status

FIRST_REMINDER_HOURS = 4  # business hours after a step opens
MAX_COMMENT = 2_000


def admin_ids() -> list[int]:
    """Active users holding the Admin role (superusers count as Admin)."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=ADMIN) | Q(is_superuser=True))
        .distinct()
        .values_list("pk", flat=True)
    )


def _named_or_admins(usernames: list[str]) -> list[int]:
    if not usernames:
        return admin_ids()
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, username__in=usernames).values_list("pk", flat=True)
    )


def finance_approver_ids() -> list[int]:
    """OFFER_FINANCE_APPROVERS (usernames), or every Admin when the setting is empty."""
    return _named_or_admins(settings.OFFER_FINANCE_APPROVERS)


def exception_approver_ids() -> list[int]:
    """OFFER_EXCEPTION_APPROVERS (usernames), or every Admin when the setting is empty."""
    return _named_or_admins(settings.OFFER_EXCEPTION_APPROVERS)


def template_of(requisition_id: int) -> list[TemplateStep]:
    steps = ApprovalTemplateStep.objects.filter(requisition_id=requisition_id).prefetch_related(
        "people"
    )
    return [
        TemplateStep(
            name=s.name,
            source=s.source,
            people=tuple(p.pk for p in s.people.all()),
            required=s.required_approvals,
            parallel_with_previous=s.parallel_with_previous,
        )
        for s in steps.order_by("position")
    ]


def chain_create(*, offer: Offer, out_of_band: bool, now: dt.datetime) -> list[ApprovalStep]:
    """A new round of steps for a (locked) offer; the first position opens at once."""
    requisition = offer.application.requisition
    plans = build_chain(
        template=template_of(requisition.pk),
        out_of_band=out_of_band,
        hiring_manager=requisition.hiring_manager_id,
        finance=finance_approver_ids(),
        exception=exception_approver_ids(),
    )
    offer.approval_round += 1
    steps = []
    for plan in plans:
        step = ApprovalStep.objects.create(
            offer=offer,
            round=offer.approval_round,
            position=plan.position,
            name=plan.name,
            kind=plan.kind,
            required_approvals=plan.required,
        )
        StepApprover.objects.bulk_create(StepApprover(step=step, user_id=u) for u in plan.approvers)
        steps.append(step)
    _open_position(offer=offer, position=plans[0].position, now=now)
    return steps


def chain_cancel(*, offer: Offer, now: dt.datetime) -> None:
    """Close the current round: its open and waiting steps are cancelled."""
    ApprovalStep.objects.filter(
        offer=offer,
        round=offer.approval_round,
        status__in=[StepStatus.WAITING, StepStatus.PENDING],
    ).update(status=StepStatus.CANCELLED, decided_at=now, next_reminder_at=None)


def _open_position(*, offer: Offer, position: int, now: dt.datetime) -> None:
    cal = company_calendar()
    steps = list(
        ApprovalStep.objects.filter(
            offer=offer, round=offer.approval_round, position=position
        ).prefetch_related("approvers")
    )
    for step in steps:
        step.status = StepStatus.PENDING
        step.activated_at = now
        step.next_reminder_at = add_business_hours(now, FIRST_REMINDER_HOURS, cal)
        step.save(update_fields=["status", "activated_at", "next_reminder_at"])
        _notify_approvers(offer=offer, step=step, now=now)


def _notify_approvers(*, offer: Offer, step: ApprovalStep, now: dt.datetime) -> None:
    application = offer.application
    candidate = application.candidate.name
    clock = OfferClock.objects.filter(application=application).first()
    left = ""
    if clock is not None and clock.stopped_at is None:
        hours = business_hours_between(now, clock.due_at, company_calendar())
        left = f" The two-business-day clock has {time_left_label(hours)}."
    notify(
        recipients=[a.user_id for a in step.approvers.all()],
        kind=NotificationKind.APPROVAL_REQUESTED,
        subject_type="step",
        subject_id=step.pk,
        title=f"Approve the offer for {candidate}",
        body=(
            f"The offer for {candidate} ({application.requisition.title}) waits for your "
            f"approval at the step '{step.name}': {offer.total_cash:,} {offer.currency} "
            f"total cash.{left}"
        ),
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )


def _locked_offer(offer_id: int) -> Offer:
    # "self" only: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__candidate", "application__requisition")
        .get(pk=offer_id)
    )


@transaction.atomic
def step_decide(
    *,
    offer: Offer,
    step_id: int | None,
    actor: Any,
    approve: bool,
    comment: str = "",
    link_nonce: str | None = None,
    now: dt.datetime | None = None,
) -> Offer:
    """Approve or reject a step of the offer's current round as one of its approvers.

    `step_id` None: the step of this round the actor may decide now. A rejection needs a
    comment and sends the offer back to draft with it; the last approval approves the
    offer. `link_nonce`: decided from a signed e-mail link, which is then used up.
    """
    now = now or timezone.now()
    comment = comment.strip()
    offer = _locked_offer(offer.pk)
    if offer.status != OfferStatus.PENDING:
        raise DomainError(
            f"This offer is {offer.get_status_display().lower()}: there is nothing to decide.",
            fields={"step": ["No approval is open on this offer."]},
            status=409,
        )
    seat = _seat(offer=offer, step_id=step_id, actor=actor)
    step = seat.step
    if seat.decision:
        raise DomainError(
            f"You already decided on '{step.name}'.",
            fields={"step": ["Already decided."]},
            status=409,
        )
    if step.status != StepStatus.PENDING:
        raise DomainError(
            f"The step '{step.name}' is {step.get_status_display().lower()}.",
            fields={"step": ["This step is not open for decisions."]},
            status=409,
        )
    if not approve and not comment:
        raise DomainError(
            "Say why you reject the offer: the recruiter sees your comment.",
            fields={"comment": ["A comment is required to reject."]},
        )
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            f"Comments are at most {MAX_COMMENT:,} characters.",
            fields={"comment": [f"At most {MAX_COMMENT:,} characters."]},
        )
    if link_nonce is not None:
        _use_link(nonce=link_nonce, actor=actor, now=now)
    seat.decision = "approve" if approve else "reject"
    seat.comment, seat.decided_at = comment, now
    seat.save(update_fields=["decision", "comment", "decided_at"])
    audit_record(
        actor=actor,
        action="offer.approve" if approve else "offer.reject",
        target=offer,
        after={"step": step.name, "round": step.round, "comment": comment},
    )
    if approve:
        _after_approval(offer=offer, step=step, actor=actor, now=now)
    else:
        _after_rejection(offer=offer, step=step, actor=actor, comment=comment, now=now)
    return offer


def _seat(*, offer: Offer, step_id: int | None, actor: Any) -> StepApprover:
    seats = StepApprover.objects.select_related("step").filter(
        step__offer=offer, step__round=offer.approval_round, user=actor
    )
    if step_id is not None:
        seat = seats.filter(step_id=step_id).first()
    else:
        # The step open for this approver now; else any of their seats, for a clear message.
        open_seats = seats.filter(decision="", step__status=StepStatus.PENDING)
        seat = open_seats.order_by("step__position").first() or seats.first()
    if seat is None:
        raise DomainError(
            "You are not an approver of this step.",
            fields={"step": ["Not one of your approvals."]},
            status=403,
        )
    return seat


def _use_link(*, nonce: str, actor: Any, now: dt.datetime) -> None:
    try:
        with transaction.atomic():
            UsedApprovalLink.objects.create(nonce=nonce, user=actor, used_at=now)
    except IntegrityError:
        raise DomainError(
            "This approval link has already been used. Open the offer to see where it stands.",
            fields={"link": ["Already used."]},
            status=409,
        ) from None


def _close_step(step: ApprovalStep, *, status: str, now: dt.datetime) -> None:
    step.status = status
    step.decided_at = now
    step.next_reminder_at = None
    if step.activated_at:
        step.wait_business_hours = round(
            business_hours_between(step.activated_at, now, company_calendar()), 2
        )
    step.save(update_fields=["status", "decided_at", "next_reminder_at", "wait_business_hours"])


def _after_approval(*, offer: Offer, step: ApprovalStep, actor: Any, now: dt.datetime) -> None:
    approvals = step.approvers.filter(decision="approve").count()
    if not step_outcome(required=step.required_approvals, approvals=approvals):
        return
    _close_step(step, status=StepStatus.APPROVED, now=now)
    round_steps = ApprovalStep.objects.filter(offer=offer, round=offer.approval_round)
    if round_steps.filter(position=step.position, status=StepStatus.PENDING).exists():
        return  # a parallel step of the same position is still open
    following = round_steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if following is not None:
        _open_position(offer=offer, position=following.position, now=now)
        return
    offer_set_status(offer=offer, to=OfferStatus.APPROVED, actor=actor, now=now)
    offer.save(update_fields=["status", "updated_at"])
    candidate = offer.application.candidate.name
    notify(
        recipients=[offer.application.requisition.recruiter_id],
        kind=NotificationKind.OFFER_APPROVED,
        subject_type="offer",
        subject_id=offer.pk,
        sequence=offer.approval_round,
        title=f"Offer for {candidate} approved: send it",
        body=f"Every approval is in for {candidate}'s offer. Send it and mark it sent.",
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )


def _after_rejection(
    *, offer: Offer, step: ApprovalStep, actor: Any, comment: str, now: dt.datetime
) -> None:
    _close_step(step, status=StepStatus.REJECTED, now=now)
    chain_cancel(offer=offer, now=now)
    who = actor.get_full_name() or actor.get_username()
    reason = f"Rejected at '{step.name}' by {who}: {comment}"
    offer_set_status(offer=offer, to=OfferStatus.DRAFT, actor=actor, reason=reason, now=now)
    offer.returned_reason = reason
    offer.save(update_fields=["status", "returned_reason", "updated_at"])
    candidate = offer.application.candidate.name
    notify(
        recipients=[offer.application.requisition.recruiter_id],
        kind=NotificationKind.OFFER_RETURNED,
        subject_type="offer",
        subject_id=offer.pk,
        sequence=offer.approval_round,
        title=f"Offer for {candidate} sent back to draft",
        body=reason,
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )
