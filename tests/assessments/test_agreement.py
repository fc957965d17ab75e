"""Do interviewers agree? Krippendorff's alpha, its interval, and each interviewer's offset."""

from __future__ import annotations

import pytest

from assessments import agreement

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: four observers,
# twelve units, values 1-5, missing data. Unit 12 has one value only (not pairable).
OBSERVERS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
PUBLISHED = {"ordinal": 0.815}  # the paper prints nominal .743, ordinal .815, interval .849
FIVE = (1, 2, 3, 4, 5)


def example_units() -> list[dict[str, int]]:
    return [
        {who: values[i] for who, values in OBSERVERS.items() if values[i] is not None}
        for i in range(12)
    ]


def test_ordinal_alpha_of_the_published_example_is_the_printed_value() -> None:
    value = agreement.ordinal_alpha(example_units(), scale=FIVE)
    assert value is not None and round(value, 3) == PUBLISHED["ordinal"]


def test_the_bootstraps_own_formula_gives_the_packages_value() -> None:
    units = example_units()
    assert agreement.alpha_of_coincidences(units, scale=FIVE) == pytest.approx(
        agreement.ordinal_alpha(units, scale=FIVE)
    )


def test_the_example_has_eleven_pairable_units_and_an_interval_around_its_alpha() -> None:
    result = agreement.reliability(example_units(), minimum=10, scale=FIVE)
    assert result.n == 11  # unit 12 was coded by B alone
    assert result.low is not None and result.high is not None
    assert result.low < 0.815 < result.high <= 1


def test_the_interval_is_the_same_on_every_load() -> None:
    assert agreement.bootstrap_alpha(example_units(), scale=FIVE) == agreement.bootstrap_alpha(
        example_units(), scale=FIVE
    )


def test_below_the_minimum_no_alpha_is_given() -> None:
    units = [{"a": 3, "b": 3}, {"a": 1, "b": 2}, {"a": 4}]
    result = agreement.reliability(units, minimum=10)
    assert (result.n, result.alpha, result.enough) == (2, None, False)


def test_at_the_minimum_an_alpha_is_given() -> None:
    units = [{"a": 1 + i % 4, "b": 1 + i % 4} for i in range(10)]
    result = agreement.reliability(units, minimum=10)
    assert result.n == 10 and result.alpha == pytest.approx(1.0)


def test_everybody_giving_the_same_rating_has_no_alpha() -> None:
    assert agreement.ordinal_alpha([{"a": 3, "b": 3}] * 12) is None


def test_a_lenient_interviewer_is_pointed_out_with_their_offset() -> None:
    # On 12 shared candidates, "generous" gives one step more than the other two, who agree.
    units = [{"generous": 4, "x": 3, "y": 3} for _ in range(6)]
    units += [{"generous": 3, "x": 2, "y": 2} for _ in range(6)]
    people = agreement.rater_agreement(units)
    assert people["generous"].leniency == pytest.approx(1.0)
    assert people["generous"].agreement == 0
    assert "1.0 steps higher" in people["generous"].drift
    # x: offset from the mean of (generous, y) = 3 - 3.5 = -0.5 on each unit.
    assert people["x"].leniency == pytest.approx(-0.5)
    assert people["x"].agreement == 1
    assert "0.5 steps lower" in people["x"].drift
    assert people["generous"].spread == pytest.approx(0.5)


def test_nobody_is_pointed_out_on_few_shared_ratings() -> None:
    people = agreement.rater_agreement([{"a": 4, "b": 1}] * (agreement.MIN_SHARED - 1))
    assert people["a"].drift == "" and people["a"].leniency == 3


def test_an_interviewer_alone_on_their_candidates_has_no_offset() -> None:
    people = agreement.rater_agreement([{"solo": 2}, {"solo": 4}])
    assert people["solo"].shared == 0 and people["solo"].leniency is None
    assert people["solo"].spread == pytest.approx(1.0)
