from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client

from hiring.audit import audit_record
from hiring.models import AuditEntry

POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")


@pytest.fixture
def superuser_client(make_user: Callable[..., object]) -> Client:
    client = Client()
    client.force_login(make_user("Admin", username="root", is_staff=True, is_superuser=True))
    return client


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


def test_an_entry_keeps_the_actors_name_and_an_account_with_history_cannot_be_deleted(
    make_user: Callable[..., object],
) -> None:
    from django.db.models import ProtectedError

    user = make_user("Recruiter", username="rita")
    audit_record(actor=user, action="note.add", target=user)
    assert AuditEntry.objects.get().actor_username == "rita"
    with pytest.raises(ProtectedError):
        user.delete()  # type: ignore[attr-defined]
    assert AuditEntry.objects.get().actor_username == "rita"


def test_an_anonymous_actor_is_recorded_as_the_system(make_user: Callable[..., object]) -> None:
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(actor=AnonymousUser(), action="x", target=make_user())
    assert entry.actor is None and entry.who == "system"


@pytest.mark.skipif(not POSTGRES, reason="the trigger is PostgreSQL's")
def test_the_database_itself_refuses_to_rewrite_or_delete_the_audit_log(
    make_user: Callable[..., object],
) -> None:
    from django.db import IntegrityError, InternalError, connection, transaction

    from hiring.audit import audit_redact

    user = make_user()
    entry = audit_record(actor=user, action="x", target=user, after={"name": "Ana"})
    for sql in ("UPDATE hiring_auditentry SET action = 'y'", "DELETE FROM hiring_auditentry"):
        with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
            connection.cursor().execute(sql)
    # Erasing personal data is the one change it lets through, and it keeps who and what.
    assert audit_redact(entries=AuditEntry.objects.filter(pk=entry.pk), object_repr="Erased") == 1
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.after, entry.object_repr, entry.action, entry.actor) == (
        None,
        "Erased",
        "x",
        user,
    )


def test_account_changes_in_django_admin_are_audited(superuser_client: Client) -> None:
    from django.contrib.auth.models import Group, User

    admin = superuser_client
    recruiter = Group.objects.get(name="Recruiter")
    created = admin.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "password1": "a-Long-pass-2026!", "password2": "a-Long-pass-2026!",
         "usable_password": "true"},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    newbie = User.objects.get(username="newbie")
    form = {
        "username": "newbie", "is_active": "on", "groups": [recruiter.pk],
        "date_joined_0": "2026-12-01", "date_joined_1": "10:00:00",
    }  # fmt: skip
    assert admin.post(f"/admin/auth/user/{newbie.pk}/change/", form).status_code == 302
    form.pop("is_active")
    form["groups"] = []
    assert admin.post(f"/admin/auth/user/{newbie.pk}/change/", form).status_code == 302
    actions = list(
        AuditEntry.objects.filter(object_id=str(newbie.pk))
        .order_by("id")
        .values_list("action", "after", "before")
    )
    assert actions == [
        ("user.create", {"active": True}, None),
        ("role.grant", {"role": "Recruiter"}, None),
        ("user.deactivate", {"active": False}, None),
        ("role.remove", None, {"role": "Recruiter"}),
    ]


def test_django_admin_refuses_to_delete_an_account_with_history(
    superuser_client: Client, make_user: Callable[..., object]
) -> None:
    worker = make_user("Recruiter", username="worker")
    audit_record(actor=worker, action="note.add", target=worker)
    page = superuser_client.post(f"/admin/auth/user/{worker.pk}/delete/", {"post": "yes"})  # type: ignore[attr-defined]
    assert page.status_code == 403
    assert AuditEntry.objects.filter(actor=worker).exists()
