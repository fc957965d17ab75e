"""The schema says what the API requires: a client generated from it sends what is needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def schema(client_as: Callable[[str], Client]) -> dict[str, Any]:
    return client_as("admin").get("/api/schema/", HTTP_ACCEPT="application/json").json()


def body(schema: dict[str, Any], path: str, method: str, media: str = "application/json") -> Any:
    request = schema["paths"][path][method]["requestBody"]
    ref = request["content"][media]["schema"]["$ref"].split("/")[-1]
    return request, schema["components"]["schemas"][ref]


def test_a_scorecard_patch_documents_its_required_version(schema: dict[str, Any]) -> None:
    request, component = body(schema, "/api/scorecards/{id}/", "patch")
    assert request["required"] is True and component["required"] == ["version"]


def test_rescinding_documents_its_required_reason(schema: dict[str, Any]) -> None:
    request, component = body(schema, "/api/offers/{id}/rescind/", "post")
    assert request["required"] is True and component["required"] == ["reason"]


def test_ending_an_application_documents_that_it_needs_a_body(schema: dict[str, Any]) -> None:
    request, _ = body(schema, "/api/applications/{id}/end/", "post")
    assert request["required"] is True


def test_a_resume_is_documented_for_multipart_only(schema: dict[str, Any]) -> None:
    for path, method in [("/api/candidates/", "post"), ("/api/candidates/{id}/", "put")]:
        _, as_json = body(schema, path, method)
        _, as_form = body(schema, path, method, "multipart/form-data")
        assert "resume" not in as_json["properties"]
        assert as_form["properties"]["resume"]["format"] == "binary"
