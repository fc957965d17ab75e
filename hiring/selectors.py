"""Reads of the pipeline that several pages and the API share, starting with who sees what."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hiring.models import Application, Candidate, Requisition, Stage
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
        # A subquery, not a join and DISTINCT: the join read every application (~130 ms
        # at 100,000) to feed the candidate list's requisition filter and stage names.
        interviewed = Application.objects.filter(interviews__interviewers=user)
        condition |= Q(pk__in=interviewed.values("requisition_id"))
    return rows.filter(condition)


def stages_visible_to(user: Any) -> QuerySet[Stage]:
    """The stages of the requisitions the user sees; for recruiters and admins, without the
    `IN (every requisition)` subquery that doubled the candidate list's stage-name query."""
    rows = Stage.objects.all()
    if roles_of(user) & {RECRUITER, ADMIN}:
        return rows
    return rows.filter(requisition__in=requisitions_visible_to(user).values("pk"))


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


def stage_counts(requisition_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Applications per requisition, stage and status, in one grouped query.

    `{requisition_id: {stage_id: {status: count}}}`; the board and the home page use it.
    """
    from django.db.models import Count

    counts: dict[int, dict[int, dict[str, int]]] = {}
    rows = (
        Application.objects.filter(requisition_id__in=requisition_ids)
        .values_list("requisition_id", "stage_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for requisition_id, stage_id, status, n in rows:
        counts.setdefault(requisition_id, {}).setdefault(stage_id, {})[status] = n
    return counts


def with_credentials_hidden(user: Any, rows: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """`credentials_visible` for a whole list in the same query: annotates `credentials_hidden`.

    Same rule: only someone who is just an interviewer, and interviews the candidate for at
    least one pedigree-blind requisition, has the credentials hidden.
    """
    from django.db.models import BooleanField, Exists, OuterRef, Value

    if roles_of(user) & {RECRUITER, ADMIN, HIRING_MANAGER}:
        return rows.annotate(credentials_hidden=Value(False, output_field=BooleanField()))
    blind = applications_visible_to(user).filter(
        candidate=OuterRef("pk"), requisition__pedigree_blind=True
    )
    return rows.annotate(credentials_hidden=Exists(blind))


def open_requisitions_with_stage_counts(
    requisitions: QuerySet[Requisition], *, limit: int = 12
) -> list[dict[str, Any]]:
    """Open requisitions, each with its stages and the cards (active or hired) in each.

    Three queries whatever the numbers: requisitions, their stages, grouped counts. Home page.
    """
    from hiring.models import ApplicationStatus, RequisitionStatus

    rows = list(
        requisitions.filter(status=RequisitionStatus.OPEN)
        .select_related("role", "level")
        .prefetch_related("stages")
        .order_by("-opened_on", "-id")[:limit]
    )
    counts = stage_counts([r.pk for r in rows])
    on_board = (ApplicationStatus.ACTIVE, ApplicationStatus.HIRED)
    result = []
    for requisition in rows:
        by_stage = counts.get(requisition.pk, {})
        stages = [
            {"name": s.name, "count": sum(by_stage.get(s.pk, {}).get(st, 0) for st in on_board)}
            for s in sorted(requisition.stages.all(), key=lambda s: s.position)
        ]
        result.append({"requisition": requisition, "stages": stages})
    return result
