"""The candidate list page (`/candidates/`): its filter form, the requisition filter's
options, the column headers and page links, and the CSV export of the same rows.

The query, sorting, cursor and CSV rows are `listing`'s; the filters are the shared
`ApplicationFilter` (the API's too).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Q, QuerySet, When
from django.http import QueryDict
from django.utils import timezone

from hiring.compiled import compiled
from hiring.forms import QuickSelect
from hiring.ids import parse_id
from hiring.permissions import can, reach_of
from hiring.pipeline.filters import ApplicationFilter
from hiring.pipeline.models import Application, CandidateSource, Requisition, Stage
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus
from hiring.pipeline.selectors import (
    applications_visible_to,
    find_text,
    listing,
    requisitions_visible_to,
    searchable_notes,
    stages_reached,
)

if TYPE_CHECKING:
    from hiring.pipeline.forms.candidates import BulkActionForm
    from hiring.pipeline.selectors import Viewer

# The requisition filter's Find box: narrows the options, never the list itself.
FIND = "requisition_find"
# A company with 2,000 requisitions must not get 2,000 options on every list page: the
# filter offers at most this many, and a "Find" box narrows them by title.
REQUISITION_CHOICES = 50
PICKED_FIRST = (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD)
# Column headers: label, then how the order reads low-to-high and high-to-low.
HEADERS = {
    "name": ("Name", "A to Z", "Z to A"),
    "requisition": ("Requisition", "A to Z", "Z to A"),
    "stage": ("Stage", "first stage first", "last stage first"),
    "days": ("Days in stage", "fewest days first", "most days first"),
    "added": ("Added", "oldest first", "newest first"),
}


def requisition_choices(
    visible: QuerySet[Requisition], *, user: Viewer, selected: int | None, find: str = ""
) -> list[tuple[int, str]]:
    """The requisitions the list's filter offers, in one query.

    Without `find`: the open and on-hold ones, the user's own (as recruiter or hiring
    manager) first, then by title. With `find`: any status, matching the title or the id.
    The selected requisition is always there, first, so the filter in the query string
    (any requisition id) still shows as chosen; one the user cannot see is shown by number.
    """
    find = find_text(find)
    match = Q(status__in=PICKED_FIRST)
    if find:
        match = Q(title__icontains=find)
        find_id = parse_id(find)
        if find_id is not None:
            match |= Q(pk=find_id)
    mine = Q(recruiter=user) | Q(hiring_manager=user)
    rows = visible.annotate(mine=Case(When(mine, then=0), default=1))
    order = ["mine", "title", "id"]
    if selected:
        pinned = Q(pk=selected)
        rows = rows.filter(match | pinned).annotate(pinned=Case(When(pinned, then=0), default=1))
        order.insert(0, "pinned")
    else:
        rows = rows.filter(match)
    found = rows.order_by(*order).values_list("pk", "title", "status")[:REQUISITION_CHOICES]
    labels = dict(RequisitionStatus.choices)
    choices = [
        (pk, title if status == RequisitionStatus.OPEN else f"{title} ({labels[status].lower()})")
        for pk, title, status in found
    ]
    if selected and all(pk != selected for pk, _ in choices):
        choices.insert(0, (selected, f"Requisition {selected}"))
    return choices


def _requisition_choices(user: Viewer, query: QueryDict) -> list[tuple[int, str]]:
    return requisition_choices(
        requisitions_visible_to(user, "pipeline.view"),
        user=user,
        selected=parse_id(query.get("requisition", "")),
        find=query.get(FIND, ""),
    )


def requisition_options_context(*, user: Viewer, query: QueryDict) -> dict[str, Any]:
    """The requisition filter's options matching the Find box (the htmx fragment)."""
    return {"choices": _requisition_choices(user, query), "selected": query.get("requisition")}


def list_filters(*, user: Viewer, query: QueryDict, widgets: bool = True) -> ApplicationFilter:
    """The shared filters over what the user sees; for the page, with its widgets (a select
    of requisitions, labelled empty choices, hints)."""
    visible = listing.list_rows(applications_visible_to(user, "pipeline.view"))
    # The page's form sends every field, the empty ones too, and there empty means "any";
    # the API, whose filters are strict about an empty value, does not come through here.
    given = query.copy()
    for name in [name for name, values in given.lists() if values == [""]]:
        del given[name]
    filters = ApplicationFilter(given, queryset=visible, notes=searchable_notes(user))
    if not widgets:
        return filters
    fields = filters.form.fields
    fields["requisition"].widget = QuickSelect(
        choices=[("", "Any requisition"), *_requisition_choices(user, query)],
        attrs={"aria-describedby": "id_requisition_hint"},
    )
    for name, label, choices in (
        ("status", "Any status", ApplicationStatus.choices),
        ("source", "Any source", CandidateSource.choices),
    ):
        fields[name].widget = QuickSelect()
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


def list_stage_names(user: Viewer) -> list[str]:
    """The names of the stages the user sees: the bulk move's choices, the filter's hints."""
    return list(_stage_names(reach_of(user, "pipeline.view"), user.pk))


@compiled
def _stage_names(reach: frozenset[str], user_id: int | None) -> QuerySet[Stage, str]:
    return listing.stage_names(stages_reached(reach, user_id))


def _query(query: QueryDict, *, drop: tuple[str, ...]) -> str:
    params = query.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _page_url(query: QueryDict, cursor: str | None) -> str | None:
    """A link to another page that keeps the filters and the sort."""
    if cursor is None:
        return None
    params = query.copy()
    params["cursor"] = cursor
    return f"?{params.urlencode()}"


def _headers(query: QueryDict, sort: listing.Sort) -> list[dict[str, Any]]:
    base = _query(query, drop=("cursor", "sort"))
    headers = []
    for key, (label, up, down) in HEADERS.items():
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


STATUS_LABELS = dict(ApplicationStatus.choices)
SOURCE_LABELS = dict(CandidateSource.choices)


def _row(application: Application) -> dict[str, Any]:
    """What the table shows of one application, as plain values (the Jinja2 table reads
    dict keys at their first try, and nothing in it reaches back into the ORM)."""
    candidate = application.candidate
    return {
        "id": application.pk,
        "candidate_id": application.candidate_id,
        "name": candidate.name,
        "email": candidate.email,
        "requisition": application.requisition.title,
        "stage": application.stage.name,
        "status": application.status,
        "status_label": STATUS_LABELS.get(application.status, application.status),
        "end_reason": application.end_reason,
        "days": application.days_in_stage,  # type: ignore[attr-defined]
        "source": SOURCE_LABELS.get(candidate.source, candidate.source),
        "tags": application.tag_names,  # type: ignore[attr-defined]
        "added": timezone.localtime(application.created_at),
    }


def candidate_list_context(
    *, user: Viewer, query: QueryDict, bulk_form: BulkActionForm
) -> dict[str, Any]:
    """The list page: filters, one page of rows (None while the filters are invalid), the
    column headers and page links, and the bulk form for those who may edit (with the rows
    it ticked: they stay ticked when the action is refused).

    A damaged or outdated cursor starts the list again from the top, and says so.
    """
    filters = list_filters(user=user, query=query)
    sort = listing.sort_parse(query.get("sort"))
    cursor_problem = False
    page = None
    if filters.is_valid():
        cursor = None
        token = query.get("cursor")
        if token:
            try:
                cursor = listing.cursor_read(token, sort)
            except listing.CursorError:
                cursor_problem = True
        page = listing.page_fetch(filters.qs, sort, cursor)
    return {
        "rows": [_row(application) for application in page.rows] if page else [],
        "filters": filters,
        "page": page,
        "sort": sort,
        "headers": _headers(query, sort),
        "query": _query(query, drop=("cursor",)),
        "prev_url": _page_url(query, page.prev_cursor if page else None),
        "next_url": _page_url(query, page.next_cursor if page else None),
        "filtered": any(v for k, v in query.items() if k not in ("sort", "cursor", FIND)),
        "requisition_find": query.get(FIND, ""),
        "cursor_problem": cursor_problem,
        "stage_names": bulk_form.stage_names,
        "bulk_form": bulk_form if can(user, "pipeline.edit") else None,
        "selected": set(bulk_form.ticked()),
        "stale_after": listing.STALE_AFTER_DAYS,
    }


def candidate_export_lines(*, user: Viewer, query: QueryDict) -> Iterator[str] | None:
    """The list's rows under its filters and sort, as CSV lines; None while the filters are
    invalid (the page then shows why)."""
    filters = list_filters(user=user, query=query, widgets=False)
    if not filters.is_valid():
        return None
    return listing.export_lines(filters.qs, listing.sort_parse(query.get("sort")))
