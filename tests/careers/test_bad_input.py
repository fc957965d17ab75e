"""Bad input on the careers forms: the apply form (anonymous) and the recruiter's posting
form. A clear error in the page, never a 500, nothing written (the apply attempt itself is
logged, without content: it is what the rate limits count), markup never unescaped."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hiring.careers.models import Posting, Submission
from hiring.careers.services.applying import form_token
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.pipeline.models import Application, Candidate, Requisition, StageChange, Tag
from hiring.pipeline.services.requisitions import requisition_set_status
from tests import factories
from tests.bad_input import (
    ANONYMOUS,
    REMOVE,
    SCRIPT,
    SQL,
    TOO_LONG,
    Bad,
    World,
    accepted,
    module_world,
    refused,
    two_pipelines,
)
from tests.careers.support import published_posting

pytestmark = pytest.mark.django_db

WATCHED = [Posting, Submission, Candidate, Application, StageChange, AuditEntry, Notification,
           Requisition, Tag]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        yield build_world()


def build_world() -> World:
    setup = two_pipelines()
    mine = setup.mine
    Requisition.objects.filter(pk=mine.pk).update(location="Lisbon")
    mine.refresh_from_db()
    posting = published_posting(requisition=mine, slug="ml-job")
    known = factories.CandidateFactory(email="known@example.org")
    factories.application(candidate=known, requisition_obj=mine)
    closed = factories.requisition(location="Rome")
    requisition_set_status(requisition=closed, to="closed", actor=closed.recruiter)
    other = published_posting(slug="other-job")
    ids = {
        "req": mine.pk,
        "closed_req": closed.pk,
        "token": form_token(posting.pk, now=time.time() - 10),
        "future": form_token(posting.pk, now=time.time() + 3600),
        "other_token": form_token(other.pk, now=time.time() - 10),
        "questions": "\n".join(f"Question {n}?" for n in range(11)),
    }
    return World(users=setup.users, ids=ids)


BASES: dict[str, dict[str, Any]] = {
    "apply": {
        "name": "Ada Lovelace", "email": "ada@example.org", "location": "London",
        "shipped_systems": "A ranking service.", "consent": "on", "website": "",
        "form_token": "{token}",
    },
    "posting": {
        "slug": "ml-job", "team": "Platform", "workplace": "on_site",
        "employment_type": "FULL_TIME", "description": "Hello", "questions": "What did you ship?",
        "published": "on",
    },
}  # fmt: skip

APPLY = "/careers/ml-job/apply/"
EDIT = "/requisitions/{req}/posting/"


def exe() -> dict[str, Any]:
    return {"resume": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" * 20, "application/pdf")}


def huge() -> dict[str, Any]:
    return {"resume": SimpleUploadedFile("cv.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")}


A, P = ANONYMOUS, "recruiter"
ROWS = [
    # The apply form, sent by anyone.
    Bad("no name", A, "post-form", APPLY, "apply", {"name": REMOVE}, error="is required"),
    Bad("blank name", A, "post-form", APPLY, "apply", {"name": "   "}, error="is required"),
    Bad("long name", A, "post-form", APPLY, "apply", {"name": TOO_LONG}, error="at most 200"),
    Bad("no email", A, "post-form", APPLY, "apply", {"email": ""}, error="is required"),
    Bad("bad email", A, "post-form", APPLY, "apply", {"email": "ada@"}, error="valid email"),
    Bad("markup email", A, "post-form", APPLY, "apply", {"email": SCRIPT}, error="valid email"),
    Bad("no location", A, "post-form", APPLY, "apply", {"location": REMOVE}, error="required"),
    Bad("long phone", A, "post-form", APPLY, "apply", {"phone": TOO_LONG}, error="at most 40"),
    Bad("script link", A, "post-form", APPLY, "apply", {"portfolio_url": "javascript:alert(1)"},
        error="Enter a valid URL"),
    Bad("sql link", A, "post-form", APPLY, "apply", {"github_url": SQL}, error="Enter a valid URL"),
    Bad("long link", A, "post-form", APPLY, "apply",
        {"portfolio_url": "https://x.example/" + "p" * 300}, error="at most 200"),
    Bad("long answer", A, "post-form", APPLY, "apply", {"answer_0": TOO_LONG},
        error="at most 4000"),
    Bad("long systems", A, "post-form", APPLY, "apply", {"shipped_systems": TOO_LONG},
        error="at most 4000"),
    Bad("long degrees", A, "post-form", APPLY, "apply", {"degrees": TOO_LONG},
        error="at most 2000"),
    Bad("markup, no consent", A, "post-form", APPLY, "apply", {"consent": REMOVE, "name": SCRIPT},
        error="with your consent"),
    Bad("renamed executable", A, "post-form", APPLY, "apply", files=exe,
        error="checked by its content"),
    Bad("resume over 10 MB", A, "post-form", APPLY, "apply", files=huge,
        error="The limit is 10 MB"),
    Bad("honeypot", A, "post-form", APPLY, "apply", {"website": "https://spam.example"},
        error="was not sent"),
    Bad("no stamp", A, "post-form", APPLY, "apply", {"form_token": REMOVE}, error="had expired"),
    Bad("forged stamp", A, "post-form", APPLY, "apply", {"form_token": "x:y:z"},
        error="had expired"),
    Bad("stamp too fresh", A, "post-form", APPLY, "apply", {"form_token": "{future}"},
        error="quicker than a person"),
    Bad("stamp of another job", A, "post-form", APPLY, "apply", {"form_token": "{other_token}"},
        error="for another job"),
    Bad("applied already", A, "post-form", APPLY, "apply", {"email": "Known@Example.org"},
        error="no need to apply again"),
    Bad("no such posting", A, "post-form", "/careers/no-such-job/apply/", "apply", status=404),
    Bad("unpublished posting", A, "post-form", "/careers/other-job-x/apply/", "apply", status=404),
    Bad("apply by GET", A, "get", APPLY, "apply", status=405),
    # The recruiter's posting form.
    Bad("bad address", P, "post-form", EDIT, "posting", {"slug": "not a slug!"},
        error="consisting of letters"),
    Bad("taken address", P, "post-form", EDIT.replace("{req}", "{closed_req}"), "posting",
        {"published": REMOVE, "slug": "other-job"}, error="Taken by another posting"),
    Bad("unknown workplace", P, "post-form", EDIT, "posting", {"workplace": "moon"},
        error="Select a valid choice"),
    Bad("unknown employment", P, "post-form", EDIT, "posting", {"employment_type": SCRIPT},
        error="Select a valid choice"),
    Bad("bad date", P, "post-form", EDIT, "posting", {"valid_through": "31/02/2026"},
        error="Enter a valid date"),
    Bad("eleven questions", P, "post-form", EDIT, "posting", {"questions": "{questions}"},
        error="At most 10 questions"),
    Bad("long question", P, "post-form", EDIT, "posting", {"questions": TOO_LONG},
        error="at most 300 characters"),
    Bad("long description", P, "post-form", EDIT, "posting", {"description": TOO_LONG * 5},
        error="at most 20000"),
    Bad("publish a closed one", P, "post-form", EDIT.replace("{req}", "{closed_req}"), "posting",
        {"slug": "closed-job"}, error="reopen it before publishing"),
    Bad("no such requisition", P, "post-form", "/requisitions/999999/posting/", "posting",
        status=404),
    Bad("huge requisition id", P, "get", f"/requisitions/{2**70}/posting/", "posting", status=404),
    Bad("a manager edits", "manager", "post-form", EDIT, "posting", status=403),
    Bad("signed out", A, "post-form", EDIT, "posting", status=302),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


GOOD = [
    Bad("apply", A, "post-form", APPLY, "apply", status=302),
    Bad("posting", P, "post-form", EDIT, "posting", status=302),
]


@pytest.mark.parametrize("row", GOOD, ids=[row.name for row in GOOD])
def test_each_base_body_unchanged_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)
