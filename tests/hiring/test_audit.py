from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hiring.models import AuditEntry
from hiring.services.audit import audit_record


def test_audit_entries_cannot_be_changed_or_deleted(make_user: Callable[..., object]) -> None:
    user = make_user("Admin")
    entry = audit_record(actor=user, action="user.test", target=user, after={"a": 1})
    entry.action = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get().action == "user.test"


def test_admin_sees_entries_with_actor_and_change(
    client_as: Callable[[str], Client], make_user: Callable[..., object]
) -> None:
    subject = make_user(username="subject")
    audit_record(actor=subject, action="stage.move", target=subject, before={"stage": "<b>x</b>"})
    client = client_as("admin")
    page = client.get("/audit-log/").content.decode()
    assert "stage.move" in page and "subject" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page  # markup in recorded values is shown escaped
    api = client.get("/api/audit-log/").json()
    assert api["results"][0]["action"] == "stage.move"
    assert api["results"][0]["actor"] == "subject"


def test_empty_audit_log_says_what_will_appear(client_as: Callable[[str], Client]) -> None:
    assert "Nothing recorded yet" in client_as("admin").get("/audit-log/").content.decode()
