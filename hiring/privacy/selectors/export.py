"""Everything stored about one candidate, as one JSON document: the answer to a
subject-access request.

Scorecards appear as their authors wrote them (drafts too); offers with their terms and
approvals; notifications and audit entries about the candidate as they were recorded. The
resume is described (name, type, size); the file itself is the resume download beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Interview, Scorecard, ScorecardRedFlag
from hiring.careers.models import Submission
from hiring.checkins.models import CheckIn
from hiring.models import AuditEntry
from hiring.notifications.models import Notification, OutboxMessage
from hiring.offers.models import ApprovalStep, Offer, OfferClock
from hiring.pipeline.models import Application, Candidate
from hiring.privacy.models import Erasure
from hiring.privacy.selectors import records_of

FORMAT = "hiring candidate export, version 1"
Json = dict[str, Any]


def export_data(candidate: Candidate, *, now: dt.datetime | None = None) -> Json:
    records = records_of(candidate)
    people = {
        person.pk: person
        for person in Candidate.objects.filter(pk__in=records.candidates)
        .select_related("created_by")
        .prefetch_related("tags")
    }
    return {
        "format": FORMAT,
        "exported_at": now or timezone.now(),
        "candidate": _profile(people[candidate.pk]),
        "merged_records": [_profile(p) for pk, p in sorted(people.items()) if pk != candidate.pk],
        "applications": [_application(a) for a in _applications(records.applications)],
        "notifications": [
            _notification(n) for n in records.notifications().select_related("recipient")
        ],
        "candidate_emails": [
            _candidate_email(m) for m in records.candidate_emails().order_by("created_at", "id")
        ],
        "check_ins": [
            _check_in(c)
            for c in CheckIn.objects.filter(application_id__in=records.applications)
            .select_related("filled_by")
            .order_by("due_on", "id")
        ],
        "audit_log": [_audit(e) for e in records.audit_entries().order_by("at", "id")],
    }


def _check_in(checkin: CheckIn) -> Json:
    """How they were doing after their start, as their hiring manager wrote it."""
    return {
        "application": checkin.application_id,
        "check_in": checkin.get_horizon_display(),
        "due_on": checkin.due_on,
        "status": checkin.status,
        "performance": checkin.get_performance_display() if checkin.performance else None,
        "would_hire_again": checkin.would_hire_again,
        "still_in_role": checkin.still_in_role,
        "left_reason": checkin.get_left_reason_display() if checkin.left_reason else "",
        "comment": checkin.comment,
        "filled_by": _who(checkin.filled_by),
        "filled_at": checkin.filled_at,
    }


def _who(user: User | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _profile(person: Candidate) -> Json:
    erasure = Erasure.objects.filter(candidate=person).first()
    resume = None
    if person.resume:
        try:
            size: int | None = person.resume.size
        except OSError:
            size = None
        resume = {
            "file_name": person.resume_name,
            "content_type": person.resume_content_type,
            "bytes": size,
        }
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "location": person.location,
        "time_zone": person.time_zone,
        "source": person.source,
        "portfolio_url": person.portfolio_url,
        "github_url": person.github_url,
        "case_study_urls": list(person.case_study_urls),
        "shipped_systems": person.shipped_systems,
        "degrees": person.degrees,
        "schools": person.schools,
        "certifications": person.certifications,
        "tags": sorted(tag.name for tag in person.tags.all()),
        "resume": resume,
        "duplicate_of": person.duplicate_of_id,
        "merged_into": person.merged_into_id,
        "created_at": person.created_at,
        "created_by": _who(person.created_by),
        "erased": {"at": erasure.at, "reason": erasure.reason} if erasure else None,
    }


def _candidate_email(message: OutboxMessage) -> Json:
    return {
        "application": message.subject_id,
        "to": message.to,
        "subject": message.title,
        "text": message.body,
        "attachments": [item["filename"] for item in message.attachments],
        "status": message.status,
        "send_after": message.send_after,
        "sent_at": message.sent_at,
    }


def _applications(ids: list[int]) -> list[Application]:
    scorecards = Scorecard.objects.select_related("interviewer").prefetch_related(
        "answers__question_version__question",
        Prefetch("red_flags", ScorecardRedFlag.objects.select_related("red_flag")),
        "changes__actor",
    )
    interviews = Interview.objects.prefetch_related(
        "interviewers", "changes__actor", Prefetch("scorecards", scorecards)
    )
    offers = (
        Offer.objects.select_related("level", "created_by", "signature")
        .defer("signature__signed_pdf")
        .prefetch_related(
            "changes__actor",
            Prefetch(
                "steps",
                ApprovalStep.objects.prefetch_related("approvers__user", "changes__actor"),
            ),
        )
    )
    return list(
        Application.objects.filter(pk__in=ids)
        .select_related("requisition", "stage", "owner")
        .prefetch_related(
            "stage_changes__from_stage",
            "stage_changes__to_stage",
            "stage_changes__actor",
            "notes__author",
            Prefetch("interviews", interviews),
            "decisions__decided_by",
            Prefetch("offers", offers.order_by("revision", "id")),
            "submission",
        )
        .order_by("created_at", "id")
    )


def _application(application: Application) -> Json:
    clock = OfferClock.objects.filter(application=application).first()
    return {
        "id": application.pk,
        "requisition": {"id": application.requisition_id, "title": application.requisition.title},
        "stage": application.stage.name,
        "status": application.status,
        "end_reason": application.end_reason,
        "next_step": application.next_step,
        "owner": _who(application.owner),
        "entered_stage_at": application.entered_stage_at,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "stage_history": [
            {
                "from_stage": change.from_stage.name if change.from_stage else None,
                "to_stage": change.to_stage.name if change.to_stage else None,
                "from_status": change.from_status,
                "to_status": change.to_status,
                "reason": change.reason,
                "by": _who(change.actor),
                "at": change.at,
            }
            for change in application.stage_changes.all()
        ],
        "notes": [
            {"by": _who(note.author), "text": note.body, "at": note.created_at}
            for note in application.notes.all()
        ],
        "interviews": [_interview(i) for i in application.interviews.all()],
        "decisions": [
            {
                "outcome": decision.outcome,
                "reason": decision.reason,
                "comment": decision.comment,
                "override_reason": decision.override_reason,
                "by": _who(decision.decided_by),
                "at": decision.decided_at,
            }
            for decision in application.decisions.all()
        ],
        "offers": [_offer(o) for o in application.offers.all()],
        "offer_clock": _clock(clock) if clock else None,
        "careers_page": _submission(application),
    }


def _submission(application: Application) -> Json | None:
    """What they sent from the careers page: their consent (text and version) and answers."""
    try:
        submission = application.submission  # careers' one-to-one
    except Submission.DoesNotExist:
        return None
    return {
        "source": submission.source,
        "answers": list(submission.answers),
        "consent": {
            "version": submission.consent_version,
            "text": submission.consent_text,
            "retention_months": submission.retention_months,
            "at": submission.consented_at,
        },
    }


def _history(changes: Any) -> list[Json]:
    return [
        {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "reason": change.reason,
            "by": _who(change.actor),
            "at": change.at,
        }
        for change in changes.all()
    ]


def _interview(interview: Interview) -> Json:
    return {
        "id": interview.pk,
        "round": interview.round_name,
        "starts_at": interview.starts_at,
        "duration_minutes": interview.duration_minutes,
        "location": interview.location,
        "status": interview.status,
        "interviewers": sorted(_who(u) or "" for u in interview.interviewers.all()),
        "history": _history(interview.changes),
        "scorecards": [_scorecard(s) for s in interview.scorecards.all()],
    }


def _scorecard(scorecard: Scorecard) -> Json:
    return {
        "id": scorecard.pk,
        "interviewer": _who(scorecard.interviewer),
        "status": scorecard.status,
        "recommendation": scorecard.recommendation,
        "summary": scorecard.summary,
        "submitted_at": scorecard.submitted_at,
        "updated_at": scorecard.updated_at,
        "answers": [
            {
                "question": answer.question_version.question.key,
                "asked": answer.question_version.text,
                "rating": answer.rating,
                "notes": answer.notes,
            }
            for answer in scorecard.answers.all()
        ],
        "red_flags": [
            {"red_flag": flag.red_flag.title, "raised": flag.raised, "evidence": flag.evidence}
            for flag in scorecard.red_flags.all()
            if flag.raised or flag.evidence
        ],
        "history": _history(scorecard.changes),
    }


def _signature(offer: Offer) -> Json | None:
    signature = getattr(offer, "signature", None)
    if signature is None:
        return None
    return {
        "full_name": signature.full_name,
        "statement": signature.statement,
        "signed_at": signature.signed_at,
        "ip_address": signature.ip_address,
        "user_agent": signature.user_agent,
        "letter_sha256": signature.letter_sha256,
    }


def _offer(offer: Offer) -> Json:
    return {
        "id": offer.pk,
        "revision": offer.revision,
        "status": offer.status,
        "base_salary": offer.base_salary,
        "target_bonus": offer.target_bonus,
        "currency": offer.currency,
        "level": offer.level.name,
        "start_date": offer.start_date,
        "expires_on": offer.expires_on,
        "notes": offer.notes,
        "justification": offer.justification,
        "band_result": offer.band_result,
        "returned_reason": offer.returned_reason,
        "sent_at": offer.sent_at,
        "responded_at": offer.responded_at,
        "response_note": offer.response_note,
        "letter_subject": offer.letter_subject,
        "letter": offer.letter_text,
        "viewed_at": offer.viewed_at,
        "decline_reason": offer.decline_reason,
        "signature": _signature(offer),
        "created_by": _who(offer.created_by),
        "created_at": offer.created_at,
        "history": _history(offer.changes),
        "approvals": [
            {
                "round": step.round,
                "step": step.name,
                "status": step.status,
                "opened_at": step.activated_at,
                "closed_at": step.closed_at,
                "approvers": [
                    {
                        "approver": _who(seat.user),
                        "vote": seat.vote,
                        "comment": seat.comment,
                        "voted_at": seat.voted_at,
                    }
                    for seat in step.approvers.all()
                ],
                "history": _history(step.changes),
            }
            for step in offer.steps.all()
        ],
    }


def _clock(clock: OfferClock) -> Json:
    return {
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "stopped_at": clock.stopped_at,
        "stop_reason": clock.stop_reason,
        "business_hours_to_send": clock.business_hours_to_send,
    }


def _notification(notification: Notification) -> Json:
    return {
        "to": _who(notification.recipient),
        "kind": notification.kind_name,
        "title": notification.title,
        "body": notification.body,
        "created_at": notification.created_at,
        "email_status": notification.email_status,
        "email_sent_at": notification.email_sent_at,
    }


def _audit(entry: AuditEntry) -> Json:
    return {
        "at": entry.at,
        "by": entry.who,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
    }
