"""The two ways in: a company account (OpenID Connect, mozilla-django-oidc) and a password.

`CompanyAccountBackend` adds what mozilla-django-oidc leaves to the app: the ID token's
issuer, audience and expiry are checked (it checks only the signature and the nonce), the
endpoints come from the issuer's discovery document, and the user is made or updated by
hiring.sso.services from the claims. `PasswordBackend` is Django's, refusing every password
when PASSWORD_LOGIN is off, but the break-glass admin's (BREAK_GLASS_ADMIN).
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from hiring.compiled import compiled
from hiring.sso.discovery import SETTING_KEYS, endpoint_setting, sso_enabled
from hiring.sso.rules import password_allowed
from hiring.sso.services import BAD_TOKEN, sso_sign_in

LEEWAY_SECONDS = 60  # clocks differ a little between the provider and us
REFUSED_KEY = "sso_refused"  # the session key the refused page reads


def oidc_setting(attr: str, *args: Any) -> Any:
    if attr in SETTING_KEYS and not getattr(settings, attr, None):
        return endpoint_setting(attr)
    return import_from_settings(attr, *args)


class CompanyAccountBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if sso_enabled():
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not sso_enabled() or request is None or "code" not in request.GET:
            return None  # a password sign-in, or SSO off
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation:
            request.session[REFUSED_KEY] = BAD_TOKEN
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as error:  # expired, not yet valid, bad signature: not a 500
            raise SuspiciousOperation(f"ID token refused: {error}") from None
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        now = time.time()
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER.rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if float(payload.get("exp", 0)) < now - LEEWAY_SECONDS:
            raise SuspiciousOperation("ID token expired")
        if float(payload.get("iat", now)) > now + LEEWAY_SECONDS:
            raise SuspiciousOperation("ID token issued in the future")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about someone else")
        result = sso_sign_in(issuer=settings.OIDC_ISSUER, claims={**payload, **userinfo})
        if result.user is None:
            self.request.session[REFUSED_KEY] = result.refused
        return result.user

    def get_user(self, user_id: int) -> Any:
        return PasswordBackend().get_user(user_id)


@compiled
def _user(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id)


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        """The signed-in user of a request (every request asks: a query compiled once)."""
        user = next(iter(_user(user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or not password_allowed(
            username=username,
            password_login=settings.PASSWORD_LOGIN,
            break_glass=settings.BREAK_GLASS_ADMIN,
        ):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
