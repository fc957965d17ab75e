"""Single sign-on without the browser: ID tokens checked against the real provider's keys
(tampered, expired, for another client, signed by someone else: refused), the roles mapped
from the groups claim, password login turned off but for the break-glass admin, and the
configuration checked at start-up."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from pydantic import ValidationError

from hiring.config import Config
from hiring.models import AuditEntry
from hiring.sso.backends import CompanyAccountBackend
from hiring.sso.services import NO_ROLE, sso_sign_in
from tests.sso.provider_process import CLIENT_ID, Provider

pytestmark = pytest.mark.django_db
SITE = "http://localhost:8123"


def token(provider: Provider, key: Any = None, **claims: Any) -> str:
    """An ID token as the provider makes one (its key, its kid), with `claims` changed."""
    from jwt import PyJWKClient

    kid = PyJWKClient(f"{provider.issuer}/.well-known/jwks.json").get_jwk_set().keys[0].key_id
    now = int(time.time())
    body = {"iss": provider.issuer, "aud": CLIENT_ID, "sub": "42", "iat": now,
            "exp": now + 300, "nonce": "n-1", **claims}  # fmt: skip
    return jwt.encode(body, key or provider.key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def provider(provider_for: Callable[[str], Provider]) -> Provider:
    return provider_for(SITE)


def test_a_good_id_token_is_accepted(provider: Provider) -> None:
    payload = CompanyAccountBackend().verify_token(token(provider), nonce="n-1")
    assert payload["sub"] == "42"


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("expired", lambda p: token(p, exp=int(time.time()) - 3600)),
        ("for another client", lambda p: token(p, aud="someone-else")),
        ("from another issuer", lambda p: token(p, iss="https://evil.example.com/o")),
        ("another nonce (a replay)", lambda p: token(p, nonce="n-2")),
        ("issued in the future", lambda p: token(p, iat=int(time.time()) + 3600)),
        ("signed with another key", lambda p: token(
            p, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))),
        ("tampered after signing", lambda p: _tampered(token(p))),
    ],
)  # fmt: skip
def test_a_bad_id_token_is_refused(
    provider: Provider, case: str, change: Callable[[Provider], str]
) -> None:
    with pytest.raises(SuspiciousOperation):
        CompanyAccountBackend().verify_token(change(provider), nonce="n-1")


def _tampered(value: str) -> str:
    import base64
    import json

    header, body, signature = value.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "1"  # someone else
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_callback_with_a_forged_state_is_refused_with_the_clear_page(
    provider: Provider,
) -> None:
    response = Client().get("/sso/callback/?code=abc&state=forged", follow=True)
    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert not User.objects.exists()


def test_the_groups_claim_maps_to_roles_and_an_unmapped_one_makes_no_account(
    provider: Provider, role_groups: None
) -> None:
    claims = {"sub": "7", "preferred_username": "lee", "email": "lee@corp.example.com"}
    refused = sso_sign_in(issuer=provider.issuer, claims={**claims, "groups": ["marketing"]})
    assert (refused.user, refused.refused) == (None, NO_ROLE) and not User.objects.exists()
    first = sso_sign_in(issuer=provider.issuer, claims={**claims, "groups": ["it-admins"]})
    assert first.user and set(first.user.groups.values_list("name", flat=True)) == {"Admin"}
    later = sso_sign_in(
        issuer=provider.issuer, claims={**claims, "groups": "recruiting", "given_name": "Lee"}
    )
    assert later.user == first.user and later.user.first_name == "Lee"
    assert set(later.user.groups.values_list("name", flat=True)) == {"Recruiter"}
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["user.create", "role.grant", "role.grant", "role.remove"]


@pytest.fixture
def role_groups() -> None:
    from django.contrib.auth.models import Group

    from hiring.permissions import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


def test_with_password_login_off_only_the_break_glass_admin_signs_in_with_a_password(
    settings: Any, make_user: Callable[..., Any]
) -> None:
    from tests.factories import PASSWORD

    settings.PASSWORD_LOGIN, settings.BREAK_GLASS_ADMIN = False, "root"
    make_user("Recruiter", username="ana")
    make_user("Admin", username="root")
    refused = Client().post("/login/", {"username": "ana", "password": PASSWORD})
    assert refused.status_code == 200 and "Administrator access" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session
    allowed = Client().post("/login/", {"username": "root", "password": PASSWORD})
    assert allowed.status_code == 302


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ISSUER": "https://id.example.com", "OIDC_GROUP_ROLES": "a=Admin"},
         "OIDC_CLIENT_ID"),
        ({"OIDC_ISSUER": "https://id.example.com", "OIDC_CLIENT_ID": "c",
          "OIDC_CLIENT_SECRET": "s"}, "OIDC_GROUP_ROLES: required"),
        ({"OIDC_ISSUER": "https://id.example.com", "OIDC_CLIENT_ID": "c",
          "OIDC_CLIENT_SECRET": "s", "OIDC_GROUP_ROLES": "a=Wizard"}, "'Wizard' is not a role"),
        ({"OIDC_ISSUER": "id.example.com", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s",
          "OIDC_GROUP_ROLES": "a=Admin"}, "https://"),
        ({"PASSWORD_LOGIN": "false"}, "nobody could sign in"),
    ],
)  # fmt: skip
def test_a_bad_sso_configuration_stops_the_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in {"DEBUG": "true", **env}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        Config()
