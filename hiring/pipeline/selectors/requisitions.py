"""The requisition pages' reads: the list (by status, a page at a time) with its active
counts, and the stage editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from hiring.accounts import person_name
from hiring.errors import DomainError
from hiring.permissions import can
from hiring.pipeline.models import Application, Requisition, StageKind
from hiring.pipeline.rules import ApplicationStatus, RequisitionStatus
from hiring.pipeline.selectors import requisitions_visible_to

if TYPE_CHECKING:
    from hiring.pipeline.forms.requisitions import StageEdit
    from hiring.pipeline.selectors import Viewer


# The list's tabs: (value of ?status=, label, the statuses it shows). The first is the default.
LIST_TABS: list[tuple[str, str, tuple[str, ...]]] = [
    ("current", "Open and on hold", (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD)),
    ("filled", "Filled", (RequisitionStatus.FILLED,)),
    ("closed", "Closed", (RequisitionStatus.CLOSED,)),
    ("all", "All", ()),
]
PER_PAGE = 50


# What a row of the list shows, read as plain values: the role's playbook texts and the rest
# stay in the database, and no model instance is built (50 rows of five each were a tenth of
# the page's time).
PEOPLE = ("hiring_manager", "recruiter")
LIST_FIELDS = (
    *("pk", "title", "location", "status", "opened_on", "headcount", "role__title"),
    "level__name",
    *(f"{who}__{field}" for who in PEOPLE for field in ("first_name", "last_name", "username")),
)  # fmt: skip
STATUS_LABELS = dict(RequisitionStatus.choices)


def _list_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the list's template reads it: the status's label and each person's name."""
    row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
    for who in PEOPLE:
        row[who] = person_name(row, who)
    return row


def requisition_list_context(*, user: Viewer, tab: str, page: str | None) -> dict[str, Any]:
    """A page of the requisitions the user sees in one tab (open and on hold by default),
    newest first, each with its active applications counted in the same query: two queries
    (the page and the tab's count), whatever the number of requisitions. An unknown tab is a
    DomainError."""
    tabs = {value: statuses for value, _label, statuses in LIST_TABS}
    if tab not in tabs:
        raise DomainError(
            f"No such list: “{tab[:40]}”. Choose one of "
            + ", ".join(f"“{label}”" for _value, label, _s in LIST_TABS)
            + "."
        )
    active = (
        Application.objects.filter(requisition=OuterRef("pk"), status=ApplicationStatus.ACTIVE)
        .order_by()
        .values("requisition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    visible = requisitions_visible_to(user, "pipeline.view")
    if tabs[tab]:
        visible = visible.filter(status__in=tabs[tab])
    rows = (
        visible.annotate(
            active_count=Coalesce(Subquery(active, output_field=IntegerField()), Value(0))
        )
        .order_by("-opened_on", "-id")
        .values(*LIST_FIELDS, "active_count")
    )
    listed = Paginator(rows, PER_PAGE).get_page(page)
    return {
        "requisitions": [_list_row(row) for row in listed.object_list],
        "page": listed,
        "tab": tab,
        "tabs": [(value, label) for value, label, _statuses in LIST_TABS],
        "can_edit": can(user, "pipeline.edit"),
    }


def stage_editor_context(
    requisition: Requisition, *, edit: StageEdit | None = None, error: DomainError | None = None
) -> dict[str, Any]:
    """The stage editor: the stages as stored or, after a refusal, as typed (in the order
    before the button pressed), with the refusal's problems."""
    stages = list(requisition.stages.order_by("position"))
    rows: list[dict[str, Any]] = [{"id": s.pk, "name": s.name, "kind": s.kind} for s in stages]
    if error is not None and edit is not None and edit.rows is not None:
        kinds = {s.pk: s.kind for s in stages}
        rows = [{**row, "kind": kinds.get(row["id"], StageKind.CUSTOM)} for row in edit.rows]
    return {
        "requisition": requisition,
        "rows": rows,
        "errors": (error.fields.get("stages") or [error.message]) if error else [],
        "new_name": edit.new_name if error and edit else "",
    }
