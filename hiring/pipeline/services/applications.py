"""Applications: entering the pipeline, stage moves, end states, notes.

Every move locks the application row and goes through `application_set_status`, which
checks the status map (rules.APPLICATION_TRANSITIONS) and writes a StageChange (history)
and an audit entry, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.events import emit
from hiring.permissions import can
from hiring.pipeline.models import (
    Application,
    Candidate,
    Note,
    NoteVisibility,
    Requisition,
    Stage,
    StageChange,
    StageKind,
)
from hiring.pipeline.rules import (
    APPLICATION_TRANSITIONS,
    CLOSED_REQUISITIONS,
    END_REASONS,
    END_STATES,
    ApplicationStatus,
)
from hiring.pipeline.services.candidates import search_document_refresh
from hiring.statuses import transition_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

S = ApplicationStatus
# Refusals because of the data's current state, not the input: the API answers 409.
CONFLICT = 409


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    requisition: Requisition,
    actor: User | None,
    owner: User | None = None,
    source: str = "",
    via: str = "pipeline",
) -> Application:
    """Put a candidate into a requisition's first stage, and emit `application.created`.

    `actor` is None when the candidate applied themselves (the careers page). `source` says
    where they came from (default: the candidate's source), `via` how the application was
    made ("pipeline": by a recruiter or an import; "careers": the careers page's apply form),
    both in the event's data, which its listeners (webhooks, the candidate's "application
    received" e-mail) read.
    """
    if requisition.status in CLOSED_REQUISITIONS:
        raise DomainError(
            f"{requisition.title} is {requisition.get_status_display().lower()}.",
            fields={"requisition": ["This requisition takes no new candidates."]},
            status=CONFLICT,
        )
    if candidate.merged_into_id:
        raise DomainError("This candidate was merged into another record.")
    first = requisition.stages.order_by("position").first()
    if first is None:
        raise DomainError(
            f"{requisition.title} has no stages; add one first.",
            fields={"requisition": ["This requisition has no stages."]},
            status=CONFLICT,
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate,
                requisition=requisition,
                stage=first,
                stage_position=first.position,
                entered_stage_at=now,
                owner=owner or requisition.recruiter,
            )
    except IntegrityError:
        raise DomainError(
            f"{candidate.name} is already in {requisition.title}.",
            fields={"requisition": ["Already in this requisition."]},
            status=CONFLICT,
        ) from None
    # Entering the pipeline is its first history row (from nothing), not a status change.
    StageChange.objects.create(
        application=application, to_stage=first, to_status=S.ACTIVE, actor=actor, at=now
    )
    audit_record(
        actor=actor,
        action="application.create",
        target=application,
        after={"stage": first.name},
    )
    emit(
        "application.created",
        subject=application,
        data=application_event_data(application, source=source or candidate.source, via=via),
    )
    return application


def application_event_data(application: Application, **extra: Any) -> dict[str, Any]:
    """What an application's events tell a receiver (webhooks): who, for what, where now."""
    candidate, requisition = application.candidate, application.requisition
    return {
        "application": {
            "id": application.pk,
            "status": application.status,
            "stage": application.stage.name,
            "candidate": {"id": candidate.pk, "name": candidate.name, "email": candidate.email},
            "requisition": {"id": requisition.pk, "title": requisition.title},
        },
        **extra,
    }


def _locked(application: Application) -> Application:
    """The application, locked for this transaction, with its stage and requisition.

    The bare row is locked first and read with its joins after: a locking query that joins
    the stage finds no row once a concurrent move has changed the stage while it waited
    (PostgreSQL re-checks the join against the new row), and the move became a 500.
    """
    Application.objects.select_for_update().get(pk=application.pk)
    return Application.objects.select_related("stage", "requisition", "candidate").get(
        pk=application.pk
    )


def _locked_all(ids: Iterable[int]) -> list[Application]:
    """The applications `ids`, locked in id order (two batches cannot deadlock), bare rows
    first, then read with their candidates (see _locked)."""
    locked = Application.objects.select_for_update().filter(pk__in=list(ids)).order_by("id")
    pks = list(locked.values_list("pk", flat=True))
    return list(Application.objects.filter(pk__in=pks).select_related("candidate").order_by("id"))


def application_set_status(
    *,
    application: Application,
    to: str,
    actor: User,
    reason: str = "",
    stage: Stage | None = None,
) -> Application:
    """The one function that changes a (locked) application's status or stage.

    Refuses a status change APPLICATION_TRANSITIONS does not allow (409); does nothing when
    neither the status nor the stage (`stage`, default: where it is) changes. Otherwise
    writes the StageChange (history) row and the audit entry. The reason is kept on the
    application only for an end state.
    """
    to_stage = stage or application.stage
    status_changes = transition_allowed(
        APPLICATION_TRANSITIONS,
        current=application.status,
        new=to,
        what="application",
        labels=dict(ApplicationStatus.choices),
    )
    if not status_changes and to_stage.pk == application.stage_id:
        return application
    now = timezone.now()
    from_stage, from_status = application.stage, application.status
    StageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        from_status=from_status,
        to_status=to,
        reason=reason,
        actor=actor,
        at=now,
    )
    if to_stage.pk != from_stage.pk:
        application.entered_stage_at = now
    application.stage, application.status = to_stage, to
    application.stage_position = to_stage.position
    application.end_reason = reason if to in END_STATES else ""
    application.save(
        update_fields=[
            "stage",
            "stage_position",
            "status",
            "end_reason",
            "entered_stage_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="application.move",
        target=application,
        before={"stage": from_stage.name, "status": from_status},
        after={"stage": to_stage.name, "status": to, **({"reason": reason} if reason else {})},
    )
    _emit_moves(application, from_stage=from_stage, from_status=from_status, reason=reason)
    return application


def _emit_moves(
    application: Application, *, from_stage: Stage, from_status: str, reason: str
) -> None:
    """A move tells receivers each thing that happened: another stage, a rejection, a hire."""
    data = application_event_data(application, from_stage=from_stage.name, from_status=from_status)
    if from_stage.pk != application.stage_id:
        emit("application.stage_changed", subject=application, data=data)
    if application.status != from_status and application.status == S.REJECTED:
        emit("application.rejected", subject=application, data={**data, "reason": reason})
    if application.status != from_status and application.status == S.HIRED:
        emit("application.hired", subject=application, data=data)


@transaction.atomic
def application_move(*, application: Application, to_stage: Stage, actor: User) -> Application:
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
    if application.status in END_STATES:
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
    return application_set_status(
        application=application, to=new_status, stage=to_stage, actor=actor
    )


@transaction.atomic
def application_end(
    *, application: Application, status: str, reason: str, actor: User
) -> Application:
    """Reject or withdraw, with a reason from the list for that end state."""
    application = _locked(application)
    reasons = END_REASONS.get(status)
    if reasons is None:
        raise DomainError(
            "An application ends as rejected or withdrawn.",
            fields={"status": ["Use rejected or withdrawn."]},
        )
    if status not in APPLICATION_TRANSITIONS[application.status]:
        raise DomainError(
            f"The application is already {application.get_status_display().lower()}.",
            fields={"status": ["Not allowed from the current status."]},
            status=CONFLICT,
        )
    if reason not in reasons:
        raise DomainError(
            "Pick a reason from the list.",
            fields={"reason": [f"Choose one of: {', '.join(reasons)}."]},
        )
    return application_set_status(application=application, to=status, reason=reason, actor=actor)


@transaction.atomic
def application_reopen(*, application: Application, actor: User) -> Application:
    """Bring a rejected or withdrawn application back to active, in the stage it was in."""
    application = _locked(application)
    if application.status not in END_STATES:
        raise DomainError(
            "Only a rejected or withdrawn application can be reopened.", status=CONFLICT
        )
    return application_set_status(application=application, to=S.ACTIVE, actor=actor)


@transaction.atomic
def applications_bulk_move(*, ids: Iterable[int], stage_name: str, actor: User) -> int:
    """Move many applications to the stage called `stage_name` in each one's requisition.

    All or nothing: one that cannot move stops the whole batch, named in the error.
    """
    applications = _locked_all(ids)
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
def applications_bulk_reject(*, ids: Iterable[int], reason: str, actor: User) -> int:
    """Reject many applications with one reason; all or nothing, like the bulk move."""
    applications = _locked_all(ids)
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
def note_add(
    *, application: Application, body: str, actor: User, visibility: str = NoteVisibility.TEAM
) -> Note:
    """A note on an application; its text joins the candidate's search document.

    The hiring team's by default; only those who may share notes (recruiters, admins) can
    share one with the interviewers."""
    if visibility not in NoteVisibility.values:
        raise DomainError(
            "A note is for the hiring team or shared with interviewers.",
            fields={"visibility": [f"One of: {', '.join(NoteVisibility.values)}."]},
        )
    if visibility == NoteVisibility.SHARED and not can(actor, "notes.share"):
        raise DomainError(
            "Only recruiters share notes with interviewers.",
            fields={"visibility": ["Only recruiters share notes with interviewers."]},
            status=403,
        )
    body = body.strip()
    if not body:
        raise DomainError("A note needs some text.", fields={"body": ["Write something first."]})
    if len(body) > 10_000:
        raise DomainError(
            "Notes are at most 10,000 characters.", fields={"body": ["At most 10,000 characters."]}
        )
    note = Note.objects.create(
        application=application, body=body, author=actor, visibility=visibility
    )
    search_document_refresh(candidate=application.candidate)
    return note


@transaction.atomic
def application_update(*, application: Application, fields: dict[str, Any], actor: User) -> None:
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
    actor: User,
    resume: UploadedFile | None = None,
    requisition: Requisition | None = None,
) -> Candidate:
    """The add-candidate form: create the candidate and, optionally, its first application.

    One transaction: if the application is refused, no candidate is left behind, and the
    resume file already written to storage is deleted again.
    """
    from hiring.pipeline.services.candidates import candidate_create

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
