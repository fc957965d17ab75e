"""Requisition pages: the list, create and edit, the stage editor and the pipeline board."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.permissions import requires
from hiring.pipeline.extensions import requisition_panels
from hiring.pipeline.forms.requisitions import RequisitionForm, StageEdit, level_choices
from hiring.pipeline.models import Application, Requisition, Stage
from hiring.pipeline.selectors.board import (
    After,
    board_application,
    board_cards_context,
    board_context,
    board_stage,
    visible_requisition,
)
from hiring.pipeline.selectors.requisitions import requisition_list_context, stage_editor_context
from hiring.pipeline.services.applications import application_move
from hiring.pipeline.services.requisitions import requisition_create, requisition_update, stages_set
from hiring.replica import replica_reads
from roles.models import RoleLevel

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest

FORM = "pipeline/requisitions/form.html"
STAGES = "pipeline/requisitions/stages.html"
BAD_POSITION = "Bad position in the column; reload the board."
BAD_CARD = "No card was named to move, or not by its number; reload the board."

# The list ---------------------------------------------------------------------------------


@replica_reads
@requires("pipeline.view")
def requisition_list(request: SignedInRequest) -> HttpResponse:
    tab = request.GET.get("status", "current")
    try:
        context = requisition_list_context(user=request.user, tab=tab, page=request.GET.get("page"))
    except DomainError as error:
        context = {**requisition_list_context(user=request.user, tab="current", page=None),
                   "problem": error.message}  # fmt: skip
        return render(request, "pipeline/requisitions/list.html", context, status=400)
    return render(request, "pipeline/requisitions/list.html", context)


# Create and edit --------------------------------------------------------------------------


@requires("pipeline.edit")
def level_options(request: SignedInRequest) -> HttpResponse:
    """The level picker's options for the chosen role (htmx, as the role changes)."""
    levels = RoleLevel.objects.select_related("role").order_by("role__position", "position")
    blank, *choices = level_choices(levels, role_id=parse_id(request.GET.get("role")))
    grouped = bool(choices) and isinstance(choices[0][1], list)
    context = {"blank": blank, "choices": choices, "grouped": grouped}
    return render(request, "pipeline/requisitions/_level_options.html", context)


@requires("pipeline.edit")
def requisition_new(request: SignedInRequest) -> HttpResponse:
    initial = {"opened_on": timezone.localdate(), "recruiter": request.user.pk}
    form = RequisitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            requisition = requisition_create(**form.service_fields(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{requisition.title} is open, with the default stages.")
            return redirect("requisitions:board", pk=requisition.pk)
    return render(request, FORM, {"form": form, "requisition": None})


@requires("pipeline.edit")
def requisition_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    requisition = get_object_or_404(Requisition, pk=pk)
    form = RequisitionForm(request.POST or None, requisition=requisition)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            requisition_update(requisition=requisition, fields=fields, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Requisition saved.")
            return redirect("requisitions:board", pk=requisition.pk)
    return render(request, FORM, {"form": form, "requisition": requisition})


# The stage editor -------------------------------------------------------------------------


@requires("pipeline.edit")
def stage_editor(request: SignedInRequest, pk: int) -> HttpResponse:
    """The buttons post the whole list: each one (move, remove, add, save) saves it."""
    requisition = get_object_or_404(Requisition, pk=pk)
    if request.method != "POST":
        return render(request, STAGES, stage_editor_context(requisition))
    edit = StageEdit.posted(request.POST)
    try:
        wanted = edit.wanted(list(requisition.stages.order_by("position")))
        stages_set(requisition=requisition, stages=wanted, actor=request.user)
    except DomainError as error:
        # Refused: what was typed comes back, in the order before the button pressed.
        return render(request, STAGES, stage_editor_context(requisition, edit=edit, error=error))
    messages.success(request, "Stages saved.")
    return redirect("requisitions:stages", pk=requisition.pk)


# The board --------------------------------------------------------------------------------


@replica_reads
@requires("pipeline.view")
def board(request: SignedInRequest, pk: int) -> HttpResponse:
    requisition = visible_requisition(request.user, pk)
    context = board_context(user=request.user, requisition=requisition)
    context["panels"] = requisition_panels(request.user, requisition)
    return render(request, "pipeline/requisitions/board.html", context)


@replica_reads
@requires("pipeline.view")
def board_cards(request: SignedInRequest, pk: int, stage_pk: int) -> HttpResponse:
    """The next batch of one column's cards and a new "Show more": the htmx fragment."""
    requisition = visible_requisition(request.user, pk)
    try:
        after, skip = _after(request), _query_id(request, "skip")
    except ValueError:
        return HttpResponseBadRequest(BAD_POSITION)
    context = board_cards_context(
        user=request.user, requisition=requisition, stage_id=stage_pk, after=after, skip=skip
    )
    return render(request, "pipeline/requisitions/_cards.jinja", context, using="jinja2")


def _after(request: SignedInRequest) -> After | None:
    """The keyset from the query string; ValueError when it is there but not understood."""
    text, after_id = request.GET.get("after"), _query_id(request, "after_id")
    if not text and after_id is None:
        return None
    when = dt.datetime.fromisoformat(text or "")
    if when.tzinfo is None or after_id is None:
        raise ValueError("incomplete position")
    return After(entered_stage_at=when, id=after_id)


def _query_id(request: SignedInRequest, name: str) -> int | None:
    """An id from the query string, None when absent; ValueError when it is not one."""
    value = request.GET.get(name)
    if value is None or value == "":
        return None
    pk = parse_id(value)
    if pk is None:
        raise ValueError(f"{name} is not an id")
    return pk


@requires("pipeline.edit")
@require_POST
def board_move(request: SignedInRequest, pk: int) -> HttpResponse:
    """Move one card; answers htmx with the re-rendered board, a plain form with a redirect."""
    requisition = visible_requisition(request.user, pk)
    application_id = parse_id(request.POST.get("application"))
    if application_id is None:
        return HttpResponseBadRequest(BAD_CARD)
    application = board_application(requisition, application_id)
    stage = board_stage(requisition, parse_id(request.POST.get("stage")))
    problem, done = _move(request, application, stage)
    if not request.headers.get("HX-Request"):
        (messages.error if problem else messages.success)(request, problem or done)
        return redirect("requisitions:board", pk=requisition.pk)
    context = board_context(user=request.user, requisition=requisition, focus=application.pk)
    context.update(problem=problem, done=done, focus_card=application.pk)
    return render(request, "pipeline/requisitions/_board.html", context)


def _move(
    request: SignedInRequest, application: Application, stage: Stage | None
) -> tuple[str, str]:
    """Move the card; (problem, "") when refused, ("", what was done) when moved."""
    name = application.candidate.name
    try:
        if stage is None:
            raise DomainError("Pick one of this requisition's stages.")
        application_move(application=application, to_stage=stage, actor=request.user)
    except DomainError as error:
        return f"{name} was not moved: {error.message}", ""
    return "", f"{name} moved to {stage.name}."
