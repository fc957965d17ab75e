"""Statuses and their transitions: one style for every model that has a status.

Each domain declares its statuses as a `Status` enum (a value and a label per member, like
Django's TextChoices, without the ORM: the maps live in pure modules) and a map of each
status to the statuses allowed next. Its one transition function per model calls
`transition_allowed`, which refuses a move the map does not allow, then saves the status and
writes a history row (old, new, actor, reason, time).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import EnumType, StrEnum
from typing import Any

from hiring.errors import DomainError


class _StatusType(EnumType):
    """Class-level `choices`, `values` and `labels`, as Django's TextChoices has them."""

    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls._members()]

    @property
    def values(cls) -> list[str]:
        return [member.value for member in cls._members()]

    @property
    def labels(cls) -> list[str]:
        return [member.label for member in cls._members()]

    def _members(cls) -> list[Status]:
        return list(cls.__members__.values())

    # Templates call callables; an enum class must be looked into, not called.
    do_not_call_in_templates = True


class Status(StrEnum, metaclass=_StatusType):
    """`DRAFT = "draft", "Draft"`: the stored value and what a reader sees."""

    label: str

    def __new__(cls, value: str, label: str) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @property
    def do_not_call_in_templates(self) -> bool:
        return True


Transitions = Mapping[str, frozenset[str]]


def transition_allowed(
    transitions: Transitions, *, current: str, new: str, what: str, labels: Any = None
) -> bool:
    """False when the status is unchanged (nothing to do); True when the map allows the move.

    Refuses any other move with a DomainError (409: the record's state does not allow it),
    whose message names both statuses in the reader's words.
    """
    if current == new:
        return False
    if new in transitions.get(current, frozenset()):
        return True
    name = labels or {}
    raise DomainError(
        f"This {what} cannot go from {name.get(current, current)} to {name.get(new, new)}.",
        fields={"status": [f"Not allowed from {name.get(current, current)}."]},
        status=409,
    )
