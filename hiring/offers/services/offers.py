"""Offers: draft, submit for approval, edit, send, accept or decline, revise, rescind.

Each function locks the offer row, changes its status through `offer_set_status` (the map in
hiring.offers.rules, the history row in OfferChange), writes the audit entry, in one
transaction. One live offer per
application is a database constraint; the friendly check here names the existing one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from compensation.band_check import BandCheck
from compensation.selectors import band_for
from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.events import emit
from hiring.offers.clock import clock_ensure, clock_stop_on_send
from hiring.offers.events import offer_event_data
from hiring.offers.models import Offer
from hiring.offers.rules import (
    EDITABLE,
    EDITABLE_FIELDS,
    LIVE_OFFER_STATUSES,
    OUT_WITH_CANDIDATE,
    RESTARTS_CHAIN,
    REVISABLE,
    TERMS,
    OfferStatus,
    check_justification,
    check_terms,
)
from hiring.offers.selectors.letters import letter_render, template_for
from hiring.offers.selectors.offers import offer_band_check
from hiring.offers.services.approvals import chain_cancel, chain_create
from hiring.offers.services.status import offer_set_status
from hiring.pipeline.models import Application, ApplicationStatus, RequisitionStatus, StageKind
from hiring.pipeline.services.applications import application_move
from hiring.pipeline.services.requisitions import requisition_set_status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from roles.models import RoleLevel

S = OfferStatus


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _snapshot(offer: Offer) -> dict[str, Any]:
    return {name: _plain(getattr(offer, name)) for name in (*TERMS, "status")}


def _check_level(application: Application, level: RoleLevel | None) -> None:
    if level is not None and level.role_id != application.requisition.role_id:
        raise DomainError(
            f"{level.name} is not a level of {application.requisition.role.title}.",
            fields={"level": ["Pick a level of the requisition's role."]},
        )


def letter_record(offer: Offer) -> None:
    """Render the offer's letter from its template now and keep it on the offer (the caller
    saves): what the approvers approve and the candidate receives."""
    template = template_for(offer.application.requisition_id)
    letter = letter_render(offer, template)
    offer.letter_template = template
    offer.letter_subject, offer.letter_text = letter.subject, letter.body


def _locked(offer: Offer) -> Offer:
    """The offer, locked for this transaction, read with what its rules need.

    The bare row is locked first, then read with its joins: after waiting for the lock, a
    locking query re-checks its joins against the changed row (PostgreSQL), and may find no
    row, or a joined row (the level) the edit it waited for has replaced.
    """
    Offer.objects.select_for_update().get(pk=offer.pk)
    return Offer.objects.select_related(
        "application__candidate",
        "application__requisition__role",
        "application__requisition__hiring_manager",
        "application__requisition__recruiter",
        "level",
    ).get(pk=offer.pk)


@transaction.atomic
def offer_create(*, application: Application, fields: dict[str, Any], actor: User) -> Offer:
    """A draft offer; the level defaults to the requisition's, the bonus to 0."""
    # The bare row locked first, then read with its joins (see _locked).
    Application.objects.select_for_update().get(pk=application.pk)
    application = Application.objects.select_related("requisition__role", "candidate").get(
        pk=application.pk
    )
    if application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            f"The application is {application.get_status_display().lower()}.",
            fields={"application": ["Only an active application can get an offer."]},
            status=409,
        )
    live = application.offers.filter(status__in=LIVE_OFFER_STATUSES).first()
    if live is not None:
        raise DomainError(
            f"{application.candidate.name} already has a {live.get_status_display().lower()} "
            "offer: edit it, or revise it once sent.",
            fields={"application": ["This application already has a live offer."]},
            status=409,
        )
    values = {name: fields[name] for name in EDITABLE_FIELDS if name in fields}
    values.setdefault("level", application.requisition.level)
    values.setdefault("target_bonus", 0)
    values.setdefault("currency", "USD")
    _check_level(application, values["level"])
    check_terms(values, today=timezone.localdate())
    return _insert(application=application, values=values, actor=actor)


def _insert(
    *,
    application: Application,
    values: dict[str, Any],
    actor: User,
    supersedes: Offer | None = None,
) -> Offer:
    clock_ensure(application=application)
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                application=application,
                revision=(supersedes.revision + 1) if supersedes else 1,
                supersedes=supersedes,
                created_by=actor if actor.is_authenticated else None,
                **values,
            )
    except IntegrityError:  # a concurrent create won the one-live-offer constraint
        raise DomainError(
            "This application already has a live offer.",
            fields={"application": ["This application already has a live offer."]},
            status=409,
        ) from None
    offer_set_status(offer=offer, to=S.DRAFT, actor=actor, history_even_if_unchanged=True)
    audit_record(actor=actor, action="offer.create", target=offer, after=_snapshot(offer))
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, fields: dict[str, Any], actor: User, version: int | None = None
) -> Offer:
    """Change terms or notes. After submission, any change restarts the approval chain.

    `version`: the version the edit was based on; a stale one is refused with 409.
    """
    offer = _locked(offer)
    if offer.status not in EDITABLE:
        raise DomainError(
            f"A {offer.get_status_display().lower()} offer cannot be edited"
            + ("; revise it instead." if offer.status in REVISABLE else "."),
            fields={"status": ["Not editable in this status."]},
            status=409,
        )
    if version is not None and version != offer.version:
        raise DomainError(
            "Someone changed this offer since you opened it. Reload it and make your change again.",
            fields={"version": [f"Stale: the offer is at version {offer.version}."]},
            status=409,
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            "Only the offer's terms and notes can be edited.",
            fields={name: ["Not editable."] for name in sorted(unknown)},
        )
    before = _snapshot(offer)
    changed = {name for name, value in fields.items() if getattr(offer, name) != value}
    if not changed:
        return offer
    for name in changed:
        setattr(offer, name, fields[name])
    _check_level(offer.application, offer.level)
    check_terms({name: getattr(offer, name) for name in TERMS}, today=timezone.localdate())
    offer.version += 1
    if offer.status in RESTARTS_CHAIN:
        _restart_chain(offer=offer, actor=actor)
    offer.save()
    audit_record(
        actor=actor, action="offer.update", target=offer, before=before, after=_snapshot(offer)
    )
    return offer


def _restart_chain(
    *, offer: Offer, actor: User, reason: str = "Edited: the approval chain restarts"
) -> None:
    """An edit after submission (of the terms, or of the letter's template): the votes cast
    were on another letter; start again, with the letter rendered anew."""
    now = timezone.now()
    letter_record(offer)
    check = _record_band(offer)
    check_justification(
        offer.justification,
        needed=check.needs_justification,
        why=f"The changed offer is out of band: {check.summary()}",
    )
    chain_cancel(offer=offer, actor=actor, reason=reason, now=now)
    offer_set_status(
        offer=offer,
        to=S.PENDING,
        actor=actor,
        reason=reason,
        now=now,
        history_even_if_unchanged=True,
    )
    chain_create(offer=offer, out_of_band=check.needs_justification, actor=actor, now=now)


def _record_band(offer: Offer) -> BandCheck:
    check = offer_band_check(offer=offer)
    band = band_for(level_id=offer.level_id, currency=offer.currency, on=timezone.localdate())
    offer.band, offer.band_result = band, check.result.value
    return check


@transaction.atomic
def offer_submit(*, offer: Offer, actor: User, justification: str | None = None) -> Offer:
    """Send a draft to approval: band check, then the chain (an extra step if out of band)."""
    offer = _locked(offer)
    if offer.status != S.DRAFT:
        raise DomainError(
            f"Only a draft can be submitted; this offer is {offer.get_status_display().lower()}.",
            fields={"status": ["Not a draft."]},
            status=409,
        )
    if justification is not None:
        offer.justification = justification.strip()
    check_terms({name: getattr(offer, name) for name in TERMS}, today=timezone.localdate())
    check = _record_band(offer)
    check_justification(
        offer.justification,
        needed=check.needs_justification,
        why=f"This offer is out of band: {check.summary()}",
    )
    now = timezone.now()
    offer_set_status(offer=offer, to=S.PENDING, actor=actor, now=now)
    offer.returned_reason = ""
    letter_record(offer)
    chain_create(offer=offer, out_of_band=check.needs_justification, actor=actor, now=now)
    offer.save()
    audit_record(
        actor=actor,
        action="offer.submit",
        target=offer,
        after={"band": check.result.value, "round": offer.approval_round},
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """Take a pending or approved offer back to draft (its approvals are cancelled)."""
    offer = _locked(offer)
    if offer.status not in (S.PENDING, S.APPROVED):
        raise DomainError(
            "Only an offer in approval, or approved and not sent, goes back to draft.",
            fields={"status": ["Not in approval."]},
            status=409,
        )
    now = timezone.now()
    why = reason or "Withdrawn to draft"
    chain_cancel(offer=offer, actor=actor, reason=why, now=now)
    offer_set_status(offer=offer, to=S.DRAFT, actor=actor, reason=why, now=now)
    audit_record(actor=actor, action="offer.withdraw", target=offer, after={"reason": reason})
    return offer


def offer_chain_restart(*, offer: Offer, actor: User, reason: str) -> None:
    """Restart the approval chain of a locked pending or approved offer (its letter's
    template changed) and save it."""
    _restart_chain(offer=offer, actor=actor, reason=reason)
    offer.version += 1
    offer.save()


BY_HAND = "By hand"


def _by_hand(what: str, reason: str) -> str:
    reason = reason.strip()
    return f"{BY_HAND}: {what}" + (f". {reason}" if reason else "")


@transaction.atomic
def offer_mark_sent(
    *, offer: Offer, actor: User, sent_on: dt.date | None = None, reason: str = ""
) -> Offer:
    """The recruiter sent the approved offer themselves (a phone offer, a letter by hand):
    the two-business-day clock stops. Labelled "by hand" in the history."""
    offer = _locked(offer)
    if offer.status != S.APPROVED:
        raise DomainError(
            "Only an approved offer can be sent"
            + (": it still waits for approvals." if offer.status == S.PENDING else "."),
            fields={"status": ["Not approved."]},
            status=409,
        )
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise DomainError(
            "The sent date cannot be in the future.", fields={"sent_on": ["Not in the future."]}
        )
    if sent_on > offer.expires_on:
        raise DomainError(
            "The offer had already expired on that date.",
            fields={"sent_on": ["After the expiry date."]},
        )
    now = timezone.now()
    why = _by_hand(f"sent on {sent_on:%a %-d %b %Y}", reason)
    offer_set_status(offer=offer, to=S.SENT, actor=actor, now=now, reason=why)
    offer.sent_on, offer.sent_at, offer.sent_via = sent_on, now, "hand"
    offer.save(update_fields=["sent_on", "sent_at", "sent_via", "updated_at"])
    clock_stop_on_send(application_id=offer.application_id, sent_at=now)
    audit_record(
        actor=actor, action="offer.send", target=offer, after={"sent_on": sent_on.isoformat()}
    )
    emit("offer.sent", subject=offer, data=offer_event_data(offer, via="hand"))
    return offer


@transaction.atomic
def offer_mark_accepted(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """The candidate accepted outside the product (by phone), recorded by the recruiter."""
    offer = _locked(offer)
    return offer_accept(offer=offer, actor=actor, reason=_by_hand("accepted", reason), via="hand")


def offer_accept(*, offer: Offer, actor: User | None, reason: str, via: str) -> Offer:
    """Accepted (the offer locked by the caller): the application moves to Hired; a
    requisition whose headcount is met fills. `actor` None: the candidate, by their link."""
    if offer.status not in OUT_WITH_CANDIDATE:
        raise DomainError(
            "Only a sent offer can be accepted.", fields={"status": ["Not sent."]}, status=409
        )
    now = timezone.now()
    offer_set_status(offer=offer, to=S.ACCEPTED, actor=actor, now=now, reason=reason)
    offer.responded_at, offer.answer_via = now, via
    offer.save(update_fields=["responded_at", "answer_via", "updated_at"])
    application = offer.application
    hired_stage = application.requisition.stages.filter(kind=StageKind.HIRED).first()
    if hired_stage is None:
        raise DomainError(
            "The requisition has no Hired stage to move the candidate to.",
            fields={"status": ["Add a Hired stage to the requisition first."]},
        )
    # The candidate has no account: their acceptance is recorded against nobody (None),
    # labelled in the offer's history; the pipeline's own history takes the same actor.
    application_move(application=application, to_stage=hired_stage, actor=actor)  # type: ignore[arg-type]
    requisition = application.requisition
    hired = requisition.applications.filter(status=ApplicationStatus.HIRED).count()
    if requisition.status == RequisitionStatus.OPEN and hired >= requisition.headcount:
        requisition_set_status(
            requisition=requisition,
            to=RequisitionStatus.FILLED,
            actor=actor,  # type: ignore[arg-type]
            reason="Offer accepted: headcount met",
        )
    audit_record(
        actor=actor, action="offer.accept", target=offer, after={"hired": hired, "via": via}
    )
    emit("offer.accepted", subject=offer, data=offer_event_data(offer, via=via))
    return offer


@transaction.atomic
def offer_mark_declined(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """The candidate declined outside the product, recorded by the recruiter."""
    offer = _locked(offer)
    return offer_decline(
        offer=offer, actor=actor, reason=_by_hand("declined", reason), note=reason, via="hand"
    )


def offer_decline(
    *,
    offer: Offer,
    actor: User | None,
    reason: str,
    note: str,
    via: str,
    decline_reason: str = "",
) -> Offer:
    """Declined (the offer locked by the caller). `note`: the answer's words, kept on the
    offer; `decline_reason`: the candidate's pick from DECLINE_REASONS."""
    if offer.status not in OUT_WITH_CANDIDATE:
        raise DomainError(
            "Only a sent offer can be declined.", fields={"status": ["Not sent."]}, status=409
        )
    now = timezone.now()
    offer_set_status(offer=offer, to=S.DECLINED, actor=actor, reason=reason[:1000], now=now)
    offer.responded_at, offer.response_note = now, note.strip()[:200]
    offer.answer_via, offer.decline_reason = via, decline_reason
    offer.save(
        update_fields=[
            "responded_at", "response_note", "answer_via", "decline_reason", "updated_at"
        ]
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="offer.decline",
        target=offer,
        after={"reason": decline_reason, "note": offer.response_note, "via": via},
    )
    emit(
        "offer.declined",
        subject=offer,
        data=offer_event_data(offer, via=via, reason=decline_reason),
    )
    return offer


@transaction.atomic
def offer_rescind(*, offer: Offer, actor: User, reason: str) -> Offer:
    offer = _locked(offer)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Say why the offer is rescinded.", fields={"reason": ["A reason is required."]}
        )
    if offer.status not in LIVE_OFFER_STATUSES:
        raise DomainError(
            f"A {offer.get_status_display().lower()} offer cannot be rescinded.",
            fields={"status": ["Not a live offer."]},
            status=409,
        )
    now = timezone.now()
    chain_cancel(offer=offer, actor=actor, reason=reason, now=now)
    offer_set_status(offer=offer, to=S.RESCINDED, actor=actor, reason=reason, now=now)
    audit_record(actor=actor, action="offer.rescind", target=offer, after={"reason": reason})
    return offer


@transaction.atomic
def offer_revise(*, offer: Offer, actor: User) -> Offer:
    """A new draft with the same terms; a sent offer is superseded, kept in history."""
    offer = _locked(offer)
    if offer.status not in REVISABLE:
        raise DomainError(
            "Only a sent, declined, expired or rescinded offer is revised; edit this one.",
            fields={"status": ["Edit the offer instead."]},
            status=409,
        )
    newest = Offer.objects.filter(application_id=offer.application_id).order_by("-revision")[0]
    if newest.pk != offer.pk:
        raise DomainError(
            "A later revision of this offer exists.",
            fields={"status": [f"Revision {newest.revision} is the current one."]},
            status=409,
        )
    if offer.application.status != ApplicationStatus.ACTIVE:
        raise DomainError(
            f"The application is {offer.application.get_status_display().lower()}.",
            fields={"application": ["Only an active application can get an offer."]},
            status=409,
        )
    if offer.status in OUT_WITH_CANDIDATE:
        offer_set_status(offer=offer, to=S.SUPERSEDED, actor=actor, reason="Revised")
    values = {name: getattr(offer, name) for name in (*TERMS, "notes", "justification")}
    today = timezone.localdate()
    if values["expires_on"] < today:
        values["expires_on"] = min(today + dt.timedelta(days=7), values["start_date"])
    return _insert(application=offer.application, values=values, actor=actor, supersedes=offer)


def offers_expire(*, today: dt.date) -> int:
    """Sent offers past their expiry date with no answer become expired."""
    expired = 0
    due = Offer.objects.filter(status__in=OUT_WITH_CANDIDATE, expires_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due[:500]):
        with transaction.atomic():
            offer = Offer.objects.select_for_update(of=("self",)).get(pk=pk)
            if offer.status not in OUT_WITH_CANDIDATE:
                continue
            offer_set_status(offer=offer, to=S.EXPIRED, actor=None, reason="Expiry date passed")
            audit_record(actor=None, action="offer.expire", target=offer)
            expired += 1
    return expired
