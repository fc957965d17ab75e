"""Model rules of the pipeline, through the services."""

from __future__ import annotations

from typing import Any

import pytest

from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.pipeline.models import (
    Application,
    Candidate,
    Requisition,
    RequisitionChange,
    StageChange,
)
from hiring.pipeline.rules import (
    APPLICATION_TRANSITIONS,
    REQUISITION_TRANSITIONS,
    ApplicationStatus,
    RequisitionStatus,
)
from hiring.pipeline.services.applications import (
    application_end,
    application_move,
    application_reopen,
    application_set_status,
    applications_bulk_move,
)
from hiring.pipeline.services.candidates import candidate_create, candidate_merge
from hiring.pipeline.services.requisitions import requisition_set_status, stages_set
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def test_new_requisition_has_the_default_stages() -> None:
    req = factories.requisition()
    assert [s.name for s in req.stages.order_by("position")] == [
        "Applied", "Recruiter screen", "Structured interview", "Debrief", "Offer", "Hired",
    ]  # fmt: skip


def test_second_candidate_with_same_email_is_flagged_not_overwritten() -> None:
    first = candidate_create(fields={"name": "Ada L", "email": "Ada@Example.com"}, tags=[],
                             actor=None)  # fmt: skip
    second = candidate_create(fields={"name": "Ada Lovelace", "email": " ada@example.COM "},
                              tags=["mlops"], actor=None)  # fmt: skip
    assert second.email == "ada@example.com"
    assert second.duplicate_of == first
    first.refresh_from_db()
    assert first.name == "Ada L"


def test_merge_moves_applications_and_fills_only_empty_fields() -> None:
    keep = factories.CandidateFactory(email="x@example.com", phone="")
    dup = factories.CandidateFactory(email="x@example.com", phone="+1 555", name="Other Name")
    app = factories.application(candidate=dup)
    merged = candidate_merge(keep=keep, duplicate=dup, actor=None)
    assert merged.phone == "+1 555" and merged.name == keep.name
    assert Application.objects.get(pk=app.pk).candidate_id == keep.pk
    assert Candidate.objects.get(pk=dup.pk).merged_into_id == keep.pk


def test_every_move_is_recorded_in_history_with_actor() -> None:
    app = factories.application()
    actor = app.requisition.recruiter
    screen = app.requisition.stages.get(name="Recruiter screen")
    application_move(application=app, to_stage=screen, actor=actor)
    history = list(StageChange.objects.filter(application=app).order_by("id"))
    assert [(h.from_stage and h.from_stage.name, h.to_stage.name) for h in history] == [
        (None, "Applied"),
        ("Applied", "Recruiter screen"),
    ]
    assert history[-1].actor == actor


def test_rejected_application_cannot_move_until_reopened() -> None:
    app = factories.application()
    application_end(application=app, status="rejected", reason="Role filled", actor=None)
    screen = app.requisition.stages.get(name="Recruiter screen")
    with pytest.raises(DomainError, match="reopen it first"):
        application_move(application=app, to_stage=screen, actor=None)
    application_reopen(application=app, actor=None)
    assert application_move(application=app, to_stage=screen, actor=None).stage == screen


def test_end_state_needs_a_reason_from_the_list() -> None:
    app = factories.application()
    with pytest.raises(DomainError) as refused:
        application_end(application=app, status="withdrawn", reason="Felt like it", actor=None)
    assert "reason" in refused.value.fields


def test_move_to_a_stage_of_another_requisition_is_refused() -> None:
    app = factories.application()
    other = factories.requisition().stages.first()
    with pytest.raises(DomainError, match="another requisition"):
        application_move(application=app, to_stage=other, actor=None)


def test_bulk_move_is_all_or_nothing() -> None:
    ok = factories.application()
    ended = factories.application()
    application_end(application=ended, status="rejected", reason="Other", actor=None)
    with pytest.raises(DomainError, match="Nothing was moved"):
        applications_bulk_move(ids=[ok.pk, ended.pk], stage_name="Recruiter screen", actor=None)
    assert Application.objects.get(pk=ok.pk).stage.name == "Applied"


def test_stages_can_be_renamed_added_and_reordered() -> None:
    req = factories.requisition()
    stages = list(req.stages.order_by("position"))
    wanted: list[dict[str, Any]] = [{"id": s.pk, "name": s.name} for s in stages]
    wanted[1]["name"] = "Phone screen"
    wanted.insert(2, {"name": "Take-home review"})
    wanted[3], wanted[4] = wanted[4], wanted[3]
    stages_set(requisition=req, stages=wanted, actor=None)
    assert [s.name for s in req.stages.order_by("position")] == [
        "Applied", "Phone screen", "Take-home review", "Debrief", "Structured interview",
        "Offer", "Hired",
    ]  # fmt: skip


def test_a_stage_holding_applications_cannot_be_dropped() -> None:
    app = factories.application()
    stages = [{"id": s.pk, "name": s.name} for s in app.requisition.stages.order_by("position")]
    with pytest.raises(DomainError):
        stages_set(requisition=app.requisition, stages=stages[1:], actor=None)


# Statuses: one transition function per model, checking its map and writing history ----------

REQUISITION_REFUSED = [
    (current, new)
    for current in RequisitionStatus.values
    for new in RequisitionStatus.values
    if new != current and new not in REQUISITION_TRANSITIONS[current]
]
APPLICATION_REFUSED = [
    (current, new)
    for current in ApplicationStatus.values
    for new in ApplicationStatus.values
    if new != current and new not in APPLICATION_TRANSITIONS[current]
]


def test_every_status_has_its_place_in_both_maps() -> None:
    assert set(REQUISITION_TRANSITIONS) == set(RequisitionStatus.values)
    assert set(APPLICATION_TRANSITIONS) == set(ApplicationStatus.values)
    assert ("closed", "on_hold") in REQUISITION_REFUSED
    assert ("hired", "withdrawn") in APPLICATION_REFUSED


@pytest.mark.parametrize(("current", "new"), REQUISITION_REFUSED)
def test_requisition_move_the_map_forbids_is_refused_with_409_and_no_history(
    current: str, new: str
) -> None:
    req = factories.requisition()
    Requisition.objects.filter(pk=req.pk).update(status=current)
    with pytest.raises(DomainError) as refused:
        requisition_set_status(requisition=req, to=new, actor=req.recruiter)
    assert refused.value.status == 409
    assert Requisition.objects.get(pk=req.pk).status == current
    assert not RequisitionChange.objects.filter(requisition=req).exists()


def test_requisition_status_change_writes_a_history_row_and_an_audit_entry() -> None:
    req = factories.requisition()
    changed = requisition_set_status(
        requisition=req, to="on_hold", actor=req.recruiter, reason="Budget review"
    )
    assert changed and req.status == "on_hold"
    assert Requisition.objects.get(pk=req.pk).status == "on_hold"
    row = RequisitionChange.objects.get(requisition=req)
    assert (row.from_status, row.to_status, row.actor, row.reason) == (
        "open", "on_hold", req.recruiter, "Budget review",
    )  # fmt: skip
    assert row.at is not None
    assert AuditEntry.objects.filter(action="requisition.status", object_id=str(req.pk)).exists()


def test_requisition_status_unchanged_writes_nothing() -> None:
    req = factories.requisition()
    assert requisition_set_status(requisition=req, to="open", actor=req.recruiter) is False
    assert not RequisitionChange.objects.filter(requisition=req).exists()


@pytest.mark.parametrize(("current", "new"), APPLICATION_REFUSED)
def test_application_move_the_map_forbids_is_refused_with_409_and_no_history(
    current: str, new: str
) -> None:
    app = factories.application()
    Application.objects.filter(pk=app.pk).update(status=current)
    app.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        application_set_status(application=app, to=new, actor=app.requisition.recruiter)
    assert refused.value.status == 409
    assert Application.objects.get(pk=app.pk).status == current
    assert StageChange.objects.filter(application=app).count() == 1  # entering the pipeline


def test_hired_application_moved_back_is_active_again_in_its_history() -> None:
    app = factories.application()
    actor = app.requisition.recruiter
    hired = application_move(
        application=app, to_stage=app.requisition.stages.get(name="Hired"), actor=actor
    )
    assert hired.status == "hired"
    back = application_move(
        application=app, to_stage=app.requisition.stages.get(name="Offer"), actor=actor
    )
    assert back.status == "active"
    statuses = StageChange.objects.filter(application=app).order_by("id")
    assert [(c.from_status, c.to_status) for c in statuses] == [
        ("", "active"), ("active", "hired"), ("hired", "active"),
    ]  # fmt: skip


def test_rejected_application_cannot_be_withdrawn_too() -> None:
    app = factories.application()
    application_end(application=app, status="rejected", reason="Other", actor=None)
    with pytest.raises(DomainError) as refused:
        application_end(application=app, status="withdrawn", reason="Timing", actor=None)
    assert refused.value.status == 409
    assert Application.objects.get(pk=app.pk).end_reason == "Other"
