from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_embedded_broker_answer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_ok_with_the_real_redis_broker(
    client: Client, settings: object, real_redis: str
) -> None:
    settings.CELERY_BROKER_URL = real_redis
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_naming_the_broker_when_redis_does_not_answer(
    client: Client, settings: object
) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["broker"].startswith("down")
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_naming_the_database_when_it_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    def broken_cursor(*args: object, **kwargs: object) -> object:
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.mark.django_db
def test_the_schema_and_docs_are_for_signed_in_users(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 401 and schema.json()["detail"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")


def test_schema_is_openapi_3_and_lists_the_endpoints(client_as: Any) -> None:
    response = client_as("interviewer").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]
    assert "/api/audit-log/" in schema["paths"]


def test_api_docs_use_vendored_assets(client_as: object) -> None:
    page = client_as("recruiter").get("/api/docs/").content.decode()  # type: ignore[operator]
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    assert "<style" not in page and "<script>" not in page  # nothing inline (the CSP)
