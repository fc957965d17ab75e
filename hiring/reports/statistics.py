"""Spearman's rank correlation with its n and a 95 % interval (Fisher z): pure, no ORM.

For predictive validity (does decision-time evidence go with how a hire turned out?). Below
`MIN_N` pairs no coefficient is given: on a few dozen hires a correlation is weak evidence,
and the interval says how weak.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_N = 10
Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class Correlation:
    n: int
    rho: float | None
    low: float | None
    high: float | None
    minimum: int = MIN_N

    @property
    def enough(self) -> bool:
        return self.rho is not None


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties given the mean of the ranks they share."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None  # one side does not vary: no correlation to speak of
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson's r of the ranks (ties averaged)."""
    return pearson(ranks(x), ranks(y))


def fisher_interval(rho: float, n: int) -> tuple[float | None, float | None]:
    """95 % interval by Fisher's z: tanh(atanh(r) ± 1.96 / sqrt(n - 3)); needs n > 3."""
    if n <= 3:
        return None, None
    if abs(rho) >= 1:
        return rho, rho
    z, half = math.atanh(rho), Z_95 / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def correlation(x: Sequence[float], y: Sequence[float], *, minimum: int = MIN_N) -> Correlation:
    n = len(x)
    if n < minimum:
        return Correlation(n=n, rho=None, low=None, high=None, minimum=minimum)
    rho = spearman(x, y)
    if rho is None:
        return Correlation(n=n, rho=None, low=None, high=None, minimum=minimum)
    low, high = fisher_interval(rho, n)
    return Correlation(n=n, rho=rho, low=low, high=high, minimum=minimum)
