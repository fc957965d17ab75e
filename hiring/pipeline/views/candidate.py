"""The candidate page and its actions: the timeline and notes, stage moves, ends, reopening,
adding to a requisition, merging a duplicate.

Who may see a candidate is `selectors.candidates_visible_to(user, "candidates.view")`;
anyone else gets a 404, so a URL never tells them the candidate exists. Changes need
`pipeline.edit`, except notes, which anyone who sees the application may write (for the
hiring team; recruiters may share one with interviewers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.permissions import can
from hiring.pipeline.forms.candidates import NoteForm
from hiring.pipeline.models import Application, Candidate
from hiring.pipeline.selectors.candidate import (
    add_options_context,
    application_stage,
    candidate_applications,
    candidate_page_context,
    candidate_timeline_context,
    note_form,
    open_requisition,
    timeline_context,
    visible_application,
    visible_candidate,
)
from hiring.pipeline.services import applications as pipeline
from hiring.pipeline.services.candidates import candidate_merge

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest

TIMELINE = "pipeline/candidate/_timeline.html"


# Helpers ------------------------------------------------------------------------------------


def _is_htmx(request: SignedInRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(candidate: Candidate, anchor: str = "") -> HttpResponse:
    response = redirect("candidate:detail", pk=candidate.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _edit_only(request: SignedInRequest) -> None:
    if not can(request.user, "pipeline.edit"):
        raise PermissionDenied("pipeline.edit")


# The candidate page -------------------------------------------------------------------------


@login_required
@require_GET
def candidate_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = request.GET.get("application")
    context = candidate_page_context(user=request.user, pk=pk, shown=shown)
    return render(request, "pipeline/candidate/detail.html", context)


@login_required
@require_GET
def add_options(request: SignedInRequest, pk: int) -> HttpResponse:
    """The "Add to requisition" options matching the Find box: the htmx fragment."""
    _edit_only(request)
    context = add_options_context(user=request.user, pk=pk, find=request.GET.get("find", ""))
    return render(request, "_requisition_options.jinja", context, using="jinja2")


@login_required
@require_GET
def candidate_timeline(request: SignedInRequest, pk: int) -> HttpResponse:
    """The timeline partial, for one application or all (htmx filter links)."""
    shown = request.GET.get("application")
    context = candidate_timeline_context(user=request.user, pk=pk, shown=shown)
    return render(request, TIMELINE, context)


@login_required
@require_POST
def note_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """Add a note; htmx gets the updated timeline (or the form with its error) back."""
    candidate = visible_candidate(request.user, pk)
    applications = candidate_applications(request.user, candidate)
    form = note_form(request.user, applications, request.POST)
    added = _note_add(request, form, applications)
    if not _is_htmx(request):
        _note_message(request, form, added)
        return _back(candidate, "timeline")
    if added:  # a fresh form for the next note, on the same application
        form = note_form(request.user, applications, initial={"application": added.pk})
    shown = request.POST.get("shown")
    return render(
        request, TIMELINE, timeline_context(request.user, candidate, applications, shown, form)
    )


def _note_add(
    request: SignedInRequest, form: NoteForm, applications: list[Application]
) -> Application | None:
    """The application the note was added to; None when refused (errors on the form)."""
    if not form.is_valid():
        return None
    application = next(a for a in applications if a.pk == form.cleaned_data["application"])
    try:
        pipeline.note_add(
            application=application,
            body=form.cleaned_data["body"],
            visibility=form.visibility,
            actor=request.user,
        )
    except DomainError as error:
        add_domain_error(form, error)
        return None
    return application


def _note_message(request: SignedInRequest, form: NoteForm, added: Application | None) -> None:
    if added:
        messages.success(request, "Note added.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))


# Actions on applications and duplicates: full-page POSTs that come back with a message.


def _act(
    request: SignedInRequest,
    candidate: Candidate,
    done: str,
    action: Callable[..., Any],
    /,
    **arguments: Any,
) -> HttpResponse:
    """Run the service `action`; back to the candidate's applications with how it went."""
    try:
        action(**arguments, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(candidate, "applications")


@login_required
@require_POST
def application_add(request: SignedInRequest, pk: int) -> HttpResponse:
    _edit_only(request)
    candidate = visible_candidate(request.user, pk)
    target = open_requisition(request.user, parse_id(request.POST.get("requisition")))
    if target is None:
        messages.error(request, "Pick an open requisition to add the candidate to.")
        return _back(candidate, "applications")
    return _act(
        request,
        candidate,
        f"Added to {target.title}.",
        pipeline.application_create,
        candidate=candidate,
        requisition=target,
    )


@login_required
@require_POST
def application_move(request: SignedInRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = visible_candidate(request.user, pk)
    application = visible_application(request.user, candidate, application_id)
    stage = application_stage(application, parse_id(request.POST.get("stage")))
    if stage is None:
        messages.error(request, "Pick a stage of this requisition.")
        return _back(candidate, "applications")
    return _act(
        request,
        candidate,
        f"Moved to {stage.name} in {application.requisition.title}.",
        pipeline.application_move,
        application=application,
        to_stage=stage,
    )


@login_required
@require_POST
def application_end(request: SignedInRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = visible_candidate(request.user, pk)
    application = visible_application(request.user, candidate, application_id)
    status = request.POST.get("status", "")
    verb = "Rejected" if status == "rejected" else "Withdrawn"
    return _act(
        request,
        candidate,
        f"{verb} from {application.requisition.title}.",
        pipeline.application_end,
        application=application,
        status=status,
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def application_reopen(request: SignedInRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = visible_candidate(request.user, pk)
    application = visible_application(request.user, candidate, application_id)
    done = f"Reopened in {application.requisition.title}."
    return _act(request, candidate, done, pipeline.application_reopen, application=application)


@login_required
@require_POST
def candidate_merge_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Fold this flagged duplicate into the record it duplicates; go to the kept record."""
    _edit_only(request)
    candidate = visible_candidate(request.user, pk)
    keep = candidate.duplicate_of
    if keep is None or keep.merged_into_id:
        messages.error(request, "This candidate is not flagged as a duplicate.")
        return _back(candidate)
    try:
        kept = candidate_merge(keep=keep, duplicate=candidate, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(candidate)
    messages.success(request, f"Merged into {kept.name}'s record; nothing was overwritten.")
    return _back(kept)
