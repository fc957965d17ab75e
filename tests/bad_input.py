"""The machinery of the bad-input tables (tests/pipeline/test_bad_input.py,
tests/hiring/test_bad_input_interviews_offers.py and tests/privacy/test_bad_input.py).

A row names who sends what where, and what the answer must be. `refused` sends it and checks
the three promises: the expected status with a clear error, nothing written (every watched
table's whole content is compared before and after, so an UPDATE counts too), and markup in
the input never coming back unescaped in a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.test import Client, override_settings

from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from roles.playbook import playbook_load
from tests import factories

SCRIPT = "<script>alert(1)</script>"
SQL = "1; DROP TABLE hiring_candidate; --"
TOO_LONG = "x" * 5000
HUGE_ID = str(2**70)
REMOVE = object()  # in `changes`: leave the field out
ANONYMOUS = "anonymous"


@contextmanager
def module_world(django_db_blocker: Any) -> Iterator[None]:
    """Data built once for all the tests of a module (the rows write nothing, so they can
    share it): an outer transaction that each test's own, a savepoint, nests in; rolled back
    after the module's last test."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            playbook_load()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@dataclass
class Pipelines:
    users: dict[str, User]
    mine: Any  # the manager's requisition (the recruiter's too)
    theirs: Any  # another hiring manager's requisition, for another role
    application: Any  # one in each
    elsewhere: Any


def two_pipelines() -> Pipelines:
    """A user of each role (two hiring managers, two interviewers), and two hiring managers'
    requisitions with an application each: the other manager's is the "other users' ids"."""
    users = {
        "recruiter": factories.UserFactory(roles=[RECRUITER]),
        "admin": factories.UserFactory(roles=[ADMIN]),  # also every offer's Finance/HR approver
        "manager": factories.UserFactory(roles=[HIRING_MANAGER]),
        "other_manager": factories.UserFactory(roles=[HIRING_MANAGER]),
        "interviewer": factories.UserFactory(roles=[INTERVIEWER]),
        "other_interviewer": factories.UserFactory(roles=[INTERVIEWER]),
    }
    mine = factories.requisition(hiring_manager=users["manager"], recruiter=users["recruiter"])
    theirs = factories.requisition(
        role_slug="mlops-engineer", hiring_manager=users["other_manager"]
    )
    return Pipelines(
        users=users,
        mine=mine,
        theirs=theirs,
        application=factories.application(requisition_obj=mine),
        elsewhere=factories.application(requisition_obj=theirs),
    )


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, Any]

    def client(self, who: str) -> Client:
        client = Client()
        if who != ANONYMOUS:
            client.force_login(self.users[who])
        return client


@dataclass
class Bad:
    """One bad input: `changes` applied to the base body (REMOVE leaves a field out; None
    sends a JSON null). Keys and values may name world ids as "{name}"; so may `url` and
    `error`. `raw` is sent as the request body instead (JSON endpoints)."""

    name: str
    who: str
    method: str
    url: str
    base: str
    changes: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    error: str = ""  # page: text shown; JSON: a key of `fields` (or text of `detail`)
    api: bool = False
    files: Callable[[], dict[str, Any]] | None = None
    raw: bytes | None = None


def api_rows(rows: list[Bad]) -> list[Bad]:
    for row in rows:
        row.api = True
    return rows


def fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {fill(key, ids): fill(item, ids) for key, item in value.items()}
    return value


def body_of(row: Bad, ids: dict[str, Any], bases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = {fill(key, ids): fill(value, ids) for key, value in bases[row.base].items()}
    for key, value in row.changes.items():
        if value is REMOVE:
            data.pop(fill(key, ids), None)
        else:
            data[fill(key, ids)] = fill(value, ids)
    return data


def send(row: Bad, world: World, bases: dict[str, dict[str, Any]]) -> Any:
    client = world.client(row.who)
    url = row.url.format(**world.ids)
    if row.raw is not None:
        return client.post(url, row.raw, content_type="application/json")
    data = body_of(row, world.ids, bases)
    if row.files:
        data.update(row.files())
    if row.method == "get":
        return client.get(url)
    if row.method == "post-form":
        return client.post(url, data)
    if row.method == "post-htmx":  # answered with a fragment, in place
        return client.post(url, data, HTTP_HX_REQUEST="true")
    if row.api:
        return getattr(client, row.method)(url, data, content_type="application/json")
    return client.post(url, data, follow=True)


def snapshot(watched: Iterable[type[models.Model]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every watched table, as stored, and of their many-to-many link tables."""
    tables = []
    for model in watched:
        tables.append(model)
        tables += [field.remote_field.through for field in model._meta.many_to_many]
    return {table._meta.db_table: list(table.objects.order_by("pk").values()) for table in tables}


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def refused(
    row: Bad,
    world: World,
    bases: dict[str, dict[str, Any]],
    watched: Iterable[type[models.Model]],
) -> Any:
    """Send the row; assert it was refused clearly and wrote nothing. Returns the response."""
    watched = list(watched)
    before = snapshot(watched)
    response = send(row, world, bases)
    content = response.content.decode(errors="replace")
    assert response.status_code == row.status, content[:2000]
    assert not changed(before, snapshot(watched)), "something was written"
    if row.api:  # JSON, never rendered as HTML by the browser
        assert response["Content-Type"].startswith("application/json")
    else:
        assert SCRIPT not in content, "markup came back unescaped"
    if not row.error:
        return response
    error = row.error.format(**world.ids)
    if row.api:
        body = response.json()
        assert {"detail", "fields"} <= set(body), body
        assert error in body["fields"] or error in body["detail"], body
    else:
        assert error in content.replace("&#x27;", "'").replace("&quot;", '"'), content[:3000]
    return response


def accepted(
    row: Bad,
    world: World,
    bases: dict[str, dict[str, Any]],
    watched: Iterable[type[models.Model]],
) -> None:
    """The control of a table: the row (a base body unchanged) is accepted and written."""
    watched = list(watched)
    before = snapshot(watched)
    response = send(row, world, bases)
    assert response.status_code == row.status, response.content.decode()[:2000]
    assert changed(before, snapshot(watched)), "nothing was written"
