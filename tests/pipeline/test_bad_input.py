"""Bad input on every form and API endpoint: a clear error, never a 500, nothing written.

The pipeline and the playbook (interviews, scorecards, the debrief and offers are in
tests/hiring/test_bad_input_interviews_offers.py). One table, one row per bad input: who
sends it, where, what is wrong with it, and what the answer must be. A page answers with
the form again (or the page it redirects to) showing the error; the API with a 4xx whose
`fields` name the problem. Every row checks that no row of any pipeline or playbook table
was added or changed (the audit log counts as a change) and that markup in the input never
comes back unescaped (the machinery is in tests/bad_input.py).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Question, QuestionVersion, RedFlag
from compensation.models import Band
from hiring.models import AuditEntry
from hiring.pipeline.models import (
    Application,
    Candidate,
    Note,
    Requisition,
    RequisitionChange,
    Stage,
    StageChange,
    Tag,
)
from roles.models import RoleProfile
from tests.bad_input import (
    ANONYMOUS,
    HUGE_ID,
    REMOVE,
    SCRIPT,
    SQL,
    TOO_LONG,
    Bad,
    World,
    accepted,
    api_rows,
    body_of,
    changed,
    module_world,
    refused,
    snapshot,
    two_pipelines,
)

pytestmark = pytest.mark.django_db

WATCHED = [
    Requisition, RequisitionChange, Stage, Candidate, Application, Note, StageChange, AuditEntry,
    Band, QuestionVersion, Tag, RoleProfile, RedFlag,
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        yield build_world()


def build_world() -> World:
    """A recruiter's pipeline: two managers' requisitions, an application in each, a band."""
    setup = two_pipelines()
    users, mine, theirs = setup.users, setup.mine, setup.theirs
    application, elsewhere = setup.application, setup.elsewhere
    band = Band.objects.select_related("level").first()
    question = Question.objects.order_by("number").first()
    ids = {
        "req": mine.pk,
        "other_req": theirs.pk,
        "app": application.pk,
        "other_app": elsewhere.pk,
        "cand": application.candidate_id,
        "other_cand": elsewhere.candidate_id,
        "role": mine.role_id,
        "role_slug": mine.role.slug,
        "level": mine.level_id,
        "other_role_level": theirs.level_id,  # a level of another role
        "stages": list(mine.stages.order_by("position").values_list("pk", "name")),
        "screen": mine.stages.get(name="Recruiter screen").pk,
        "foreign_stage": theirs.stages.get(name="Offer").pk,
        "band": band.pk,
        "band_level": band.level_id,
        "question": question.key,
        "question_pk": question.pk,
        "flag": RedFlag.objects.order_by("number").first().key,
        "manager": users["manager"].pk,
        "recruiter": users["recruiter"].pk,
        "today": timezone.localdate().isoformat(),
    }
    return World(users=users, ids=ids)


# Valid bodies; each row changes one thing. Values may name world ids as "{name}".
BASES: dict[str, dict[str, Any]] = {
    "requisition": {
        "title": "Platform ML engineer", "role": "{role}", "level": "{level}",
        "hiring_manager": "{manager}", "recruiter": "{recruiter}", "headcount": "1",
        "location": "Berlin", "opened_on": "{today}", "status": "open", "pedigree_blind": "on",
    },
    "candidate": {"name": "Ada Lovelace", "email": "ada@example.org", "source": "inbound"},
    "band": {
        "level": "{band_level}", "low": "100000", "high": "200000", "currency": "USD",
        "effective_date": "{today}", "market_tension": "Tight market",
    },
    "role": {
        "title": "Applied ML Engineer", "summary": "Builds and ships models.",
        "misrepresented": "", "focus": "", "when_to_hire": "", "interview_signal": "",
    },
    "question": {"text": "Tell me about a model in production.", "what_to_hear": "Numbers."},
    "red_flag": {
        "title": "Every project was successful", "explanation": "No failures named.",
        "severity": "high", "questions": ["{question_pk}"],
    },
    "note": {"application": "{app}", "body": "Called them."},
    "bulk": {"action": "move", "stage": "Recruiter screen", "ids": ["{app}"]},
    "api_requisition": {
        "title": "Platform ML engineer", "role": "{role_slug}", "level": "{level}",
        "hiring_manager": "{manager}",
    },
    "api_candidate": {"name": "Ada Lovelace", "email": "ada@example.org"},
    "api_band": {
        "role": "{role_slug}", "level": "Senior (6+ yrs)", "low": 100000, "high": 200000,
        "currency": "USD", "effective_date": "{today}", "market_tension": "Tight market",
    },
    "none": {},
}  # fmt: skip


def csv_file(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def pdf_named_txt() -> dict[str, Any]:
    return {"resume": SimpleUploadedFile("cv.pdf", b"\x00\x01binary\xff" * 10)}


def big_resume() -> dict[str, Any]:
    return {"resume": SimpleUploadedFile("cv.txt", b"a" * (10 * 1024 * 1024 + 1))}


R, REQ = "/requisitions", "/requisitions/{req}"
C = "/candidates"
PAGES = [
    # Requisition form (new and edit) ---------------------------------------------------
    Bad("requisition title empty", "recruiter", "post", f"{R}/new/", "requisition",
        {"title": ""}, error="This field is required."),
    Bad("requisition title too long", "recruiter", "post", f"{R}/new/", "requisition",
        {"title": TOO_LONG}, error="at most 200 characters"),
    Bad("headcount negative", "recruiter", "post", f"{R}/new/", "requisition",
        {"headcount": "-3"}, error="greater than or equal to 1"),
    Bad("headcount not a number (SQL)", "recruiter", "post", f"{R}/new/", "requisition",
        {"headcount": SQL}, error="Enter a whole number."),
    Bad("headcount absurd", "recruiter", "post", f"{R}/new/", "requisition",
        {"headcount": HUGE_ID}, error="less than or equal to 500"),
    Bad("opened_on not a date", "recruiter", "post", f"{R}/new/", "requisition",
        {"opened_on": "2026-02-31"}, error="Enter a valid date."),
    Bad("role unknown id", "recruiter", "post", f"{R}/new/", "requisition",
        {"role": "999999"}, error="Select a valid choice."),
    Bad("level of another role", "recruiter", "post", f"{R}/new/", "requisition",
        {"level": "{other_role_level}"}, error="Pick one of the levels of the role you chose."),
    Bad("hiring manager who is not one", "recruiter", "post", f"{R}/new/", "requisition",
        {"hiring_manager": "{recruiter}"}, error="Select a valid choice."),
    Bad("hiring manager id is script", "recruiter", "post", f"{R}/new/", "requisition",
        {"hiring_manager": SCRIPT}, error="Select a valid choice."),
    Bad("edit: status change not allowed", "recruiter", "post", f"{REQ}/edit/", "requisition",
        {"status": "filled-ish"}, error="Select a valid choice."),
    Bad("edit: unknown requisition", "recruiter", "post", f"{R}/999999/edit/", "requisition",
        status=404),
    Bad("edit: hiring manager may not edit", "manager", "post", f"{REQ}/edit/", "requisition",
        {"title": "Mine now"}, status=403),
    # Stage editor ---------------------------------------------------------------------------
    Bad("stage name empty", "recruiter", "post", f"{REQ}/stages/", "none",
        {"stage_id": ["{screen}"], "name": [""]}, error="Every stage needs a name."),
    Bad("stage name too long", "recruiter", "post", f"{REQ}/stages/", "none",
        {"stage_id": ["{screen}"], "name": [TOO_LONG]}, error="at most 60 characters"),
    Bad("stage of another requisition", "recruiter", "post", f"{REQ}/stages/", "none",
        {"stage_id": ["{foreign_stage}"], "name": ["Offer"]},
        error="do not belong to this requisition"),
    Bad("stage names twice", "recruiter", "post", f"{REQ}/stages/", "none",
        {"stage_id": ["", ""], "name": ["Take-home", "take-home"]},
        error="must be different"),
    # "²".isdigit() is True and int("²") a ValueError: both were 500s.
    Bad("stage id in unicode digits", "recruiter", "post", f"{REQ}/stages/", "none",
        {"stage_id": ["²"], "name": ["Recruiter screen"]},
        error="The stage list was not understood"),
    Bad("stage button with a row in unicode digits", "recruiter", "post", f"{REQ}/stages/",
        "none", {"stage_id": ["{screen}"], "name": ["Recruiter screen"], "action": "up-²"},
        error="The stage list was not understood"),
    Bad("stage button with a row past the list", "recruiter", "post", f"{REQ}/stages/",
        "none", {"stage_id": ["{screen}"], "name": ["Phone screen"], "action": "remove-7"},
        error="The stage list was not understood"),
    # Board move ---------------------------------------------------------------------------
    Bad("board: unknown application", "recruiter", "post", f"{REQ}/board/move/", "none",
        {"application": "999999", "stage": "{screen}"}, status=404),
    Bad("board: application id past the range", "recruiter", "post", f"{REQ}/board/move/",
        "none", {"application": HUGE_ID, "stage": "{screen}"}, status=400,
        error="No card was named to move"),
    Bad("board: application in unicode digits", "recruiter", "post", f"{REQ}/board/move/",
        "none", {"application": "²", "stage": "{screen}"}, status=400,
        error="No card was named to move"),
    Bad("board: stage in unicode digits", "recruiter", "post", f"{REQ}/board/move/", "none",
        {"application": "{app}", "stage": "²"}, error="Pick one of this requisition"),
    Bad("board: stage of another requisition", "recruiter", "post", f"{REQ}/board/move/",
        "none", {"application": "{app}", "stage": "{foreign_stage}"},
        error="Pick one of this requisition"),
    Bad("requisition list: a tab that is not there", "recruiter", "get",
        f"{R}/?status={quote(SCRIPT)}&page={quote(SQL)}", "none", status=400,
        error="No such list"),
    Bad("requisition list: a page that is not a number", "recruiter", "get",
        f"{R}/?status=all&page={quote(SQL)}", "none", status=200, error="Requisitions"),
    Bad("board: another manager's requisition", "manager", "get",
        "/requisitions/{other_req}/board/", "none", status=404),
    Bad("board column: position is SQL", "recruiter", "get",
        f"{REQ}/board/stages/{{screen}}/cards/?after={quote(SQL)}&after_id=1", "none",
        status=400, error="Bad position in the column"),
    Bad("board column: skip negative", "recruiter", "get",
        f"{REQ}/board/stages/{{screen}}/cards/?skip=-1", "none", status=400,
        error="Bad position in the column"),
    Bad("board column: stage of another requisition", "recruiter", "get",
        f"{REQ}/board/stages/{{foreign_stage}}/cards/", "none", status=404),
    # The requisition selects' Find boxes (50 options drawn, the others found): NUL once
    # made each of them a 500 on PostgreSQL.
    Bad("requisition find: NUL, markup and SQL", "recruiter", "get",
        f"{C}/new/requisition-options/?find={quote(chr(0) + SCRIPT + SQL)}", "none",
        error="Not now"),
    Bad("requisition find: far too long", "recruiter", "get",
        f"{C}/new/requisition-options/?find={TOO_LONG}&for={quote(SCRIPT)}", "none",
        error="Not now"),
    Bad("add to requisition find: NUL", "recruiter", "get",
        f"{C}/{{cand}}/applications/options/?find=%00nothing-like-this", "none",
        error="No open requisition matches"),
    Bad("add to requisition find: another's candidate", "manager", "get",
        f"{C}/{{other_cand}}/applications/options/?find=x", "none", status=403),
    Bad("list filter's requisition find: NUL", "recruiter", "get",
        f"{C}/requisition-options/?requisition_find=%00{quote(SQL)}", "none",
        error="Any requisition"),
    Bad("export's requisition find: NUL and a huge id", "recruiter", "get",
        f"/transfer/export/requisition-options/?find=%00{HUGE_ID}", "none",
        error="Choose a requisition"),
    # Candidate form ---------------------------------------------------------------------------
    # A line break in a name once broke every e-mail about the candidate (BadHeaderError).
    Bad("candidate name with a line break", "recruiter", "post", f"{C}/new/", "candidate",
        {"name": "Ada\r\nBcc: all@example.org"}, error="control characters are not allowed"),
    Bad("requisition title with a control character", "recruiter", "post", f"{R}/new/",
        "requisition", {"title": "ML\x07Engineer"}, error="control characters are not allowed"),
    Bad("candidate name empty", "recruiter", "post", f"{C}/new/", "candidate",
        {"name": ""}, error="This field is required."),
    Bad("candidate name too long", "recruiter", "post", f"{C}/new/", "candidate",
        {"name": TOO_LONG}, error="at most 200 characters"),
    Bad("candidate e-mail is script", "recruiter", "post", f"{C}/new/", "candidate",
        {"email": SCRIPT}, error="Enter a valid email address."),
    Bad("candidate source unknown", "recruiter", "post", f"{C}/new/", "candidate",
        {"source": SQL}, error="Select a valid choice."),
    Bad("portfolio is javascript:", "recruiter", "post", f"{C}/new/", "candidate",
        {"portfolio_url": "javascript:alert(1)"}, error="Enter a valid URL."),
    Bad("case study not a web address", "recruiter", "post", f"{C}/new/", "candidate",
        {"case_study_urls": "https://ok.example.org\n" + SCRIPT}, error="Not a web address"),
    Bad("tag too long", "recruiter", "post", f"{C}/new/", "candidate",
        {"tags": "mlops, " + "t" * 41}, error="at most 40 characters"),
    Bad("requisition unknown id", "recruiter", "post", f"{C}/new/", "candidate",
        {"requisition": HUGE_ID}, error="Select a valid choice."),
    Bad("resume is binary named .pdf", "recruiter", "post", f"{C}/new/", "candidate",
        files=pdf_named_txt, error="Not a PDF, DOCX or plain-text file"),
    Bad("resume too large", "recruiter", "post", f"{C}/new/", "candidate",
        files=big_resume, error="The limit is 10 MB"),
    Bad("interviewer may not add candidates", "interviewer", "post", f"{C}/new/", "candidate",
        status=403),
    # Notes ------------------------------------------------------------------------------------
    Bad("note empty", "recruiter", "post", f"{C}/{{cand}}/notes/", "note",
        {"body": "   "}, error="Write something first."),
    Bad("note too long", "recruiter", "post", f"{C}/{{cand}}/notes/", "note",
        {"body": "n" * 10_001}, error="At most 10,000 characters."),
    Bad("note on an application of another candidate", "recruiter", "post",
        f"{C}/{{cand}}/notes/", "note", {"application": "{other_app}"},
        error="Select a valid choice."),
    Bad("note on another manager's candidate", "manager", "post", f"{C}/{{other_cand}}/notes/",
        "note", {"application": "{other_app}"}, status=404),
    Bad("note by an interviewer who does not interview them", "interviewer", "post",
        f"{C}/{{cand}}/notes/", "note", status=404),
    # Candidate page actions -------------------------------------------------------------------
    Bad("move to a stage of another requisition", "recruiter", "post",
        f"{C}/{{cand}}/applications/{{app}}/move/", "none", {"stage": "{foreign_stage}"},
        error="Pick a stage of this requisition."),
    Bad("end with a made-up reason", "recruiter", "post",
        f"{C}/{{cand}}/applications/{{app}}/end/", "none",
        {"status": "rejected", "reason": SCRIPT}, error="Pick a reason from the list."),
    Bad("end with an unknown status", "recruiter", "post",
        f"{C}/{{cand}}/applications/{{app}}/end/", "none",
        {"status": "hired", "reason": "Other"}, error="rejected or withdrawn"),
    Bad("reopen an active application", "recruiter", "post",
        f"{C}/{{cand}}/applications/{{app}}/reopen/", "none",
        error="Only a rejected or withdrawn application"),
    Bad("add to an unknown requisition", "recruiter", "post", f"{C}/{{cand}}/applications/",
        "none", {"requisition": SQL}, error="Pick an open requisition"),
    Bad("move to a stage id past the range", "recruiter", "post",
        f"{C}/{{cand}}/applications/{{app}}/move/", "none", {"stage": HUGE_ID},
        error="Pick a stage of this requisition."),
    Bad("merge a candidate who is not a duplicate", "recruiter", "post",
        f"{C}/{{cand}}/merge/", "none", error="not flagged as a duplicate"),
    Bad("merge by an interviewer", "interviewer", "post", f"{C}/{{cand}}/merge/", "none",
        status=403),
    # Candidate list filters ---------------------------------------------------------------------
    Bad("list: filters that mean nothing", "recruiter", "get",
        f"{C}/?stale_days=-5&requisition={quote(SQL)}&sort={quote(SCRIPT)}&status=x", "none",
        error="Ensure this value is greater than or equal to 0."),
    Bad("export: filters that mean nothing", "recruiter", "get",
        f"{C}/export.csv?stale_days={quote(SCRIPT)}", "none", error="Enter a number."),
    # Logging in -------------------------------------------------------------------------------
    Bad("login: markup as the user name", ANONYMOUS, "post", "/login/", "none",
        {"username": SCRIPT, "password": SQL}, error="Please enter a correct username"),
    # CSV import -------------------------------------------------------------------------------
    Bad("import: empty file", "recruiter", "post", f"{C}/import/", "none",
        {"file": csv_file("")}, error="The submitted file is empty."),
    Bad("import: confirm with nothing uploaded", "recruiter", "post", f"{C}/import/", "none",
        {"step": "confirm"}, error="Nothing to import"),
    # Bulk actions -----------------------------------------------------------------------------
    Bad("bulk: nothing ticked", "recruiter", "post", f"{C}/", "bulk", {"ids": REMOVE},
        status=400, error="Tick at least one candidate first."),
    Bad("bulk: ids not numbers", "recruiter", "post", f"{C}/", "bulk", {"ids": [SQL]},
        status=400, error="The selection was not understood"),
    Bad("bulk: unknown id", "recruiter", "post", f"{C}/", "bulk", {"ids": ["999999"]},
        status=400, error="not in your list any more"),
    Bad("bulk: id past the integer range", "recruiter", "post", f"{C}/", "bulk",
        {"ids": [HUGE_ID]}, status=400, error="The selection was not understood"),
    Bad("bulk: id in unicode digits", "recruiter", "post", f"{C}/", "bulk",
        {"ids": ["٣"]}, status=400, error="The selection was not understood"),
    Bad("bulk: reject without a reason", "recruiter", "post", f"{C}/", "bulk",
        {"action": "reject", "stage": REMOVE}, status=400, error="Choose a rejection reason."),
    Bad("bulk: stage no selected requisition has", "recruiter", "post", f"{C}/", "bulk",
        {"stage": SCRIPT}, status=400, error="Select a valid choice."),
    Bad("bulk: hiring manager may not", "manager", "post", f"{C}/", "bulk", status=403),
    # Playbook edit forms ----------------------------------------------------------------------
    Bad("role title empty", "admin", "post", "/roles/{role_slug}/edit/", "role",
        {"title": ""}, error="This field is required."),
    Bad("role title too long", "admin", "post", "/roles/{role_slug}/edit/", "role",
        {"title": TOO_LONG}, error="at most 120 characters"),
    Bad("role summary too long", "admin", "post", "/roles/{role_slug}/edit/", "role",
        {"summary": TOO_LONG}, error="at most 4000 characters"),
    Bad("role edit by a recruiter", "recruiter", "post", "/roles/{role_slug}/edit/", "role",
        status=403),
    Bad("question text empty", "admin", "post", "/assessments/questions/{question}/edit/",
        "question", {"text": ""}, error="This field is required."),
    Bad("question text too long", "admin", "post", "/assessments/questions/{question}/edit/",
        "question", {"text": TOO_LONG}, error="at most 2000 characters"),
    Bad("red flag severity unknown", "admin", "post", "/assessments/red-flags/{flag}/edit/",
        "red_flag", {"severity": SQL}, error="Select a valid choice."),
    Bad("red flag with no question", "admin", "post", "/assessments/red-flags/{flag}/edit/",
        "red_flag", {"questions": []}, error="This field is required."),
    Bad("red flag unknown question", "admin", "post", "/assessments/red-flags/{flag}/edit/",
        "red_flag", {"questions": [HUGE_ID]}, error="Select a valid choice."),
    Bad("band low negative", "admin", "post", "/compensation/bands/new/", "band",
        {"low": "-5"}, error="greater than or equal to 1"),
    Bad("band high negative", "admin", "post", "/compensation/bands/new/", "band",
        {"high": "-100"}, error="greater than or equal to 1"),
    Bad("band low above high", "admin", "post", "/compensation/bands/new/", "band",
        {"low": "300000"}, error="Must be below the high figure."),
    Bad("band currency not a code", "admin", "post", "/compensation/bands/new/", "band",
        {"currency": "usd1"}, error="three-letter code"),
    Bad("band date not a date", "admin", "post", "/compensation/bands/new/", "band",
        {"effective_date": "31/31/2026"}, error="Enter a valid date."),
    Bad("band edit of an unknown band", "admin", "post", "/compensation/bands/999999/edit/",
        "band", status=404),
    Bad("band edit by a recruiter", "recruiter", "post", "/compensation/bands/new/", "band",
        status=403),
    Bad("team plan negative count", "recruiter", "post", "/roles/team-plan/", "none",
        {"models_in_production": "-1"}, error="greater than or equal to 0"),
]  # fmt: skip

API = api_rows([
    Bad("api candidate: name with a line break", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"name": "Ada\nLovelace"}, status=400, error="name"),
    Bad("api candidate: phone with an escape character", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"phone": "+1 555\x1b[2J"}, status=400, error="phone"),
    Bad("api candidate: JSON nested 50,000 deep", "recruiter", "post", "/api/candidates/",
        "none", raw=b"[" * 50_000 + b"]" * 50_000, status=400, error="nested deeper"),
    Bad("api candidate: a 3 MB body", "recruiter", "post", "/api/candidates/", "none",
        raw=b'{"name": "' + b"x" * 3_000_000 + b'"}', status=413, error="KB limit"),
    Bad("api candidate: not JSON at all", "recruiter", "post", "/api/candidates/",
        "none", raw=b"{name: Ada", status=400, error="Not valid JSON"),
    Bad("api requisition: a unicode digit as the level", "recruiter", "post",
        "/api/requisitions/", "api_requisition", {"level": "²"}, status=400, error="level"),
    Bad("api requisition: title empty", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"title": ""}, status=400, error="title"),
    Bad("api requisition: headcount negative", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"headcount": -1}, status=400, error="headcount"),
    Bad("api requisition: headcount a string", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"headcount": SQL}, status=400, error="headcount"),
    Bad("api requisition: title a number", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"title": 42}, status=400, error="title"),
    Bad("api requisition: opened_on not a date", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"opened_on": "yesterday"}, status=400, error="opened_on"),
    Bad("api requisition: unknown role", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"role": SCRIPT}, status=400, error="role"),
    Bad("api requisition: level id past the range", "recruiter", "post", "/api/requisitions/",
        "api_requisition", {"level": 2**70}, status=400, error="level"),
    Bad("api requisition: another manager's", "manager", "get", "/api/requisitions/{other_req}/",
        "none", status=404),
    Bad("api requisition: manager may not write", "manager", "patch", "/api/requisitions/{req}/",
        "none", {"title": "Mine"}, status=403),
    Bad("api stages: not a list", "recruiter", "put", "/api/requisitions/{req}/stages/", "none",
        {"stages": "Applied"}, status=400, error="stages"),
    Bad("api stages: name too long", "recruiter", "put", "/api/requisitions/{req}/stages/",
        "none", {"stages": [{"name": TOO_LONG}]}, status=400, error="stages.0.name"),
    Bad("api candidate: e-mail missing", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"email": REMOVE}, status=400, error="email"),
    Bad("api candidate: name too long", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"name": TOO_LONG}, status=400, error="name"),
    Bad("api candidate: tags not a list", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"tags": {"a": 1}}, status=400, error="tags"),
    Bad("api candidate: case study null", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"case_study_urls": None}, status=400, error="case_study_urls"),
    Bad("api candidate: case study javascript:", "recruiter", "post", "/api/candidates/",
        "api_candidate", {"case_study_urls": ["javascript:alert(1)"]}, status=400,
        error="case_study_urls.0"),
    Bad("api candidate: unknown", "recruiter", "patch", "/api/candidates/999999/", "none",
        {"name": "X"}, status=404),
    Bad("api application: unknown candidate", "recruiter", "post", "/api/applications/", "none",
        {"candidate": 2**70, "requisition": "{req}"}, status=400, error="candidate"),
    Bad("api application: already in", "recruiter", "post", "/api/applications/", "none",
        {"candidate": "{cand}", "requisition": "{req}"}, status=409, error="already in"),
    Bad("api move: unknown stage", "recruiter", "post", "/api/applications/{app}/move/", "none",
        {"stage": 999999}, status=400, error="stage"),
    Bad("api move: stage id past the range", "recruiter", "post",
        "/api/applications/{app}/move/", "none", {"stage": 2**70}, status=400, error="stage"),
    Bad("api move: both ways", "recruiter", "post", "/api/applications/{app}/move/", "none",
        {"stage": "{screen}", "stage_name": "Offer"}, status=400, error="stage"),
    Bad("api end: reason of the other end state", "recruiter", "post",
        "/api/applications/{app}/end/", "none", {"status": "withdrawn", "reason": "Role filled"},
        status=400, error="reason"),
    Bad("api reopen: active application", "recruiter", "post",
        "/api/applications/{app}/reopen/", "none", status=409, error="Only a rejected"),
    Bad("api note: empty", "recruiter", "post", "/api/applications/{app}/notes/", "none",
        {"body": "  "}, status=400, error="body"),
    Bad("api note: hiring manager may not write", "manager", "post",
        "/api/applications/{app}/notes/", "none", {"body": "Hi"}, status=403),
    Bad("api application: another manager's", "manager", "get",
        "/api/applications/{other_app}/", "none", status=404),
    Bad("api notes: another manager's application", "manager", "get",
        "/api/applications/{other_app}/notes/", "none", status=404),
    Bad("api page size zero", "recruiter", "get", "/api/applications/?page_size=0", "none",
        status=400, error="page_size"),
    Bad("api filter: requisition id past the range", "recruiter", "get",
        f"/api/applications/?requisition={HUGE_ID}", "none", status=400, error="requisition"),
    Bad("api filter: candidate id past the range", "recruiter", "get",
        f"/api/applications/?candidate={HUGE_ID}", "none", status=400, error="candidate"),
    Bad("api band: low negative", "admin", "post", "/api/compensation-bands/", "api_band",
        {"low": -1}, status=400, error="low"),
    Bad("api band: low above high", "admin", "post", "/api/compensation-bands/", "api_band",
        {"low": 300000}, status=400, error="low"),
    Bad("api band: unknown level", "admin", "post", "/api/compensation-bands/", "api_band",
        {"level": SCRIPT}, status=400, error="level"),
    Bad("api band: interviewer", "interviewer", "get", "/api/compensation-bands/", "none",
        status=403),
    Bad("api role: title too long", "admin", "patch", "/api/roles/{role_slug}/", "none",
        {"title": TOO_LONG}, status=400, error="title"),
    Bad("api question: text empty", "admin", "patch", "/api/questions/{question}/", "none",
        {"text": ""}, status=400, error="text"),
    Bad("api red flag: unknown question", "admin", "patch", "/api/red-flags/{flag}/", "none",
        {"questions": [SCRIPT]}, status=400, error="questions"),
    Bad("api red flag: severity unknown", "admin", "patch", "/api/red-flags/{flag}/", "none",
        {"severity": 3}, status=400, error="severity"),
    Bad("api team plan: negative count", "recruiter", "post", "/api/team-plan/", "none",
        {"current": {"applied-ml-engineer": -1}, "planned": {}}, status=400,
        error="current.applied-ml-engineer"),
    Bad("api team plan: form-encoded", "recruiter", "post-form", "/api/team-plan/", "none",
        {"current": "x"}, status=415),
])  # fmt: skip


ROWS = [pytest.param(row, id=row.name) for row in PAGES + API]


@pytest.mark.parametrize("row", ROWS)
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


# The control: each base body, unchanged, is accepted and written, so a row above fails on the
# one thing it changes and not on something else wrong with the body.
GOOD = [
    Bad("requisition", "recruiter", "post-form", f"{R}/new/", "requisition", status=302),
    Bad("candidate", "recruiter", "post-form", f"{C}/new/", "candidate", status=302),
    Bad("band", "admin", "post-form", "/compensation/bands/new/", "band", status=302),
    Bad("role", "admin", "post-form", "/roles/{role_slug}/edit/", "role", status=302),
    Bad("question", "admin", "post-form", "/assessments/questions/{question}/edit/",
        "question", status=302),
    Bad("red flag", "admin", "post-form", "/assessments/red-flags/{flag}/edit/", "red_flag",
        {"title": "Every project succeeded"}, status=302),
    Bad("note", "recruiter", "post-form", f"{C}/{{cand}}/notes/", "note", status=302),
    Bad("bulk", "recruiter", "post-form", f"{C}/", "bulk", status=302),
    *api_rows([
        Bad("api requisition", "recruiter", "post", "/api/requisitions/", "api_requisition",
            status=201),
        Bad("api candidate", "recruiter", "post", "/api/candidates/", "api_candidate",
            status=201),
        Bad("api band", "admin", "post", "/api/compensation-bands/", "api_band", status=201),
    ]),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(row, id=row.name) for row in GOOD])
def test_each_base_body_unchanged_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)


# Markup and SQL-looking text that is valid input is stored as typed and shown escaped.


@pytest.mark.parametrize("text", [SCRIPT, "Robert'); DROP TABLE hiring_candidate;--"])
def test_text_that_looks_like_code_is_stored_as_typed_and_shown_escaped(
    world: World, text: str
) -> None:
    client = world.client("recruiter")
    response = client.post(
        "/candidates/new/",
        {"name": text, "email": "odd@example.org", "source": "inbound", "tags": "x"},
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(email="odd@example.org")
    assert candidate.name == text
    note = client.post(
        f"/candidates/{world.ids['cand']}/notes/",
        {"application": world.ids["app"], "body": text},
    )
    assert note.status_code == 302
    for url in (
        f"/candidates/{candidate.pk}/",
        f"/candidates/{world.ids['cand']}/",
        "/candidates/",
        f"/candidates/?q={text}",
        f"/api/candidates/{candidate.pk}/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert SCRIPT not in page.content.decode() or url.startswith("/api/"), url
    assert client.get(f"/api/candidates/{candidate.pk}/").json()["name"] == text


def test_csv_import_with_markup_and_bad_rows_writes_only_the_good_rows_escaped(
    world: World,
) -> None:
    client = world.client("recruiter")
    text = (
        "name,email,source,portfolio_url\n"
        f"{SCRIPT},script@example.org,inbound,\n"
        "Bad Email,not-an-email,inbound,\n"
        f"Long,long@example.org,inbound,https://example.org/{'p' * 300}\n"
        "Neg,neg@example.org,nonsense,\n"
    )
    preview = client.post("/candidates/import/", {"file": csv_file(text)})
    assert preview.status_code == 200
    assert SCRIPT not in preview.content.decode()
    assert Candidate.objects.filter(email__endswith="@example.org").count() == 2  # world's
    done = client.post("/candidates/import/", {"step": "confirm"})
    assert done.status_code == 200
    assert list(
        Candidate.objects.filter(email="script@example.org").values_list("name", flat=True)
    ) == [SCRIPT]
    assert not Candidate.objects.filter(email__in=["long@example.org", "neg@example.org"])


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00binary", b"", b"name,email\n", b"wrong,header\nx,y\n"],
    ids=["binary", "empty", "header only", "wrong header"],
)
def test_csv_import_refuses_a_bad_file_with_a_message(world: World, content: bytes) -> None:
    before = snapshot(WATCHED)
    response = world.client("recruiter").post(
        "/candidates/import/", {"file": SimpleUploadedFile("x.csv", content)}
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode() or b"error" in response.content
    assert not changed(before, snapshot(WATCHED))


def test_dates_far_outside_any_range_are_form_errors(world: World) -> None:
    for value in ("0000-01-01", "10000-01-01", (dt.date.max).isoformat() + "1"):
        before = snapshot(WATCHED)
        data = body_of(Bad("", "recruiter", "post", "", "requisition"), world.ids, BASES)
        data["opened_on"] = value
        response = world.client("recruiter").post("/requisitions/new/", data)
        assert response.status_code == 200
        assert "Enter a valid date." in response.content.decode()
        assert not changed(before, snapshot(WATCHED))


def test_csv_file_too_large_is_refused(world: World) -> None:
    big = io.BytesIO(b"name,email\n" + b"a,b@example.org\n" * 200_000)
    response = world.client("recruiter").post(
        "/candidates/import/", {"file": SimpleUploadedFile("big.csv", big.getvalue())}
    )
    assert response.status_code == 200
    assert "the limit is 2 MB" in response.content.decode()
