"""The debrief decision: advance to offer, reject with a reason, or hold.

Decisions are appended, never edited; the latest is current. "Advance to offer" moves the
application to its requisition's Offer stage and its `decided_at` starts the two-business-day
offer clock that the offers work measures (see `offer_clock_started_at`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from hiring.errors import DomainError
from hiring.models import (
    REJECTION_REASONS,
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    StageKind,
)
from hiring.services.applications import application_end, application_move
from hiring.services.audit import audit_record

COMMENT_LIMIT = 10_000


def _validate(outcome: str, reason: str, comment: str) -> None:
    errors: dict[str, list[str]] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = [f"Choose one of: {', '.join(DecisionOutcome.values)}."]
    if outcome == DecisionOutcome.REJECT and reason not in REJECTION_REASONS:
        errors["reason"] = [f"Pick a rejection reason: {', '.join(REJECTION_REASONS)}."]
    if outcome != DecisionOutcome.REJECT and reason:
        errors["reason"] = ["A reason goes with a rejection only; write the rest as a comment."]
    if len(comment) > COMMENT_LIMIT:
        errors["comment"] = [f"At most {COMMENT_LIMIT:,} characters."]
    if "\x00" in comment:
        errors["comment"] = ["Contains characters that cannot be stored."]
    if errors:
        raise DomainError(f"No decision recorded: {next(iter(errors.values()))[0]}", fields=errors)


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: Any,
    outcome: str,
    reason: str = "",
    comment: str = "",
) -> Decision:
    """Record the hiring manager's debrief decision and carry it out on the pipeline.

    advance: move to the requisition's Offer-kind stage; `decided_at` (now) starts the offer
    clock. reject: end the application with `reason` (one of REJECTION_REASONS). hold: no move.
    Refused for an application that is not active, or an advance when it already advanced.
    """
    _validate(outcome, reason, comment)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("requisition", "candidate")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            f"The application is {application.get_status_display().lower()}: "
            "reopen it before deciding again.",
            fields={"outcome": ["The application is not active."]},
        )
    latest = application.decisions.order_by("-decided_at", "-id").first()
    if outcome == DecisionOutcome.ADVANCE and latest and latest.outcome == outcome:
        raise DomainError(
            "Already advanced to offer: the offer clock is running since "
            f"{timezone.localtime(latest.decided_at):%d %b %Y %H:%M}.",
            fields={"outcome": ["Already advanced."]},
        )
    if outcome == DecisionOutcome.ADVANCE:
        stage = application.requisition.stages.filter(kind=StageKind.OFFER).order_by("position")
        offer_stage = stage.first()
        if offer_stage is None:
            raise DomainError(
                f"{application.requisition.title} has no Offer stage to advance to; "
                "add one on the requisition's stages page.",
                fields={"outcome": ["No Offer stage."]},
            )
        application_move(application=application, to_stage=offer_stage, actor=actor)
    elif outcome == DecisionOutcome.REJECT:
        application_end(
            application=application, status=ApplicationStatus.REJECTED, reason=reason, actor=actor
        )
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        reason=reason,
        comment=comment.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="decision.record",
        target=application,
        before={"decision": latest.outcome} if latest else None,
        after={
            "decision": outcome,
            "decided_at": decision.decided_at.isoformat(),
            **({"reason": reason} if reason else {}),
        },
    )
    return decision


def offer_clock_started_at(application: Application) -> dt.datetime | None:
    """When the two-business-day offer clock started: the latest decision, if it advanced."""
    latest = application.decisions.order_by("-decided_at", "-id").first()
    if latest is None or latest.outcome != DecisionOutcome.ADVANCE:
        return None
    return latest.decided_at
