"""Input no endpoint should choke on: absurd JSON, oversized bodies, control characters in
single-line text, empty or repeated filters. Each gets a clear 4xx with the error format."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from hiring.api_parsers import MAX_JSON_DEPTH, parse_json
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")


def assert_error_format(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.content[:300]  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"detail", "fields"}
    return body


def test_json_nested_fifty_thousand_levels_is_a_400_not_a_recursion_error(
    client_as: Callable[[str], Client],
) -> None:
    body = "[" * 50_000 + "]" * 50_000  # 100 KB
    response = client_as("recruiter").post(
        "/api/candidates/", body, content_type="application/json"
    )
    detail = assert_error_format(response, 400)["detail"]
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in str(detail)


def test_an_oversized_body_is_a_json_413(
    client_as: Callable[[str], Client], settings: object
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000  # type: ignore[attr-defined]
    body = json.dumps({"name": "x" * 20_000, "email": "a@example.com"})
    response = client_as("recruiter").post(
        "/api/candidates/", body, content_type="application/json"
    )
    assert "over the 9 KB limit" in str(assert_error_format(response, 413)["detail"])


def test_strings_inside_json_do_not_count_as_nesting() -> None:
    text = json.dumps({"notes": "[" * 100, "list": [[1]]})
    assert parse_json(text)["notes"] == "[" * 100


@pytest.mark.parametrize("name", ["Ana\\nBob", "Ana\\r\\nBob", "Ana\\u0007", "Ana\\u001bX"])
def test_a_control_character_in_a_single_line_api_field_is_refused(
    client_as: Callable[[str], Client], name: str
) -> None:
    body = '{"name": "%s", "email": "ana@example.com"}' % name  # noqa: UP031
    response = client_as("recruiter").post(
        "/api/candidates/", body, content_type="application/json"
    )
    fields = assert_error_format(response, 400)["fields"]
    assert "name" in fields  # type: ignore[operator]


def test_line_breaks_stay_allowed_in_multi_line_text(client_as: Callable[[str], Client]) -> None:
    application = factories.application()
    client = client_as("recruiter")
    response = client.post(
        f"/api/applications/{application.pk}/notes/",
        {"body": "First line\nSecond line\tindented"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_a_control_character_in_a_single_line_form_field_is_a_form_error(
    client_as: Callable[[str], Client],
) -> None:
    page = client_as("recruiter").post(
        "/candidates/new/", {"name": "Ana\r\nBcc: everyone@example.com", "email": "ana@example.com"}
    )
    assert page.status_code in (200, 400)
    assert "control characters are not allowed" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "/api/notifications/?unread=",
        "/api/notifications/?unread=true&unread=false",
        "/api/applications/?status=",
        "/api/applications/?page_size=",
        "/api/applications/?page_size=10&page_size=20",
        "/api/offers/?application=false&application=",
        "/api/audit-log/?action=",
    ],
)
def test_an_empty_or_repeated_filter_is_refused_not_ignored(
    client_as: Callable[[str], Client], query: str
) -> None:
    response = client_as("admin").get(query)
    assert_error_format(response, 400)
