"""The template rules (hiring.offers.rules.check_template): pure, every problem by field."""

from __future__ import annotations

import pytest

from hiring.errors import DomainError
from hiring.offers.rules import MAX_TEMPLATE_STEPS, ApproverSource, TemplateStep, check_template

ABLE = frozenset({1, 2, 3})
NAMES = {1: "Ada", 2: "Ben", 3: "Cy", 9: "Gone"}
POOLS = {ApproverSource.HIRING_MANAGER: (1,), ApproverSource.FINANCE: (2, 3),
         ApproverSource.EXCEPTION: (3,)}  # fmt: skip


def problems(steps: list[TemplateStep], pools: dict | None = None) -> dict[str, list[str]]:
    try:
        check_template(steps, pools=POOLS if pools is None else pools, able=ABLE, names=NAMES)
    except DomainError as error:
        return error.fields
    return {}


def step(source: str = ApproverSource.PEOPLE, people: tuple[int, ...] = (1, 2), required: int = 1,
         name: str = "Leads") -> TemplateStep:  # fmt: skip
    return TemplateStep(name, source, people, required)


def test_a_template_whose_every_step_can_be_approved_passes() -> None:
    steps = [step(ApproverSource.HIRING_MANAGER, ()), step(required=2),
             step(ApproverSource.FINANCE, (), required=2)]  # fmt: skip
    assert problems(steps) == {}


def test_a_template_needs_at_least_one_step_and_at_most_the_maximum() -> None:
    assert "at least one step" in problems([])["steps"][0]
    assert "At most" in problems([step()] * (MAX_TEMPLATE_STEPS + 1))["steps"][0]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_step_name_is_required_and_bounded(name: str) -> None:
    assert "step-0-name" in problems([step(name=name)])


def test_a_named_people_step_needs_someone() -> None:
    assert problems([step(people=())]) == {"step-0-people": ["Name at least one approver."]}


def test_a_named_person_who_cannot_approve_is_named_in_the_error() -> None:
    found = problems([step(people=(1, 9))])
    assert found["step-0-people"][0].startswith("Gone cannot approve offers")


@pytest.mark.parametrize(("people", "required", "ok"), [
    ((1, 2), 0, False), ((1, 2), 1, True), ((1, 2), 2, True), ((1, 2), 3, False),
    ((1, 9), 2, False),  # M counts only those who can approve
])  # fmt: skip
def test_n_must_lie_between_1_and_m(people: tuple[int, ...], required: int, ok: bool) -> None:
    assert ("step-0-required" not in problems([step(people=people, required=required)])) is ok


def test_a_hiring_manager_step_counts_one_approver() -> None:
    found = problems([step(ApproverSource.HIRING_MANAGER, (), required=2)])
    assert found == {"step-0-required": ["At most 1: this step has 1 approver(s) who can approve."]}


def test_the_default_templates_hiring_manager_resolves_at_submit_as_one_person() -> None:
    pools = {**POOLS, ApproverSource.HIRING_MANAGER: None}
    assert problems([step(ApproverSource.HIRING_MANAGER, ())], pools) == {}
    assert "step-0-required" in problems([step(ApproverSource.HIRING_MANAGER, (), 2)], pools)


def test_a_source_resolving_to_nobody_who_can_approve_is_refused_with_what_to_set() -> None:
    pools = {**POOLS, ApproverSource.FINANCE: (9,)}
    found = problems([step(ApproverSource.FINANCE, ())], pools)
    assert "OFFER_FINANCE_APPROVERS" in found["step-0-source"][0]
    inactive_manager = {**POOLS, ApproverSource.HIRING_MANAGER: (9,)}
    found = problems([step(ApproverSource.HIRING_MANAGER, ())], inactive_manager)
    assert "hiring manager cannot approve" in found["step-0-source"][0]


def test_an_unknown_source_is_refused() -> None:
    found = problems([step("carrier-pigeon")])
    assert found == {"step-0-source": ["Choose who approves this step."]}


def test_every_problem_is_reported_at_once_and_the_message_names_the_first_step() -> None:
    with pytest.raises(DomainError) as caught:
        check_template([step(name=""), step(people=(), required=1)], pools=POOLS, able=ABLE,
                       names=NAMES)  # fmt: skip
    assert set(caught.value.fields) == {"step-0-name", "step-1-people"}
    assert caught.value.message.startswith("Check the template. Step 1:")
