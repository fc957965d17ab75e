"""Bad input on the privacy endpoints: a clear refusal, never a 500, nothing written.

The same table as tests/pipeline/test_bad_input.py (the machinery is in tests/bad_input.py):
one row per bad request, who sends it where, and the answer it must get. Every row checks
that no row of the watched tables was added or changed (an export's audit entry counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assessments.models import Scorecard
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.pipeline.models import Application, Candidate, Note, StageChange, Tag
from hiring.pipeline.services.applications import application_end
from hiring.privacy.models import Erasure
from tests import factories
from tests.bad_input import (
    ANONYMOUS,
    HUGE_ID,
    SCRIPT,
    Bad,
    World,
    accepted,
    api_rows,
    module_world,
    refused,
    two_pipelines,
)

pytestmark = pytest.mark.django_db

WATCHED = [
    Candidate, Application, Note, StageChange, Tag, Scorecard, Notification, AuditEntry, Erasure,
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        yield build_world()


def build_world() -> World:
    """Two managers' pipelines with an active application each, and a candidate whose only
    application (in the manager's requisition) was rejected: the one that can be erased."""
    setup = two_pipelines()
    ended = factories.application(requisition_obj=setup.mine)
    factories.scheduled_interview(application_obj=ended, interviewers=[setup.users["interviewer"]])
    application_end(
        application=ended, status="rejected", reason="Other", actor=setup.mine.recruiter
    )
    ids = {
        "cand": setup.application.candidate_id,  # an active application
        "ended": ended.candidate_id,
    }
    return World(users=setup.users, ids=ids)


BASES: dict[str, dict[str, Any]] = {"none": {}, "markup": {"reason": SCRIPT, "id": HUGE_ID}}

ANON, EXPORT, PAGE = (
    "/api/candidates/{}/anonymise/",
    "/api/candidates/{}/export/",
    "/candidates/{}/export/",
)

API = api_rows([
    Bad("api anonymise: recruiter may not", "recruiter", "post", ANON.format("{ended}"), "none",
        status=403),
    Bad("api anonymise: hiring manager may not", "manager", "post", ANON.format("{ended}"),
        "none", status=403),
    Bad("api anonymise: interviewer may not", "interviewer", "post", ANON.format("{ended}"),
        "none", status=403),
    Bad("api anonymise: signed out", ANONYMOUS, "post", ANON.format("{ended}"), "none",
        status=401),
    Bad("api anonymise: unknown candidate", "admin", "post", ANON.format("999999"), "none",
        status=404),
    Bad("api anonymise: id past the range", "admin", "post", ANON.format(HUGE_ID), "none",
        status=404),
    Bad("api anonymise: id not a number", "admin", "post", ANON.format("%C2%B2"), "none",
        status=404),
    Bad("api anonymise: an active application", "admin", "post", ANON.format("{cand}"), "none",
        status=409, error="active application"),
    Bad("api anonymise: a body it does not read", "admin", "post", ANON.format("{cand}"),
        "markup", status=409, error="active application"),
    Bad("api anonymise: a body that is not JSON", "admin", "post", ANON.format("{cand}"), "none",
        raw=b"{not json", status=409),
    Bad("api anonymise: GET", "admin", "get", ANON.format("{ended}"), "none", status=405),
    Bad("api export: interviewer who interviews them", "interviewer", "get",
        EXPORT.format("{ended}"), "none", status=403),
    Bad("api export: their hiring manager", "manager", "get", EXPORT.format("{ended}"), "none",
        status=403),
    Bad("api export: another requisition's hiring manager", "other_manager", "get",
        EXPORT.format("{ended}"), "none", status=403),
    Bad("api export: signed out", ANONYMOUS, "get", EXPORT.format("{ended}"), "none",
        status=401),
    Bad("api export: unknown candidate", "recruiter", "get", EXPORT.format("999999"), "none",
        status=404),
    Bad("api export: id past the range", "recruiter", "get", EXPORT.format(HUGE_ID), "none",
        status=404),
    Bad("api export: POST", "recruiter", "post", EXPORT.format("{ended}"), "none", status=405),
])  # fmt: skip
PAGES = [
    Bad("export page: interviewer who interviews them", "interviewer", "get",
        PAGE.format("{ended}"), "none", status=403),
    Bad("export page: their hiring manager", "manager", "get", PAGE.format("{ended}"), "none",
        status=403),
    Bad("export page: another requisition's hiring manager", "other_manager", "get",
        PAGE.format("{ended}"), "none", status=403),
    Bad("export page: unknown candidate", "recruiter", "get", PAGE.format("999999"), "none",
        status=404),
    Bad("export page: id past the range", "recruiter", "get", PAGE.format(HUGE_ID), "none",
        status=404),
    Bad("export page: POST", "recruiter", "post", PAGE.format("{ended}"), "markup", status=405),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(r, id=r.name) for r in PAGES + API])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


# The control: the same requests by someone who may make them are accepted and written (the
# erasure, or the export's audit entry).
GOOD = [
    Bad("export page", "recruiter", "get", PAGE.format("{ended}"), "none"),
    *api_rows([
        Bad("api export", "admin", "get", EXPORT.format("{cand}"), "none"),
        Bad("api anonymise", "admin", "post", ANON.format("{ended}"), "none"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(r, id=r.name) for r in GOOD])
def test_each_request_by_someone_allowed_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)
