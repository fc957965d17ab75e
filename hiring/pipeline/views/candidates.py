"""The candidate list across requisitions (`/candidates/`), its bulk actions and CSV export.

The page's context is `selectors.candidate_list`'s; moves and rejections go through the
application services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.permissions import can, requires
from hiring.pipeline.forms.candidates import BulkActionForm
from hiring.pipeline.selectors import applications_visible_to
from hiring.pipeline.selectors.candidate_list import (
    candidate_export_lines,
    candidate_list_context,
    list_stage_names,
    requisition_options_context,
)
from hiring.pipeline.selectors.listing import selection_check
from hiring.pipeline.services.applications import applications_bulk_move, applications_bulk_reject
from hiring.replica import replica_reads

if TYPE_CHECKING:
    from hiring.permissions import SignedInRequest


@requires("pipeline.view")
def requisition_options(request: SignedInRequest) -> HttpResponse:
    """The requisition filter's options matching the Find box: the htmx fragment."""
    context = requisition_options_context(user=request.user, query=request.GET)
    return render(
        request,
        "_requisition_options.jinja",
        {**context, "blank": "Any requisition"},
        using="jinja2",
    )


@replica_reads
@requires("pipeline.view")
def candidate_list(request: SignedInRequest) -> HttpResponse:
    """The list; a POST runs a bulk action on the ticked rows and comes back to it."""
    posted = request.method == "POST"
    if posted and not can(request.user, "pipeline.edit"):
        raise PermissionDenied("pipeline.edit")
    stage_names = list_stage_names(request.user)
    form = BulkActionForm(request.POST if posted else None, stage_names=stage_names)
    if posted and _bulk_apply(request, form):
        return redirect(request.get_full_path())
    context = candidate_list_context(user=request.user, query=request.GET, bulk_form=form)
    status = 400 if posted else 200
    if _partial(request):  # htmx filter, sort and page requests: the list body alone
        response = render(request, LIST_BODY, context, status=status, using="jinja2")
    else:
        response = render(request, "pipeline/candidates/list.html", context, status=status)
    response["Vary"] = "HX-Request"
    return response


LIST_BODY = "pipeline/candidates/_list_body.jinja"


def _partial(request: SignedInRequest) -> bool:
    partial = request.headers.get("HX-Request") == "true" and request.method == "GET"
    return partial and request.headers.get("HX-History-Restore-Request") != "true"


def _bulk_apply(request: SignedInRequest, form: BulkActionForm) -> bool:
    """Run the chosen bulk action; True on success. Errors end up on the form."""
    if not form.is_valid():
        return False
    ids, data = form.cleaned_data["ids"], form.cleaned_data
    try:
        selection_check(applications_visible_to(request.user, "pipeline.edit"), ids)
        if data["action"] == "move":
            count = applications_bulk_move(ids=ids, stage_name=data["stage"], actor=request.user)
            messages.success(request, f"Moved {_plural(count)} to {data['stage']}.")
        else:
            count = applications_bulk_reject(ids=ids, reason=data["reason"], actor=request.user)
            messages.success(request, f"Rejected {_plural(count)}: {data['reason']}.")
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


def _plural(count: int) -> str:
    return f"{count} application" + ("" if count == 1 else "s")


@login_required  # not `requires`: that one is typed for views that answer an HttpResponse
def candidate_export(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    if not can(request.user, "pipeline.view"):
        raise PermissionDenied("pipeline.view")
    lines = candidate_export_lines(user=request.user, query=request.GET)
    if lines is None:
        # The same page and message as the list shows for these filters.
        return candidate_list(request)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="candidates-{stamp}.csv"'
    return response
