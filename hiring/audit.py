"""Writing to the audit log: the one function every service calls, and the one redaction.

`actor` is whoever acted: a signed-in user, or None for what the system did on its own (a
reminder sweep, the playbook loader). Anything else (an anonymous visitor) records as the
system too: the log never trusts a name the request did not authenticate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import models, transaction

from hiring.models import AuditEntry


@dataclass(frozen=True)
class AuditTarget:
    """What an entry is about when that is no single row: e.g. an approval template, whose
    steps are many rows (and the company default's belong to no requisition)."""

    label: str  # as a model's `_meta.label`: "offers.ApprovalTemplate"
    pk: str
    name: str

    def __str__(self) -> str:
        return self.name


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | AuditTarget,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    user = actor if isinstance(actor, User) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=target.label if isinstance(target, AuditTarget) else target._meta.label,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        before=before,
        after=after,
    )


def audit_record_many(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    entries: list[tuple[models.Model, dict[str, Any] | None]],
) -> list[AuditEntry]:
    """`audit_record` for many targets at once (imports): one entry each, one INSERT."""
    user = actor if isinstance(actor, User) else None
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            actor_username=user.get_username() if user is not None else "",
            action=action,
            object_type=target._meta.label,
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            after=after,
        )
        for target, after in entries
    )


def audit_redact(*, entries: models.QuerySet[AuditEntry], object_repr: str | None = None) -> int:
    """Erase personal data from audit entries: their before/after become null, and their
    `object_repr` is replaced when given. Who acted, what they did and when stay.

    The only UPDATE the append-only trigger lets through (erasing a candidate, retention).
    """
    fields: dict[str, Any] = {"before": None, "after": None}
    if object_repr is not None:
        fields["object_repr"] = object_repr
    with transaction.atomic(), pgtrigger.ignore("hiring.AuditEntry:audit_append_only"):
        return entries.update(**fields)
