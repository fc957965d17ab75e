"""Reads of the pipeline that several pages and the API share, starting with who sees what."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hiring.models import Application, Candidate, Requisition
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, roles_of

CREDENTIAL_FIELDS = ("degrees", "schools", "certifications")


def requisitions_visible_to(user: Any) -> QuerySet[Requisition]:
    """Recruiters and admins: all; hiring managers: their own; interviewers: theirs to interview."""
    roles = roles_of(user)
    rows = Requisition.objects.all()
    if roles & {RECRUITER, ADMIN}:
        return rows
    condition = Q(pk__in=[])
    if HIRING_MANAGER in roles:
        condition |= Q(hiring_manager=user)
    if INTERVIEWER in roles:
        condition |= Q(applications__interviews__interviewers=user)
    return rows.filter(condition).distinct()


def applications_visible_to(user: Any) -> QuerySet[Application]:
    roles = roles_of(user)
    rows = Application.objects.all()
    if roles & {RECRUITER, ADMIN}:
        return rows
    condition = Q(pk__in=[])
    if HIRING_MANAGER in roles:
        condition |= Q(requisition__hiring_manager=user)
    if INTERVIEWER in roles:
        # A subquery, not a join: keeps one row per application without DISTINCT.
        interviewed = Application.objects.filter(interviews__interviewers=user).values("pk")
        condition |= Q(pk__in=interviewed)
    return rows.filter(condition)


def candidates_visible_to(user: Any) -> QuerySet[Candidate]:
    rows = Candidate.objects.filter(merged_into__isnull=True)
    if roles_of(user) & {RECRUITER, ADMIN}:
        return rows
    visible = applications_visible_to(user).values("candidate_id")
    return rows.filter(pk__in=visible)


def credentials_visible(user: Any, candidate: Candidate) -> bool:
    """Pedigree-blind mode: interviewers do not see degrees, schools or certifications.

    Recruiters, hiring managers and admins see everything. Someone who is only an
    interviewer sees credentials only when none of the candidate's requisitions they
    interview for is pedigree-blind.
    """
    roles = roles_of(user)
    if roles & {RECRUITER, ADMIN, HIRING_MANAGER}:
        return True
    blind = applications_visible_to(user).filter(
        candidate=candidate, requisition__pedigree_blind=True
    )
    return not blind.exists()
