"""The export, shaped like the Greenhouse Harvest API's objects (v1 field names).

One JSON document, written as it is read: each section is read in chunks of CHUNK rows by
keyset (id > the chunk's last), each chunk with a fixed number of queries, so an export of
100,000 candidates holds one chunk in memory, never the whole. What an exporter sees is what
their roles reach (`transfer.export`: every requisition, or the ones they manage); offers
only with `offers.view`, and their figures (salary, bonus) only with `compensation.view`.
Fields Harvest has and we do not are left out; ours that Harvest lacks are in the objects'
`custom_fields`, as Harvest keeps an organisation's own fields.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse

from assessments.models import Scorecard, ScorecardAnswer, ScorecardRedFlag
from assessments.rules import ScorecardStatus
from hiring.offers.models import Offer
from hiring.offers.selectors.offers import offers_visible_to
from hiring.permissions import ANY, can, reach_of
from hiring.pipeline.models import Application, Candidate, Requisition, Stage, StageChange
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus
from hiring.pipeline.selectors import applications_visible_to, requisitions_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHUNK = 500
FORMAT = "greenhouse-harvest-v1"
M = TypeVar("M", bound=Model)
# Our ratings (1-4) and recommendations in Harvest's words.
RATINGS = {1: "definitely_not", 2: "no", 3: "yes", 4: "strong_yes"}
RATING_NAMES = ("definitely_not", "no", "mixed", "yes", "strong_yes")
APPLICATION_STATUS: dict[str, str] = {
    ApplicationStatus.ACTIVE: "active",
    ApplicationStatus.HIRED: "hired",
    ApplicationStatus.REJECTED: "rejected",
    ApplicationStatus.WITHDRAWN: "rejected",  # Harvest: rejected, "They rejected us"
}
REJECTION_TYPE: dict[str, str] = {
    ApplicationStatus.REJECTED: "We rejected them",
    ApplicationStatus.WITHDRAWN: "They rejected us",
}
# Harvest's offer statuses: unresolved, accepted, rejected, deprecated (an older version).
OFFER_STATUS = {
    "accepted": "accepted",
    "declined": "rejected",
    "rescinded": "rejected",
    "expired": "rejected",
    "superseded": "deprecated",
}
OPEN_JOB = {RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD}


@dataclass(frozen=True)
class ExportScope:
    """What one export holds: the requisitions, whether every candidate (also those in no
    pipeline), and whether offers and their figures."""

    user: User
    requisitions: QuerySet[Requisition]
    requisition: Requisition | None
    every_candidate: bool
    offers: bool
    compensation: bool


def export_scope(user: User, requisition: Requisition | None = None) -> ExportScope:
    """The user's export of one requisition (one they may export) or of everything theirs."""
    requisitions = requisitions_visible_to(user, "transfer.export")
    if requisition is not None:
        requisitions = requisitions.filter(pk=requisition.pk)
    return ExportScope(
        user=user,
        requisitions=requisitions,
        requisition=requisition,
        every_candidate=requisition is None and ANY in reach_of(user, "transfer.export"),
        offers=can(user, "offers.view"),
        compensation=can(user, "compensation.view"),
    )


def exportable_requisitions(user: User) -> QuerySet[Requisition]:
    return requisitions_visible_to(user, "transfer.export").order_by("title", "id")


def harvest_document(scope: ExportScope, *, now: dt.datetime) -> Iterator[str]:
    """The export as JSON text, piece by piece (for a streaming response)."""
    head = {
        "format": FORMAT,
        "exported_at": _at(now),
        "requisition": _job_ref(scope.requisition) if scope.requisition else None,
    }
    yield json.dumps(head)[:-1]  # the object stays open for the sections
    sections: list[tuple[str, Callable[[], Iterator[list[dict[str, Any]]]]]] = [
        ("jobs", lambda: _mapped(_jobs(scope), _job)),
        ("job_stages", lambda: _mapped(_stages(scope), _stage)),
        ("candidates", lambda: _mapped(_candidates(scope), _candidate)),
        ("scorecards", lambda: _mapped(_scorecards(scope), _scorecard)),
    ]
    if scope.offers:
        sections.append(("offers", lambda: _mapped(_offers(scope), _offer(scope.compensation))))
    for name, chunks in sections:
        yield f', "{name}": ['
        first = True
        for chunk in chunks():
            if chunk:
                yield ("" if first else ",") + ",".join(json.dumps(item) for item in chunk)
                first = False
        yield "]"
    yield "}\n"


# Reading, chunk by chunk ------------------------------------------------------------------


def _chunks(rows: QuerySet[M]) -> Iterator[list[M]]:
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = int(chunk[-1].pk)


def _mapped(
    chunks: Iterator[list[M]], shape: Callable[[M], dict[str, Any]]
) -> Iterator[list[dict[str, Any]]]:
    for chunk in chunks:
        yield [shape(row) for row in chunk]


def _jobs(scope: ExportScope) -> Iterator[list[Requisition]]:
    return _chunks(
        scope.requisitions.select_related("role", "level", "hiring_manager", "recruiter")
    )


def _stages(scope: ExportScope) -> Iterator[list[Stage]]:
    return _chunks(Stage.objects.filter(requisition__in=scope.requisitions.values("pk")))


def _applications(scope: ExportScope) -> QuerySet[Application]:
    rows = Application.objects.all()
    if not scope.every_candidate:
        rows = rows.filter(requisition__in=scope.requisitions.values("pk"))
    return rows


def _candidates(scope: ExportScope) -> Iterator[list[Candidate]]:
    ended = StageChange.objects.filter(application=OuterRef("pk"), to_status=OuterRef("status"))
    applications = (
        _applications(scope)
        .select_related("stage", "requisition", "owner")
        .annotate(ended_at=Subquery(ended.order_by("-at", "-id").values("at")[:1]))
        .order_by("id")
    )
    rows = Candidate.objects.filter(merged_into__isnull=True)
    if not scope.every_candidate:
        rows = rows.filter(pk__in=applications.values("candidate_id"))
    return _chunks(rows.prefetch_related("tags", Prefetch("applications", queryset=applications)))


def _scorecards(scope: ExportScope) -> Iterator[list[Scorecard]]:
    rows = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED)
    if not scope.every_candidate:
        rows = rows.filter(interview__application__requisition__in=scope.requisitions.values("pk"))
    if ANY not in reach_of(scope.user, "scorecards.view_all"):
        visible = applications_visible_to(scope.user, "scorecards.view_all")
        rows = rows.filter(interview__application__in=visible.values("pk"))
    answers = ScorecardAnswer.objects.select_related("question_version").order_by("id")
    flags = ScorecardRedFlag.objects.filter(raised=True).select_related("red_flag")
    return _chunks(
        rows.select_related("interview__application", "interviewer").prefetch_related(
            Prefetch("answers", queryset=answers), Prefetch("red_flags", queryset=flags)
        )
    )


def _offers(scope: ExportScope) -> Iterator[list[Offer]]:
    rows = offers_visible_to(scope.user, "offers.view")
    if not scope.every_candidate:
        rows = rows.filter(application__requisition__in=scope.requisitions.values("pk"))
    return _chunks(rows.select_related("level"))


# Shaping, one object at a time -----------------------------------------------------------


def _at(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _on(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username(), "employee_id": None}


def _job_ref(requisition: Requisition) -> dict[str, Any]:
    return {"id": requisition.pk, "name": requisition.title}


def _job(requisition: Requisition) -> dict[str, Any]:
    return {
        "id": requisition.pk,
        "name": requisition.title,
        "requisition_id": str(requisition.pk),
        "status": "open" if requisition.status in OPEN_JOB else "closed",
        "created_at": _at(requisition.created_at),
        "opened_at": _on(requisition.opened_on),
        "offices": [{"name": requisition.location}] if requisition.location else [],
        "hiring_team": {
            "hiring_managers": [u for u in [_user(requisition.hiring_manager)] if u],
            "recruiters": [u for u in [_user(requisition.recruiter)] if u],
        },
        "custom_fields": {
            "status": requisition.status,
            "role": requisition.role.title,
            "level": requisition.level.name,
            "headcount": requisition.headcount,
            "pedigree_blind": requisition.pedigree_blind,
        },
    }


def _stage(stage: Stage) -> dict[str, Any]:
    return {"id": stage.pk, "name": stage.name, "job_id": stage.requisition_id,
            "priority": stage.position}  # fmt: skip


def _split(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def _candidate(candidate: Candidate) -> dict[str, Any]:
    first, last = _split(candidate.name)
    applications = list(candidate.applications.all())
    websites = (
        [{"value": candidate.portfolio_url, "type": "portfolio"}] if candidate.portfolio_url else []
    )
    websites += [{"value": url, "type": "other"} for url in candidate.case_study_urls or []]
    return {
        "id": candidate.pk,
        "first_name": first,
        "last_name": last,
        "created_at": _at(candidate.created_at),
        "last_activity": _at(
            max((a.updated_at for a in applications), default=candidate.created_at)
        ),
        "is_private": False,
        "application_ids": [a.pk for a in applications],
        "email_addresses": [{"value": candidate.email, "type": "personal"}],
        "phone_numbers": [{"value": candidate.phone, "type": "other"}] if candidate.phone else [],
        "addresses": [{"value": candidate.location, "type": "other"}] if candidate.location else [],
        "website_addresses": websites,
        "social_media_addresses": [{"value": candidate.github_url}] if candidate.github_url else [],
        "tags": [tag.name for tag in candidate.tags.all()],
        "attachments": _attachments(candidate),
        "applications": [_application(a, candidate.get_source_display()) for a in applications],
        "custom_fields": {
            "source": candidate.source,
            "time_zone": candidate.time_zone or None,
            "shipped_systems": candidate.shipped_systems or None,
            "degrees": candidate.degrees or None,
            "schools": candidate.schools or None,
            "certifications": candidate.certifications or None,
            "duplicate_of_candidate_id": candidate.duplicate_of_id,
        },
    }


def _attachments(candidate: Candidate) -> list[dict[str, Any]]:
    if not candidate.resume:
        return []
    url = reverse("candidate:resume", kwargs={"pk": candidate.pk})
    return [{"filename": candidate.resume_name or "resume", "url": url, "type": "resume"}]


def _application(application: Application, source: str) -> dict[str, Any]:
    status = application.status
    ended = status in REJECTION_TYPE
    return {
        "id": application.pk,
        "candidate_id": application.candidate_id,
        "prospect": False,
        "applied_at": _at(application.created_at),
        "rejected_at": _at(getattr(application, "ended_at", None)) if ended else None,
        "last_activity_at": _at(application.updated_at),
        "source": {"id": None, "public_name": source},
        "credited_to": _user(application.owner),
        "job_id": application.requisition_id,
        "jobs": [_job_ref(application.requisition)],
        "status": APPLICATION_STATUS.get(status, status),
        "current_stage": {"id": application.stage_id, "name": application.stage.name},
        "rejection_reason": (
            {
                "id": None,
                "name": application.end_reason or None,
                "type": {"id": None, "name": REJECTION_TYPE[status]},
            }
            if ended
            else None
        ),  # fmt: skip
    }


def _scorecard(card: Scorecard) -> dict[str, Any]:
    interview = card.interview
    attributes = [
        {
            "name": answer.question_version.text,
            "type": "Questions",
            "note": answer.notes or None,
            "rating": RATINGS.get(answer.rating or 0, "no_decision"),
        }
        for answer in card.answers.all()
    ]
    ratings: dict[str, list[str]] = {name: [] for name in RATING_NAMES}
    for answer in card.answers.all():
        rating = RATINGS.get(answer.rating or 0, "no_decision")
        ratings.setdefault(rating, []).append(answer.question_version.text)
    questions = (
        [{"id": None, "question": "Summary", "answer": card.summary}] if card.summary else []
    )
    questions += [
        {"id": None, "question": f"Red flag: {flag.red_flag.title}", "answer": flag.evidence}
        for flag in card.red_flags.all()
    ]
    return {
        "id": card.pk,
        "created_at": _at(card.created_at),
        "updated_at": _at(card.updated_at),
        "interview": interview.round_name,
        "candidate_id": interview.application.candidate_id,
        "application_id": interview.application_id,
        "interviewed_at": _at(interview.starts_at),
        "submitted_by": _user(card.interviewer),
        "interviewer": _user(card.interviewer),
        "submitted_at": _at(card.submitted_at),
        "overall_recommendation": card.recommendation or "no_decision",
        "attributes": attributes,
        "ratings": ratings,
        "questions": questions,
    }


def _offer(compensation: bool) -> Callable[[Offer], dict[str, Any]]:
    def shape(offer: Offer) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "offer_status": offer.status,
            "level": offer.level.name,
            "expires_on": _on(offer.expires_on),
        }
        if compensation:
            fields["salary"] = {"value": offer.base_salary, "currency": offer.currency}
            fields["target_bonus"] = {"value": offer.target_bonus, "currency": offer.currency}
        resolved = offer.status in ("accepted", "declined")
        return {
            "id": offer.pk,
            "version": offer.revision,
            "application_id": offer.application_id,
            "created_at": _at(offer.created_at),
            "updated_at": _at(offer.updated_at),
            "sent_at": _on(offer.sent_at.date()) if offer.sent_at else _on(offer.sent_on),
            "resolved_at": _at(offer.responded_at) if resolved else None,
            "starts_at": _on(offer.start_date),
            "status": OFFER_STATUS.get(offer.status, "unresolved"),
            "custom_fields": fields,
        }

    return shape
