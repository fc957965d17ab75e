"""Writing to the audit log: the one function every service calls."""

from __future__ import annotations

from typing import Any

from django.db import models

from hiring.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        before=before,
        after=after,
    )
