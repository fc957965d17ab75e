"""Bad input on the approval-template editor: the page again with the error beside its field
(400; 409 for an editor opened before someone else's save), never a 500, nothing written
(tests/bad_input.py's machinery)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hiring.models import AuditEntry
from hiring.offers.models import ApprovalTemplateStep
from hiring.offers.selectors.approval_templates import fingerprint, template_steps
from hiring.permissions import ADMIN, HIRING_MANAGER
from tests import factories
from tests.approval_templates.support import HM, people, save
from tests.bad_input import (
    ANONYMOUS,
    HUGE_ID,
    REMOVE,
    SCRIPT,
    TOO_LONG,
    Bad,
    World,
    accepted,
    module_world,
    refused,
    two_pipelines,
)

pytestmark = pytest.mark.django_db
WATCHED = [ApprovalTemplateStep, AuditEntry]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        setup = two_pipelines()
        admin = setup.users["admin"]
        # A requisition whose template names someone who has since left.
        gone = factories.UserFactory(roles=[ADMIN], first_name="Gone", last_name="Away")
        left = factories.requisition(title="Left behind")
        save(left, [people("Pair", gone, admin)], admin)
        gone.is_active = False
        gone.save()
        # A requisition whose hiring manager has left.
        former = factories.UserFactory(roles=[HIRING_MANAGER])
        orphan = factories.requisition(title="Orphan", hiring_manager=former)
        former.is_active = False
        former.save()
        yield World(setup.users, {
            "mine": setup.mine.pk, "left": left.pk, "orphan": orphan.pk, "admin": admin.pk,
            "gone": gone.pk, "interviewer": setup.users["interviewer"].pk,
            "seen_none": fingerprint([]), "seen_left": fingerprint(template_steps(left.pk)),
            "stale": fingerprint([HM]),
        })  # fmt: skip


def steps(*rows: dict[str, Any], seen: str = "{seen_none}") -> dict[str, Any]:
    data: dict[str, Any] = {"seen": seen, "count": str(len(rows)), "action": "save"}
    for i, step in enumerate(rows):
        data.update({f"step-{i}-{name}": value for name, value in step.items()})
    return data


BASES: dict[str, dict[str, Any]] = {
    "template": steps(
        {"name": "Hiring manager", "source": "hiring_manager", "required": "1"},
        {"name": "Leads", "source": "people", "people": ["{admin}"], "required": "1"},
    ),
    "left": steps(
        {"name": "Pair", "source": "people", "people": ["{gone}", "{admin}"], "required": "1"},
        seen="{seen_left}",
    ),  # fmt: skip
    "manager": steps({"name": "Hiring manager", "source": "hiring_manager", "required": "1"}),
    "use-default": {"action": "use-default", "seen": "{stale}"},
    "none": {},
}
DEFAULT, MINE = (
    "/offers/approval-templates/default/",
    "/offers/approval-templates/requisitions/{mine}/",
)
S = "step-1-"  # the second step's fields


def row(name: str, changes: dict[str, Any], error: str, url: str = DEFAULT,
        base: str = "template", status: int = 400) -> Bad:  # fmt: skip
    return Bad(name, "admin", "post-form", url, base, changes, status=status, error=error)


NOT_UNDERSTOOD = "The editor's form was not understood"
ROWS = [
    row("no steps", {"count": "0"}, "Add at least one step"),
    row("no step count", {"count": REMOVE}, NOT_UNDERSTOOD),
    row("step count not a number", {"count": "two"}, NOT_UNDERSTOOD),
    row("step count negative", {"count": "-1"}, NOT_UNDERSTOOD),
    row("step count past the maximum", {"count": "11"}, NOT_UNDERSTOOD),
    row("step count past the range", {"count": HUGE_ID}, NOT_UNDERSTOOD),
    row("more steps counted than sent", {"count": "3"}, "This field is required."),
    row("no name", {S + "name": REMOVE}, "This field is required."),
    row("blank name", {S + "name": "   "}, "This field is required."),
    row("name too long", {S + "name": TOO_LONG}, "at most 80 characters"),
    row("markup in a name, and nobody named", {S + "name": SCRIPT, S + "people": []},
        "Name at least one approver."),
    row("unknown source", {S + "source": "carrier-pigeon"}, "not one of the available choices"),
    row("no source", {S + "source": REMOVE}, "This field is required."),
    row("named people, nobody named", {S + "people": []}, "Name at least one approver."),
    row("an interviewer named", {S + "people": ["{interviewer}"]},
        "not one of the available choices"),
    row("an unknown person named", {S + "people": ["999999"]}, "not one of the available choices"),
    row("a person id past the range", {S + "people": [HUGE_ID]},
        "not one of the available choices"),
    row("a person id not a number", {S + "people": ["ada"]}, "not one of the available choices"),
    row("a named person who has left", {}, "Gone Away cannot approve offers",
        "/offers/approval-templates/requisitions/{left}/", "left"),
    row("a hiring manager who has left", {}, "hiring manager cannot approve",
        "/offers/approval-templates/requisitions/{orphan}/", "manager"),
    row("N is 0", {S + "required": "0"}, "greater than or equal to 1"),
    row("N above M", {S + "required": "2"}, "At most 1: this step has 1 approver(s)"),
    row("N above M for the hiring manager", {"step-0-required": "2"}, "At most 1"),
    row("N not a number", {S + "required": "two"}, "Enter a whole number."),
    row("N past the range", {S + "required": HUGE_ID}, "less than or equal to 25"),
    row("N missing", {S + "required": REMOVE}, "This field is required."),
    row("an editor opened before another save", {"seen": "{stale}"},
        "Someone else changed this template", status=409),
    row("use the default from a stale editor", {}, "Someone else changed this template",
        "/offers/approval-templates/requisitions/{left}/", "use-default", 409),
    row("use the default on the default", {}, NOT_UNDERSTOOD, base="use-default"),
    row("unknown button", {"action": "explode"}, NOT_UNDERSTOOD),
    row("move a step that is not there", {"action": "up-7"}, NOT_UNDERSTOOD),
    row("remove without a step", {"action": "remove-"}, NOT_UNDERSTOOD),
    row("a requisition's template with a bad step", {S + "people": []},
        "Name at least one approver.", MINE),
    Bad("a recruiter", "recruiter", "post-form", DEFAULT, "template", status=403),
    Bad("a hiring manager", "manager", "post-form", MINE, "template", status=403),
    Bad("an interviewer opens the editor", "interviewer", "get", DEFAULT, "none", status=403),
    Bad("signed out", ANONYMOUS, "post-form", DEFAULT, "template", status=302),
    Bad("unknown requisition", "admin", "get", "/offers/approval-templates/requisitions/999999/",
        "none", status=404),
    Bad("requisition id past the range", "admin", "post-form",
        f"/offers/approval-templates/requisitions/{HUGE_ID}/", "template", status=404),
]  # fmt: skip


@pytest.mark.parametrize("bad", [pytest.param(r, id=r.name) for r in ROWS])
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, bad: Bad) -> None:
    refused(bad, world, BASES, WATCHED)


GOOD = [
    Bad("save the company default", "admin", "post-form", DEFAULT, "template", status=302),
    Bad("save a requisition's own", "admin", "post-form", MINE, "template", status=302),
]


@pytest.mark.parametrize("good", [pytest.param(r, id=r.name) for r in GOOD])
def test_each_request_by_an_admin_is_accepted_and_written(world: World, good: Bad) -> None:
    accepted(good, world, BASES, WATCHED)
