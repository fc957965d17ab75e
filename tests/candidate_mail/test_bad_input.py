"""Bad input on the candidate e-mail pages and API: a clear error, never a 500, nothing
written (templates, applications, their history, the outbox, the audit log)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import MailKind
from hiring.models import AuditEntry
from hiring.notifications.models import OutboxMessage
from hiring.pipeline.models import Application, StageChange
from hiring.pipeline.rules import REJECTION_REASONS
from tests.bad_input import (
    HUGE_ID,
    REMOVE,
    SCRIPT,
    SQL,
    TOO_LONG,
    Bad,
    World,
    accepted,
    api_rows,
    module_world,
    refused,
    two_pipelines,
)

pytestmark = pytest.mark.django_db
WATCHED = [EmailTemplate, Application, StageChange, OutboxMessage, AuditEntry]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        setup = two_pipelines()
        templates = dict(EmailTemplate.objects.values_list("kind", "pk"))
        received = EmailTemplate.objects.get(kind=MailKind.RECEIVED)
        yield World(
            users=setup.users,
            ids={
                "app": setup.application.pk,
                "other_app": setup.elsewhere.pk,
                "received": templates[MailKind.RECEIVED],
                "rejection": templates[MailKind.NOT_MOVING_FORWARD],
                "version": received.version,
            },
        )


REASON = REJECTION_REASONS[0]
BASES: dict[str, dict[str, Any]] = {
    "template": {"name": "Application received", "subject": "Thanks, {candidate_first_name}",
                 "body": "Dear {candidate_first_name}, thank you.", "enabled": "on",
                 "version": "{version}"},
    "new": {"name": "After the interview", "subject": "About {role}",
            "body": "Dear {candidate_first_name}, thank you."},
    "reject": {"reason": REASON, "template": "{rejection}", "subject": "About {role}",
               "body": "Dear {candidate_first_name}.", "confirm": "1"},
    "bulk": {"ids": ["{app}"], "reason": REASON, "template": "{rejection}",
             "subject": "About {role}", "body": "Dear {candidate_first_name}.", "confirm": "1"},
    "api": {"applications": ["{app}"], "reason": REASON, "template": "{rejection}",
            "send_now": False},
    "none": {},
}  # fmt: skip

T = "/candidate-emails/templates"
EDIT, REJECT = f"{T}/{{received}}/", "/candidates/applications/{app}/reject/"
PAGES = [
    Bad("unknown placeholder", "admin", "post", EDIT, "template",
        {"body": "Dear {candidate_frist_name}"}, status=400,
        error="Unknown placeholder {{candidate_frist_name}}"),
    Bad("a lone brace", "admin", "post", EDIT, "template", {"subject": "Hi {"}, status=400,
        error="A lone '{{'"),
    Bad("placeholder that is code", "admin", "post", EDIT, "template",
        {"body": "Hi {__class__}"}, status=400, error="A lone '{{'"),
    Bad("interview placeholder in a text about no interview", "admin", "post", EDIT,
        "template", {"body": "At {interview_time}"}, status=400,
        error="Unknown placeholder {{interview_time}}"),
    Bad("subject empty", "admin", "post", EDIT, "template", {"subject": "  "}, status=400,
        error="Write a subject line."),
    Bad("subject too long", "admin", "post", EDIT, "template", {"subject": TOO_LONG[:1100]},
        status=400, error="At most 200 characters."),
    Bad("body too long", "admin", "post", EDIT, "template", {"body": "x" * 10_001},
        status=400, error="At most 10,000 characters."),
    Bad("body empty", "admin", "post", EDIT, "template", {"body": ""}, status=400,
        error="Write the e-mail"),
    Bad("name empty", "admin", "post", EDIT, "template", {"name": ""}, status=400,
        error="Name the template."),
    Bad("name taken", "admin", "post", EDIT, "template", {"name": "not moving forward"},
        status=400, error="Another template has this name."),
    Bad("stale version", "admin", "post", EDIT, "template", {"version": "0"}, status=400,
        error="Someone saved this template"),
    Bad("version is SQL", "admin", "post", EDIT, "template", {"version": SQL}, status=400,
        error="Enter a whole number."),
    Bad("version absurd", "admin", "post", EDIT, "template", {"version": HUGE_ID},
        status=400, error="Someone saved this template"),
    Bad("unknown template", "admin", "post", f"{T}/999999/", "template", status=404),
    Bad("template id past the range", "admin", "get", f"{T}/{HUGE_ID}/", "none", status=404),
    Bad("recruiter may not edit", "recruiter", "post", EDIT, "template", status=403),
    Bad("new: unknown placeholder", "admin", "post", f"{T}/new/", "new",
        {"subject": "Pay {salary}"}, status=400, error="Unknown placeholder {{salary}}"),
    Bad("new: script in the name", "admin", "post", f"{T}/new/", "new",
        {"name": SCRIPT, "body": "Hi {x}"}, status=400, error="Unknown placeholder {{x}}"),
    Bad("delete an automatic template", "admin", "post", f"{T}/{{received}}/delete/", "none",
        error="switch it off instead"),
    # Rejecting with an e-mail -------------------------------------------------------------
    Bad("reject: unknown placeholder", "recruiter", "post", REJECT, "reject",
        {"body": "Dear {first_name}"}, status=400, error="Unknown placeholder {{first_name}}"),
    Bad("reject: no reason", "recruiter", "post", REJECT, "reject", {"reason": REMOVE},
        status=400, error="This field is required."),
    Bad("reject: reason not in the list", "recruiter", "post", REJECT, "reject",
        {"reason": SQL}, status=400, error="Select a valid choice."),
    Bad("reject: template not a rejection text", "recruiter", "post", REJECT, "reject",
        {"template": "{received}"}, status=400, error="Select a valid choice."),
    Bad("reject: template is script", "recruiter", "post", REJECT, "reject",
        {"template": SCRIPT}, status=400, error="Select a valid choice."),
    Bad("reject: empty text with a template", "recruiter", "post", REJECT, "reject",
        {"body": ""}, status=400, error="Write the e-mail"),
    Bad("reject: unknown application", "recruiter", "post",
        "/candidates/applications/999999/reject/", "reject", status=404),
    Bad("reject: hiring manager may not", "manager", "post", REJECT, "reject", status=403),
    Bad("bulk: no ids", "recruiter", "post", "/candidates/reject/", "bulk", {"ids": REMOVE},
        status=400, error="Tick between 1 and 200 candidates"),
    Bad("bulk: id is SQL", "recruiter", "post", "/candidates/reject/", "bulk", {"ids": [SQL]},
        status=400, error="Tick between 1 and 200 candidates"),
    Bad("bulk: id past the range", "recruiter", "post", "/candidates/reject/", "bulk",
        {"ids": [HUGE_ID]}, status=400, error="Tick between 1 and 200 candidates"),
    Bad("bulk: unknown application", "recruiter", "post", "/candidates/reject/", "bulk",
        {"ids": ["{app}", "999999"]}, status=400, error="not in your list any more"),
    Bad("bulk: unknown placeholder", "recruiter", "post", "/candidates/reject/", "bulk",
        {"subject": "Hi {oops}"}, status=400, error="Unknown placeholder {{oops}}"),
]  # fmt: skip

API = "/api/candidate-emails/rejections/"
API_ROWS = api_rows([
    Bad("api: no applications", "recruiter", "post", API, "api", {"applications": []},
        status=400, error="applications"),
    Bad("api: application id is text", "recruiter", "post", API, "api",
        {"applications": [SQL]}, status=400, error="applications.0"),
    Bad("api: application id past the range", "recruiter", "post", API, "api",
        {"applications": [2**70]}, status=400, error="applications.0"),
    Bad("api: unknown application", "recruiter", "post", API, "api",
        {"applications": [999999]}, status=400, error="not in your list any more"),
    Bad("api: reason unknown", "recruiter", "post", API, "api", {"reason": SCRIPT},
        status=400, error="reason"),
    Bad("api: template missing", "recruiter", "post", API, "api", {"template": REMOVE},
        status=400, error="template"),
    Bad("api: template not a rejection text", "recruiter", "post", API, "api",
        {"template": "{received}"}, status=400, error="template"),
    Bad("api: unknown placeholder", "recruiter", "post", API, "api", {"body": "Hi {nope}"},
        status=400, error="body"),
    Bad("api: subject too long", "recruiter", "post", API, "api", {"subject": TOO_LONG},
        status=400, error="subject"),
    Bad("api: send_now not a boolean", "recruiter", "post", API, "api",
        {"send_now": "sometimes"}, status=400, error="send_now"),
    Bad("api: interviewer", "interviewer", "post", API, "api", status=403),
    Bad("api: body not JSON", "recruiter", "post", API, "api", raw=b"{not json", status=400),
])  # fmt: skip


@pytest.mark.parametrize("row", PAGES + API_ROWS, ids=lambda r: r.name)
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


GOOD = [
    Bad("template", "admin", "post-form", EDIT, "template", status=302),
    Bad("new", "admin", "post-form", f"{T}/new/", "new", status=302),
    Bad("reject", "recruiter", "post-form", REJECT, "reject", status=302),
    *api_rows([Bad("api", "recruiter", "post", API, "api", status=200)]),
]


@pytest.mark.parametrize("row", GOOD, ids=lambda r: r.name)
def test_each_base_body_unchanged_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)
