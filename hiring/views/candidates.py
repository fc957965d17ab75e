"""The candidate list across requisitions (`/candidates/`), its bulk actions and CSV export.

The query, sorting, cursor and CSV rows live in `hiring.listing`; filters are the shared
`ApplicationFilter`; moves and rejections go through the application services.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from hiring import listing
from hiring.errors import DomainError
from hiring.filters import ApplicationFilter
from hiring.models import REJECTION_REASONS, ApplicationStatus, CandidateSource
from hiring.permissions import can, requires
from hiring.selectors import (
    applications_visible_to,
    requisitions_visible_to,
    stages_visible_to,
)
from hiring.services.applications import applications_bulk_move, applications_bulk_reject

MAX_BULK = 500
# The requisition filter's Find box: narrows the options, never the list itself.
FIND = "requisition_find"


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("move", "Move"), ("reject", "Reject")])
    stage = forms.ChoiceField(required=False, label="Move to stage")
    reason = forms.ChoiceField(
        required=False,
        label="Reject with reason",
        choices=[("", "Choose a reason…"), *[(r, r) for r in REJECTION_REASONS]],
    )

    def __init__(self, *args: Any, stage_names: list[str], **kwargs: Any) -> None:
        # Its own ids: the filter form above has a "stage" field too.
        super().__init__(*args, auto_id="bulk_%s", **kwargs)
        self.fields["stage"].choices = [("", "Choose a stage…"), *[(n, n) for n in stage_names]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        try:
            ids = sorted({int(value) for value in raw})
        except ValueError:
            raise forms.ValidationError("The selection was not understood; try again.") from None
        if not ids:
            raise forms.ValidationError("Tick at least one candidate first.")
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(f"Select at most {MAX_BULK} applications at a time.")
        data["ids"] = ids
        if data.get("action") == "move" and not data.get("stage"):
            self.add_error("stage", "Choose the stage to move them to.")
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", "Choose a rejection reason.")
        return data


def _filters(request: HttpRequest, *, widgets: bool = True) -> ApplicationFilter:
    """The shared filters; for the page, with its widgets (select of requisitions, stages)."""
    visible = listing.list_rows(applications_visible_to(request.user))
    filters = ApplicationFilter(request.GET, queryset=visible)
    if not widgets:
        return filters
    fields = filters.form.fields
    fields["requisition"].widget = forms.Select(
        choices=[("", "Any requisition"), *_requisition_choices(request)],
        attrs={"aria-describedby": "id_requisition_hint"},
    )
    for name, label, choices in (
        ("status", "Any status", ApplicationStatus.choices),
        ("source", "Any source", CandidateSource.choices),
    ):
        fields[name].empty_label = None  # replaced by the labelled empty choice
        fields[name].choices = [("", label), *choices]
    fields["source"].label, fields["stage"].label, fields["tag"].label = "Source", "Stage", "Tag"
    fields["stage"].widget.attrs.update({"list": "stage-names", "placeholder": "Any stage"})
    fields["tag"].widget.attrs["placeholder"] = "e.g. mlops"
    fields["q"].widget.input_type = "search"
    fields["q"].widget.attrs["placeholder"] = "Name, e-mail, tag or note text"
    fields["stale_days"].label = "Stale over (days)"
    fields["stale_days"].widget.attrs.update({"step": "1", "inputmode": "numeric"})
    return filters


def _requisition_choices(request: HttpRequest) -> list[tuple[int, str]]:
    value = request.GET.get("requisition", "")
    selected = int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None
    return listing.requisition_choices(
        requisitions_visible_to(request.user),
        user=request.user,
        selected=selected,
        find=request.GET.get(FIND, ""),
    )


@requires("pipeline.view")
def requisition_options(request: HttpRequest) -> HttpResponse:
    """The requisition filter's options matching the Find box: the htmx fragment."""
    context = {"choices": _requisition_choices(request), "selected": request.GET.get("requisition")}
    return render(request, "hiring/candidates/_requisition_options.html", context)


def _stage_names(request: HttpRequest) -> list[str]:
    return listing.stage_names(stages_visible_to(request.user))


@requires("pipeline.view")
def candidate_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    sort = listing.sort_parse(request.GET.get("sort"))
    stage_names = _stage_names(request)
    can_edit = can(request.user, "pipeline.edit")
    bulk_form = None
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", {"status": 403}, status=403)
        bulk_form = BulkActionForm(request.POST, stage_names=stage_names)
        done = _bulk_apply(request, bulk_form, filters)
        if done:
            return redirect(request.get_full_path())
        status = 400
    elif can_edit:
        bulk_form = BulkActionForm(stage_names=stage_names)
    cursor_problem = False
    page = None
    if filters.is_valid():
        cursor = None
        token = request.GET.get("cursor")
        if token:
            try:
                cursor = listing.cursor_read(token, sort)
            except listing.CursorError:
                cursor_problem = True
        page = listing.page_fetch(filters.qs, sort, cursor)
    context = {
        "filters": filters,
        "page": page,
        "sort": sort,
        "headers": _headers(request, sort),
        "query": _query(request, drop=("cursor",)),
        "prev_url": _page_url(request, page.prev_cursor if page else None),
        "next_url": _page_url(request, page.next_cursor if page else None),
        "filtered": any(v for k, v in request.GET.items() if k not in ("sort", "cursor", FIND)),
        "requisition_find": request.GET.get(FIND, ""),
        "cursor_problem": cursor_problem,
        "stage_names": stage_names,
        "bulk_form": bulk_form,
        "selected": _posted_ids(request),
        "stale_after": listing.STALE_AFTER_DAYS,
    }
    response = render(request, _template(request), context, status=status)
    response["Vary"] = "HX-Request"
    return response


def _template(request: HttpRequest) -> str:
    """htmx filter, sort and page requests get the list body; everything else the page."""
    partial = request.headers.get("HX-Request") == "true" and request.method == "GET"
    if partial and request.headers.get("HX-History-Restore-Request") != "true":
        return "hiring/candidates/_list_body.html"
    return "hiring/candidates/list.html"


def _posted_ids(request: HttpRequest) -> set[str]:
    """Ticked rows stay ticked when a bulk action is refused."""
    return set(request.POST.getlist("ids")) if request.method == "POST" else set()


def _bulk_apply(request: HttpRequest, form: BulkActionForm, filters: ApplicationFilter) -> bool:
    """Run the chosen bulk action; True on success. Errors end up on the form."""
    if not form.is_valid():
        return False
    ids = form.cleaned_data["ids"]
    try:
        listing.selection_check(applications_visible_to(request.user), ids)
        if form.cleaned_data["action"] == "move":
            stage = form.cleaned_data["stage"]
            count = applications_bulk_move(ids=ids, stage_name=stage, actor=request.user)
            messages.success(request, f"Moved {_plural(count)} to {stage}.")
        else:
            reason = form.cleaned_data["reason"]
            count = applications_bulk_reject(ids=ids, reason=reason, actor=request.user)
            messages.success(request, f"Rejected {_plural(count)}: {reason}.")
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    return True


def _plural(count: int) -> str:
    return f"{count} application" + ("" if count == 1 else "s")


def _query(request: HttpRequest, *, drop: tuple[str, ...]) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _page_url(request: HttpRequest, cursor: str | None) -> str | None:
    """A link to another page that keeps the filters and the sort."""
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return f"?{params.urlencode()}"


def _headers(request: HttpRequest, sort: listing.Sort) -> list[dict[str, Any]]:
    # label, then how the order reads low-to-high and high-to-low
    labels = {
        "name": ("Name", "A to Z", "Z to A"),
        "requisition": ("Requisition", "A to Z", "Z to A"),
        "stage": ("Stage", "first stage first", "last stage first"),
        "days": ("Days in stage", "fewest days first", "most days first"),
        "added": ("Added", "oldest first", "newest first"),
    }
    base = _query(request, drop=("cursor", "sort"))
    headers = []
    for key, (label, up, down) in labels.items():
        params = f"{base}&" if base else ""
        active = sort.key == key
        headers.append(
            {
                "key": key,
                "label": label,
                "order": down if sort.descending else up,
                "url": f"?{params}sort={listing.sort_toggle(sort, key)}",
                "active": active,
                "aria": ("descending" if sort.descending else "ascending") if active else "none",
                "arrow": ("↓" if sort.descending else "↑") if active else "",
            }
        )
    return headers


class _Echo:
    def write(self, value: str) -> str:
        return value


@requires("pipeline.view")
def candidate_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, widgets=False)
    if not filters.is_valid():
        # The same page and message as the list shows for these filters.
        return candidate_list(request)
    sort = listing.sort_parse(request.GET.get("sort"))
    writer = csv.writer(_Echo())
    lines: Iterator[str] = (writer.writerow(row) for row in listing.export_rows(filters.qs, sort))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="candidates-{stamp}.csv"'
    return response


urlpatterns = [
    path("", candidate_list, name="list"),
    path("export.csv", candidate_export, name="export"),
    path("requisition-options/", requisition_options, name="requisition-options"),
]
