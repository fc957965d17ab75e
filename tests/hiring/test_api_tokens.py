"""API tokens: hashed at rest, shown once to their owner, revocable, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from knox.models import AuthToken

from hiring.models import AuditEntry


def test_a_token_is_shown_once_works_for_the_api_and_is_not_stored_in_clear(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("recruiter")
    page = client.post("/account/api-tokens/", {"action": "create"}).content.decode()
    assert "shown only this once" in page
    key = page.split('<code class="token-key" tabindex="0">')[1].split("</code>")[0]
    assert len(key) == 64
    stored = AuthToken.objects.get()
    assert key not in (stored.digest, stored.token_key)  # only a hash and a short prefix
    assert Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    again = client.get("/account/api-tokens/").content.decode()
    assert key not in again  # never shown again
    assert AuditEntry.objects.filter(action="token.create").count() == 1


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("recruiter")
    page = client.post("/account/api-tokens/", {"action": "create"}).content.decode()
    key = page.split('<code class="token-key" tabindex="0">')[1].split("</code>")[0]
    digest = AuthToken.objects.get().digest
    client.post("/account/api-tokens/", {"action": "revoke", "token": digest})
    assert Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_nobody_can_revoke_someone_elses_token_from_their_own_page(
    client_as: Callable[[str], Client], make_user: Callable[..., Any]
) -> None:
    from hiring.accounts import token_create

    token_create(user=make_user("Admin", username="boss"))
    client_as("recruiter").post(
        "/account/api-tokens/", {"action": "revoke", "token": AuthToken.objects.get().digest}
    )
    assert AuthToken.objects.count() == 1


def test_admins_see_who_has_tokens_but_cannot_make_or_read_one(
    client_as: Callable[[str], Client], make_user: Callable[..., Any]
) -> None:
    from hiring.accounts import token_create

    key = token_create(user=make_user("Recruiter", username="owner"))
    admin = Client()
    admin.force_login(make_user("Admin", is_staff=True, is_superuser=True))
    listing = admin.get("/admin/knox/authtoken/").content.decode()
    assert "owner" in listing and key not in listing
    assert admin.get("/admin/knox/authtoken/add/").status_code == 403
    detail = admin.get(f"/admin/knox/authtoken/{AuthToken.objects.get().pk}/change/")
    assert detail.status_code == 200 and key not in detail.content.decode()  # a hash only
