"""The loaded playbook says exactly what the source documents say.

Expected figures and texts are read from the source documents themselves
(playbook/sources/), not retyped here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessments.models import Question, RedFlag
from compensation.selectors import bands_in_force
from roles.models import RoleProfile

SOURCES = Path(__file__).resolve().parents[2] / "playbook" / "sources"
GUIDE = (SOURCES / "002_0ef1a51852fec915.txt").read_text(encoding="utf-8")
pytestmark = pytest.mark.usefixtures("playbook")


def source_questions() -> list[tuple[str, str]]:
    """(question, the "What to hear: ..." line after it) for the eight questions."""
    lines = GUIDE.splitlines()
    return [
        (lines[i - 1], line) for i, line in enumerate(lines) if line.startswith("What to hear:")
    ]


def source_red_flags() -> list[tuple[str, str]]:
    lines = GUIDE.splitlines()
    return [(lines[i + 1], lines[i + 2]) for i, line in enumerate(lines) if line == "⚑"]


def source_bands() -> list[tuple[str, str, int, int, bool, str]]:
    table = GUIDE.split("Market Tension |\n", 1)[1].split("On Compensation Negotiations")[0]
    cells = [c.strip() for c in table.replace("\n", "").split("|") if c.strip()]
    rows = []
    for role, level, cash, tension in zip(*[iter(cells)] * 4, strict=True):
        low, high = re.fullmatch(r"\$(\d+)K - \$(\d+)K(\+?)", cash).groups()[:2]  # type: ignore[union-attr]
        rows.append((role, level, int(low) * 1000, int(high) * 1000, cash.endswith("+"), tension))
    return rows


def test_the_bank_holds_the_eight_questions_word_for_word() -> None:
    expected = source_questions()
    assert len(expected) == 8
    questions = list(Question.objects.select_related("current_version").order_by("number"))
    assert [q.current_version.text for q in questions] == [text for text, _ in expected]
    for question, (_text, hear_line) in zip(questions, expected, strict=True):
        version = question.current_version
        rebuilt = f"What to hear: {version.what_to_hear}"
        if version.red_flag:
            rebuilt += f" {version.red_flag}"
        assert rebuilt == hear_line


def test_question_eight_has_no_red_flag_sentence() -> None:
    q8 = Question.objects.select_related("current_version").get(number=8)
    assert q8.current_version.red_flag == ""
    others = Question.objects.exclude(number=8).select_related("current_version")
    assert all(q.current_version.red_flag.startswith("Red flag if") for q in others)


def test_the_eight_red_flags_match_the_source() -> None:
    expected = source_red_flags()
    assert len(expected) == 8
    flags = [(f.title, f.explanation) for f in RedFlag.objects.order_by("number")]
    assert flags == expected


@pytest.mark.parametrize(
    ("flag_title", "question_number"),
    [("Cannot Name Specific Failure Numbers", 1), ("Impact Claims Without Methodology", 5)],
)
def test_red_flags_link_to_the_questions_that_expose_them(
    flag_title: str, question_number: int
) -> None:
    flag = RedFlag.objects.get(title=flag_title)
    assert question_number in {q.number for q in flag.questions.all()}


def test_every_red_flag_has_a_severity_for_scoring() -> None:
    assert set(RedFlag.objects.values_list("severity", flat=True)) <= {"low", "medium", "high"}
    assert RedFlag.objects.filter(severity="high").exists()


def test_the_seven_compensation_bands_match_the_table() -> None:
    expected = source_bands()
    assert len(expected) == 7
    loaded = [
        (b.level.role.title, b.level.name, b.low, b.high, b.open_ended, b.market_tension)
        for b in bands_in_force()
    ]
    assert sorted(loaded) == sorted(expected)
    assert all(b.currency == "USD" for b in bands_in_force())


def test_the_six_roles_of_the_guide_carry_five_signals_each() -> None:
    six = [r for r in RoleProfile.objects.all() if r.signals]
    assert len(six) == 6
    for role in six:
        assert len(role.signals) == 5
        assert all(signal in GUIDE for signal in role.signals)
        assert role.summary in GUIDE
        assert "002_0ef1a51852fec915.txt" in role.sources


@pytest.mark.parametrize(
    ("slug", "source"),
    [
        ("ai-operations-manager", "000_936555e07427ecdb.txt"),
        ("ml-engineer", "001_9fda0d9a18b3f8bd.txt"),
        ("mlops-engineer", "003_06b5e818a76a0ffa.txt"),
        ("ai-product-manager", "004_981b573fcc1073b6.txt"),
    ],
)
def test_roles_from_the_other_documents_quote_their_source(slug: str, source: str) -> None:
    role = RoleProfile.objects.get(slug=slug)
    text = (SOURCES / source).read_text(encoding="utf-8")
    quoted = [g for g in role.guidance if g["source"] == source]
    assert quoted, f"{slug} has no guidance from {source}"
    assert all(g["text"] in text for g in quoted)


def test_ai_operations_manager_has_the_eight_point_checklist() -> None:
    role = RoleProfile.objects.get(slug="ai-operations-manager")
    assert len([g for g in role.guidance if g["kind"] == "checklist"]) == 8


def test_ai_engineer_key_takeaways_and_product_manager_strands() -> None:
    engineer = RoleProfile.objects.get(slug="ml-engineer")
    assert len([g for g in engineer.guidance if g["kind"] == "key_takeaway"]) == 5
    pm = RoleProfile.objects.get(slug="ai-product-manager")
    strands = {g["title"] for g in pm.guidance if g["kind"] == "strand"}
    assert strands == {"Strategic", "Tactical", "Technical"}


def test_data_engineer_keeps_both_sources_guidance() -> None:
    role = RoleProfile.objects.get(slug="ai-data-engineer")
    assert {"002_0ef1a51852fec915.txt", "003_06b5e818a76a0ffa.txt"} <= set(role.sources)
    assert role.when_to_hire == "When data preparation becomes a bottleneck"


def test_every_role_has_levels_and_an_interview_loop_from_the_bank() -> None:
    for role in RoleProfile.objects.prefetch_related("levels", "loop"):
        assert role.levels.exists(), role.slug
        assert role.loop.count() >= 5, role.slug


def test_the_90_day_roadmap_puts_the_engineering_lead_first() -> None:
    lead = RoleProfile.objects.get(slug="ml-engineering-lead")
    assert lead.hiring_sequence["window"] == "Days 1-30"
    assert lead.hiring_sequence["order"] == 1
