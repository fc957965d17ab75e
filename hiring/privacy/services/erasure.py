"""Erasing a candidate's personal data, in every table that holds it.

What goes: name, contact details, links, shipped systems, credentials, tags, the resume
(file and name), the text of notes, of scorecards (summaries, answer notes, red-flag
evidence), of decisions, offers and approvals, the reasons typed into histories, the titles
and bodies of notifications about them, the comments of check-ins on them as a hire, their
name and e-mail in the bodies of webhook deliveries (sent or waiting), what the audit log and
Django admin's log recorded about them. What stays: counts, stages, ratings,
recommendations, statuses, dates, offer terms, check-in levels and reasons picked from the
fixed lists, so the reports keep working.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.models import (
    Decision,
    Interview,
    InterviewChange,
    Scorecard,
    ScorecardAnswer,
    ScorecardChange,
    ScorecardRedFlag,
)
from hiring.audit import audit_record, audit_redact
from hiring.careers.models import ApplyAttempt, Submission
from hiring.careers.services.applying import digest
from hiring.checkins.models import CheckIn
from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.notifications.models import EmailStatus, MessageChannel, OutboxMessage
from hiring.notifications.registry import kind_named
from hiring.offers.models import (
    ApprovalStep,
    ApprovalStepChange,
    Offer,
    OfferChange,
    OfferClock,
    OfferSignature,
    StepApprover,
)
from hiring.pipeline.models import Application, Candidate, Note, StageChange, Tag
from hiring.pipeline.rules import REJECTION_REASONS, WITHDRAWAL_REASONS, ApplicationStatus
from hiring.pipeline.services.candidates import search_document_refresh
from hiring.privacy.models import Erasure
from hiring.privacy.rules import ErasureReason, erased_email, erased_name
from hiring.privacy.selectors import Records, records_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

ERASED_NOTE = "[erased]"
# Reasons picked from a list (not typed) that the reports count: they stay.
LISTED_REASONS = frozenset(REJECTION_REASONS) | frozenset(WITHDRAWAL_REASONS)
CONFLICT = 409


def candidate_anonymise(
    *, candidate: Candidate, actor: User | None, reason: str = ErasureReason.REQUEST
) -> Erasure:
    """Erase the candidate's personal data everywhere it is stored, in one transaction.

    `actor` is the admin who asked, or None for the retention sweep. Records merged into this
    one are the same person and are erased with it. Idempotent: the Erasure row is the claim
    (one per candidate), so a candidate erased already comes back unchanged. Refused (409)
    while an application is active: end it first, so no live pipeline card, interview or
    offer is left without a person. The resume files leave storage once the transaction has
    committed (a rollback keeps them). Audited without the personal data.
    """
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        done = Erasure.objects.filter(candidate=locked).first()
        if done is not None:
            return done
        if locked.applications.filter(status=ApplicationStatus.ACTIVE).exists():
            raise DomainError(
                "This candidate has an active application: reject or withdraw it first.",
                status=CONFLICT,
            )
        records = records_of(locked)
        people = list(
            Candidate.objects.select_for_update()
            .filter(pk__in=records.candidates)
            .exclude(pk__in=Erasure.objects.values("candidate_id"))
            .order_by("pk")
        )
        files = [person.resume.name for person in people if person.resume]
        named = [Named(p.name, p.email, erased_name(p.pk), erased_email(p.pk)) for p in people]
        # Their apply attempts keep no e-mail digest that a known address would match.
        emails = [digest("email", person.email) for person in people]
        ApplyAttempt.objects.filter(email_key__in=emails).update(email_key="")
        for person in people:
            _erase_profile(person)
        _erase_free_text(records)
        for person in people:  # what search finds: the new name and e-mail, erased notes
            search_document_refresh(candidate=person)
        _erase_notifications(records, name=erased_name(locked.pk))
        _erase_candidate_emails(records, address=erased_email(locked.pk))
        _redact_logs(records)
        _redact_webhooks(records, named)
        now = timezone.now()
        # A record merged into this one may have been erased by itself meanwhile: its claim stays.
        Erasure.objects.bulk_create(
            [Erasure(candidate=p, reason=reason, actor=actor, at=now) for p in people],
            ignore_conflicts=True,
        )
        locked.refresh_from_db()
        audit_record(
            actor=actor,
            action="candidate.anonymise",
            target=locked,
            after={"reason": str(reason), "records": [p.pk for p in people]},
        )
        transaction.on_commit(partial(_delete_files, files))
        return Erasure.objects.get(candidate=locked)


def _erase_profile(person: Candidate) -> None:
    """The candidate row itself and their tags."""
    tags = list(person.tags.values_list("pk", flat=True))
    person.tags.clear()
    # A tag only they had may itself name them ("referred-by-their-sister"); shared ones stay.
    Tag.objects.filter(pk__in=tags, candidates__isnull=True).delete()
    Candidate.objects.filter(pk=person.pk).update(
        name=erased_name(person.pk),
        email=erased_email(person.pk),
        phone="",
        location="",
        time_zone="",
        portfolio_url="",
        github_url="",
        case_study_urls=[],
        shipped_systems="",
        degrees="",
        schools="",
        certifications="",
        resume="",
        resume_name="",
        resume_content_type="",
        duplicate_of=None,
    )
    # Records flagged as possible duplicates of this one were flagged for sharing its e-mail.
    Candidate.objects.filter(duplicate_of=person).update(duplicate_of=None)
    person.refresh_from_db()


def _erase_free_text(records: Records) -> None:
    """Everything typed about them in the pipeline, interviews, the debrief and offers.
    Edited-in-place rows get a new version, so an editor left open cannot save the old text
    back."""
    applications = Application.objects.filter(pk__in=records.applications)
    applications.update(next_step="")
    applications.exclude(end_reason__in=LISTED_REASONS).update(end_reason="")
    moves = StageChange.objects.filter(application_id__in=records.applications)
    moves.exclude(reason__in=LISTED_REASONS).update(reason="")
    Note.objects.filter(pk__in=records.notes).update(body=ERASED_NOTE)
    # The careers page: their answers. The consent's version, text and date stay: the record
    # that they had agreed, and the notice itself names nobody.
    Submission.objects.filter(application_id__in=records.applications).update(answers=[])
    # Check-ins on the hire: the manager's comment goes; the levels stay for the reports.
    CheckIn.objects.filter(application_id__in=records.applications).update(comment="")
    Interview.objects.filter(pk__in=records.interviews).update(location="")
    InterviewChange.objects.filter(interview_id__in=records.interviews).update(reason="")
    Scorecard.objects.filter(pk__in=records.scorecards).update(summary="", version=F("version") + 1)
    ScorecardAnswer.objects.filter(scorecard_id__in=records.scorecards).update(notes="")
    ScorecardRedFlag.objects.filter(scorecard_id__in=records.scorecards).update(evidence="")
    ScorecardChange.objects.filter(scorecard_id__in=records.scorecards).update(reason="")
    decisions = Decision.objects.filter(pk__in=records.decisions)
    decisions.update(comment="", override_reason="")
    decisions.exclude(reason__in=LISTED_REASONS).update(reason="")
    Offer.objects.filter(pk__in=records.offers).update(
        notes="", justification="", returned_reason="", response_note="", version=F("version") + 1,
        letter_subject="", letter_text="", decline_reason="",
    )  # fmt: skip
    # The signature: their typed name, address, browser and the signed copy of the letter.
    OfferSignature.objects.filter(offer_id__in=records.offers).delete()
    OfferChange.objects.filter(offer_id__in=records.offers).update(reason="")
    ApprovalStepChange.objects.filter(step_id__in=records.steps).update(reason="")
    StepApprover.objects.filter(step_id__in=records.steps).update(comment="")


def _erase_notifications(records: Records, *, name: str) -> None:
    """Their titles name the candidate and their bodies quote what was typed: the title
    becomes the kind and the new name, the body goes (a pending e-mail goes out like that)."""
    rows = records.notifications()
    for kind in set(rows.values_list("kind", flat=True)):
        known = kind_named(kind)
        label = known.name if known else kind.replace("_", " ").capitalize()
        rows.filter(kind=kind).update(title=f"{label}: {name}"[:200], body="")


def _erase_candidate_emails(records: Records, *, address: str) -> None:
    """The e-mails to them: address, subject, text and invite go; one still waiting (a
    rejection for the next morning) is never sent to an erased person."""
    rows = records.candidate_emails()
    rows.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).update(
        status=EmailStatus.FAILED, last_result="Not sent: the candidate's data was erased"
    )
    rows.update(to=address, title="E-mail to the candidate", body="", attachments=[])


class Named(NamedTuple):
    name: str
    email: str
    new_name: str
    new_email: str


def _redact_webhooks(records: Records, named: list[Named]) -> None:
    """Webhook deliveries quote the candidate: a signed endpoint's JSON holds their name and
    e-mail, a chat message their name beside the requisition's title. In those bodies both
    become the erased ones; a delivery still waiting goes out like that. Another person of
    the same name is left alone: a body is theirs only if it holds their e-mail, or (a chat
    message) their name and one of their requisitions' titles."""
    titles = set(
        Application.objects.filter(pk__in=records.applications).values_list(
            "requisition__title", flat=True
        )
    )
    webhooks = OutboxMessage.objects.filter(channel=MessageChannel.WEBHOOK)
    chat = '{"text":'
    for person in named:
        about = Q(pk__in=[])
        if person.email:
            about |= Q(body__contains=_in_json(person.email))
        if person.name and titles:
            about |= Q(body__startswith=chat, body__contains=_in_json(person.name))
        for message in webhooks.filter(about):
            if message.body.startswith(chat) and not any(
                _in_json(title) in message.body for title in titles
            ):
                continue
            body = message.body
            for old, new in [(person.name, person.new_name), (person.email, person.new_email)]:
                if old:
                    body = body.replace(_in_json(old), _in_json(new))
            OutboxMessage.objects.filter(pk=message.pk).update(body=body)


def _in_json(text: str) -> str:
    """`text` as it appears inside a JSON string (escaped, without the quotes)."""
    return json.dumps(text)[1:-1]


def _redact_logs(records: Records) -> None:
    """The audit log keeps who did what and when, with the object's new name; what the
    entries recorded (before, after) goes. Django admin's own log likewise."""
    names = _new_names(records)
    logged = records.audit_entries().order_by().values_list("object_type", "object_id")
    for object_type, object_id in sorted(set(logged)):
        audit_redact(
            entries=AuditEntry.objects.filter(object_type=object_type, object_id=object_id),
            object_repr=names.get((object_type, object_id), ERASED_NOTE),
        )
    for label, entries in records.admin_log_entries().items():
        for entry in entries:
            entry.object_repr = names.get((label, entry.object_id or ""), ERASED_NOTE)
            entry.change_message = ""
            entry.save(update_fields=["object_repr", "change_message"])


def _new_names(records: Records) -> dict[tuple[str, str], str]:
    """What each row is called now that the candidate's name is erased ("Erased candidate
    #12 → ML engineer")."""
    rows: list[Any] = [
        *Candidate.objects.filter(pk__in=records.candidates),
        *Application.objects.filter(pk__in=records.applications).select_related(
            "candidate", "requisition"
        ),
        *Interview.objects.filter(pk__in=records.interviews).select_related(
            "application__candidate", "application__requisition"
        ),
        *Scorecard.objects.filter(pk__in=records.scorecards).select_related(
            "interviewer",
            "interview__application__candidate",
            "interview__application__requisition",
        ),
        *Decision.objects.filter(pk__in=records.decisions).select_related(
            "application__candidate", "application__requisition"
        ),
        *Offer.objects.filter(pk__in=records.offers).select_related(
            "application__candidate", "application__requisition"
        ),
        *Note.objects.filter(pk__in=records.notes),
        *ApprovalStep.objects.filter(pk__in=records.steps),
        *OfferClock.objects.filter(pk__in=records.clocks),
    ]
    return {(row._meta.label, str(row.pk)): str(row)[:200] for row in rows}


def _delete_files(names: list[str]) -> None:
    """Delete the resume files no other record still points to (a merge shares the file
    with the record it was merged into)."""
    for name in names:
        if Candidate.objects.filter(resume=name).exists():
            continue
        try:
            default_storage.delete(name)
        except OSError:
            log.exception("could not delete the erased resume file %s", name)
