"""A lock held until the current transaction ends, on a name rather than a row: for a write
that must run one at a time when there may be no row yet to lock (a first save)."""

from __future__ import annotations

from django.db import connection


def transaction_lock(name: str) -> None:
    """On PostgreSQL a transaction-level advisory lock on `name` (call inside
    `transaction.atomic`); SQLite's IMMEDIATE transactions already run one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
