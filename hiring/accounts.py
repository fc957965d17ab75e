"""People and their access: API tokens (hashed, shown once) and the audit of account changes.

Django admin is where admins create users, grant roles (groups) and deactivate accounts; its
user admin (hiring.admin) records each of those here. A user with history (audit entries,
scorecards, decisions) is deactivated, never deleted: the history keeps who did what.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from knox.models import AuthToken

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.permissions import ROLES

Actor = AbstractBaseUser | AnonymousUser | None
TOKENS_PER_USER = 10


def person_name(row: Mapping[str, Any], prefix: str) -> str:
    """The name a person shows under, from a `.values()` row that read `{prefix}__first_name`,
    `{prefix}__last_name` and `{prefix}__username`: `User.get_full_name`, else the username."""
    full = f"{row[f'{prefix}__first_name']} {row[f'{prefix}__last_name']}".strip()
    return full or str(row[f"{prefix}__username"])


def tokens_of(user: User) -> QuerySet[AuthToken]:
    return AuthToken.objects.filter(user=user).order_by("-created")


@transaction.atomic
def token_create(*, user: User) -> str:
    """A new API token for `user`; the only time its key is ever readable (hashed at rest)."""
    if tokens_of(user).count() >= TOKENS_PER_USER:
        raise DomainError(
            f"You have {TOKENS_PER_USER} tokens already: revoke one you no longer use first.",
            fields={"token": ["Too many tokens."]},
        )
    token, key = AuthToken.objects.create(user=user, expiry=None)
    audit_record(actor=user, action="token.create", target=user, after={"token": token.token_key})
    return key


@transaction.atomic
def token_revoke(*, token: AuthToken, actor: Actor) -> None:
    """Revoke a token: its owner from the tokens page, or an admin from Django admin."""
    owner, prefix = token.user, token.token_key
    token.delete()
    audit_record(actor=actor, action="token.revoke", target=owner, before={"token": prefix})


def user_record_saved(*, user: User, actor: Actor, created: bool, was_active: bool | None) -> None:
    """Audit an account saved in Django admin: created, deactivated or reactivated."""
    if created:
        audit_record(
            actor=actor, action="user.create", target=user, after={"active": user.is_active}
        )
    elif was_active is not None and was_active != user.is_active:
        action = "user.reactivate" if user.is_active else "user.deactivate"
        audit_record(actor=actor, action=action, target=user, after={"active": user.is_active})


def user_record_roles(*, user: User, actor: Actor, before: Iterable[str]) -> None:
    """Audit the roles granted and removed by one save of an account."""
    old = {name for name in before if name in ROLES}
    new = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    for name in sorted(new - old):
        audit_record(actor=actor, action="role.grant", target=user, after={"role": name})
    for name in sorted(old - new):
        audit_record(actor=actor, action="role.remove", target=user, before={"role": name})


def user_has_history(user: User) -> bool:
    """Whether deleting the account would lose who did something (then: deactivate it)."""
    from hiring.models import AuditEntry

    return AuditEntry.objects.filter(actor=user).exists()
