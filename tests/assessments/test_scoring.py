"""The red-flag scoring rules and calibration: plain functions, unit- and property-tested."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import Card, FlagInfo, QuestionInfo, Rules, summarize

RULES = Rules.from_playbook(None)  # the schema defaults, which the shipped playbook writes out
QUESTIONS = [QuestionInfo(f"q{n}", n, f"Question {n}") for n in range(1, 6)]
FLAGS = [
    FlagInfo("every-project-successful", "Every Project Was Successful", "high"),
    FlagInfo("name-drops", "Name Drops Without Depth", "medium"),
    FlagInfo("vendor-docs", "Architecture Descriptions Match Vendor Documentation", "medium"),
    FlagInfo("tool-opinions", "Strong Opinions on Tools Before Understanding Context", "low"),
]
ORDER = {name: i for i, name in enumerate(scoring.SIGNALS)}


def card(name: str, ratings: list[int], flags: dict[str, str] | None = None, rec: str = "") -> Card:
    return Card(name, {f"q{i + 1}": r for i, r in enumerate(ratings)}, flags or {}, rec)


def run(*cards: Card, rules: Rules = RULES) -> scoring.Summary:
    return summarize(cards, questions=QUESTIONS, flags=FLAGS, rules=rules)


def flag(summary: scoring.Summary, key: str) -> scoring.FlagScore:
    return next(f for f in summary.flags if f.flag.key == key)


def test_a_medium_flag_raised_by_two_interviewers_is_confirmed() -> None:
    summary = run(
        card("Ana", [3, 3], {"name-drops": "Listed Kubeflow, no opinion on it."}),
        card("Ben", [3, 3], {"name-drops": "Could not compare Airflow and Dagster."}),
    )
    assert flag(summary, "name-drops").confirmed
    assert "raised by 2 interviewers" in flag(summary, "name-drops").why


def test_a_medium_flag_raised_by_one_interviewer_is_not_confirmed() -> None:
    summary = run(card("Ana", [3, 3], {"name-drops": "Vague."}), card("Ben", [3, 3]))
    assert not flag(summary, "name-drops").confirmed
    assert summary.signal == scoring.YES
    assert any("not confirmed" in line for line in summary.explanation)


def test_a_high_severity_flag_is_confirmed_by_one_interviewer() -> None:
    summary = run(card("Ana", [3], {"every-project-successful": "No failures, ever."}))
    assert flag(summary, "every-project-successful").confirmed


def test_one_interviewers_two_scorecards_count_as_one_interviewer() -> None:
    summary = run(card("Ana", [3], {"name-drops": "a"}), card("Ana", [3], {"name-drops": "b"}))
    assert flag(summary, "name-drops").count == 1
    assert not flag(summary, "name-drops").confirmed


def test_a_confirmed_high_flag_makes_it_strong_no_whatever_the_ratings() -> None:
    summary = run(
        card("Ana", [2, 2, 3, 2, 2], {"every-project-successful": "Every launch was a success."}),
        card("Ben", [2, 2, 2, 2, 2]),
    )
    assert summary.signal == scoring.STRONG_NO
    assert summary.headline == (
        "Strong no: confirmed red flag 'Every Project Was Successful'; mean rating 2.1; "
        "No on the ratings alone"
    )
    excellent = run(card("Ana", [4, 4, 4], {"every-project-successful": "Only successes."}))
    assert excellent.signal == scoring.STRONG_NO


def test_a_confirmed_medium_flag_lowers_the_signal_one_step() -> None:
    summary = run(
        card("Ana", [4, 4, 3], {"name-drops": "x"}), card("Ben", [4, 4, 3], {"name-drops": "y"})
    )
    assert summary.mean == Fraction(22, 6)
    assert summary.signal == scoring.YES  # Strong yes on the ratings, one step down
    assert any("lower the signal one step" in line for line in summary.explanation)


def test_two_confirmed_medium_flags_reach_the_strong_no_weight() -> None:
    two = {"name-drops": "x", "vendor-docs": "y"}
    summary = run(card("Ana", [4, 4], two), card("Ben", [4, 4], two))
    assert summary.confirmed_weight == 1
    assert summary.signal == scoring.STRONG_NO


@pytest.mark.parametrize(
    ("ratings", "signal"),
    [
        ([4, 3], scoring.STRONG_YES),  # 3.5
        ([3, 3, 3, 3, 3, 3, 3, 2], scoring.YES),  # 2.875
        ([3, 3, 3, 2], scoring.YES),  # exactly 2.75
        ([3, 2, 2, 2], scoring.NO),  # 2.25
        ([2, 2], scoring.NO),  # exactly 2.0
        ([2, 2, 2, 1], scoring.STRONG_NO),  # 1.75
    ],
)
def test_the_mean_rating_gives_the_signal_at_the_playbook_thresholds(
    ratings: list[int], signal: str
) -> None:
    assert run(card("Ana", ratings)).signal == signal


def test_ratings_far_apart_on_one_question_are_called_out() -> None:
    summary = run(card("Ana", [1, 3]), card("Ben", [4, 3]))
    q1 = summary.questions[0]
    assert (q1.spread, q1.disagreement) == (3, True)
    assert not summary.questions[1].disagreement
    assert any("disagree on Q1" in line for line in summary.explanation)


def test_no_scorecard_means_no_signal_yet() -> None:
    summary = run()
    assert summary.signal == scoring.NO_SIGNAL
    assert summary.label == "No signal yet"
    assert summary.explanation == (
        "No scorecard has been submitted yet, so there is nothing to score.",
    )


def test_the_explanation_names_the_thresholds_in_plain_words() -> None:
    summary = run(card("Ana", [3, 3], rec="yes"), card("Ben", [3, 2], rec="no"))
    text = " ".join(summary.explanation)
    assert "4 ratings from 2 interviewers average 2.75" in text
    assert "3.5 or more Strong yes, 2.75 or more Yes, 2 or more No" in text
    assert "Overall recommendations: 1 Yes, 1 No." in text


@pytest.mark.django_db
def test_thresholds_and_weights_come_from_the_playbook_file(tmp_path: Path) -> None:
    from assessments.selectors.scorecards import scoring_rules
    from roles.playbook import DEFAULT_PATH, playbook_load

    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["scoring"].update(
        {"confirm_min_interviewers": 3, "confirm_severities": [], "yes_min_mean": 3.2}
    )
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    playbook_load(path=path)
    rules = scoring_rules()

    assert rules.confirm_min_interviewers == 3 and rules.yes_min_mean == Fraction("3.2")
    summary = run(
        card("Ana", [3, 3, 3], {"every-project-successful": "e"}),
        card("Ben", [3, 3, 3], {"every-project-successful": "e"}),
        rules=rules,
    )
    assert not flag(summary, "every-project-successful").confirmed  # 2 < 3, high not listed
    assert summary.signal == scoring.NO  # mean 3.0 is under the file's 3.2 for Yes


def test_thresholds_out_of_order_are_refused_by_the_schema() -> None:
    from roles.playbook import PlaybookError, playbook_parse
    from roles.playbook_schema import Scoring

    with pytest.raises(ValueError, match="yes_min_mean"):
        Scoring(yes_min_mean=3.8)
    text = Path("playbook/playbook.yaml").read_text(encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"scoring\.yes_min_mean"):
        playbook_parse(text.replace("yes_min_mean: 2.75", "yes_min_mean: 3.9"))


# Properties -----------------------------------------------------------------------------------

names = st.sampled_from(["Ana", "Ben", "Cy", "Dee"])
flag_keys = st.sampled_from([f.key for f in FLAGS])
cards = st.builds(
    Card,
    interviewer=names,
    ratings=st.dictionaries(st.sampled_from([q.key for q in QUESTIONS]), st.integers(1, 4)),
    flags=st.dictionaries(flag_keys, st.text(min_size=1, max_size=20), max_size=3),
    recommendation=st.sampled_from(["", "yes", "no", "strong_yes", "definitely_not"]),
)
rules_strategy = st.builds(
    lambda m, sev, w, lo, mid, hi: Rules(
        confirm_min_interviewers=m,
        confirm_severities=frozenset(sev),
        severity_weights={"low": Fraction(1, 4), "medium": Fraction(1, 2), "high": Fraction(1)},
        strong_no_flag_weight=Fraction(w, 4),
        strong_yes_min_mean=Fraction(hi, 4),
        yes_min_mean=Fraction(mid, 4),
        no_min_mean=Fraction(lo, 4),
        disagreement_spread=2,
    ),
    st.integers(1, 4),
    st.sets(st.sampled_from(["low", "medium", "high"])),
    st.integers(1, 8),
    st.integers(4, 8),
    st.integers(9, 12),
    st.integers(13, 16),
)


def rank(summary: scoring.Summary) -> int:
    return ORDER.get(summary.signal, len(ORDER))


@given(st.lists(cards, max_size=6), rules_strategy)
def test_a_flag_is_confirmed_exactly_when_the_rules_say(deck: list[Card], rules: Rules) -> None:
    summary = run(*deck, rules=rules)
    for score in summary.flags:
        people = {c.interviewer for c in deck if score.flag.key in c.flags}
        expected = bool(people) and (
            len(people) >= rules.confirm_min_interviewers
            or score.flag.severity in rules.confirm_severities
        )
        assert score.confirmed == expected
        assert score.count == len(people)
        assert sorted(e for _, e in score.raised_by) == sorted(
            c.flags[score.flag.key] for c in deck if score.flag.key in c.flags
        )


@given(st.lists(cards, min_size=1, max_size=6), rules_strategy)
def test_means_and_spreads_are_those_of_the_ratings(deck: list[Card], rules: Rules) -> None:
    summary = run(*deck, rules=rules)
    values = [r for c in deck for r in c.ratings.values()]
    assert summary.rating_count == len(values)
    if values:
        assert summary.mean == Fraction(sum(values), len(values))
        assert 1 <= summary.mean <= 4
    for q in summary.questions:
        given_ = [c.ratings[q.question.key] for c in deck if q.question.key in c.ratings]
        assert q.spread == (max(given_) - min(given_) if given_ else None)


@given(st.lists(cards, max_size=6), names, flag_keys, rules_strategy)
def test_raising_another_red_flag_never_improves_the_signal(
    deck: list[Card], who: str, key: str, rules: Rules
) -> None:
    before = run(*deck, rules=rules)
    after = run(*deck, Card(who, {}, {key: "evidence"}), rules=rules)
    if before.signal != scoring.NO_SIGNAL:
        assert rank(after) <= rank(before)


@given(st.lists(cards, min_size=1, max_size=6), st.data())
def test_a_higher_rating_never_lowers_the_signal(deck: list[Card], data: Any) -> None:
    index = data.draw(st.integers(0, len(deck) - 1))
    chosen = deck[index]
    question = data.draw(st.sampled_from([q.key for q in QUESTIONS]))
    current = chosen.ratings.get(question)
    if current is None or current == 4:
        return
    better = Card(chosen.interviewer, {**chosen.ratings, question: current + 1}, chosen.flags)
    improved = [*deck[:index], better, *deck[index + 1 :]]
    assert rank(run(*improved)) >= rank(run(*deck))


@settings(max_examples=50)
@given(st.lists(cards, max_size=6), st.randoms())
def test_the_order_of_scorecards_does_not_matter(deck: list[Card], random: Any) -> None:
    shuffled = list(deck)
    random.shuffle(shuffled)
    a, b = run(*deck), run(*shuffled)
    assert (a.signal, a.mean, a.confirmed_weight) == (b.signal, b.mean, b.confirmed_weight)
    assert [f.confirmed for f in a.flags] == [f.confirmed for f in b.flags]


# Calibration ---------------------------------------------------------------------------------


def test_calibration_counts_disagreements_with_the_final_decision() -> None:
    cards_ = [
        scoring.CalibrationCard("ana", 1, (4, 4), 0, "strong_yes"),  # rejected: disagrees
        scoring.CalibrationCard("ana", 2, (3,), 1, "yes"),  # advanced: agrees
        scoring.CalibrationCard("ana", 3, (2,), 0, "no"),  # hold: not compared
        scoring.CalibrationCard("ben", 1, (1, 2), 2, "no"),  # rejected: agrees
        scoring.CalibrationCard("ben", 4, (2,), 0, "no_decision"),  # not compared
    ]
    result = scoring.calibrate(cards_, {1: "reject", 2: "advance", 3: "hold"})
    ana, ben = result.interviewers
    assert (ana.interviewer, ana.scorecards, ana.compared, ana.disagreements) == ("ana", 3, 2, 1)
    assert ana.disagreement_rate == Fraction(1, 2)
    assert ana.flag_rate == Fraction(1, 3)
    assert ana.distribution == {1: 0, 2: Fraction(1, 4), 3: Fraction(1, 4), 4: Fraction(1, 2)}
    assert (ben.compared, ben.disagreements, ben.flags_per_scorecard) == (1, 0, 1)
    assert result.panel.scorecards == 5
    assert result.panel.mean == Fraction(18, 7)


@given(
    st.lists(
        st.builds(
            scoring.CalibrationCard,
            names,
            st.integers(1, 4),
            st.lists(st.integers(1, 4), max_size=5).map(tuple),
            st.integers(0, 3),
            st.sampled_from(["yes", "no", "strong_yes", "definitely_not", "no_decision"]),
        ),
        max_size=12,
    ),
    st.dictionaries(st.integers(1, 4), st.sampled_from(["advance", "reject", "hold"])),
)
def test_calibration_shares_add_up(deck: list[Any], decisions: dict[int, str]) -> None:
    result = scoring.calibrate(deck, decisions)
    assert sum(p.scorecards for p in result.interviewers) == len(deck)
    for person in (*result.interviewers, result.panel):
        if person.ratings:
            assert sum(person.distribution.values()) == 1
        assert 0 <= person.flag_rate <= 1
        assert 0 <= person.disagreements <= person.compared <= person.scorecards
