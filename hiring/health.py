"""Is the app able to serve? Database and broker, each answered within about a second."""

from __future__ import annotations

import os
from typing import Any

import redis
from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", named in the report
        return f"down: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return "ok" if os.access(folder, os.W_OK) else f"down: {folder} is not writable"
    if url.startswith("memory://"):
        return "ok"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def health_report() -> dict[str, Any]:
    checks = {"database": database_status(), "broker": broker_status()}
    failing = [name for name, state in checks.items() if state != "ok"]
    return {"status": "ok" if not failing else "down", "failing": failing, **checks}
