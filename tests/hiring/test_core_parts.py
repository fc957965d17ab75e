"""The core's shared parts: ids from user input, statuses and their transitions."""

from __future__ import annotations

import pytest

from hiring.errors import DomainError
from hiring.ids import MAX_ID, parse_id, parse_int
from hiring.statuses import Status, transition_allowed


@pytest.mark.parametrize(
    "text", ["²", "٣", "1.0", " 1", "1 ", "", "-1", "0", str(MAX_ID + 1), "1e3", "0x1", True, None]
)
def test_ids_outside_ascii_digits_or_the_database_range_are_refused(text: object) -> None:
    assert parse_id(text) is None


def test_ids_in_range_are_read() -> None:
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(7) == 7


def test_whole_numbers_respect_their_bounds() -> None:
    assert parse_int("-3", low=-5, high=5) == -3
    assert parse_int("6", low=-5, high=5) is None
    assert parse_int("9" * 30, low=0, high=10**40) is None  # no unbounded int() on input


class Light(Status):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


MAP = {Light.RED: frozenset({Light.GREEN}), Light.GREEN: frozenset({Light.AMBER})}


def test_a_status_reads_like_django_choices() -> None:
    assert Light.choices == [("red", "Red"), ("green", "Green"), ("amber", "Amber")]
    assert Light("green").label == "Green" and Light.GREEN == "green"


def test_a_move_the_map_allows_goes_and_an_unchanged_status_is_nothing_to_do() -> None:
    assert transition_allowed(MAP, current="red", new="green", what="light") is True
    assert transition_allowed(MAP, current="red", new="red", what="light") is False


def test_a_move_the_map_does_not_allow_is_refused_with_409_in_words() -> None:
    labels = dict(Light.choices)
    with pytest.raises(DomainError) as refused:
        transition_allowed(MAP, current="red", new="amber", what="light", labels=labels)
    assert refused.value.status == 409
    assert refused.value.message == "This light cannot go from Red to Amber."
