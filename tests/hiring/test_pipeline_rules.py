"""Model rules of the pipeline, through the services."""

from __future__ import annotations

from typing import Any

import pytest

from hiring.errors import DomainError
from hiring.models import Application, Candidate, StageChange
from hiring.services.applications import (
    application_end,
    application_move,
    application_reopen,
    applications_bulk_move,
)
from hiring.services.candidates import candidate_create, candidate_merge
from hiring.services.requisitions import stages_set
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
