"""Applications: entering the pipeline, stage moves, end states, notes.

Every move locks the application row, checks the transition map, writes a StageChange
(history) and an audit entry, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.errors import DomainError
from hiring.models import (
    REJECTION_REASONS,
    WITHDRAWAL_REASONS,
    Application,
    ApplicationStatus,
    Candidate,
    Note,
    Requisition,
    RequisitionStatus,
    Stage,
    StageChange,
    StageKind,
)
from hiring.services.audit import audit_record
from hiring.services.candidates import search_document_refresh

S = ApplicationStatus
STATUS_TRANSITIONS: dict[str, set[str]] = {
    S.ACTIVE: {S.REJECTED, S.WITHDRAWN, S.HIRED},
    S.HIRED: {S.ACTIVE},
    S.REJECTED: {S.ACTIVE},
    S.WITHDRAWN: {S.ACTIVE},
}
END_REASONS = {S.REJECTED: REJECTION_REASONS, S.WITHDRAWN: WITHDRAWAL_REASONS}
CLOSED_REQUISITIONS = {RequisitionStatus.CLOSED, RequisitionStatus.FILLED}
# Refusals because of the data's current state, not the input: the API answers 409.
CONFLICT = 409


@transaction.atomic
def application_create(
    *, candidate: Candidate, requisition: Requisition, actor: Any, owner: Any = None
) -> Application:
    """Put a candidate into a requisition's first stage."""
    if requisition.status in CLOSED_REQUISITIONS:
        raise DomainError(
            f"{requisition.title} is {requisition.get_status_display().lower()}.",
            fields={"requisition": ["This requisition takes no new candidates."]},
            status=CONFLICT,
        )
    if candidate.merged_into_id:
        raise DomainError("This candidate was merged into another record.")
    first = requisition.stages.order_by("position").first()
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate,
                requisition=requisition,
                stage=first,
                entered_stage_at=now,
                owner=owner or requisition.recruiter,
            )
    except IntegrityError:
        raise DomainError(
            f"{candidate.name} is already in {requisition.title}.",
            fields={"requisition": ["Already in this requisition."]},
            status=CONFLICT,
        ) from None
    StageChange.objects.create(
        application=application, to_stage=first, to_status=S.ACTIVE, actor=_user(actor), at=now
    )
    audit_record(
        actor=actor,
        action="application.create",
        target=application,
        after={"stage": first.name if first else None},
    )
    return application


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked(application: Application) -> Application:
    return (
        # Lock the application only: moves of other applications in the same stage go on.
        Application.objects.select_for_update(of=("self",))
        .select_related("stage", "requisition")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_move(*, application: Application, to_stage: Stage, actor: Any) -> Application:
    """Move an active application to another stage of its requisition.

    Moving into the Hired stage marks it hired; moving a hired one back makes it active.
    A move to the stage it is in changes nothing.
    """
    application = _locked(application)
    if to_stage.requisition_id != application.requisition_id:
        raise DomainError(
            "That stage belongs to another requisition.",
            fields={"stage": ["Not a stage of this requisition."]},
        )
    if application.status in (S.REJECTED, S.WITHDRAWN):
        raise DomainError(
            f"The application is {application.get_status_display().lower()}; reopen it first.",
            fields={"stage": [f"Cannot move a {application.status} application."]},
            status=CONFLICT,
        )
    if application.requisition.status in CLOSED_REQUISITIONS:
        raise DomainError(
            f"{application.requisition.title} is "
            f"{application.requisition.get_status_display().lower()}.",
            fields={"stage": ["The requisition is not open."]},
            status=CONFLICT,
        )
    if to_stage.pk == application.stage_id:
        return application
    new_status = S.HIRED if to_stage.kind == StageKind.HIRED else S.ACTIVE
    return _record(application, to_stage=to_stage, to_status=new_status, actor=actor)


def _record(
    application: Application, *, to_stage: Stage, to_status: str, actor: Any, reason: str = ""
) -> Application:
    now = timezone.now()
    from_stage, from_status = application.stage, application.status
    StageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=_user(actor),
        at=now,
    )
    if to_stage.pk != from_stage.pk:
        application.entered_stage_at = now
    application.stage, application.status = to_stage, to_status
    application.end_reason = reason if to_status in END_REASONS else ""
    application.save(
        update_fields=["stage", "status", "end_reason", "entered_stage_at", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="application.move",
        target=application,
        before={"stage": from_stage.name, "status": from_status},
        after={
            "stage": to_stage.name,
            "status": to_status,
            **({"reason": reason} if reason else {}),
        },
    )
    return application


@transaction.atomic
def application_end(
    *, application: Application, status: str, reason: str, actor: Any
) -> Application:
    """Reject or withdraw, with a reason from the list for that end state."""
    application = _locked(application)
    if status not in END_REASONS:
        raise DomainError(
            "An application ends as rejected or withdrawn.",
            fields={"status": ["Use rejected or withdrawn."]},
        )
    if status not in STATUS_TRANSITIONS[application.status]:
        raise DomainError(
            f"The application is already {application.get_status_display().lower()}.",
            fields={"status": ["Not allowed from the current status."]},
            status=CONFLICT,
        )
    if reason not in END_REASONS[status]:
        raise DomainError(
            "Pick a reason from the list.",
            fields={"reason": [f"Choose one of: {', '.join(END_REASONS[status])}."]},
        )
    return _record(
        application, to_stage=application.stage, to_status=status, actor=actor, reason=reason
    )


@transaction.atomic
def application_reopen(*, application: Application, actor: Any) -> Application:
    application = _locked(application)
    if application.status not in (S.REJECTED, S.WITHDRAWN):
        raise DomainError(
            "Only a rejected or withdrawn application can be reopened.", status=CONFLICT
        )
    return _record(application, to_stage=application.stage, to_status=S.ACTIVE, actor=actor)


@transaction.atomic
def applications_bulk_move(*, ids: Iterable[int], stage_name: str, actor: Any) -> int:
    """Move many applications to the stage called `stage_name` in each one's requisition.

    All or nothing: one that cannot move stops the whole batch, named in the error.
    """
    applications = list(
        Application.objects.select_for_update()
        .filter(pk__in=list(ids))
        .select_related("candidate")
        .order_by("id")
    )
    stages = {
        (s.requisition_id, s.name): s
        for s in Stage.objects.filter(
            requisition_id__in={a.requisition_id for a in applications}, name=stage_name
        )
    }
    for application in applications:
        stage = stages.get((application.requisition_id, stage_name))
        if stage is None:
            raise DomainError(
                f"{application.candidate.name}'s requisition has no stage "
                f"{stage_name!r}; nothing was moved.",
                fields={"stage": ["Not a stage of every selected requisition."]},
            )
        try:
            application_move(application=application, to_stage=stage, actor=actor)
        except DomainError as error:
            raise DomainError(
                f"{application.candidate.name}: {error.message} Nothing was moved.",
                fields=error.fields,
                status=error.status,
            ) from None
    return len(applications)


@transaction.atomic
def applications_bulk_reject(*, ids: Iterable[int], reason: str, actor: Any) -> int:
    applications = list(
        Application.objects.select_for_update()
        .filter(pk__in=list(ids))
        .select_related("candidate")
        .order_by("id")
    )
    for application in applications:
        try:
            application_end(application=application, status=S.REJECTED, reason=reason, actor=actor)
        except DomainError as error:
            raise DomainError(
                f"{application.candidate.name}: {error.message} Nothing was rejected.",
                fields=error.fields,
                status=error.status,
            ) from None
    return len(applications)


@transaction.atomic
def note_add(*, application: Application, body: str, actor: Any) -> Note:
    body = body.strip()
    if not body:
        raise DomainError("A note needs some text.", fields={"body": ["Write something first."]})
    if len(body) > 10_000:
        raise DomainError(
            "Notes are at most 10,000 characters.", fields={"body": ["At most 10,000 characters."]}
        )
    note = Note.objects.create(application=application, body=body, author=_user(actor))
    search_document_refresh(candidate=application.candidate)
    return note


@transaction.atomic
def application_update(*, application: Application, fields: dict[str, Any], actor: Any) -> None:
    """Change who owns an application and its next step (the only plain-edit fields)."""
    allowed = {"owner", "next_step"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(
            "Only the owner and the next step can be edited directly.",
            fields={name: ["Not editable here."] for name in sorted(unknown)},
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    before = {name: _plain(getattr(application, name)) for name in fields}
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated_at"])
    after = {name: _plain(value) for name, value in fields.items()}
    if before != after:
        audit_record(
            actor=actor, action="application.update", target=application, before=before, after=after
        )


def _plain(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def candidate_add(
    *,
    fields: dict[str, Any],
    tags: list[str],
    actor: Any,
    resume: Any = None,
    requisition: Requisition | None = None,
) -> Candidate:
    """The add-candidate form: create the candidate and, optionally, its first application.

    One transaction: if the application is refused, no candidate is left behind, and the
    resume file already written to storage is deleted again.
    """
    from hiring.services.candidates import candidate_create

    stored: list[Any] = []
    try:
        with transaction.atomic():
            candidate = candidate_create(fields=fields, tags=tags, actor=actor, resume=resume)
            if candidate.resume:
                stored.append(candidate.resume)
            if requisition is not None:
                application_create(candidate=candidate, requisition=requisition, actor=actor)
    except Exception:
        for file in stored:
            file.storage.delete(file.name)
        raise
    return candidate
