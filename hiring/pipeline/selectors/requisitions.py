"""The requisition pages' reads: the list with its active counts, and the stage editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from hiring.errors import DomainError
from hiring.permissions import can
from hiring.pipeline.models import Application, Requisition, StageKind
from hiring.pipeline.rules import ApplicationStatus
from hiring.pipeline.selectors import requisitions_visible_to

if TYPE_CHECKING:
    from hiring.pipeline.forms.requisitions import StageEdit
    from hiring.pipeline.selectors import Viewer


def requisition_list_context(*, user: Viewer) -> dict[str, Any]:
    """The requisitions the user sees, newest first, each with its active applications
    counted in the same query."""
    active = (
        Application.objects.filter(requisition=OuterRef("pk"), status=ApplicationStatus.ACTIVE)
        .order_by()
        .values("requisition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        requisitions_visible_to(user, "pipeline.view")
        .select_related("role", "level", "hiring_manager", "recruiter")
        .annotate(active_count=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))
        .order_by("-opened_on", "-id")
    )
    return {"requisitions": rows, "can_edit": can(user, "pipeline.edit")}


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
