"""Writes to role profiles (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hiring.audit import audit_record
from roles.models import RoleProfile

EDITABLE_FIELDS = (
    "title",
    "summary",
    "misrepresented",
    "focus",
    "when_to_hire",
    "interview_signal",
)


@transaction.atomic
def role_update(*, slug: str, fields: dict[str, Any], actor: Any) -> tuple[RoleProfile, bool]:
    """Create or change a role profile; returns the role and whether anything changed."""
    role = RoleProfile.objects.select_for_update().filter(slug=slug).first()
    before = {name: getattr(role, name) for name in fields} if role else None
    if role is not None and before == fields:
        return role, False
    role, _ = RoleProfile.objects.update_or_create(slug=slug, defaults=fields)
    audit_record(actor=actor, action="role.update", target=role, before=before, after=fields)
    return role, True
