"""Hostile input sent to every operation of the schema: the four kinds a review found once
gave 500s (issue 13, items 14 to 17). Each operation gets each kind; every answer must be a
4xx in the API's error format, never a 5xx, never a write.

- a digit that is not ASCII ("²", which `str.isdigit()` accepts) for every id and integer,
  in the path and the query;
- a JSON body nested 50,000 levels deep (100 KB), and a body over the size limit;
- a control character (the bell, refused even in multi-line text) in every text field of
  the body.

Runs as the admin, who may reach every operation's validation. `make test-fuzz`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from hiring.accounts import token_create
from hiring.permissions import ADMIN
from roles.playbook import playbook_load
from tests import factories

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


SCHEMA = _schema()
OPERATIONS = [
    (path, method.upper(), operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]
# Writes that read a body (those documented with none, such as read-all, never parse one).
WRITES = [
    (p, m, o) for p, m, o in OPERATIONS if m in {"POST", "PUT", "PATCH"} and "requestBody" in o
]


def _ids(operations: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{method} {path}" for path, method, _ in operations]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            playbook_load()
            application = factories.application()
            admin = factories.UserFactory(roles=[ADMIN])
            yield {"token": token_create(user=admin), "application": application, "admin": admin}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(world: dict[str, Any]) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {world['token']}")


def _path(path: str, world: dict[str, Any], value: str | None = None) -> str:
    """Fill path parameters: `value` for every one, or an id that exists."""
    return re.sub(r"{[^}]+}", value or str(world["application"].pk), path)


def _refused(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        assert {"detail", "fields"} <= set(response.json())


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"pipeline", "offers", "assessments", "notifications", "roles", "compensation"}
    }


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_a_digit_that_is_not_ascii_is_refused_in_ids_and_integers(
    world: dict[str, Any], path: str, method: str, operation: Any
) -> None:
    client = _client(world)
    integers = [
        p["name"] for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("schema", {}).get("type") in {"integer", "number"}
    ]  # fmt: skip
    before = _counts()
    if "{" in path:
        _refused(getattr(client, method.lower())(_path(path, world, "²")))
    for name in integers:
        target = _path(path, world)
        _refused(getattr(client, method.lower())(f"{target}?{name}=%C2%B2"))
    assert _counts() == before


@pytest.mark.parametrize(("path", "method", "operation"), WRITES, ids=_ids(WRITES))
def test_absurd_bodies_are_refused_with_the_error_format(
    world: dict[str, Any], path: str, method: str, operation: Any
) -> None:
    client, target = _client(world), _path(path, world)
    before = _counts()
    call = getattr(client, method.lower())
    deep = call(target, "[" * 50_000 + "]" * 50_000, content_type="application/json")
    _refused(deep)
    huge = call(target, '{"x": "' + "x" * 3_000_000 + '"}', content_type="application/json")
    assert huge.status_code in {413, 403, 404, 405, 415}, huge.status_code
    assert _counts() == before


def _text_fields(operation: Any) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    component = SCHEMA["components"]["schemas"].get(ref.split("/")[-1], {})
    return [
        name for name, prop in component.get("properties", {}).items()
        if prop.get("type") == "string" and not prop.get("readOnly") and "enum" not in prop
        and prop.get("format") not in {"date", "date-time", "binary", "uri", "email", "uuid"}
    ]  # fmt: skip


TEXT_WRITES = [(p, m, o) for p, m, o in WRITES if _text_fields(o)]


@pytest.mark.parametrize(("path", "method", "operation"), TEXT_WRITES, ids=_ids(TEXT_WRITES))
def test_a_control_character_in_text_is_refused(
    world: dict[str, Any], path: str, method: str, operation: Any
) -> None:
    client, target = _client(world), _path(path, world)
    before = _counts()
    body = dict.fromkeys(_text_fields(operation), "bell\x07")
    response = getattr(client, method.lower())(target, body, content_type="application/json")
    _refused(response)
    assert _counts() == before


def test_the_operations_are_all_covered() -> None:
    assert len(OPERATIONS) > 60 and len(WRITES) > 25 and TEXT_WRITES
    assert isinstance(User, type)
