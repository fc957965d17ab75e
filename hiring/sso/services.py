"""Signing in with a company account: the user made on the first sign-in, kept up to date.

The roles come from the provider's groups claim through OIDC_GROUP_ROLES on every sign-in:
granted and removed as the groups change (each change audited as Django admin's are). A
company account whose groups map to no role gets no account here: the sign-in is refused
with the reason, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from hiring.accounts import user_record_roles
from hiring.audit import audit_record
from hiring.permissions import ROLES
from hiring.sso.models import Identity
from hiring.sso.rules import parse_group_roles, roles_for

NO_ROLE = "no-role"
INACTIVE = "inactive"
BAD_TOKEN = "bad-token"  # noqa: S105 - a reason, not a secret


@dataclass(frozen=True)
class SignIn:
    user: User | None
    refused: str = ""  # NO_ROLE, INACTIVE, BAD_TOKEN


def group_roles() -> dict[str, frozenset[str]]:
    return parse_group_roles(settings.OIDC_GROUP_ROLES, ROLES)


@transaction.atomic
def sso_sign_in(*, issuer: str, claims: dict[str, Any]) -> SignIn:
    """The user for a verified set of claims: found by (issuer, sub), else created."""
    roles = roles_for(claims.get(settings.OIDC_GROUPS_CLAIM), group_roles())
    if not roles:
        return SignIn(None, NO_ROLE)
    subject = str(claims["sub"])
    # The bare row locked first, then read with its user (a locking join may miss a row).
    locked = Identity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
    identity = (
        Identity.objects.select_related("user").get(pk=locked.pk) if locked is not None else None
    )
    if identity is None:
        user = _user_create(claims)
        identity = Identity.objects.create(user=user, issuer=issuer, subject=subject)
        audit_record(actor=None, action="user.create", target=user, after={"sso": issuer})
    else:
        user = identity.user
        if not user.is_active:
            return SignIn(None, INACTIVE)
        _profile_update(user, claims)
    _roles_set(user, roles)
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    return SignIn(user)


def _user_create(claims: dict[str, Any]) -> User:
    wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    base = wanted.split("@")[0][:140] or "user"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User(username=username)
    _profile_fields(user, claims)
    user.set_unusable_password()  # signs in through the provider only
    user.save()
    return user


def _profile_fields(user: User, claims: dict[str, Any]) -> None:
    user.email = str(claims.get("email") or "")[:254]
    user.first_name = str(claims.get("given_name") or "")[:150]
    user.last_name = str(claims.get("family_name") or "")[:150]


def _profile_update(user: User, claims: dict[str, Any]) -> None:
    before = (user.email, user.first_name, user.last_name)
    _profile_fields(user, claims)
    if (user.email, user.first_name, user.last_name) != before:
        user.save(update_fields=["email", "first_name", "last_name"])


def _roles_set(user: User, roles: frozenset[str]) -> None:
    """The user's roles become exactly `roles`; groups that are not roles are kept."""
    before = list(user.groups.values_list("name", flat=True))
    if set(before) & set(ROLES) == roles:
        return
    keep = list(user.groups.exclude(name__in=ROLES))
    user.groups.set([*keep, *Group.objects.filter(name__in=roles)])
    user_record_roles(user=user, actor=None, before=before)
