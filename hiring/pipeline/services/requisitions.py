"""Requisitions and their stages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.pipeline.models import (
    DEFAULT_STAGES,
    Application,
    Requisition,
    RequisitionChange,
    Stage,
    StageKind,
)
from hiring.pipeline.rules import REQUISITION_TRANSITIONS, RequisitionStatus
from hiring.statuses import transition_allowed
from roles.models import RoleLevel, RoleProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def requisition_create(
    *,
    title: str,
    role: RoleProfile,
    level: RoleLevel,
    hiring_manager: User,
    recruiter: User,
    opened_on: dt.date,
    actor: User,
    headcount: int = 1,
    location: str = "",
    pedigree_blind: bool = True,
) -> Requisition:
    """Open a requisition with the default stages (Applied … Hired)."""
    if level.role_id != role.pk:
        raise DomainError(
            f"{level.name} is not a level of {role.title}.",
            fields={"level": [f"Pick a level of {role.title}."]},
        )
    if headcount < 1:
        raise DomainError("Headcount must be at least 1.", fields={"headcount": ["At least 1."]})
    requisition = Requisition.objects.create(
        title=title,
        role=role,
        level=level,
        hiring_manager=hiring_manager,
        recruiter=recruiter,
        opened_on=opened_on,
        headcount=headcount,
        location=location,
        pedigree_blind=pedigree_blind,
    )
    Stage.objects.bulk_create(
        Stage(requisition=requisition, name=kind.label, kind=kind, position=i)
        for i, kind in enumerate(DEFAULT_STAGES)
    )
    audit_record(
        actor=actor,
        action="requisition.create",
        target=requisition,
        after={"title": title, "role": role.slug, "level": level.name},
    )
    return requisition


@transaction.atomic
def requisition_set_status(
    *, requisition: Requisition, to: str, actor: User, reason: str = ""
) -> bool:
    """The one function that changes a requisition's status; True when it changed.

    Locks the row; refuses a move REQUISITION_TRANSITIONS does not allow (409); does nothing
    when the status is unchanged. Writes the history row (RequisitionChange) and the audit
    entry, and updates `requisition` in place.
    """
    locked = Requisition.objects.select_for_update().get(pk=requisition.pk)
    current = locked.status
    if not transition_allowed(
        REQUISITION_TRANSITIONS,
        current=current,
        new=to,
        what="requisition",
        labels=dict(RequisitionStatus.choices),
    ):
        return False
    RequisitionChange.objects.create(
        requisition=locked,
        from_status=current,
        to_status=to,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    locked.status = to
    locked.save(update_fields=["status"])
    requisition.status = to
    audit_record(
        actor=actor,
        action="requisition.status",
        target=locked,
        before={"status": current},
        after={"status": to, **({"reason": reason} if reason else {})},
    )
    return True


@transaction.atomic
def requisition_update(*, requisition: Requisition, fields: dict[str, Any], actor: User) -> None:
    """Change details and, through `requisition_set_status`, the status.

    All or nothing: a status change the map forbids, or a level of another role, refuses
    the whole edit.
    """
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    fields = dict(fields)
    requisition_set_status(
        requisition=requisition, to=fields.pop("status", requisition.status), actor=actor
    )
    if "level" in fields and fields["level"].role_id != fields.get("role", requisition.role).pk:
        raise DomainError("The level must belong to the role.", fields={"level": ["Wrong role."]})
    before = {name: _plain(getattr(requisition, name)) for name in fields}
    for name, value in fields.items():
        setattr(requisition, name, value)
    requisition.save(update_fields=[*fields])
    after = {name: _plain(value) for name, value in fields.items()}
    if before != after:
        audit_record(
            actor=actor, action="requisition.update", target=requisition, before=before, after=after
        )


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def stages_set(*, requisition: Requisition, stages: list[dict[str, Any]], actor: User) -> None:
    """Rename, add and reorder a requisition's stages.

    `stages` is the wanted order: dicts with `name` and, for an existing stage, its `id`.
    A stage that holds applications cannot be dropped; Hired stays last.
    """
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    existing = {s.pk: s for s in requisition.stages.all()}
    names = [item["name"].strip() for item in stages]
    errors = _stage_errors(names, stages, existing)
    if errors:
        raise DomainError(errors[0], fields={"stages": errors})
    kept = {item["id"] for item in stages if item.get("id")}
    dropped = [s for pk, s in existing.items() if pk not in kept]
    for stage in dropped:
        if stage.applications.exists():
            raise DomainError(
                f"Stage {stage.name!r} still holds applications: move them first.",
                fields={"stages": [f"{stage.name} is not empty."]},
                status=409,
            )
        if stage.kind != StageKind.CUSTOM:
            raise DomainError(
                f"Stage {stage.name!r} is one the product relies on; rename it instead.",
                fields={"stages": [f"{stage.name} cannot be removed."]},
            )
    before = [s.name for s in sorted(existing.values(), key=lambda s: s.position)]
    Stage.objects.filter(pk__in=[s.pk for s in dropped]).delete()
    # Two passes so renames can swap names without tripping the unique constraint.
    offset = Stage.objects.filter(requisition=requisition).aggregate(m=Max("position"))["m"] or 0
    for i, item in enumerate(stages):
        if item.get("id"):
            Stage.objects.filter(pk=item["id"]).update(name=f"__{i}", position=offset + 100 + i)
    for i, (item, name) in enumerate(zip(stages, names, strict=True)):
        if item.get("id"):
            Stage.objects.filter(pk=item["id"]).update(name=name, position=i)
        else:
            Stage.objects.create(requisition=requisition, name=name, position=i)
    # The applications' copy of their stage's position (the list's stage sort), in one UPDATE.
    position = Stage.objects.filter(pk=OuterRef("stage_id")).values("position")[:1]
    Application.objects.filter(requisition=requisition).update(stage_position=Subquery(position))
    audit_record(
        actor=actor,
        action="requisition.stages",
        target=requisition,
        before={"stages": before},
        after={"stages": names},
    )


def _stage_errors(
    names: list[str], stages: list[dict[str, Any]], existing: dict[int, Stage]
) -> list[str]:
    errors = []
    if any(not name for name in names):
        errors.append("Every stage needs a name.")
    if any(len(name) > 60 for name in names):
        errors.append("Stage names are at most 60 characters.")
    if len({name.lower() for name in names}) != len(names):
        errors.append("Stage names must be different from each other.")
    unknown = [item["id"] for item in stages if item.get("id") and item["id"] not in existing]
    if unknown:
        errors.append("Some stages do not belong to this requisition.")
    hired = [
        item
        for item in stages
        if item.get("id") in existing and existing[item["id"]].kind == StageKind.HIRED
    ]
    if hired and stages[-1] is not hired[0]:
        errors.append("Hired must stay the last stage.")
    return errors
