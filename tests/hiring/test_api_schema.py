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


def test_an_optional_blank_reason_is_documented_as_valid(schema: dict[str, Any]) -> None:
    # "" matched both of drf-spectacular's `oneOf` [patterned string, empty string], so the
    # schema called it invalid and the fuzzer flagged POST /api/offers/{id}/withdraw/
    # accepting {"reason": ""} (2026-12-08).
    _, component = body(schema, "/api/offers/{id}/withdraw/", "post")
    reason = component["properties"]["reason"]
    assert "oneOf" not in reason
    assert {"type": "string", "maxLength": 0} in reason["anyOf"]
    assert not list(blank_in_one_of(schema))  # nor anywhere else in the schema


def blank_in_one_of(node: Any) -> Any:
    if isinstance(node, dict):
        if {"type": "string", "maxLength": 0} in node.get("oneOf", []):
            yield node
        for value in node.values():
            yield from blank_in_one_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from blank_in_one_of(value)
