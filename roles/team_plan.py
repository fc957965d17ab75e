"""The team-plan check: which playbook warnings a planned AI team triggers.

Pure functions, no ORM: the rules arrive as data (TeamRule conditions from the playbook)
and every condition a rule names must hold for its warning to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Team:
    current: Mapping[str, int]  # role slug -> people on the team today
    planned: Mapping[str, int]  # role slug -> hires planned
    models_in_production: int = 0

    def total(self, slug: str) -> int:
        return self.current.get(slug, 0) + self.planned.get(slug, 0)


@dataclass(frozen=True)
class Rule:
    key: str
    message: str
    reason: str
    source: str
    conditions: Mapping[str, Any]


@dataclass(frozen=True)
class Warning:
    key: str
    message: str
    reason: str
    source: str


def _holds(name: str, value: Any, team: Team) -> bool:
    if value in (None, [], {}):
        return True  # a condition the rule does not use
    if name == "planned_any":
        return any(team.planned.get(slug, 0) > 0 for slug in value)
    if name == "current_absent":
        return all(team.current.get(slug, 0) == 0 for slug in value)
    if name == "total_absent":
        return all(team.total(slug) == 0 for slug in value)
    if name == "total_present_any":
        return any(team.total(slug) > 0 for slug in value)
    if name == "total_equals":
        return all(team.total(slug) == count for slug, count in value.items())
    if name == "only_roles":
        staffed = {slug for slug in {*team.current, *team.planned} if team.total(slug) > 0}
        return bool(staffed) and staffed <= set(value)
    if name == "models_in_production_below":
        return team.models_in_production < value
    if name == "models_in_production_at_least":
        return team.models_in_production >= value
    raise ValueError(f"unknown team-rule condition {name!r}")


def team_plan_warnings(team: Team, rules: Iterable[Rule]) -> list[Warning]:
    return [
        Warning(key=rule.key, message=rule.message, reason=rule.reason, source=rule.source)
        for rule in rules
        if all(_holds(name, value, team) for name, value in rule.conditions.items())
    ]
