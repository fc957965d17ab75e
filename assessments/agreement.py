"""Do interviewers agree? Krippendorff's alpha and each interviewer's offset: pure, no ORM.

A *unit* is what several interviewers rated: one question of one candidate (per question), and
every (candidate, question) pair (over all questions). Only units rated by two or more
interviewers say anything about agreement; below `MIN_UNITS` of them no alpha is shown.

The point estimate comes from the `krippendorff` package (ordinal metric over the whole 1-4
scale). Its 95 % interval is a bootstrap over units: resample the units with replacement and
recompute alpha from their coincidences, vectorised (1,000 resamples in a few milliseconds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

SCALE = (1, 2, 3, 4)
MIN_UNITS = 10  # units rated by 2+ interviewers before an alpha is shown
MIN_SHARED = 10  # an interviewer's ratings shared with others before they can be pointed out
DRIFT_OFFSET = 0.5  # mean offset from the others, in rating steps, that is pointed out
DRIFT_AGREEMENT = 0.5  # agreement with the panel below this is pointed out
BOOTSTRAP_SAMPLES = 1000

Unit = Mapping[str, int]  # interviewer -> rating


@dataclass(frozen=True)
class Reliability:
    n: int  # units rated by two or more interviewers
    alpha: float | None  # None: fewer than the minimum, or no variation at all
    low: float | None  # bootstrap 95 % interval
    high: float | None
    minimum: int = MIN_UNITS

    @property
    def enough(self) -> bool:
        return self.alpha is not None


def _pairable(units: Sequence[Unit]) -> list[Unit]:
    return [u for u in units if len(u) >= 2]


def _value_counts(units: Sequence[Unit], scale: Sequence[int]) -> np.ndarray:
    column = {value: i for i, value in enumerate(scale)}
    counts = np.zeros((len(units), len(scale)))
    for row, unit in enumerate(units):
        for rating in unit.values():
            counts[row, column[rating]] += 1
    return counts


def ordinal_alpha(units: Sequence[Unit], *, scale: Sequence[int] = SCALE) -> float | None:
    """Krippendorff's alpha, ordinal, of the units (None when it is undefined)."""
    pairable = _pairable(units)
    if not pairable:
        return None
    counts = _value_counts(pairable, scale)
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return None  # everybody gave the same rating: no expected disagreement to compare to
    value = krippendorff.alpha(
        value_counts=counts, value_domain=list(scale), level_of_measurement="ordinal"
    )
    return float(value)


def _coincidences(counts: np.ndarray) -> np.ndarray:
    """Per unit, its coincidence matrix (units x V x V): sum over pairs of its values."""
    m = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    diag = np.einsum("uv,vw->uvw", counts, np.eye(counts.shape[1]))
    return (outer - diag) / (m - 1)[:, None, None]


def _alpha_from(coincidence: np.ndarray) -> np.ndarray:
    """Ordinal alpha of each of B coincidence matrices (B x V x V), NaN when undefined."""
    totals = coincidence.sum(axis=2)  # n_c, B x V
    n = totals.sum(axis=1)
    cumulative = np.cumsum(totals, axis=1)
    v = totals.shape[1]
    lo, hi = np.triu_indices(v)
    delta = np.zeros((coincidence.shape[0], v, v))
    # Ordinal distance between c <= k: (sum of n_g for g in c..k) - (n_c + n_k) / 2, squared.
    span = cumulative[:, hi] - np.where(lo > 0, cumulative[:, np.maximum(lo - 1, 0)], 0)
    value = (span - (totals[:, lo] + totals[:, hi]) / 2) ** 2
    delta[:, lo, hi] = value
    delta[:, hi, lo] = value
    observed = (coincidence * delta).sum(axis=(1, 2))
    expected = (totals[:, :, None] * totals[:, None, :] * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * observed / expected, np.nan)


def bootstrap_alpha(
    units: Sequence[Unit],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = 16,
    scale: Sequence[int] = SCALE,
) -> tuple[float | None, float | None]:
    """The 2.5th and 97.5th percentiles of alpha over units resampled with replacement.

    Seeded, so a page shows the same interval on every load."""
    pairable = _pairable(units)
    if len(pairable) < 2:
        return None, None
    n = len(pairable)
    per_unit = _coincidences(_value_counts(pairable, scale)).reshape(n, -1)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(samples, n)) + np.arange(samples)[:, None] * n
    weights = np.bincount(picks.ravel(), minlength=samples * n).reshape(samples, n)
    v = len(scale)
    values = _alpha_from((weights @ per_unit).reshape(samples, v, v))
    values = values[~np.isnan(values)]
    if not len(values):
        return None, None
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def alpha_of_coincidences(units: Sequence[Unit], *, scale: Sequence[int] = SCALE) -> float | None:
    """Alpha by the bootstrap's own formula on the units as they are (checks it in tests)."""
    pairable = _pairable(units)
    if not pairable:
        return None
    per_unit = _coincidences(_value_counts(pairable, scale))
    value = _alpha_from(per_unit.sum(axis=0)[None])[0]
    return None if math.isnan(value) else float(value)


def reliability(
    units: Sequence[Unit], *, minimum: int = MIN_UNITS, scale: Sequence[int] = SCALE
) -> Reliability:
    """Alpha with its n and bootstrap interval; no number below `minimum` overlapping units."""
    n = len(_pairable(units))
    if n < minimum:
        return Reliability(n=n, alpha=None, low=None, high=None, minimum=minimum)
    alpha = ordinal_alpha(units, scale=scale)
    low, high = bootstrap_alpha(units, scale=scale) if alpha is not None else (None, None)
    return Reliability(n=n, alpha=alpha, low=low, high=high, minimum=minimum)


# Each interviewer against the others ----------------------------------------------------------


@dataclass(frozen=True)
class RaterAgreement:
    interviewer: str
    ratings: int  # all their ratings
    shared: int  # their ratings on units someone else rated too
    leniency: float | None  # mean of (their rating - the others' mean) on shared units
    spread: float | None  # standard deviation of their ratings
    agreement: float | None  # share of shared ratings within half a step of the others' mean
    drift: str  # why they are pointed out; "" when they are not


def rater_agreement(units: Sequence[Unit]) -> dict[str, RaterAgreement]:
    """Per interviewer: leniency, spread, agreement with the panel, and whether they drift.

    Pointed out (with `MIN_SHARED` shared ratings or more): a mean offset of `DRIFT_OFFSET`
    steps or more from the others on the same candidates, or agreement below
    `DRIFT_AGREEMENT`."""
    own: dict[str, list[int]] = {}
    offsets: dict[str, list[float]] = {}
    for unit in units:
        for rater, rating in unit.items():
            own.setdefault(rater, []).append(rating)
            others = [r for who, r in unit.items() if who != rater]
            if others:
                offsets.setdefault(rater, []).append(rating - sum(others) / len(others))
    result = {}
    for rater, ratings in own.items():
        diffs = offsets.get(rater, [])
        leniency = sum(diffs) / len(diffs) if diffs else None
        agreement = sum(1 for d in diffs if abs(d) <= 0.5) / len(diffs) if diffs else None
        mean = sum(ratings) / len(ratings)
        spread = math.sqrt(sum((r - mean) ** 2 for r in ratings) / len(ratings))
        result[rater] = RaterAgreement(
            interviewer=rater,
            ratings=len(ratings),
            shared=len(diffs),
            leniency=leniency,
            spread=spread,
            agreement=agreement,
            drift=_drift(len(diffs), leniency, agreement),
        )
    return result


def _drift(shared: int, leniency: float | None, agreement: float | None) -> str:
    if shared < MIN_SHARED or leniency is None or agreement is None:
        return ""
    if leniency >= DRIFT_OFFSET:
        return f"rates {leniency:.1f} steps higher than the others on the same candidates"
    if leniency <= -DRIFT_OFFSET:
        return f"rates {-leniency:.1f} steps lower than the others on the same candidates"
    if agreement < DRIFT_AGREEMENT:
        return f"agrees with the others on only {agreement:.0%} of shared ratings"
    return ""
