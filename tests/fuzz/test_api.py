"""Fuzz every operation of `/api/schema/` with schemathesis, as each role, on seeded data.

Every operation the schema lists becomes one test (`test_api[POST /api/offers/]`), so new
endpoints are fuzzed without touching this file. Each generated request is sent once per
role (Recruiter, Interviewer, Hiring manager, Admin, each with its own API token) and every
schemathesis check runs on each response: no 5xx, the status code, content type, headers and
body match the schema, invalid input is refused with a 4xx, valid input is not, an
anonymous replay gets 401. Path ids are mostly ones that exist (taken from the operation's
list endpoint), so the handlers do real work; the rest are unknown ids, which must be 404s.

The data is seeded once for the module, inside a transaction that is rolled back at the
end; every operation runs in a savepoint on top of it, so writes of one operation never
reach the next. Requests go through the WSGI application in this thread, on the test's
database connection. Bounded by MAX_EXAMPLES per operation (FUZZ_EXAMPLES overrides it):
`make test-fuzz`, and a step of `.ci/run` on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("FUZZ_SEED", "2026"))
ROLE_USERS = {  # the demo users `seed_demo` creates, one per role
    "Recruiter": "recruiter",
    "Interviewer": "interviewer",
    "Hiring manager": "manager",
    "Admin": "admin",
}

# Writes may refuse schema-valid input with a 400 for a rule JSON Schema cannot state: an id
# that must exist, "low below high", a level of the chosen role, a resume's real content.
# Everything else about such a 400 is still checked (the documented error body, no 5xx);
# refusals because of the data's current state are 409s, which the check accepts anyway.
WRITE_REFUSALS = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "mode": "all",
            "database": "none",
            # Each role's own token is sent; generated cookies or tokens would only be
            # overridden by it (and a "bad cookie" case would then look valid).
            "with-security-parameters": False,
        },
        # The stateful phase chains calls through OpenAPI links, which the schema has none of.
        "phases": {"stateful": {"enabled": False}},
        "operations": [
            {
                "include-method": ["POST", "PUT", "PATCH"],
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_REFUSALS}},
            }
        ],
    }
)
DJANGO = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Django's WSGI application, minus the "close old connections" it does around each
    request: in a test that would close the connection the test's transaction lives on.
    (Django's test client does the same.) The response is read and closed in here, so
    request_finished fires while the handler is disconnected."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = DJANGO(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _load_schema() -> Any:
    """The schema /api/schema/ serves, built in-process: that endpoint is for signed-in users,
    and no user exists while the tests are being collected."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    served = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
    loaded = schemathesis.openapi.from_dict(served, config=CONFIG)
    loaded.app = application
    loaded.location = "/api/schema/"
    return loaded


schema = _load_schema()

# Known ids, by list path ("/api/requisitions/") and parameter name ("id"); filled once the
# data is seeded, read while cases are generated.
KNOWN: dict[tuple[str, str], list[Any]] = {}


def _list_path(path: str) -> str:
    return path.split("{", 1)[0]


@schema.hook
def map_case(context: Any, case: Any) -> Any:
    """Valid-looking requests mostly name objects that exist, so they reach the services.

    Only parts generated as valid are touched: an invalid path or body stays as generated,
    so it still has to be refused. Three generated ids in four become ids that exist (the
    fourth stays, and must be a 404); body references (`candidate`, `role`, `level`...)
    likewise, with a level of the chosen role and a low figure below the high one.
    """
    meta = getattr(case, "meta", None)
    if meta is None:
        return case
    if case.path_parameters and not meta.is_negative_at(ParameterLocation.PATH):
        list_path = _list_path(case.operation.path)
        for name, value in list(case.path_parameters.items()):
            known = KNOWN.get((list_path, name))
            pick = zlib.crc32(str(value).encode())
            if known and pick % 4:
                case.path_parameters[name] = known[pick % len(known)]
    body = case.body
    if not isinstance(body, dict) or meta.is_negative_at(ParameterLocation.BODY):
        return case
    for name, values in REFERENCES.items():
        if name in body and values:
            pick = zlib.crc32(str(body[name]).encode())
            if pick % 4:
                value = values[pick % len(values)]
                body[name] = [value] if isinstance(body[name], list) else value
    role = body.get("role")
    if isinstance(role, str) and role in LEVELS_BY_ROLE and "level" in body:
        body["level"] = LEVELS_BY_ROLE[role][0]
    low, high = body.get("low"), body.get("high")
    if isinstance(low, int) and isinstance(high, int) and low >= high and high > 1:
        body["low"], body["high"] = high - 1, high
    return case


# Property name -> values that exist, for map_case; filled once the data is seeded.
REFERENCES: dict[str, list[Any]] = {}
LEVELS_BY_ROLE: dict[str, list[int]] = {}


def _collect_references() -> None:
    from django.contrib.auth.models import User

    from assessments.models import Question
    from hiring.pipeline.models import Candidate, Requisition, Stage
    from roles.models import RoleLevel

    users = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    levels: dict[str, list[int]] = {}
    for pk, slug in RoleLevel.objects.values_list("pk", "role__slug").order_by("pk"):
        levels.setdefault(slug, []).append(pk)
    REFERENCES.update(
        candidate=list(Candidate.objects.values_list("pk", flat=True)),
        requisition=list(Requisition.objects.values_list("pk", flat=True)),
        owner=users,
        hiring_manager=users,
        recruiter=users,
        role=sorted(levels),
        level=[pk for pks in levels.values() for pk in pks],
        questions=list(Question.objects.values_list("key", flat=True)),
        stage=list(Stage.objects.values_list("pk", flat=True)),
        stage_name=sorted(set(Stage.objects.values_list("name", flat=True))),
    )
    LEVELS_BY_ROLE.update(levels)


def _collect_known(client: Client) -> None:
    """Ids and keys of every list endpoint in the schema, as the admin sees them."""
    KNOWN.clear()
    for result in schema.get_all_operations():
        operation = result.ok()
        names = re.findall(r"{(\w+)}", operation.path)
        if not names:
            continue
        list_path = _list_path(operation.path)
        response = client.get(list_path, {"page_size": 200})
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        for name in names[:1]:
            field = "id" if name == "pk" else name
            values = [row[field] for row in rows if isinstance(row, dict) and field in row]
            if values:
                KNOWN[(list_path, name)] = sorted(values, key=str)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The demo data, a second manager's requisition and one API token per role.

    Seeded in a transaction that stays open for the module and is rolled back at its end,
    so nothing is left for the other tests.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _seed()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            KNOWN.clear()
            REFERENCES.clear()
            LEVELS_BY_ROLE.clear()


def _seed() -> dict[str, str]:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from hiring.accounts import token_create
    from hiring.permissions import ROLES
    from roles.playbook import playbook_load
    from tests import factories

    for name in ROLES:  # a transactional test elsewhere may have flushed them
        Group.objects.get_or_create(name=name)
    playbook_load()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    # Another manager's requisition: the hiring manager must not see or touch it.
    other = factories.requisition(title="Another manager's requisition")
    factories.application(requisition_obj=other)
    tokens = {}
    for role, username in ROLE_USERS.items():
        user = User.objects.get(username=username)
        tokens[role] = token_create(user=user)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    _collect_known(admin)
    _collect_references()
    return tokens


@pytest.mark.django_db
# One operation's examples as all four roles, not a hang: POST /api/candidates/ passed 180 s
# on a machine a quarter as fast as usual (2026-12-08: the fuzzing took 16 min, not 4).
@pytest.mark.timeout(600)
@schema.parametrize()
def test_api(case: Any, seeded: dict[str, str]) -> None:
    for role, token in seeded.items():
        try:
            case.call_and_validate(headers={"Authorization": f"Token {token}"})
        except BaseException as error:
            error.add_note(f"as the {role}")
            raise
