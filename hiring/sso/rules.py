"""Single sign-on as pure rules: the group-to-role mapping and who may use a password.

OIDC_GROUP_ROLES reads `group=Role,group=Role` (e.g. `hiring-admins=Admin,eng-leads=Hiring
manager`; parsed by hiring.config, which checks it at start-up): a user's roles are those of
their groups that are mapped; unmapped groups give nothing. No ORM in here (an
import-linter contract).
"""

from __future__ import annotations

from hiring.config import parse_group_roles

__all__ = ["parse_group_roles", "password_allowed", "roles_for"]


def roles_for(groups: object, mapping: dict[str, frozenset[str]]) -> frozenset[str]:
    """The roles a user's groups claim gives (a list of names, or one name)."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list | tuple):
        return frozenset()
    return frozenset().union(*(mapping.get(str(g), frozenset()) for g in groups))


def password_allowed(*, username: str, password_login: bool, break_glass: str) -> bool:
    """With PASSWORD_LOGIN off, only the break-glass admin signs in with a password."""
    return password_login or (bool(break_glass) and username == break_glass)
