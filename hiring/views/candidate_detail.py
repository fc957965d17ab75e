"""The candidate page and its actions, the add-candidate form, resumes and the CSV import.

Who may see a candidate is `selectors.candidates_visible_to`; anyone else gets a 404, so a
URL never tells them the candidate exists. Changes need `pipeline.edit`, except notes,
which anyone who sees the application may write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from hiring.errors import DomainError
from hiring.forms.candidates import (
    CandidateForm,
    ImportConfirmForm,
    ImportUploadForm,
    NoteForm,
)
from hiring.models import (
    REJECTION_REASONS,
    WITHDRAWAL_REASONS,
    Application,
    Candidate,
    Requisition,
    RequisitionStatus,
    Stage,
)
from hiring.permissions import can, requires
from hiring.selectors import (
    applications_visible_to,
    candidates_visible_to,
    credentials_visible,
    requisitions_visible_to,
)
from hiring.services import applications as pipeline
from hiring.services.candidates import PDF, candidate_merge
from hiring.services.imports import (
    MAX_IMPORT_ROWS,
    candidates_import,
    import_read,
    import_rows,
    import_template,
)
from hiring.timeline import timeline

IMPORT_SESSION_KEY = "candidate_import"
# The resume is someone's private document: never cached, never sniffed, runs nothing.
FILE_CSP = "default-src 'none'; frame-ancestors 'self'"


# Helpers ------------------------------------------------------------------------------------


def _candidate(user: Any, pk: int) -> Candidate:
    candidate = (
        candidates_visible_to(user)
        .select_related("duplicate_of")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def _applications(user: Any, candidate: Candidate) -> list[Application]:
    rows = list(
        applications_visible_to(user)
        .filter(candidate=candidate)
        .select_related("requisition__level", "stage")
        .prefetch_related("requisition__stages")
        .order_by("-created_at", "-id")
    )
    now = timezone.now()
    for application in rows:
        application.days_in_stage = (now - application.entered_stage_at).days  # type: ignore[attr-defined]
    return rows


def _application(user: Any, candidate: Candidate, application_id: int) -> Application:
    application = (
        applications_visible_to(user)
        .filter(candidate=candidate, pk=application_id)
        .select_related("requisition")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def _open_requisitions(user: Any) -> QuerySet[Requisition]:
    return (
        requisitions_visible_to(user)
        .filter(status=RequisitionStatus.OPEN)
        .select_related("level")
        .order_by("title", "id")
    )


def _form_errors(form: Form, error: DomainError) -> None:
    """Show a service's refusal above the form, and on the fields it names."""
    form.add_error(None, error.message)
    for name, texts in error.fields.items():
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(candidate: Candidate, anchor: str = "") -> HttpResponse:
    response = redirect("candidate:detail", pk=candidate.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _edit_only(request: HttpRequest) -> None:
    if not can(request.user, "pipeline.edit"):
        raise PermissionDenied("pipeline.edit")


# The candidate page -------------------------------------------------------------------------


def _timeline_context(
    request: HttpRequest,
    candidate: Candidate,
    applications: list[Application],
    shown: str | None,
    note_form: NoteForm | None = None,
) -> dict[str, Any]:
    selected = next((a for a in applications if str(a.pk) == shown), None)
    if note_form is None and applications:
        initial = {"application": selected.pk} if selected else {}
        note_form = NoteForm(applications=applications, initial=initial)
    return {
        "candidate": candidate,
        "applications": applications,
        "entries": timeline([selected] if selected else applications),
        "selected": selected,
        "note_form": note_form,
    }


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = _candidate(user, pk)
    applications = _applications(user, candidate)
    can_edit = can(user, "pipeline.edit")
    context = _timeline_context(request, candidate, applications, request.GET.get("application"))
    taken = {a.requisition_id for a in applications}
    context |= {
        "can_edit": can_edit,
        "can_view_pipeline": can(user, "pipeline.view"),
        "show_credentials": credentials_visible(user, candidate),
        "duplicates": list(candidates_visible_to(user).filter(duplicate_of=candidate))
        if can_edit
        else [],
        "requisitions_to_add": [r for r in _open_requisitions(user) if r.pk not in taken]
        if can_edit
        else [],
        "rejection_reasons": REJECTION_REASONS,
        "withdrawal_reasons": WITHDRAWAL_REASONS,
        "resume_is_pdf": candidate.resume_content_type == PDF,
    }
    return render(request, "hiring/candidate/detail.html", context)


@login_required
@require_GET
def candidate_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline partial, for one application or all (htmx filter links)."""
    candidate = _candidate(request.user, pk)
    applications = _applications(request.user, candidate)
    context = _timeline_context(request, candidate, applications, request.GET.get("application"))
    return render(request, "hiring/candidate/_timeline.html", context)


@login_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note; htmx gets the updated timeline (or the form with its error) back."""
    candidate = _candidate(request.user, pk)
    applications = _applications(request.user, candidate)
    form = NoteForm(request.POST, applications=applications)
    if form.is_valid():
        application = next(a for a in applications if a.pk == form.cleaned_data["application"])
        try:
            pipeline.note_add(
                application=application, body=form.cleaned_data["body"], actor=request.user
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            form = NoteForm(applications=applications, initial={"application": application.pk})
            if not _is_htmx(request):
                messages.success(request, "Note added.")
    if not _is_htmx(request):
        if form.errors:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _back(candidate, "timeline")
    shown = request.POST.get("shown") or None
    context = _timeline_context(request, candidate, applications, shown, note_form=form)
    return render(request, "hiring/candidate/_timeline.html", context)


# Actions on applications and duplicates: full-page POSTs that come back with a message.


def _act(request: HttpRequest, candidate: Candidate, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(candidate, "applications")


@login_required
@require_POST
def application_add(request: HttpRequest, pk: int) -> HttpResponse:
    _edit_only(request)
    candidate = _candidate(request.user, pk)
    requisition = _open_requisitions(request.user).filter(pk=_int(request.POST.get("requisition")))
    if not requisition:
        messages.error(request, "Pick an open requisition to add the candidate to.")
        return _back(candidate, "applications")
    target = requisition[0]
    return _act(
        request,
        candidate,
        lambda: pipeline.application_create(
            candidate=candidate, requisition=target, actor=request.user
        ),
        f"Added to {target.title}.",
    )


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = _candidate(request.user, pk)
    application = _application(request.user, candidate, application_id)
    stage = Stage.objects.filter(
        pk=_int(request.POST.get("stage")), requisition=application.requisition_id
    ).first()
    if stage is None:
        messages.error(request, "Pick a stage of this requisition.")
        return _back(candidate, "applications")
    return _act(
        request,
        candidate,
        lambda: pipeline.application_move(
            application=application, to_stage=stage, actor=request.user
        ),
        f"Moved to {stage.name} in {application.requisition.title}.",
    )


@login_required
@require_POST
def application_end(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = _candidate(request.user, pk)
    application = _application(request.user, candidate, application_id)
    status = request.POST.get("status", "")
    return _act(
        request,
        candidate,
        lambda: pipeline.application_end(
            application=application,
            status=status,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        f"{'Rejected' if status == 'rejected' else 'Withdrawn'} from "
        f"{application.requisition.title}.",
    )


@login_required
@require_POST
def application_reopen(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    _edit_only(request)
    candidate = _candidate(request.user, pk)
    application = _application(request.user, candidate, application_id)
    return _act(
        request,
        candidate,
        lambda: pipeline.application_reopen(application=application, actor=request.user),
        f"Reopened in {application.requisition.title}.",
    )


@login_required
@require_POST
def candidate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold this flagged duplicate into the record it duplicates; go to the kept record."""
    _edit_only(request)
    candidate = _candidate(request.user, pk)
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


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


# Resumes ------------------------------------------------------------------------------------


def _resume_response(candidate: Candidate, *, inline: bool) -> FileResponse:
    if not candidate.resume:
        raise Http404("No resume")
    try:
        handle = candidate.resume.open("rb")
    except FileNotFoundError:
        raise Http404("The resume file is missing") from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=candidate.resume_name or "resume",
        content_type=candidate.resume_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@login_required
@never_cache
@require_GET
def resume_download(request: HttpRequest, pk: int) -> FileResponse:
    return _resume_response(_candidate(request.user, pk), inline=False)


@login_required
@never_cache
@xframe_options_sameorigin  # shown in an <iframe> on the candidate page; DENY elsewhere
@require_GET
def resume_preview(request: HttpRequest, pk: int) -> FileResponse:
    candidate = _candidate(request.user, pk)
    if candidate.resume_content_type != PDF:
        raise Http404("Only PDF resumes have a preview")
    return _resume_response(candidate, inline=True)


# Adding candidates --------------------------------------------------------------------------


@requires("pipeline.edit")
def candidate_new(request: HttpRequest) -> HttpResponse:
    requisitions = _open_requisitions(request.user)
    posted = request.method == "POST"
    form = CandidateForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        requisitions=requisitions,
        initial={"requisition": _int(request.GET.get("requisition"))},
    )
    if posted and form.is_valid():
        try:
            candidate = pipeline.candidate_add(
                fields=form.service_fields(),
                tags=form.cleaned_data["tags"],
                resume=form.cleaned_data["resume"],
                requisition=form.cleaned_data["requisition"],
                actor=request.user,
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            if candidate.duplicate_of_id:
                messages.warning(
                    request,
                    "Saved, and flagged: another candidate has the same e-mail. "
                    "Check and merge the two records.",
                )
            else:
                messages.success(request, f"{candidate.name} added.")
            return _back(candidate)
    return render(request, "hiring/candidate/new.html", {"form": form})


# CSV import ---------------------------------------------------------------------------------


@requires("pipeline.edit")
@require_GET
def import_template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidates-template.csv"'
    return response


@requires("pipeline.edit")
def candidate_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written; the text waits in the session) → confirm → write."""
    requisitions = _open_requisitions(request.user)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request, requisitions)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = import_read(upload)
            check = import_rows(text)
        except DomainError as error:
            _form_errors(form, error)
        else:
            request.session[IMPORT_SESSION_KEY] = {"text": text, "name": upload.name[-200:]}
            confirm = ImportConfirmForm(requisitions=requisitions)
            return _import_preview(request, check, confirm, upload.name)
    context = {"form": form, "max_rows": MAX_IMPORT_ROWS}
    return render(request, "hiring/candidate/import.html", context)


def _import_preview(
    request: HttpRequest, check: Any, confirm: ImportConfirmForm, name: str
) -> HttpResponse:
    context = {"check": check, "confirm": confirm, "file_name": name}
    return render(request, "hiring/candidate/import_preview.html", context)


def _import_confirm(request: HttpRequest, requisitions: QuerySet[Requisition]) -> HttpResponse:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        messages.error(request, "Nothing to import: upload the file again.")
        return redirect("candidate:import")
    confirm = ImportConfirmForm(request.POST, requisitions=requisitions)
    if confirm.is_valid():
        try:
            result = candidates_import(
                text=stored["text"],
                include_duplicates=confirm.cleaned_data["include_duplicates"],
                requisition=confirm.cleaned_data["requisition"],
                actor=request.user,
            )
        except DomainError as error:
            _form_errors(confirm, error)
        else:
            del request.session[IMPORT_SESSION_KEY]
            return render(request, "hiring/candidate/import_done.html", {"result": result})
    try:
        check = import_rows(stored["text"])
    except DomainError as error:  # the file was fine at preview; the database has changed
        messages.error(request, error.message)
        return redirect("candidate:import")
    return _import_preview(request, check, confirm, stored["name"])


urlpatterns = [
    path("new/", candidate_new, name="new"),
    path("import/", candidate_import, name="import"),
    path("import/template.csv", import_template_csv, name="import-template"),
    path("<int:pk>/", candidate_detail, name="detail"),
    path("<int:pk>/timeline/", candidate_timeline, name="timeline"),
    path("<int:pk>/notes/", note_create, name="note-add"),
    path("<int:pk>/merge/", candidate_merge_view, name="merge"),
    path("<int:pk>/resume/", resume_download, name="resume"),
    path("<int:pk>/resume/preview/", resume_preview, name="resume-preview"),
    path("<int:pk>/applications/", application_add, name="application-add"),
    path("<int:pk>/applications/<int:application_id>/move/", application_move, name="move"),
    path("<int:pk>/applications/<int:application_id>/end/", application_end, name="end"),
    path("<int:pk>/applications/<int:application_id>/reopen/", application_reopen, name="reopen"),
]
