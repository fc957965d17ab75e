"""Adding candidates: one at a time (the add-candidate form), or many from a CSV file.

The import previews first and writes nothing until confirmed; the file waits in the
database meanwhile (the session holds its token), the write checks it again against the
database as it is then, and a file is imported once however often its confirm is posted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.ids import parse_id
from hiring.permissions import requires
from hiring.pipeline.forms.candidates import (
    CandidateForm,
    ImportConfirmForm,
    ImportUploadForm,
    requisition_picker,
)
from hiring.pipeline.models import Candidate
from hiring.pipeline.selectors.candidate import (
    add_options_context,
    open_requisitions,
    requisitions_to_add,
)
from hiring.pipeline.services.applications import candidate_add
from hiring.pipeline.services.imports import (
    MAX_IMPORT_ROWS,
    NOTHING_TO_IMPORT,
    ImportCheck,
    ImportResult,
    candidates_import,
    import_pending,
    import_preview,
    import_template,
)

if TYPE_CHECKING:
    from django.utils.datastructures import MultiValueDict

    from hiring.permissions import SignedInRequest

IMPORT_SESSION_KEY = "candidate_import"


@requires("pipeline.edit")
def candidate_new(request: SignedInRequest) -> HttpResponse:
    chosen = parse_id(request.GET.get("requisition"))
    initial = {"requisition": chosen}
    form = CandidateForm(
        *_posted(request), requisitions=open_requisitions(request.user), initial=initial
    )
    _picker(request, form, chosen)
    if form.is_valid():
        try:
            candidate = candidate_add(**form.service_kwargs(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _added_message(request, candidate)
            return redirect("candidate:detail", pk=candidate.pk)
    return render(request, "pipeline/candidate/new.html", {"form": form})


def _picker(
    request: SignedInRequest, form: forms.BaseForm, chosen: int | None, blank: str = ""
) -> None:
    """The form's requisition select: 50 open requisitions at most, and a Find box."""
    if form.is_bound:
        chosen = parse_id(form.data.get(form.add_prefix("requisition")))
    offered = requisitions_to_add(request.user, taken=set(), pinned=chosen)
    find_url = reverse("candidate:requisition-options") + (f"?for={blank}" if blank else "")
    requisition_picker(form, offered, find_url=find_url)


@requires("pipeline.edit")
def requisition_options(request: SignedInRequest) -> HttpResponse:
    """The requisition select's options matching its Find box (htmx): a new candidate's,
    an import's."""
    blank = "No requisition" if request.GET.get("for") == "import" else "Not now"
    context = add_options_context(user=request.user, pk=None, find=request.GET.get("find", ""))
    return render(
        request, "_requisition_options.jinja", {**context, "blank": blank}, using="jinja2"
    )


def _posted(
    request: SignedInRequest,
) -> tuple[QueryDict | None, MultiValueDict[str, UploadedFile] | None]:
    """A form's data and files: bound on a POST, unbound (None, None) otherwise."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _added_message(request: SignedInRequest, candidate: Candidate) -> None:
    if candidate.duplicate_of_id:
        messages.warning(
            request,
            "Saved, and flagged: another candidate has the same e-mail. "
            "Check and merge the two records.",
        )
    else:
        messages.success(request, f"{candidate.name} added.")


# CSV import ---------------------------------------------------------------------------------


@requires("pipeline.edit")
@require_GET
def import_template_csv(request: SignedInRequest) -> HttpResponse:
    response = HttpResponse(import_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidates-template.csv"'
    return response


@requires("pipeline.edit")
def candidate_import(request: SignedInRequest) -> HttpResponse:
    """Upload → preview (no candidate written; the file waits) → confirm → write, once."""
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request)
    form = ImportUploadForm(*_posted(request))
    check = _import_check(request, form) if form.is_valid() else None
    if check is not None:
        confirm = ImportConfirmForm(requisitions=open_requisitions(request.user))
        _picker(request, confirm, None, blank="import")
        return _import_preview(request, check, confirm, form.cleaned_data["file"].name)
    context = {"form": form, "max_rows": MAX_IMPORT_ROWS}
    return render(request, "pipeline/candidate/import.html", context)


def _import_check(request: SignedInRequest, form: ImportUploadForm) -> ImportCheck | None:
    """Read and check the upload, keeping its token in the session for the confirm step;
    None when refused (errors on the form)."""
    upload = form.cleaned_data["file"]
    try:
        token, check = import_preview(upload=upload, actor=request.user)
    except DomainError as error:
        add_domain_error(form, error)
        return None
    request.session[IMPORT_SESSION_KEY] = {"token": token, "name": upload.name[-200:]}
    return check


def _import_preview(
    request: SignedInRequest, check: ImportCheck, confirm: ImportConfirmForm, name: str
) -> HttpResponse:
    context = {"check": check, "confirm": confirm, "file_name": name}
    return render(request, "pipeline/candidate/import_preview.html", context)


def _import_confirm(request: SignedInRequest) -> HttpResponse:
    # The token stays in the session after the import: a repeated confirm (a double click,
    # a reload) is shown the same result page, with a word that nothing was written again.
    stored = request.session.get(IMPORT_SESSION_KEY) or {}
    if "token" not in stored:
        messages.error(request, NOTHING_TO_IMPORT)
        return redirect("candidate:import")
    confirm = ImportConfirmForm(request.POST, requisitions=open_requisitions(request.user))
    _picker(request, confirm, None, blank="import")
    result = _import_write(request, confirm, stored["token"]) if confirm.is_valid() else None
    if result is not None:
        if result.repeated:
            messages.info(request, "This file was imported already: nothing was written again.")
        return render(request, "pipeline/candidate/import_done.html", {"result": result})
    try:
        check = import_pending(token=stored["token"], actor=request.user)
    except DomainError as error:  # gone, imported meanwhile, or no longer a valid file
        messages.error(request, error.message)
        return redirect("candidate:import")
    return _import_preview(request, check, confirm, stored["name"])


def _import_write(
    request: SignedInRequest, confirm: ImportConfirmForm, token: str
) -> ImportResult | None:
    """Import the previewed file; None when refused (errors on the form, nothing written)."""
    try:
        return candidates_import(
            token=token,
            include_duplicates=confirm.cleaned_data["include_duplicates"],
            requisition=confirm.cleaned_data["requisition"],
            actor=request.user,
        )
    except DomainError as error:
        add_domain_error(confirm, error)
        return None
