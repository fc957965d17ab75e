"""Spearman's rho and its Fisher-z interval against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from hiring.reports.statistics import correlation, fisher_interval, ranks, spearman

# The textbook example (Wikipedia, "Spearman's rank correlation coefficient"): IQ against
# hours of TV a week for ten people; rho = -29/165 = -0.1758 (no ties, so 1 - 6 sum d^2 /
# (n (n^2 - 1)) = 1 - 6 * 194 / 990).
IQ = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
TV = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]


def test_rho_of_the_textbook_example() -> None:
    assert spearman(IQ, TV) == pytest.approx(-29 / 165)


def test_ties_share_the_mean_of_their_ranks() -> None:
    assert ranks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2]


def test_rho_with_ties_is_pearson_of_the_mean_ranks() -> None:
    # ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 -> r = 4.5 / sqrt(4.5 * 5) = 0.9487
    assert spearman([1, 2, 2, 3], [10, 20, 30, 40]) == pytest.approx(4.5 / math.sqrt(4.5 * 5))


def test_a_perfect_order_is_one_and_its_reverse_minus_one() -> None:
    assert spearman([1, 2, 3, 4], [2, 4, 8, 16]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [16, 8, 4, 2]) == pytest.approx(-1)


def test_fisher_interval_of_the_textbook_example() -> None:
    # z = atanh(-0.17576) = -0.17761; half-width 1.95996 / sqrt(7) = 0.74079;
    # tanh(-0.91840) = -0.7251, tanh(0.56318) = 0.5104.
    low, high = fisher_interval(-29 / 165, 10)
    assert low == pytest.approx(-0.7251, abs=5e-4)
    assert high == pytest.approx(0.5104, abs=5e-4)


def test_below_the_minimum_no_coefficient_is_given() -> None:
    result = correlation(IQ[:9], TV[:9], minimum=10)
    assert (result.n, result.rho, result.enough) == (9, None, False)


def test_at_the_minimum_the_coefficient_and_interval_are_given() -> None:
    result = correlation(IQ, TV, minimum=10)
    assert result.n == 10 and result.rho == pytest.approx(-0.1758, abs=1e-4)
    assert result.low is not None and result.high is not None
    assert result.low < result.rho < result.high


def test_no_variation_gives_no_coefficient() -> None:
    assert correlation([3] * 12, list(range(12))).rho is None
