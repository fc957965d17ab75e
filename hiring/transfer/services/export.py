"""Starting an export: the scope the user may export, and the audit entry saying who took
what (the entry holds no copy of the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from hiring.audit import audit_record
from hiring.transfer.selectors.export import ExportScope, export_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from hiring.pipeline.models import Requisition


@transaction.atomic
def export_start(*, actor: User, requisition: Requisition | None) -> ExportScope:
    """The export of `requisition` (one the actor may export: the caller checked), or of
    everything the actor reaches; audited on the requisition, or on the actor for all."""
    scope = export_scope(actor, requisition)
    audit_record(
        actor=actor,
        action="transfer.export",
        target=requisition if requisition is not None else actor,
        after={
            "scope": "requisition" if requisition is not None else "everything",
            "offers": scope.offers,
            "compensation": scope.compensation,
        },
    )
    return scope
