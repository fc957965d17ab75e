"""Loading is idempotent, versioned, all-or-nothing; export round-trips."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.models import Question, QuestionVersion, RedFlag
from compensation.models import Band
from hiring.models import AuditEntry
from roles.models import RoleProfile, TeamRule
from roles.playbook import (
    DEFAULT_PATH,
    PlaybookError,
    playbook_dump,
    playbook_export,
    playbook_load,
    playbook_parse,
)

pytestmark = pytest.mark.django_db


def shipped() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot() -> dict[str, int]:
    models = [Question, QuestionVersion, RedFlag, RoleProfile, Band, TeamRule, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


def test_loading_twice_changes_nothing(playbook: Any) -> None:
    assert playbook.changed
    before = snapshot()
    again = playbook_load()
    assert not again.changed
    assert snapshot() == before


def test_load_command_says_nothing_changed_the_second_time(playbook: Any) -> None:
    out = StringIO()
    call_command("load_playbook", stdout=out)
    assert "already up to date" in out.getvalue()


def test_changed_question_gets_a_new_version_and_old_text_is_kept(
    playbook: Any, tmp_path: Path
) -> None:
    q1 = Question.objects.select_related("current_version").get(number=1)
    asked = q1.current_version  # what a scorecard recorded against
    original_text = asked.text
    data = shipped()
    data["questions"][0]["text"] = "Tell me about the worst outage you owned."
    playbook_load(path=write(tmp_path, data))

    q1.refresh_from_db()
    assert q1.current_version.version == 2
    assert q1.current_version.text == "Tell me about the worst outage you owned."
    asked.refresh_from_db()
    assert asked.text == original_text and asked.version == 1
    entry = AuditEntry.objects.filter(action="question.version").first()
    assert entry is not None and entry.before["text"] == original_text


def test_band_with_low_above_high_is_refused_naming_the_entry(
    playbook: Any, tmp_path: Path
) -> None:
    before = snapshot()
    data = shipped()
    data["roles"][3]["levels"][0]["band"]["low"] = 999_000
    data["questions"][1]["text"] = "A change that must not be written"
    with pytest.raises(PlaybookError) as refused:
        playbook_load(path=write(tmp_path, data))
    assert "roles[3].levels[0].band.low: must be below high" in refused.value.messages
    assert snapshot() == before
    assert "must not be written" not in Question.objects.get(number=2).current_version.text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["questions"][0].pop("text"), "questions[0].text: Field required"),
        (lambda d: d["red_flags"][2].update(severity="fatal"), "red_flags[2].severity"),
        (
            lambda d: d["roles"][0]["interview_loop"].append("no-such-question"),
            "roles[0].interview_loop: unknown question 'no-such-question'",
        ),
        (lambda d: d["roles"][1].update(slug="Not A Slug"), "roles[1].slug"),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "questions[8].key: duplicate"),
    ],
)
def test_broken_file_is_refused_whole_with_the_field_named(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    data = shipped()
    mutate(data)
    with pytest.raises(PlaybookError) as refused:
        playbook_load(path=write(tmp_path, data))
    assert any(message in line for line in refused.value.messages), refused.value.messages
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_load_command_prints_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\ntitle: x\nquestions: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="refused, nothing was written"):
        call_command("load_playbook", str(path))


def test_export_round_trips_without_loss(playbook: Any, tmp_path: Path) -> None:
    exported = playbook_dump(playbook_export())
    assert playbook_parse(exported) == playbook_parse(DEFAULT_PATH.read_text(encoding="utf-8"))
    out = StringIO()
    call_command("export_playbook", stdout=out)
    assert playbook_parse(out.getvalue()) == playbook_parse(exported)


def test_a_new_effective_date_adds_a_band_beside_the_old_one(playbook: Any, tmp_path: Path) -> None:
    data = shipped()
    level = data["roles"][1]["levels"][0]
    old = dict(level["band"])
    level["band"] = {**old, "low": 170_000, "high": 230_000, "effective_date": "2026-07-01"}
    level["previous_bands"] = [old]
    playbook_load(path=write(tmp_path, data))
    bands = Band.objects.filter(
        level__role__slug=data["roles"][1]["slug"], level__name=level["name"]
    )
    assert sorted((b.low, str(b.effective_date)) for b in bands) == [
        (165_000, "2026-01-01"),
        (170_000, "2026-07-01"),
    ]
    # and the export still carries both
    assert playbook_parse(playbook_dump(playbook_export())).roles[1].levels[0].previous_bands
