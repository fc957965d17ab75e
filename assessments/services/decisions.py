"""The debrief decision: advance to offer, reject with a reason, or hold.

Decisions are appended, never edited; the latest is current. "Advance to offer" moves the
application to its requisition's Offer stage and starts the two-business-day offer clock, in
the same transaction: the candidate is under Offers in flight the moment the decision is
saved. A later reject or hold stops the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from assessments import scoring
from assessments.models import Decision, DecisionOutcome, Scorecard
from assessments.rules import ScorecardStatus
from assessments.selectors.debrief import application_summary
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.events import emit
from hiring.offers.clock import clock_start, clock_stop
from hiring.offers.models import OfferClock
from hiring.pipeline.models import REJECTION_REASONS, Application, ApplicationStatus, StageKind
from hiring.pipeline.services.applications import application_end, application_move

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COMMENT_LIMIT = 10_000
OVERRIDE_MIN = 20  # a sentence, not "ok": the reason must explain the hire later


def _check_override(outcome: str, override_reason: str, summary: scoring.Summary) -> None:
    if outcome != DecisionOutcome.ADVANCE or not scoring.against_evidence(summary):
        if override_reason.strip() and outcome != DecisionOutcome.ADVANCE:
            raise DomainError(
                "No decision recorded: a reason for going against the evidence goes with an "
                "advance only.",
                fields={"override_reason": ["Only for advancing against the evidence."]},
            )
        return
    text = override_reason.strip()
    if len(text) < OVERRIDE_MIN:
        raise DomainError(
            f"No decision recorded: {summary.headline}. Advancing against this evidence needs "
            f"a written reason of at least {OVERRIDE_MIN} characters, kept with the decision.",
            fields={
                "override_reason": [
                    f"Say why you advance despite: {summary.headline} "
                    f"(at least {OVERRIDE_MIN} characters)."
                ]
            },
        )
    if len(text) > COMMENT_LIMIT or "\x00" in text:
        raise DomainError(
            "No decision recorded: the reason is too long or contains characters that cannot "
            "be stored.",
            fields={"override_reason": [f"At most {COMMENT_LIMIT:,} characters, plain text."]},
        )


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


def _explanation(application: Application) -> dict[str, object]:
    """The snapshot of the evidence the decision was made on (scoring.snapshot)."""
    recommendations = Scorecard.objects.filter(
        interview__application=application, status=ScorecardStatus.SUBMITTED
    ).order_by("submitted_at", "id")
    return scoring.snapshot(
        application_summary(application),
        list(recommendations.values_list("interviewer_id", "recommendation")),
    )


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: User,
    outcome: str,
    reason: str = "",
    comment: str = "",
    override_reason: str = "",
) -> Decision:
    """Record the hiring manager's debrief decision and carry it out on the pipeline.

    advance: move to the requisition's Offer-kind stage; `decided_at` (now) starts the offer
    clock. reject: end the application with `reason` (one of REJECTION_REASONS). hold: no move.
    Refused (409) for an application that is not active, or an advance when it already
    advanced: the state another decision, perhaps a double click, left it in. An advance
    against the evidence (signal Strong no, or a confirmed red flag) is refused (400) without
    `override_reason`, a written reason stored with the decision with the evidence it went
    against.
    """
    _validate(outcome, reason, comment)
    # The bare row is locked first, then read with its joins: a locking query that joins
    # re-checks the joins after waiting for the lock (PostgreSQL) and may find no row.
    Application.objects.select_for_update().get(pk=application.pk)
    application = Application.objects.select_related("requisition", "candidate").get(
        pk=application.pk
    )
    if application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            f"The application is {application.get_status_display().lower()}: "
            "reopen it before deciding again.",
            fields={"outcome": ["The application is not active."]},
            status=409,
        )
    latest = application.decisions.order_by("-decided_at", "-id").first()
    if outcome == DecisionOutcome.ADVANCE and latest and latest.outcome == outcome:
        raise DomainError(
            "Already advanced to offer: the offer clock is running since "
            f"{timezone.localtime(latest.decided_at):%d %b %Y %H:%M}.",
            fields={"outcome": ["Already advanced."]},
            status=409,
        )
    summary = application_summary(application)
    _check_override(outcome, override_reason, summary)
    overriding = outcome == DecisionOutcome.ADVANCE and scoring.against_evidence(summary)
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
        override_reason=override_reason.strip() if overriding else "",
        evidence_headline=summary.headline[:300],
        decided_by=actor,
        decided_at=timezone.now(),
        explanation=_explanation(application),
    )
    if outcome == DecisionOutcome.ADVANCE:
        clock_start(
            application=application, started_at=decision.decided_at, decision_id=decision.pk
        )
    else:
        clock_stop(application_id=application.pk, at=decision.decided_at, reason="moved on")
    audit_record(
        actor=actor,
        action="decision.record",
        target=application,
        before={"decision": latest.outcome} if latest else None,
        after={
            "decision": outcome,
            "decided_at": decision.decided_at.isoformat(),
            **({"reason": reason} if reason else {}),
            **({"override_reason": decision.override_reason} if overriding else {}),
        },
    )
    candidate, requisition = application.candidate, application.requisition
    emit(
        "decision.made",
        subject=decision,
        data={
            "decision": {
                "id": decision.pk,
                "outcome": outcome,
                "reason": reason,
                "decided_by": actor.get_username(),
                "decided_at": decision.decided_at.isoformat(),
            },
            "application": {"id": application.pk},
            "candidate": {"id": candidate.pk, "name": candidate.name, "email": candidate.email},
            "requisition": {
                "id": requisition.pk,
                "title": requisition.title,
            },
        },
    )
    return decision


def offer_clock_started_at(application: Application) -> dt.datetime | None:
    """When the two-business-day offer clock started: the latest decision, if it advanced."""
    latest = application.decisions.order_by("-decided_at", "-id").first()
    if latest is None or latest.outcome != DecisionOutcome.ADVANCE:
        return None
    return latest.decided_at


def decision_clocks_sync(now: dt.datetime) -> int:
    """Sweep step, a backstop: clocks follow decisions recorded without `decision_record`
    (Django admin, rows from before the clock started with the decision).

    Starts the clock of every active application whose current decision is "advance to
    offer" and that no clock runs for; stops running clocks whose application has a later
    reject or hold. Written as joins that stay cheap with tens of thousands of clocks running
    (bench/sweep.py). Returns how many clocks it started and stopped.
    """
    candidates = list(
        Decision.objects.filter(
            outcome=DecisionOutcome.ADVANCE, application__status=ApplicationStatus.ACTIVE
        )
        .exclude(Exists(OfferClock.objects.filter(decision_id=OuterRef("pk"))))
        .select_related("application")
    )
    # ... that are still the application's current decision.
    newest: dict[int, tuple[dt.datetime, int]] = {}
    for application_id, decided_at, pk in Decision.objects.filter(
        application_id__in={d.application_id for d in candidates}
    ).values_list("application_id", "decided_at", "pk"):
        newest[application_id] = max(newest.get(application_id, (decided_at, pk)), (decided_at, pk))
    changed = 0
    for decision in candidates:
        if newest[decision.application_id] != (decision.decided_at, decision.pk):
            continue
        clock_start(
            application=decision.application,
            started_at=decision.decided_at,
            decision_id=decision.pk,
        )
        changed += 1
    moved_on = set(
        Decision.objects.exclude(outcome=DecisionOutcome.ADVANCE)
        .filter(
            application__offer_clock__stopped_at__isnull=True,
            decided_at__gt=F("application__offer_clock__started_at"),
        )
        .values_list("application_id", flat=True)
    )
    changed += OfferClock.objects.filter(
        application_id__in=moved_on, stopped_at__isnull=True
    ).update(stopped_at=now, stop_reason="moved on", next_alert_at=None)
    return changed
