"""Reads of a candidate's personal data: where it is stored (`records_of`), who may export
it, and which candidates the retention period has run out for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from assessments.models import Decision, Interview, Scorecard
from hiring.candidate_mail.rules import KEY_PREFIX as CANDIDATE_EMAIL_KEY
from hiring.candidate_mail.rules import SUBJECT_TYPE as CANDIDATE_EMAIL_SUBJECT
from hiring.ids import parse_id
from hiring.models import AuditEntry
from hiring.notifications.models import Notification, OutboxMessage
from hiring.offers.models import ApprovalStep, Offer, OfferClock
from hiring.pipeline.models import Application, Candidate, Note, StageChange
from hiring.pipeline.rules import ApplicationStatus
from hiring.pipeline.selectors import candidates_visible_to
from hiring.privacy.models import Erasure
from hiring.privacy.rules import months_before

if TYPE_CHECKING:
    from hiring.pipeline.selectors import Viewer


@dataclass(frozen=True)
class Records:
    """The ids of every row that is about one person: their candidate record, the records
    merged into it (the same person, found twice), and what hangs off their applications."""

    candidates: list[int]
    applications: list[int]
    notes: list[int]
    interviews: list[int]
    scorecards: list[int]
    decisions: list[int]
    offers: list[int]
    steps: list[int]
    clocks: list[int]

    def by_model(self) -> dict[type[models.Model], list[int]]:
        """The rows the audit log and Django admin's log may name, by model."""
        return {
            Candidate: self.candidates,
            Application: self.applications,
            Note: self.notes,
            Interview: self.interviews,
            Scorecard: self.scorecards,
            Decision: self.decisions,
            Offer: self.offers,
            ApprovalStep: self.steps,
            OfferClock: self.clocks,
        }

    def notifications(self) -> QuerySet[Notification]:
        """Notifications about them: each names its subject (subject_type, subject_id), as the
        domains that send them do (offers, approval steps, offer clocks, interviews)."""
        subjects = {
            "offer": self.offers,
            "step": self.steps,
            "clock": self.clocks,
            "interview": self.interviews,
        }
        condition = Q(pk__in=[])
        for subject_type, ids in subjects.items():
            if ids:
                condition |= Q(subject_type=subject_type, subject_id__in=ids)
        return Notification.objects.filter(condition)

    def candidate_emails(self) -> QuerySet[OutboxMessage]:
        """The e-mails sent to them (hiring.candidate_mail): outbox messages about their
        applications."""
        return OutboxMessage.objects.filter(
            subject_type=CANDIDATE_EMAIL_SUBJECT,
            subject_id__in=self.applications,
            claim_key__startswith=CANDIDATE_EMAIL_KEY,
        )

    def audit_entries(self) -> QuerySet[AuditEntry]:
        condition = Q(pk__in=[])
        for model, ids in self.by_model().items():
            if ids:
                condition |= Q(object_type=model._meta.label, object_id__in=[str(i) for i in ids])
        return AuditEntry.objects.filter(condition)

    def admin_log_entries(self) -> dict[str, QuerySet[LogEntry]]:
        """Django admin's log of changes made there, by the model label of what it names."""
        return {
            model._meta.label: LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(i) for i in ids],
            )
            for model, ids in self.by_model().items()
            if ids
        }


def records_of(candidate: Candidate) -> Records:
    people = [candidate.pk, *_merged_into(candidate.pk)]
    applications = list(
        Application.objects.filter(candidate_id__in=people).values_list("pk", flat=True)
    )
    interviews = list(
        Interview.objects.filter(application_id__in=applications).values_list("pk", flat=True)
    )
    offers = list(
        Offer.objects.filter(application_id__in=applications).values_list("pk", flat=True)
    )
    return Records(
        candidates=people,
        applications=applications,
        notes=_ids(Note, application_id__in=applications),
        interviews=interviews,
        scorecards=_ids(Scorecard, interview_id__in=interviews),
        decisions=_ids(Decision, application_id__in=applications),
        offers=offers,
        steps=_ids(ApprovalStep, offer_id__in=offers),
        clocks=_ids(OfferClock, application_id__in=applications),
    )


def _ids(model: type[models.Model], **condition: object) -> list[int]:
    return list(model._default_manager.filter(**condition).values_list("pk", flat=True))


def _merged_into(candidate_id: int) -> list[int]:
    """Records merged into this one, and those merged into them (a merge of a merge)."""
    found: list[int] = []
    frontier = [candidate_id]
    while frontier:
        frontier = [
            pk
            for pk in Candidate.objects.filter(merged_into_id__in=frontier).values_list(
                "pk", flat=True
            )
            if pk not in found and pk != candidate_id
        ]
        found += frontier
    return found


def exportable_candidate(user: Viewer, pk: int) -> Candidate:
    """The candidate whose data the user may export; Http404 when they may not see them."""
    candidate_id = parse_id(pk)
    candidate = (
        None
        if candidate_id is None
        else candidates_visible_to(user, "candidates.export").filter(pk=candidate_id).first()
    )
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def erasable_candidate(pk: int) -> Candidate:
    """Any candidate record, merged ones too (the admin erasing them sees every record)."""
    candidate_id = parse_id(pk)
    candidate = None if candidate_id is None else Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def retention_due(*, now: dt.datetime, months: int) -> QuerySet[Candidate]:
    """Candidates whose retention period is over: every application ended (rejected or
    withdrawn) and nothing happened to any of them for `months` months. Never a hired
    candidate or one with an active application; never one already erased; never one with
    no application at all (nothing ended, so no period started); records merged into
    another go with it."""
    cutoff = months_before(now, months)
    live = Application.objects.filter(
        candidate=OuterRef("pk"),
        status__in=[ApplicationStatus.ACTIVE, ApplicationStatus.HIRED],
    )
    # Anything since the cutoff (a stage move, a reopening, an edit) starts the period again.
    moved = StageChange.objects.filter(application__candidate=OuterRef("pk"), at__gte=cutoff)
    edited = Application.objects.filter(candidate=OuterRef("pk"), updated_at__gte=cutoff)
    return (
        Candidate.objects.filter(merged_into__isnull=True)
        .filter(Exists(Application.objects.filter(candidate=OuterRef("pk"))))
        .exclude(Exists(live))
        .exclude(Exists(moved))
        .exclude(Exists(edited))
        .exclude(Exists(Erasure.objects.filter(candidate=OuterRef("pk"))))
        .order_by("id")
    )
