"""Moving data in and out: the export (Greenhouse Harvest JSON) and the background imports
with their progress page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.permissions import can, requires
from hiring.pipeline.forms.candidates import requisition_picker
from hiring.pipeline.selectors.candidate import open_requisitions, requisitions_to_add
from hiring.pipeline.selectors.candidate_list import requisition_choices
from hiring.transfer.forms import EXPORT_BLANK, ExportForm, ImportForm
from hiring.transfer.models import ImportJob
from hiring.transfer.rules import UNFINISHED, percent
from hiring.transfer.selectors.export import exportable_requisitions, harvest_document
from hiring.transfer.selectors.imports import (
    job_for_page,
    recent_jobs,
    refused_csv,
    refused_lines,
)
from hiring.transfer.services.export import export_start
from hiring.transfer.services.imports import import_job_create, import_job_retry

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest
    from hiring.pipeline.models import Requisition


# Export -------------------------------------------------------------------------------------


@requires("transfer.export")
@require_GET
def export_page(request: SignedInRequest) -> HttpResponse:
    """Choose what to export; a chosen requisition goes to its download."""
    requisitions = exportable_requisitions(request.user)
    form = ExportForm(request.GET or None, requisitions=requisitions)
    chosen = parse_id(request.GET.get("requisition"))
    offered = requisition_choices(requisitions, user=request.user, selected=chosen)
    requisition_picker(form, offered, find_url=reverse("transfer:options"))
    if form.is_valid():
        return redirect("transfer:export-requisition", pk=form.cleaned_data["requisition"].pk)
    context = {"form": form, "has_requisitions": requisitions.exists()}
    return render(request, "transfer/export.html", context, status=400 if form.errors else 200)


@requires("transfer.export")
def export_options(request: SignedInRequest) -> HttpResponse:
    """The export's requisition options matching its Find box (htmx): any status."""
    rows = exportable_requisitions(request.user)
    found = requisition_choices(
        rows, user=request.user, selected=None, find=request.GET.get("find", "")
    )
    context = {"choices": found, "blank": EXPORT_BLANK}
    return render(request, "_requisition_options.jinja", context, using="jinja2")


# The downloads stream (StreamingHttpResponse), which `requires` is not typed for: the same
# check, by hand (as the candidate list's CSV does).
@login_required
@require_GET
def export_everything(request: SignedInRequest) -> StreamingHttpResponse:
    _may(request, "transfer.export")
    return _download(request, None, "everything")


@login_required
@require_GET
def export_requisition(request: SignedInRequest, pk: int) -> StreamingHttpResponse:
    _may(request, "transfer.export")
    requisition = exportable_requisitions(request.user).filter(pk=pk).first()
    if requisition is None:
        raise Http404("No such requisition")
    return _download(request, requisition, f"requisition-{requisition.pk}")


def _may(request: SignedInRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied(capability)


def _download(
    request: SignedInRequest, requisition: Requisition | None, what: str
) -> StreamingHttpResponse:
    now = timezone.now()
    scope = export_start(actor=request.user, requisition=requisition)
    response = StreamingHttpResponse(
        harvest_document(scope, now=now), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate(now).isoformat()
    response["Content-Disposition"] = f'attachment; filename="harvest-{what}-{stamp}.json"'
    return response


# Imports ------------------------------------------------------------------------------------


@requires("pipeline.edit")
def imports_page(request: SignedInRequest) -> HttpResponse:
    """Upload a file: the job is created, queued, and its page shows how far it is."""
    requisitions = open_requisitions(request.user)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        requisitions=requisitions,
    )
    chosen = parse_id(request.POST.get("requisition")) if posted else None
    offered = requisitions_to_add(request.user, taken=set(), pinned=chosen)
    find_url = reverse("candidate:requisition-options") + "?for=import"
    requisition_picker(form, offered, find_url=find_url)
    if posted and form.is_valid():
        try:
            job = import_job_create(
                uploads=form.cleaned_data["file"],
                requisition=form.cleaned_data["requisition"],
                include_duplicates=form.cleaned_data["include_duplicates"],
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{job.total:,} rows queued for import.")
            return redirect("transfer:import", pk=job.pk)
    context = {"form": form, "jobs": recent_jobs(request.user)}
    return render(request, "transfer/imports.html", context, status=400 if form.errors else 200)


def _job(request: SignedInRequest, pk: int) -> ImportJob:
    try:
        return job_for_page(request.user, pk)
    except ImportJob.DoesNotExist:
        raise Http404("No such import") from None


def _job_context(job: ImportJob) -> dict[str, object]:
    finished = job.status not in UNFINISHED
    return {
        "job": job,
        "percent": percent(job.done, job.total),
        "finished": finished,
        "refused": refused_lines(job) if finished and job.refused else [],
    }


@requires("pipeline.edit")
@require_GET
def import_job(request: SignedInRequest, pk: int) -> HttpResponse:
    return render(request, "transfer/job.html", _job_context(_job(request, pk)))


@requires("pipeline.edit")
@require_GET
def import_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (htmx) until the job is finished."""
    return render(request, "transfer/_progress.html", _job_context(_job(request, pk)))


@login_required
@require_GET
def import_refused_csv(request: SignedInRequest, pk: int) -> StreamingHttpResponse:
    _may(request, "pipeline.edit")
    job = _job(request, pk)
    response = StreamingHttpResponse(refused_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-refused.csv"'
    return response


@requires("pipeline.edit")
@require_POST
def import_retry(request: SignedInRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_job_retry(job=job, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Queued again: it goes on from the first row not done.")
    return redirect("transfer:import", pk=job.pk)
