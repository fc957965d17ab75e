"""Red-flag scoring and interviewer calibration: plain functions, no database inside.

`summarize` turns the submitted scorecards of one application into what the debrief shows:
per question the ratings and their spread, per red flag who raised it and with what evidence,
which flags are confirmed, and an overall signal with the reasons that produced it, in words a
hiring manager reads without a manual. Every threshold and weight comes from the playbook's
`scoring` section (`Rules.from_playbook`), never from this file.

The rules, in order:
1. A red flag is **confirmed** when at least `confirm_min_interviewers` interviewers raised it,
   or when one did and its severity is in `confirm_severities`.
2. The confirmed flags' severity weights add up. At `strong_no_flag_weight` or more the signal
   is "Strong no", whatever the ratings.
3. Otherwise the mean of all ratings (1 Definitely not … 4 Strong yes) gives the signal:
   `strong_yes_min_mean` or more "Strong yes", `yes_min_mean` "Yes", `no_min_mean` "No",
   lower "Strong no". Confirmed flags below the Strong-no weight lower it one step.
4. With no rating and no confirmed flag there is no signal yet.

Means are kept as exact fractions so a mean of exactly a threshold is on the right side of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

STRONG_NO, NO, YES, STRONG_YES, NO_SIGNAL = "strong_no", "no", "yes", "strong_yes", "no_signal"
SIGNALS = (STRONG_NO, NO, YES, STRONG_YES)  # worst to best
SIGNAL_LABELS = {
    STRONG_NO: "Strong no",
    NO: "No",
    YES: "Yes",
    STRONG_YES: "Strong yes",
    NO_SIGNAL: "No signal yet",
}
RATING_LABELS = {1: "Definitely not", 2: "No", 3: "Yes", 4: "Strong yes"}
RECOMMENDATION_LABELS = {
    "definitely_not": "Definitely not",
    "no": "No",
    "yes": "Yes",
    "strong_yes": "Strong yes",
    "no_decision": "No decision",
}
POSITIVE = frozenset({"yes", "strong_yes"})
NEGATIVE = frozenset({"no", "definitely_not"})


@dataclass(frozen=True)
class Rules:
    """The playbook's scoring thresholds, as exact numbers."""

    confirm_min_interviewers: int
    confirm_severities: frozenset[str]
    severity_weights: Mapping[str, Fraction]
    strong_no_flag_weight: Fraction
    strong_yes_min_mean: Fraction
    yes_min_mean: Fraction
    no_min_mean: Fraction
    disagreement_spread: int

    @classmethod
    def from_playbook(cls, scoring: Mapping[str, Any] | None) -> Rules:
        """From the playbook's `scoring` mapping (as loaded into PlaybookInfo.scoring)."""
        from roles.playbook_schema import Scoring

        data = Scoring.model_validate(dict(scoring or {}))
        return cls(
            confirm_min_interviewers=data.confirm_min_interviewers,
            confirm_severities=frozenset(data.confirm_severities),
            severity_weights={k: Fraction(v) for k, v in data.severity_weights.items()},
            strong_no_flag_weight=Fraction(data.strong_no_flag_weight),
            strong_yes_min_mean=Fraction(data.strong_yes_min_mean),
            yes_min_mean=Fraction(data.yes_min_mean),
            no_min_mean=Fraction(data.no_min_mean),
            disagreement_spread=data.disagreement_spread,
        )


@dataclass(frozen=True)
class QuestionInfo:
    key: str
    number: int
    text: str = ""


@dataclass(frozen=True)
class FlagInfo:
    key: str
    title: str
    severity: str


@dataclass(frozen=True)
class Card:
    """One submitted scorecard, reduced to what scoring needs."""

    interviewer: str
    ratings: Mapping[str, int]  # question key -> 1..4 (unrated questions left out)
    flags: Mapping[str, str] = field(default_factory=dict)  # raised flag key -> evidence
    recommendation: str = ""


@dataclass(frozen=True)
class QuestionScore:
    question: QuestionInfo
    ratings: tuple[tuple[str, int], ...]  # (interviewer, rating)
    mean: Fraction | None
    spread: int | None
    disagreement: bool


@dataclass(frozen=True)
class FlagScore:
    flag: FlagInfo
    raised_by: tuple[tuple[str, str], ...]  # (interviewer, evidence)
    confirmed: bool
    why: str  # why it is (or is not) confirmed, in words
    weight: Fraction  # its severity weight when confirmed, else 0

    @property
    def count(self) -> int:
        """How many different interviewers raised it (one person's two scorecards count once)."""
        return len({name for name, _ in self.raised_by})


@dataclass(frozen=True)
class Summary:
    signal: str
    headline: str  # "Strong no: confirmed red flag 'Every Project Was Successful'; mean rating 2.1"
    reasons: tuple[str, ...]
    explanation: tuple[str, ...]  # full sentences for the debrief page
    mean: Fraction | None
    rating_count: int
    scorecard_count: int
    questions: tuple[QuestionScore, ...]
    flags: tuple[FlagScore, ...]  # every flag, in the given order, raised or not
    confirmed_weight: Fraction
    recommendations: Mapping[str, int]

    @property
    def label(self) -> str:
        return SIGNAL_LABELS[self.signal]

    @property
    def confirmed_flags(self) -> tuple[FlagScore, ...]:
        return tuple(f for f in self.flags if f.confirmed)


def number_text(value: Fraction) -> str:
    """2.1, 2.75, 3: at most two decimals, no trailing zeros."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def mean_signal(mean: Fraction, rules: Rules) -> str:
    if mean >= rules.strong_yes_min_mean:
        return STRONG_YES
    if mean >= rules.yes_min_mean:
        return YES
    if mean >= rules.no_min_mean:
        return NO
    return STRONG_NO


def step_down(signal: str) -> str:
    """One step worse on the scale; Strong no stays Strong no."""
    return SIGNALS[max(0, SIGNALS.index(signal) - 1)]


def flag_confirmed(count: int, severity: str, rules: Rules) -> bool:
    if count <= 0:
        return False
    return count >= rules.confirm_min_interviewers or severity in rules.confirm_severities


def _flag_why(count: int, severity: str, rules: Rules) -> str:
    people = f"{count} interviewer{'s' if count != 1 else ''}"
    if count >= rules.confirm_min_interviewers:
        return (
            f"raised by {people}; the playbook confirms a flag that "
            f"{rules.confirm_min_interviewers} or more interviewers raise"
        )
    if count and severity in rules.confirm_severities:
        return f"a {severity}-severity flag, so one interviewer's evidence is enough to confirm it"
    if count:
        return (
            f"raised by {people} only; a {severity}-severity flag needs "
            f"{rules.confirm_min_interviewers} interviewers to be confirmed"
        )
    return "not raised"


def score_questions(
    cards: Sequence[Card], questions: Sequence[QuestionInfo], rules: Rules
) -> tuple[QuestionScore, ...]:
    known = {q.key for q in questions}
    extra = sorted({k for c in cards for k in c.ratings if k not in known})
    ordered = [*questions, *(QuestionInfo(key=k, number=0, text=k) for k in extra)]
    result = []
    for question in ordered:
        ratings = tuple(
            (c.interviewer, c.ratings[question.key]) for c in cards if question.key in c.ratings
        )
        values = [r for _, r in ratings]
        mean = Fraction(sum(values), len(values)) if values else None
        spread = (max(values) - min(values)) if values else None
        disagreement = spread is not None and spread >= rules.disagreement_spread
        result.append(QuestionScore(question, ratings, mean, spread, disagreement))
    return tuple(result)


def score_flags(
    cards: Sequence[Card], flags: Sequence[FlagInfo], rules: Rules
) -> tuple[FlagScore, ...]:
    known = {f.key for f in flags}
    extra = sorted({k for c in cards for k in c.flags if k not in known})
    ordered = [*flags, *(FlagInfo(key=k, title=k, severity="medium") for k in extra)]
    result = []
    for flag in ordered:
        raised_by = tuple((c.interviewer, c.flags[flag.key]) for c in cards if flag.key in c.flags)
        people = len({name for name, _ in raised_by})
        confirmed = flag_confirmed(people, flag.severity, rules)
        weight = (
            rules.severity_weights.get(flag.severity, Fraction(0)) if confirmed else Fraction(0)
        )
        why = _flag_why(people, flag.severity, rules)
        result.append(FlagScore(flag, raised_by, confirmed, why, weight))
    return tuple(result)


def summarize(
    cards: Iterable[Card],
    *,
    questions: Sequence[QuestionInfo],
    flags: Sequence[FlagInfo],
    rules: Rules,
) -> Summary:
    """The scoring summary of one application's submitted scorecards."""
    cards = list(cards)
    question_scores = score_questions(cards, questions, rules)
    flag_scores = score_flags(cards, flags, rules)
    values = [r for c in cards for r in c.ratings.values()]
    mean = Fraction(sum(values), len(values)) if values else None
    confirmed = [f for f in flag_scores if f.confirmed]
    weight = sum((f.weight for f in confirmed), Fraction(0))
    base = mean_signal(mean, rules) if mean is not None else None

    if weight >= rules.strong_no_flag_weight and confirmed:
        signal = STRONG_NO
    elif confirmed:
        signal = step_down(base) if base else NO
    else:
        signal = base or NO_SIGNAL

    reasons = [f"confirmed red flag '{f.flag.title}'" for f in confirmed]
    if mean is not None:
        reasons.append(f"mean rating {number_text(mean)}")
        if base is not None and signal != base:
            reasons.append(f"{SIGNAL_LABELS[base]} on the ratings alone")
    elif signal == NO_SIGNAL:
        reasons.append("no submitted ratings yet")
    recommendations = Counter(c.recommendation for c in cards if c.recommendation)
    headline = f"{SIGNAL_LABELS[signal]}: {'; '.join(reasons)}"
    explanation = _explain(
        cards, values, mean, base, signal, flag_scores, weight, question_scores, rules
    )
    return Summary(
        signal=signal,
        headline=headline,
        reasons=tuple(reasons),
        explanation=explanation,
        mean=mean,
        rating_count=len(values),
        scorecard_count=len(cards),
        questions=question_scores,
        flags=flag_scores,
        confirmed_weight=weight,
        recommendations=dict(recommendations),
    )


def _explain(
    cards: Sequence[Card],
    values: Sequence[int],
    mean: Fraction | None,
    base: str | None,
    signal: str,
    flags: Sequence[FlagScore],
    weight: Fraction,
    questions: Sequence[QuestionScore],
    rules: Rules,
) -> tuple[str, ...]:
    lines = []
    if not cards:
        return ("No scorecard has been submitted yet, so there is nothing to score.",)
    people = len({c.interviewer for c in cards})
    scale = (
        f"The playbook calls a mean of {number_text(rules.strong_yes_min_mean)} or more "
        f"Strong yes, {number_text(rules.yes_min_mean)} or more Yes, "
        f"{number_text(rules.no_min_mean)} or more No, and anything lower Strong no."
    )
    if mean is None:
        lines.append(f"No question was rated on the {len(cards)} submitted scorecard(s).")
    else:
        lines.append(
            f"{len(values)} rating{'s' if len(values) != 1 else ''} from {people} "
            f"interviewer{'s' if people != 1 else ''} average {number_text(mean)} on the "
            "four-point scale (1 Definitely not, 2 No, 3 Yes, 4 Strong yes). " + scale
        )
    for flag in flags:
        if flag.confirmed:
            lines.append(f"Red flag '{flag.flag.title}' is confirmed: {flag.why}.")
        elif flag.raised_by:
            lines.append(
                f"Red flag '{flag.flag.title}' is not confirmed: {flag.why}. "
                "Ask the panel about it."
            )
    if weight:
        weights = ", ".join(
            f"{name} {number_text(rules.severity_weights[name])}"
            for name in ("high", "medium", "low")
            if name in rules.severity_weights
        )
        limit = number_text(rules.strong_no_flag_weight)
        if signal == STRONG_NO and weight >= rules.strong_no_flag_weight:
            effect = f"that reaches {limit}, so the signal is Strong no whatever the ratings."
        elif base is not None:
            effect = (
                f"below {limit} they lower the signal one step, from "
                f"{SIGNAL_LABELS[base]} to {SIGNAL_LABELS[signal]}."
            )
        else:
            effect = f"below {limit}, and with no ratings, the signal is {SIGNAL_LABELS[signal]}."
        lines.append(
            f"Confirmed red flags weigh {number_text(weight)} in total (each {weights}); {effect}"
        )
    for q in questions:
        if q.disagreement and q.ratings:
            low = min(r for _, r in q.ratings)
            high = max(r for _, r in q.ratings)
            lines.append(
                f"Interviewers disagree on Q{q.question.number} (ratings from {low} "
                f"{RATING_LABELS.get(low, '')} to {high} {RATING_LABELS.get(high, '')}): "
                "talk it through before deciding."
            )
    tally = Counter(c.recommendation for c in cards if c.recommendation)
    if tally:
        order = ["strong_yes", "yes", "no", "definitely_not", "no_decision"]
        parts = [f"{tally[k]} {RECOMMENDATION_LABELS[k]}" for k in order if tally.get(k)]
        lines.append(f"Overall recommendations: {', '.join(parts)}.")
    return tuple(lines)


# Calibration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationCard:
    """One submitted scorecard for calibration: who, on which application, what they gave."""

    interviewer: str
    application: int
    ratings: tuple[int, ...]
    flags_raised: int
    recommendation: str = ""


@dataclass(frozen=True)
class InterviewerCalibration:
    interviewer: str
    scorecards: int
    ratings: int
    distribution: Mapping[int, Fraction]  # rating -> share of this interviewer's ratings
    mean: Fraction | None
    flag_rate: Fraction  # share of their scorecards with at least one red flag raised
    flags_per_scorecard: Fraction
    compared: int  # scorecards on applications with a final advance/reject decision
    disagreements: int  # recommendation pointed the other way from that decision

    @property
    def disagreement_rate(self) -> Fraction | None:
        return Fraction(self.disagreements, self.compared) if self.compared else None


@dataclass(frozen=True)
class Calibration:
    interviewers: tuple[InterviewerCalibration, ...]
    panel: InterviewerCalibration  # everyone in scope together


def _distribution(ratings: Sequence[int]) -> dict[int, Fraction]:
    counts = Counter(ratings)
    total = len(ratings)
    return {r: Fraction(counts.get(r, 0), total) if total else Fraction(0) for r in (1, 2, 3, 4)}


def disagrees(recommendation: str, decision: str) -> bool | None:
    """True/False when comparable; None for "No decision", a hold or no final decision."""
    if decision not in ("advance", "reject"):
        return None
    if recommendation in POSITIVE:
        return decision == "reject"
    if recommendation in NEGATIVE:
        return decision == "advance"
    return None


def _stats(
    name: str, cards: Sequence[CalibrationCard], decisions: Mapping[int, str]
) -> InterviewerCalibration:
    ratings = [r for c in cards for r in c.ratings]
    compared = disagreements = 0
    for card in cards:
        verdict = disagrees(card.recommendation, decisions.get(card.application, ""))
        if verdict is not None:
            compared += 1
            disagreements += int(verdict)
    n = len(cards)
    return InterviewerCalibration(
        interviewer=name,
        scorecards=n,
        ratings=len(ratings),
        distribution=_distribution(ratings),
        mean=Fraction(sum(ratings), len(ratings)) if ratings else None,
        flag_rate=Fraction(sum(1 for c in cards if c.flags_raised), n) if n else Fraction(0),
        flags_per_scorecard=Fraction(sum(c.flags_raised for c in cards), n) if n else Fraction(0),
        compared=compared,
        disagreements=disagreements,
    )


def calibrate(cards: Iterable[CalibrationCard], decisions: Mapping[int, str]) -> Calibration:
    """Per interviewer: how many scorecards, how they rate against the panel, how often they
    raise red flags, and how often their recommendation went against the final decision.

    `decisions` maps an application to its current decision outcome ("advance", "reject",
    "hold"); applications without one are left out of the disagreement count.
    """
    cards = list(cards)
    by_person: dict[str, list[CalibrationCard]] = {}
    for card in cards:
        by_person.setdefault(card.interviewer, []).append(card)
    people = tuple(
        _stats(name, rows, decisions)
        for name, rows in sorted(by_person.items(), key=lambda item: (-len(item[1]), item[0]))
    )
    return Calibration(interviewers=people, panel=_stats("Panel", cards, decisions))


# The decision's snapshot ----------------------------------------------------------------------


def snapshot(summary: Summary, recommendations: Sequence[tuple[int, str]] = ()) -> dict[str, Any]:
    """The summary as it was when a decision was made, as plain JSON: kept on the decision so
    a hire can be explained later from the evidence, whatever the playbook says by then.

    `recommendations`: (interviewer id, recommendation) of each submitted scorecard."""

    def number(value: Fraction | None) -> float | None:
        return None if value is None else round(float(value), 4)

    return {
        "signal": summary.signal,
        "label": summary.label,
        "headline": summary.headline,
        "reasons": list(summary.reasons),
        "explanation": list(summary.explanation),
        "mean": number(summary.mean),
        "rating_count": summary.rating_count,
        "scorecard_count": summary.scorecard_count,
        "questions": [
            {
                "key": q.question.key,
                "number": q.question.number,
                "text": q.question.text,
                "mean": number(q.mean),
                "ratings": [rating for _, rating in q.ratings],
            }
            for q in summary.questions
        ],
        "flags": [
            {
                "key": f.flag.key,
                "title": f.flag.title,
                "raised": f.count,
                "confirmed": f.confirmed,
                "why": f.why,
            }
            for f in summary.flags
        ],
        "recommendations": [
            {"interviewer": who, "recommendation": rec} for who, rec in recommendations if rec
        ],
    }


def against_evidence(summary: Summary) -> bool:
    """Advancing this candidate goes against the evidence: the signal is Strong no, or a red
    flag is confirmed. Such an advance needs a confirmation and a written reason, kept with
    the decision (services.decisions)."""
    return summary.signal == STRONG_NO or bool(summary.confirmed_flags)
