"""Loading the playbook file into the database, and writing it back out.

`playbook_load` is idempotent: loading the same file twice changes nothing. A changed
question gets a new version (scorecards keep the version that was asked); a changed
band for the same effective date is corrected in place, and a new effective date adds
a band beside the old ones. Roles, levels and questions missing from the file are kept,
because later records (requisitions, scorecards) may point at them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from pydantic import ValidationError

from assessments.models import Question, RedFlag
from assessments.services.bank import question_new_version, red_flag_update
from compensation.models import Band
from compensation.services import band_upsert
from roles import playbook_schema as schema
from roles.models import LoopQuestion, PlaybookInfo, RoleLevel, RoleProfile, TeamRule
from roles.services import role_update

DEFAULT_PATH = Path(settings.BASE_DIR) / "playbook" / "playbook.yaml"
TEAM_RULE_CONDITIONS = [
    name
    for name in schema.TeamRule.model_fields
    if name not in {"key", "message", "reason", "source"}
]


class PlaybookError(Exception):
    """The file was refused; `messages` name the field and the entry of each problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclasses.dataclass
class LoadReport:
    changes: list[str] = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def playbook_parse(text: str) -> schema.Playbook:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaybookError([f"not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise PlaybookError(["the file must hold a mapping with questions, red_flags and roles"])
    try:
        return schema.Playbook.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError(schema.validation_messages(exc)) from None


def playbook_load(*, path: Path = DEFAULT_PATH, actor: Any = None) -> LoadReport:
    """Validate the whole file first, then write everything in one transaction."""
    playbook = playbook_parse(Path(path).read_text(encoding="utf-8"))
    return playbook_apply(playbook=playbook, actor=actor)


@transaction.atomic
def playbook_apply(*, playbook: schema.Playbook, actor: Any = None) -> LoadReport:
    report = LoadReport()
    _apply_info(playbook, report)
    questions = {q.key: _apply_question(q, actor, report) for q in playbook.questions}
    for flag in playbook.red_flags:
        _apply_red_flag(flag, questions, actor, report)
    for position, role in enumerate(playbook.roles):
        _apply_role(role, position, questions, actor, report)
    _apply_team_rules(playbook.team_rules, report)
    return report


def _apply_info(playbook: schema.Playbook, report: LoadReport) -> None:
    scoring = playbook.scoring.model_dump(mode="json")
    info = PlaybookInfo.objects.first()
    if info and (info.version, info.title, info.scoring) == (
        playbook.version,
        playbook.title,
        scoring,
    ):
        return
    info = info or PlaybookInfo()
    info.version, info.title, info.scoring = playbook.version, playbook.title, scoring
    info.save()
    report.changes.append("playbook header and scoring")


def _apply_question(item: schema.Question, actor: Any, report: LoadReport) -> Question:
    question, _ = Question.objects.get_or_create(key=item.key, defaults={"number": item.number})
    if question.number != item.number:
        question.number = item.number
        question.save(update_fields=["number"])
    wording = {
        "text": item.text,
        "what_to_hear": item.what_to_hear,
        "red_flag": item.red_flag,
        "source": item.source,
    }
    version, created = question_new_version(question=question, wording=wording, actor=actor)
    if created:
        report.changes.append(f"question {question.key}: version {version.version}")
    return question


def _apply_red_flag(
    item: schema.RedFlag, questions: dict[str, Question], actor: Any, report: LoadReport
) -> None:
    fields = item.model_dump(exclude={"key", "questions"})
    flag, created = RedFlag.objects.get_or_create(key=item.key, defaults=fields)
    wanted = {questions[key].pk for key in item.questions}
    if red_flag_update(flag=flag, fields=fields, question_ids=wanted, actor=actor) or created:
        report.changes.append(f"red flag {item.key}")


def _apply_role(
    item: schema.Role,
    position: int,
    questions: dict[str, Question],
    actor: Any,
    report: LoadReport,
) -> None:
    fields = {
        "position": position,
        **item.model_dump(mode="json", exclude={"slug", "levels", "interview_loop"}),
    }
    role, changed = role_update(slug=item.slug, fields=fields, actor=actor)
    if changed:
        report.changes.append(f"role {item.slug}")
    _apply_loop(role, [questions[key] for key in item.interview_loop], report)
    for level_position, level in enumerate(item.levels):
        _apply_level(role, level, level_position, actor, report)


def _apply_loop(role: RoleProfile, questions: list[Question], report: LoadReport) -> None:
    current = list(role.loop.order_by("position").values_list("question_id", flat=True))
    if current == [q.pk for q in questions]:
        return
    role.loop.all().delete()
    LoopQuestion.objects.bulk_create(
        LoopQuestion(role=role, question=q, position=i) for i, q in enumerate(questions)
    )
    report.changes.append(f"role {role.slug}: interview loop")


def _apply_level(
    role: RoleProfile, item: schema.Level, position: int, actor: Any, report: LoadReport
) -> None:
    level, created = RoleLevel.objects.get_or_create(
        role=role, name=item.name, defaults={"position": position}
    )
    if created or level.position != position:
        level.position = position
        level.save(update_fields=["position"])
        report.changes.append(f"role {role.slug}: level {item.name}")
    bands = ([item.band] if item.band else []) + list(item.previous_bands)
    for band in bands:
        figures = band.model_dump(exclude={"currency", "effective_date"})
        _row, changed = band_upsert(
            level=level,
            currency=band.currency,
            effective_date=band.effective_date,
            figures=figures,
            actor=actor,
        )
        if changed:
            report.changes.append(f"band {level} from {band.effective_date}")


def _apply_team_rules(rules: list[schema.TeamRule], report: LoadReport) -> None:
    keep = []
    for position, item in enumerate(rules):
        fields = {
            "position": position,
            "message": item.message,
            "reason": item.reason,
            "source": item.source,
            "conditions": item.model_dump(mode="json", include=set(TEAM_RULE_CONDITIONS)),
        }
        rule = TeamRule.objects.filter(key=item.key).first()
        if rule is None or any(getattr(rule, k) != v for k, v in fields.items()):
            TeamRule.objects.update_or_create(key=item.key, defaults=fields)
            report.changes.append(f"team rule {item.key}")
        keep.append(item.key)
    removed, _ = TeamRule.objects.exclude(key__in=keep).delete()
    if removed:
        report.changes.append(f"{removed} team rule(s) removed")


# Export ---------------------------------------------------------------------------------


def playbook_export() -> schema.Playbook:
    """The database's current content in the file's shape (validated on the way out)."""
    info = PlaybookInfo.objects.get()
    return schema.Playbook(
        version=info.version,
        title=info.title,
        questions=_export_questions(),
        red_flags=_export_red_flags(),
        roles=_export_roles(),
        scoring=schema.Scoring.model_validate(info.scoring),
        team_rules=[
            schema.TeamRule(
                key=r.key, message=r.message, reason=r.reason, source=r.source, **r.conditions
            )
            for r in TeamRule.objects.all()
        ],
    )


def playbook_dump(playbook: schema.Playbook) -> str:
    data = playbook.model_dump(mode="json", exclude_defaults=True)
    data = {"version": playbook.version, **data}  # version first, even when it is 1
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _export_questions() -> list[schema.Question]:
    rows = Question.objects.select_related("current_version").order_by("number")
    return [
        schema.Question(
            key=q.key,
            number=q.number,
            text=q.current_version.text,
            what_to_hear=q.current_version.what_to_hear,
            red_flag=q.current_version.red_flag,
            source=q.current_version.source,
        )
        for q in rows
        if q.current_version is not None
    ]


def _export_red_flags() -> list[schema.RedFlag]:
    return [
        schema.RedFlag(
            key=f.key,
            number=f.number,
            title=f.title,
            explanation=f.explanation,
            severity=f.severity,  # type: ignore[arg-type]
            questions=[q.key for q in sorted(f.questions.all(), key=lambda q: q.number)],
            source=f.source,
        )
        for f in RedFlag.objects.prefetch_related("questions")
    ]


def _export_roles() -> list[schema.Role]:
    roles = RoleProfile.objects.prefetch_related("levels__bands", "loop__question").order_by(
        "position"
    )
    return [_export_role(role) for role in roles]


def _export_role(role: RoleProfile) -> schema.Role:
    levels = []
    for level in sorted(role.levels.all(), key=lambda lv: lv.position):
        bands = sorted(level.bands.all(), key=lambda b: b.effective_date, reverse=True)
        exported = [_export_band(b) for b in bands]
        levels.append(
            schema.Level(
                name=level.name,
                band=exported[0] if exported else None,
                previous_bands=exported[1:],
            )
        )
    loop = sorted(role.loop.all(), key=lambda step: step.position)
    return schema.Role(
        slug=role.slug,
        title=role.title,
        summary=role.summary,
        signals=role.signals,
        misrepresented=role.misrepresented,
        focus=role.focus,
        when_to_hire=role.when_to_hire,
        interview_signal=role.interview_signal,
        hiring_sequence=role.hiring_sequence,
        guidance=role.guidance,
        levels=levels,
        interview_loop=[step.question.key for step in loop],
        sources=role.sources,
    )


def _export_band(band: Band) -> schema.Band:
    return schema.Band(
        low=band.low,
        high=band.high,
        open_ended=band.open_ended,
        currency=band.currency,
        effective_date=band.effective_date,
        market_tension=band.market_tension,
        scope=band.scope,
    )
