"""Requisition pages: the list, create and edit, the stage editor and the pipeline board."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiring.board import STALE_AMBER_DAYS, STALE_RED_DAYS, After, board_read, column_read
from hiring.errors import DomainError
from hiring.forms.requisitions import FIELDS, RequisitionForm, stage_rows
from hiring.models import Application, ApplicationStatus, Requisition, Stage, StageKind
from hiring.permissions import can, requires
from hiring.selectors import requisitions_visible_to
from hiring.services.applications import CLOSED_REQUISITIONS, application_move
from hiring.services.requisitions import requisition_create, requisition_update, stages_set

# The list ---------------------------------------------------------------------------------


@requires("pipeline.view")
def requisition_list(request: HttpRequest) -> HttpResponse:
    active = (
        Application.objects.filter(requisition=OuterRef("pk"), status=ApplicationStatus.ACTIVE)
        .order_by()
        .values("requisition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        requisitions_visible_to(request.user)
        .select_related("role", "level", "hiring_manager", "recruiter")
        .annotate(active_count=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))
        .order_by("-opened_on", "-id")
    )
    context = {"requisitions": rows, "can_edit": can(request.user, "pipeline.edit")}
    return render(request, "hiring/requisitions/list.html", context)


# Create and edit --------------------------------------------------------------------------


@requires("pipeline.edit")
def requisition_new(request: HttpRequest) -> HttpResponse:
    initial = {"opened_on": timezone.localdate(), "recruiter": request.user.pk}
    form = RequisitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FIELDS if name != "status"}
        try:
            requisition = requisition_create(**data, actor=request.user)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{requisition.title} is open, with the default stages.")
            return redirect("requisitions:board", pk=requisition.pk)
    return render(request, "hiring/requisitions/form.html", {"form": form, "requisition": None})


@requires("pipeline.edit")
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = get_object_or_404(Requisition, pk=pk)
    form = RequisitionForm(
        request.POST or None,
        initial=RequisitionForm.initial_for(requisition),
        requisition=requisition,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FIELDS}
        try:
            requisition_update(requisition=requisition, fields=data, actor=request.user)
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Requisition saved.")
            return redirect("requisitions:board", pk=requisition.pk)
    context = {"form": form, "requisition": requisition}
    return render(request, "hiring/requisitions/form.html", context)


def _add_errors(form: Any, error: DomainError) -> None:
    """The service's message on top of the form, and each field's problem beside it."""
    form.add_error(None, error.message)
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)


# The stage editor -------------------------------------------------------------------------


@requires("pipeline.edit")
def stage_editor(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = get_object_or_404(Requisition, pk=pk)
    stages = list(requisition.stages.order_by("position"))
    rows = [{"id": s.pk, "name": s.name, "kind": s.kind} for s in stages]
    errors: list[str] = []
    if request.method == "POST":
        posted = stage_rows(request.POST)
        try:
            stages_set(
                requisition=requisition,
                stages=_edited_rows(request, list(posted), stages),
                actor=request.user,
            )
        except DomainError as error:
            errors = error.fields.get("stages") or [error.message]
        else:
            messages.success(request, "Stages saved.")
            return redirect("requisitions:stages", pk=requisition.pk)
        # Refused: show what was typed, in the order before the button pressed.
        rows = posted
        kinds = {s.pk: s.kind for s in stages}
        rows = [{**row, "kind": kinds.get(row["id"], StageKind.CUSTOM)} for row in rows]
    context = {
        "requisition": requisition,
        "rows": rows,
        "errors": errors,
        "new_name": request.POST.get("new_name", "") if errors else "",
    }
    return render(request, "hiring/requisitions/stages.html", context)


def _edited_rows(
    request: HttpRequest, rows: list[dict[str, Any]], stages: list[Stage]
) -> list[dict[str, Any]]:
    """Apply the button pressed (move up/down, remove, add) to the posted rows."""
    action = request.POST.get("action", "save")
    verb, _, index_text = action.partition("-")
    i = int(index_text) if index_text.isdigit() and int(index_text) < len(rows) else None
    if verb == "up" and i:
        rows[i - 1], rows[i] = rows[i], rows[i - 1]
    elif verb == "down" and i is not None and i + 1 < len(rows):
        rows[i], rows[i + 1] = rows[i + 1], rows[i]
    elif verb == "remove" and i is not None:
        del rows[i]
    new_name = request.POST.get("new_name", "").strip()
    if verb == "add" or new_name:
        # Hired stays last: a new stage goes just before it.
        hired = {s.pk for s in stages if s.kind == StageKind.HIRED}
        at = len(rows) - 1 if rows and rows[-1]["id"] in hired else len(rows)
        rows.insert(at, {"id": None, "name": new_name})
    return rows


# The board --------------------------------------------------------------------------------


def _visible_requisition(request: HttpRequest, pk: int) -> Requisition:
    rows = requisitions_visible_to(request.user).select_related(
        "role", "level", "hiring_manager", "recruiter"
    )
    return get_object_or_404(rows, pk=pk)


def _can_move(request: HttpRequest, requisition: Requisition) -> bool:
    return can(request.user, "pipeline.edit") and requisition.status not in CLOSED_REQUISITIONS


def board_context(
    request: HttpRequest, requisition: Requisition, *, focus: int | None = None
) -> dict[str, Any]:
    read = board_read(requisition, focus=focus)
    closed = requisition.status in CLOSED_REQUISITIONS
    return {
        "requisition": requisition,
        "columns": read.columns,
        "rejected": read.rejected,
        "withdrawn": read.withdrawn,
        "on_board": read.on_board,
        "can_edit": can(request.user, "pipeline.edit"),
        "can_move": _can_move(request, requisition),
        "closed": closed,
        "move_url": reverse("requisitions:move", args=[requisition.pk]),
        "stale_amber": STALE_AMBER_DAYS,
        "stale_red": STALE_RED_DAYS,
    }


@requires("pipeline.view")
def board(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = _visible_requisition(request, pk)
    return render(request, "hiring/requisitions/board.html", board_context(request, requisition))


@requires("pipeline.view")
def board_cards(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """The next batch of one column's cards and a new "Show more": the htmx fragment."""
    requisition = _visible_requisition(request, pk)
    try:
        after = _after(request)
        skip = _query_int(request, "skip")
    except ValueError:
        return HttpResponseBadRequest("Bad position in the column; reload the board.")
    column = column_read(requisition, stage_pk, after=after, skip=skip)
    if column is None:
        raise Http404("No such stage in this requisition")
    context = {
        "requisition": requisition,
        "column": column,
        "can_move": _can_move(request, requisition),
        "move_url": reverse("requisitions:move", args=[requisition.pk]),
        # The "Show more" link that was clicked is gone: focus moves to the first new card.
        "focus_card": column.cards[0]["id"] if column.cards else None,
    }
    return render(request, "hiring/requisitions/_cards.html", context)


def _after(request: HttpRequest) -> After | None:
    """The keyset from the query string; ValueError when it is there but not understood."""
    text, after_id = request.GET.get("after"), _query_int(request, "after_id")
    if not text and after_id is None:
        return None
    when = dt.datetime.fromisoformat(text or "")
    if when.tzinfo is None or after_id is None:
        raise ValueError("incomplete position")
    return After(entered_stage_at=when, id=after_id)


def _query_int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise ValueError(f"{name} is not an id")
    return int(value)


@requires("pipeline.edit")
@require_POST
def board_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one card; answers htmx with the re-rendered board, a plain form with a redirect."""
    requisition = _visible_requisition(request, pk)
    application = _posted_application(request, requisition)
    stage = requisition.stages.filter(pk=_posted_int(request, "stage") or 0).first()
    problem, done = "", ""
    try:
        if stage is None:
            raise DomainError("Pick one of this requisition's stages.")
        application_move(application=application, to_stage=stage, actor=request.user)
    except DomainError as error:
        problem = f"{application.candidate.name} was not moved: {error.message}"
    else:
        done = f"{application.candidate.name} moved to {stage.name}."
    if not request.headers.get("HX-Request"):
        messages.add_message(
            request, messages.ERROR if problem else messages.SUCCESS, problem or done
        )
        return redirect("requisitions:board", pk=requisition.pk)
    context = board_context(request, requisition, focus=application.pk)
    context.update(problem=problem, done=done, focus_card=application.pk)
    return render(request, "hiring/requisitions/_board.html", context)


def _posted_int(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _posted_application(request: HttpRequest, requisition: Requisition) -> Application:
    """The posted application, which must belong to this requisition (else 404)."""
    application = (
        Application.objects.select_related("candidate")
        .filter(pk=_posted_int(request, "application") or 0, requisition=requisition)
        .first()
    )
    if application is None:
        raise Http404("No such application in this requisition")
    return application


urlpatterns: list[URLPattern] = [
    path("", requisition_list, name="list"),
    path("new/", requisition_new, name="new"),
    path("<int:pk>/edit/", requisition_edit, name="edit"),
    path("<int:pk>/stages/", stage_editor, name="stages"),
    path("<int:pk>/board/", board, name="board"),
    path("<int:pk>/board/move/", board_move, name="move"),
    path("<int:pk>/board/stages/<int:stage_pk>/cards/", board_cards, name="cards"),
]
