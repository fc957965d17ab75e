"""The candidate page's reads: the candidate and their applications as the viewer may see
them (`candidates.view`), the timeline with the notes they may read, and what the page offers
(requisitions to add them to, end reasons).

Someone who may not see a candidate or an application gets a 404: a URL never tells them
it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from hiring.compiled import compiled, first_or_404
from hiring.ids import parse_id
from hiring.permissions import can, reach_of
from hiring.pipeline.extensions import application_panels
from hiring.pipeline.forms.candidates import NoteForm
from hiring.pipeline.models import Application, Candidate, Requisition, Stage
from hiring.pipeline.rules import REJECTION_REASONS, WITHDRAWAL_REASONS, RequisitionStatus
from hiring.pipeline.selectors import (
    applications_reached,
    applications_visible_to,
    candidates_reached,
    credentials_visible,
    find_text,
    readable_notes,
    requisitions_reached,
    requisitions_visible_to,
)
from hiring.pipeline.services.candidates import PDF
from hiring.pipeline.timeline import timeline

if TYPE_CHECKING:
    from hiring.pipeline.selectors import Viewer


def visible_candidate(user: Viewer, pk: int) -> Candidate:
    """The candidate, with what the page header shows; Http404 when the user may not see it."""
    found = _candidate_with_header(reach_of(user, "candidates.view"), user.pk, pk)
    return first_or_404(found, "No such candidate")


@compiled
def _candidate_with_header(
    reach: frozenset[str], user_id: int | None, pk: int
) -> QuerySet[Candidate]:
    return candidates_reached(reach, user_id).select_related("duplicate_of").filter(pk=pk)[:1]


@compiled
def _tag_names_of(candidate_id: int) -> QuerySet[Any, str]:
    through = Candidate.tags.through.objects.filter(candidate_id=candidate_id)
    return through.values_list("tag__name", flat=True).order_by("tag__name")


@compiled
def _stages_among(requisition_ids: list[int]) -> QuerySet[Stage]:
    return Stage.objects.filter(requisition_id__in=requisition_ids).order_by("position", "id")


@compiled
def _applications_of(
    reach: frozenset[str], user_id: int | None, candidate_id: int
) -> QuerySet[Application]:
    return (
        applications_reached(reach, user_id)
        .filter(candidate_id=candidate_id)
        .select_related("requisition__level", "stage")
        .order_by("-created_at", "-id")
    )


def candidate_applications(user: Viewer, candidate: Candidate) -> list[Application]:
    """The candidate's applications the user may see, newest first, with days in stage."""
    rows = list(_applications_of(reach_of(user, "candidates.view"), user.pk, candidate.pk))
    now = timezone.now()
    for application in rows:
        application.days_in_stage = (now - application.entered_stage_at).days  # type: ignore[attr-defined]
    return rows


def visible_application(user: Viewer, candidate: Candidate, application_id: int) -> Application:
    """One of the candidate's applications; Http404 when the user may not see it."""
    application = (
        applications_visible_to(user, "candidates.view")
        .filter(candidate=candidate, pk=application_id)
        .select_related("requisition")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def application_stage(application: Application, stage_id: int | None) -> Stage | None:
    """A stage of the application's requisition, or None (no id, or another's stage)."""
    if stage_id is None:
        return None
    return Stage.objects.filter(pk=stage_id, requisition=application.requisition_id).first()


def open_requisitions(user: Viewer) -> QuerySet[Requisition]:
    """The open requisitions, by title, where the user may add a candidate."""
    return (
        requisitions_visible_to(user, "pipeline.edit")
        .filter(status=RequisitionStatus.OPEN)
        .select_related("level")
        .order_by("title", "id")
    )


# "Add to requisition" offers this many at most (a company has hundreds open); Find narrows.
ADD_CHOICES = 50


def requisitions_to_add(
    user: Viewer, *, taken: set[int], find: str = "", pinned: int | None = None
) -> list[tuple[int, str]]:
    """The open requisitions the user may add a candidate to, minus those they are in:
    the user's own (as recruiter or hiring manager) first, then by title, ADD_CHOICES at
    most, as (id, "Title (Level)"); `find` narrows them by title or id; `pinned` (the one
    already chosen) comes first when it is one of them. One query."""
    find = find_text(find)
    rows = _requisitions_to_add(
        reach_of(user, "pipeline.edit"),
        user.pk,
        sorted(taken),
        find or None,
        parse_id(find) if find else None,
        pinned,
    )
    return [(pk, f"{title} ({level})") for pk, title, level in rows]


@compiled
def _requisitions_to_add(
    reach: frozenset[str],
    user_id: int | None,
    taken: list[int],
    find: str | None,
    find_id: int | None,
    pinned: int | None,
) -> QuerySet[Requisition, tuple[int, str, str]]:
    rows = (
        requisitions_reached(reach, user_id)
        .filter(status=RequisitionStatus.OPEN)
        .exclude(pk__in=taken)
    )
    pin = Q(pk=pinned) if pinned is not None else Q(pk__in=[])
    if find is not None:
        match = Q(title__icontains=find)
        if find_id is not None:
            match |= Q(pk=find_id)
        rows = rows.filter(match | pin)
    mine = Case(When(Q(recruiter=user_id) | Q(hiring_manager=user_id), then=0), default=1)
    first = Case(When(pin, then=0), default=1)
    found = rows.annotate(first=first, mine=mine).order_by("first", "mine", "title", "id")
    return found.values_list("pk", "title", "level__name")[:ADD_CHOICES]


@compiled
def _boards_among(
    reach: frozenset[str], user_id: int | None, requisition_ids: list[int]
) -> QuerySet[Requisition, int]:
    return (
        requisitions_reached(reach, user_id)
        .filter(pk__in=requisition_ids)
        .values_list("pk", flat=True)
    )


@compiled
def _duplicates_of(
    reach: frozenset[str], user_id: int | None, candidate_id: int
) -> QuerySet[Candidate]:
    return candidates_reached(reach, user_id).filter(duplicate_of=candidate_id)


def open_requisition(user: Viewer, pk: int | None) -> Requisition | None:
    """One of `open_requisitions`, or None (no id, or not open, or not visible)."""
    return None if pk is None else open_requisitions(user).filter(pk=pk).first()


def note_form(
    user: Viewer, applications: list[Application], data: Any = None, **kwargs: Any
) -> NoteForm:
    """The note form, with the "Share with interviewers" box for those who may share."""
    return NoteForm(data, applications=applications, can_share=can(user, "notes.share"), **kwargs)


def timeline_context(
    user: Viewer,
    candidate: Candidate,
    applications: list[Application],
    shown: str | None,
    form: NoteForm | None = None,
) -> dict[str, Any]:
    """The timeline partial: every application's events, or those of the one `shown`, with
    the notes the user may read."""
    selected = next((a for a in applications if str(a.pk) == shown), None)
    if form is None and applications:
        initial = {"application": selected.pk} if selected else {}
        form = note_form(user, applications, initial=initial)
    return {
        "candidate": candidate,
        "applications": applications,
        "entries": timeline([selected] if selected else applications, notes=readable_notes(user)),
        "selected": selected,
        "note_form": form,
        "reads_team_notes": can(user, "notes.view"),
    }


def candidate_page_context(*, user: Viewer, pk: int, shown: str | None) -> dict[str, Any]:
    """The candidate page: header, duplicates, applications and their actions, timeline."""
    candidate = visible_candidate(user, pk)
    applications = candidate_applications(user, candidate)
    # What other domains show under each application (offers: its status, clock, link).
    for application_id, panels in application_panels(user, applications).items():
        next(a for a in applications if a.pk == application_id).panels = panels  # type: ignore[attr-defined]
    can_edit = can(user, "pipeline.edit")
    taken = {a.requisition_id for a in applications}
    if can_edit and taken:  # what "Move to stage" offers under each application
        stages: dict[int, list[Stage]] = {}
        for stage in _stages_among(sorted(taken)):
            stages.setdefault(stage.requisition_id, []).append(stage)
        for application in applications:
            application.stages = stages.get(application.requisition_id, [])  # type: ignore[attr-defined]
    boards = _boards_among(reach_of(user, "pipeline.view"), user.pk, sorted(taken))
    return timeline_context(user, candidate, applications, shown) | {
        "can_edit": can_edit,
        "can_view_pipeline": can(user, "pipeline.view"),
        "tags": list(_tag_names_of(candidate.pk)),
        "can_export": can(user, "candidates.export"),  # their data as JSON (hiring.privacy)
        # The requisitions whose board and debrief the user may open (not those they only
        # interview for).
        "board_ids": set(boards),
        "show_credentials": credentials_visible(user, candidate),
        "duplicates": list(_duplicates_of(reach_of(user, "pipeline.edit"), user.pk, candidate.pk))
        if can_edit
        else [],
        "requisitions_to_add": requisitions_to_add(user, taken=taken) if can_edit else [],
        "add_choices": ADD_CHOICES,
        "rejection_reasons": REJECTION_REASONS,
        "withdrawal_reasons": WITHDRAWAL_REASONS,
        "resume_is_pdf": candidate.resume_content_type == PDF,
    }


def add_options_context(*, user: Viewer, pk: int | None, find: str) -> dict[str, Any]:
    """The "Add to requisition" options matching the Find box (the htmx fragment): for a
    candidate's page (`pk`: without the requisitions they are in), or for a new candidate
    or an import (no `pk`)."""
    if pk is None:
        return {"choices": requisitions_to_add(user, taken=set(), find=find)}
    candidate = visible_candidate(user, pk)
    taken = {a.requisition_id for a in candidate_applications(user, candidate)}
    return {"choices": requisitions_to_add(user, taken=taken, find=find)}


def candidate_timeline_context(*, user: Viewer, pk: int, shown: str | None) -> dict[str, Any]:
    """The timeline partial on its own (the htmx filter links)."""
    candidate = visible_candidate(user, pk)
    return timeline_context(user, candidate, candidate_applications(user, candidate), shown)
