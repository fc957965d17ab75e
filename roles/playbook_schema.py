"""The playbook file's shape: pydantic models that validate it before anything is written.

The file (playbook/playbook.yaml) is the source of the product's method: role profiles,
the interview bank, red flags, compensation bands, scoring thresholds and team-plan
rules. A bad file is refused whole, with messages such as
`roles[3].levels[1].band.low: must be below high`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Slug = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)
Severity = Literal["low", "medium", "high"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(Strict):
    """Total cash (base plus annual bonus) for one role at one level."""

    low: int = Field(gt=0)
    high: int = Field(gt=0)
    open_ended: bool = False  # the source writes "$500K+": the high figure is a floor, not a cap
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    effective_date: dt.date
    market_tension: str = Field(min_length=1)
    scope: str = ""  # e.g. "Mature enterprises in major metro markets"

    @model_validator(mode="after")
    def _low_below_high(self) -> Band:
        if self.low >= self.high:
            raise ValueError("low: must be below high")
        return self


class Level(Strict):
    name: str = Field(min_length=1, max_length=60)  # as the source writes it, e.g. "Mid (3-6 yrs)"
    band: Band | None = None
    previous_bands: list[Band] = []


class Guidance(Strict):
    """A piece of advice about a role, with the document it comes from."""

    source: str = Field(min_length=1)  # seed file name, e.g. "003_06b5e818a76a0ffa.txt"
    kind: Literal[
        "summary", "signal", "misrepresented", "focus", "when_to_hire", "interview_signal",
        "checklist", "key_takeaway", "strand", "advice",
    ]  # fmt: skip
    title: str = ""
    text: str = Field(min_length=1)


class HiringSequence(Strict):
    """Where this role sits in the 90-day roadmap of a new AI program."""

    window: str  # "Days 1-30"
    order: int = Field(ge=1)
    title: str
    text: str


class Role(Strict):
    slug: str = Slug
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1)
    signals: list[str] = []  # the five "what to look for" items of 002
    misrepresented: str = ""
    focus: str = ""
    when_to_hire: str = ""
    interview_signal: str = ""
    hiring_sequence: HiringSequence | None = None
    guidance: list[Guidance] = []
    levels: list[Level] = Field(min_length=1)
    interview_loop: list[str] = []  # question keys, in the order they are asked
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_levels(self) -> Role:
        names = [level.name for level in self.levels]
        if len(names) != len(set(names)):
            raise ValueError("levels: level names must be unique within a role")
        return self


class Question(Strict):
    key: str = Slug
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    what_to_hear: str = Field(min_length=1)
    red_flag: str = ""  # question 8 has none in the source: stays empty
    source: str


class RedFlag(Strict):
    key: str = Slug
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    severity: Severity
    questions: list[str] = Field(min_length=1)  # keys of the questions that expose it
    source: str


class Scoring(Strict):
    """Thresholds the red-flag scoring uses; here so they change without a deploy.

    assessments/scoring.py reads them: a red flag is confirmed when at least
    `confirm_min_interviewers` raise it or its severity is in `confirm_severities`; the
    confirmed flags' `severity_weights` add up, and at `strong_no_flag_weight` the signal is
    "Strong no" whatever the ratings (below it, confirmed flags lower the signal one step).
    The mean rating (1-4) gives the signal otherwise: at least `strong_yes_min_mean` is
    "Strong yes", `yes_min_mean` "Yes", `no_min_mean` "No", below that "Strong no".
    Ratings of one question `disagreement_spread` or more apart are called out.
    """

    confirm_min_interviewers: int = Field(default=2, ge=1)
    confirm_severities: list[Severity] = ["high"]
    severity_weights: dict[Severity, Decimal] = {
        "low": Decimal("0.25"), "medium": Decimal("0.5"), "high": Decimal("1"),
    }  # fmt: skip
    strong_no_flag_weight: Decimal = Field(default=Decimal("1"), gt=0)
    strong_yes_min_mean: Decimal = Field(default=Decimal("3.5"), ge=1, le=4)
    yes_min_mean: Decimal = Field(default=Decimal("2.75"), ge=1, le=4)
    no_min_mean: Decimal = Field(default=Decimal("2.0"), ge=1, le=4)
    disagreement_spread: int = Field(default=2, ge=1, le=3)

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Scoring:
        if not self.no_min_mean < self.yes_min_mean < self.strong_yes_min_mean:
            raise ValueError("yes_min_mean: must lie between no_min_mean and strong_yes_min_mean")
        missing = {"low", "medium", "high"} - set(self.severity_weights)
        if missing:
            raise ValueError(f"severity_weights: missing {', '.join(sorted(missing))}")
        if any(weight < 0 for weight in self.severity_weights.values()):
            raise ValueError("severity_weights: weights cannot be negative")
        return self


class TeamRule(Strict):
    """A team-plan warning. Every condition given must hold for the warning to show.

    Counts: "current" is the team today, "planned" the hires planned, "total" both.
    """

    key: str = Slug
    message: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    source: str
    planned_any: list[str] = []  # some role here is among the planned hires
    current_absent: list[str] = []  # none of these roles is on the team today
    total_absent: list[str] = []  # none of these roles is on the team or planned
    total_present_any: list[str] = []  # some role here is on the team or planned
    total_equals: dict[str, int] = {}  # role: exact team-plus-planned count
    only_roles: list[str] = []  # everyone on the team or planned holds one of these roles
    models_in_production_below: int | None = None
    models_in_production_at_least: int | None = None

    @model_validator(mode="after")
    def _has_condition(self) -> TeamRule:
        conditions = [
            self.planned_any, self.current_absent, self.total_absent, self.total_present_any,
            self.total_equals, self.only_roles,
        ]  # fmt: skip
        counts = [self.models_in_production_below, self.models_in_production_at_least]
        if not any(conditions) and all(c is None for c in counts):
            raise ValueError("a rule needs at least one condition")
        return self


class Playbook(Strict):
    version: int = Field(ge=1)
    title: str
    questions: list[Question] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    scoring: Scoring = Scoring()
    team_rules: list[TeamRule] = []

    @model_validator(mode="after")
    def _references(self) -> Playbook:
        question_keys = {q.key for q in self.questions}
        role_slugs = {r.slug for r in self.roles}
        errors: list[str] = []
        _unique(errors, "questions", [q.key for q in self.questions], "key")
        _unique(errors, "questions", [str(q.number) for q in self.questions], "number")
        _unique(errors, "red_flags", [f.key for f in self.red_flags], "key")
        _unique(errors, "roles", [r.slug for r in self.roles], "slug")
        for i, flag in enumerate(self.red_flags):
            for key in flag.questions:
                if key not in question_keys:
                    errors.append(f"red_flags[{i}].questions: unknown question {key!r}")
        for i, role in enumerate(self.roles):
            for key in role.interview_loop:
                if key not in question_keys:
                    errors.append(f"roles[{i}].interview_loop: unknown question {key!r}")
        for i, rule in enumerate(self.team_rules):
            named = [
                *rule.planned_any, *rule.current_absent, *rule.total_absent,
                *rule.total_present_any, *rule.total_equals, *rule.only_roles,
            ]  # fmt: skip
            for slug in named:
                if slug not in role_slugs:
                    errors.append(f"team_rules[{i}]: unknown role {slug!r}")
        if errors:
            raise ValueError("; ".join(errors))
        return self


def _unique(errors: list[str], where: str, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            errors.append(f"{where}[{i}].{field}: duplicate {value!r}")
        seen.add(value)


def validation_messages(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into `roles[3].levels[1].band.low: must be below high` lines."""
    lines = []
    for item in error.errors():
        path = ""
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = item["msg"].removeprefix("Value error, ")
        # A model-level check names its own field first ("low: must be below high").
        if ": " in message and message.split(": ", 1)[0].isidentifier():
            field, message = message.split(": ", 1)
            path = f"{path}.{field}" if path else field
        lines.append(f"{path}: {message}" if path else message)
    return lines
