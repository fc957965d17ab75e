"""Approval chains: built on submit, voted on step by step, restarted by an edit.

Every vote locks the offer row first (`_locked_offer`), so two approvers
clicking at once are counted one after the other: the second sees the first's outcome (a
step already approved, an offer back in draft) and gets a clear 409, never a second
outcome. Each vote is written to the audit log; each step's status change to its history
(`step_set_status`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hiring.audit import audit_record
from hiring.business_time import business_hours_between, company_calendar, time_left_label
from hiring.errors import DomainError
from hiring.events import emit
from hiring.notifications.preferences import held_withdraw
from hiring.notifications.services import notify
from hiring.offers.events import offer_event_data
from hiring.offers.models import (
    ApprovalStep,
    Offer,
    OfferClock,
    StepApprover,
    UsedApprovalLink,
)
from hiring.offers.reminders import APPROVAL_REQUESTED, OFFER_APPROVED, OFFER_RETURNED
from hiring.offers.rules import (
    OfferStatus,
    StepStatus,
    TemplateStep,
    build_chain,
    step_outcome,
)
from hiring.offers.selectors.approval_templates import (
    chain_template,
    exception_approver_ids,
    finance_approver_ids,
)
from hiring.offers.selectors.letters import template_for
from hiring.offers.services.sending import offer_send
from hiring.offers.services.status import offer_set_status, step_set_status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_COMMENT = 2_000


def template_of(requisition_id: int) -> list[TemplateStep]:
    """The requisition's own approval template, else the company default ([]: neither, the
    built-in chain)."""
    return chain_template(requisition_id)


def chain_create(
    *, offer: Offer, out_of_band: bool, actor: User, now: dt.datetime
) -> list[ApprovalStep]:
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
    _open_position(offer=offer, position=plans[0].position, actor=actor, now=now)
    return steps


def chain_cancel(*, offer: Offer, actor: User, reason: str, now: dt.datetime) -> None:
    """Close the current round of a (locked) offer: its open and waiting steps are cancelled."""
    open_steps = ApprovalStep.objects.filter(
        offer=offer,
        round=offer.approval_round,
        status__in=[StepStatus.WAITING, StepStatus.PENDING],
    )
    for step in open_steps:
        step_set_status(step=step, to=StepStatus.CANCELLED, actor=actor, reason=reason, now=now)


def _open_position(*, offer: Offer, position: int, actor: User, now: dt.datetime) -> None:
    steps = list(
        ApprovalStep.objects.filter(
            offer=offer, round=offer.approval_round, position=position
        ).prefetch_related("approvers")
    )
    for step in steps:
        step_set_status(step=step, to=StepStatus.PENDING, actor=actor, now=now)
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
        kind=APPROVAL_REQUESTED,
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
    approvers = [a.user for a in step.approvers.select_related("user")]
    emit(
        "offer.approval_waiting",
        subject=offer,
        data=offer_event_data(
            offer,
            step={
                "id": step.pk,
                "name": step.name,
                "approvers": [u.get_full_name() or u.get_username() for u in approvers],
            },
        ),
    )


def _locked_offer(offer_id: int) -> Offer:
    # The bare row is locked first, then read with its joins: a locking query that joins
    # re-checks the joins after waiting for the lock (PostgreSQL) and may find no row.
    Offer.objects.select_for_update().get(pk=offer_id)
    return Offer.objects.select_related("application__candidate", "application__requisition").get(
        pk=offer_id
    )


@transaction.atomic
def step_vote(
    *,
    offer: Offer,
    step_id: int | None,
    actor: User,
    approve: bool,
    comment: str = "",
    link_nonce: str | None = None,
    now: dt.datetime | None = None,
) -> Offer:
    """Vote to approve or reject a step of the offer's current round, as one of its approvers.

    `step_id` None: the step of this round the actor may vote on now. A rejection needs a
    comment and sends the offer back to draft with it; the last approval needed approves
    the offer. `link_nonce`: cast from a signed e-mail link, which is then used up.
    """
    now = now or timezone.now()
    comment = comment.strip()
    offer = _locked_offer(offer.pk)
    if offer.status != OfferStatus.PENDING:
        raise DomainError(
            f"This offer is {offer.get_status_display().lower()}: there is nothing to vote on.",
            fields={"step": ["No approval is open on this offer."]},
            status=409,
        )
    seat = _seat(offer=offer, step_id=step_id, actor=actor)
    step = seat.step
    if seat.vote:
        raise DomainError(
            f"You already voted on '{step.name}'.",
            fields={"step": ["Already voted."]},
            status=409,
        )
    if step.status != StepStatus.PENDING:
        raise DomainError(
            f"The step '{step.name}' is {step.get_status_display().lower()}.",
            fields={"step": ["This step is not open for votes."]},
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
    seat.vote = "approve" if approve else "reject"
    seat.comment, seat.voted_at = comment, now
    seat.save(update_fields=["vote", "comment", "voted_at"])
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
    # A reminder the approver's snooze holds no longer waits on them, nor one of a step
    # that has closed: neither comes out when the snooze ends.
    held_withdraw(subject_type="step", subject_ids=[step.pk], recipient_id=actor.pk)
    closed = ApprovalStep.objects.filter(offer=offer).exclude(status=StepStatus.PENDING)
    held_withdraw(subject_type="step", subject_ids=closed.values_list("pk", flat=True))
    return offer


def _seat(*, offer: Offer, step_id: int | None, actor: User) -> StepApprover:
    seats = StepApprover.objects.select_related("step").filter(
        step__offer=offer, step__round=offer.approval_round, user=actor
    )
    if step_id is not None:
        seat = seats.filter(step_id=step_id).first()
    else:
        # The step open for this approver now; else any of their seats, for a clear message.
        open_seats = seats.filter(vote="", step__status=StepStatus.PENDING)
        seat = open_seats.order_by("step__position").first() or seats.first()
    if seat is None:
        raise DomainError(
            "You are not an approver of this step.",
            fields={"step": ["Not one of your approvals."]},
            status=403,
        )
    return seat


def _use_link(*, nonce: str, actor: User, now: dt.datetime) -> None:
    try:
        with transaction.atomic():
            UsedApprovalLink.objects.create(nonce=nonce, user=actor, used_at=now)
    except IntegrityError:
        raise DomainError(
            "This approval link has already been used. Open the offer to see where it stands.",
            fields={"link": ["Already used."]},
            status=409,
        ) from None


def _after_approval(*, offer: Offer, step: ApprovalStep, actor: User, now: dt.datetime) -> None:
    approvals = step.approvers.filter(vote="approve").count()
    if not step_outcome(required=step.required_approvals, approvals=approvals):
        return
    step_set_status(step=step, to=StepStatus.APPROVED, actor=actor, now=now)
    round_steps = ApprovalStep.objects.filter(offer=offer, round=offer.approval_round)
    if round_steps.filter(position=step.position, status=StepStatus.PENDING).exists():
        return  # a parallel step of the same position is still open
    following = round_steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if following is not None:
        _open_position(offer=offer, position=following.position, actor=actor, now=now)
        return
    offer_set_status(offer=offer, to=OfferStatus.APPROVED, actor=actor, now=now)
    emit("offer.approved", subject=offer, data=offer_event_data(offer))
    candidate = offer.application.candidate.name
    sent = _send_at_once(offer)
    title = f"Offer for {candidate} approved" + (": sent" if sent else ": send it")
    body = f"Every approval is in for {candidate}'s offer. " + (
        "It went to the candidate at once, as the requisition's letter template says."
        if sent
        else "Send it from the offer page: one click e-mails the letter and the candidate's link."
    )
    notify(
        recipients=[offer.application.requisition.recruiter_id],
        kind=OFFER_APPROVED,
        subject_type="offer",
        subject_id=offer.pk,
        sequence=offer.approval_round,
        title=title,
        body=body,
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )


def _send_at_once(offer: Offer) -> bool:
    """Send the approved offer now when its letter template says so; a send refused (no
    e-mail address) leaves it approved, for the recruiter."""
    template = template_for(offer.application.requisition_id)
    if template is None or not template.send_when_approved:
        return False
    try:
        offer_send(offer=offer, actor=None)
    except DomainError:
        return False
    return True


def _after_rejection(
    *, offer: Offer, step: ApprovalStep, actor: User, comment: str, now: dt.datetime
) -> None:
    who = actor.get_full_name() or actor.get_username()
    reason = f"Rejected at '{step.name}' by {who}: {comment}"
    step_set_status(step=step, to=StepStatus.REJECTED, actor=actor, reason=comment, now=now)
    chain_cancel(offer=offer, actor=actor, reason=reason, now=now)
    offer_set_status(offer=offer, to=OfferStatus.DRAFT, actor=actor, reason=reason, now=now)
    offer.returned_reason = reason
    offer.save(update_fields=["returned_reason", "updated_at"])
    candidate = offer.application.candidate.name
    notify(
        recipients=[offer.application.requisition.recruiter_id],
        kind=OFFER_RETURNED,
        subject_type="offer",
        subject_id=offer.pk,
        sequence=offer.approval_round,
        title=f"Offer for {candidate} sent back to draft",
        body=reason,
        url=reverse("offers:detail", args=[offer.pk]),
        now=now,
    )
