"""The provider's endpoints, read from its discovery document once per process.

Only the issuer is configured; the authorization, token, userinfo, JWKS and end-session
endpoints come from `<issuer>/.well-known/openid-configuration`, fetched at the first
sign-in (never at start-up: the app starts while the provider is down) and kept.
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_documents: dict[str, dict[str, Any]] = {}
SETTING_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def document() -> dict[str, Any]:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    if not issuer:
        raise ImproperlyConfigured("OIDC_ISSUER is not set: single sign-on is off")
    if issuer not in _documents:
        answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        answer.raise_for_status()
        _documents[issuer] = answer.json()
    return _documents[issuer]


def endpoint_setting(attr: str) -> str | None:
    """A mozilla-django-oidc endpoint setting, from the discovery document."""
    return document().get(SETTING_KEYS[attr])
