"""The approval-template pages: who may open them, the editor's errors beside their fields,
its buttons rearranging without writing, saving and going back to the default, the chain on
the requisition's board, and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hiring.models import AuditEntry
from hiring.offers.models import ApprovalTemplateStep
from hiring.offers.selectors.approval_templates import fingerprint, template_steps
from hiring.permissions import ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER
from tests import factories
from tests.approval_templates.support import FINANCE, HM, people, save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("playbook")]
DEFAULT, LIST = "/offers/approval-templates/default/", "/offers/approval-templates/"


def own(requisition: Any) -> str:
    return f"/offers/approval-templates/requisitions/{requisition.pk}/"


@pytest.fixture
def admin() -> Any:
    return factories.UserFactory(roles=[ADMIN], first_name="Adm", last_name="In")


@pytest.fixture
def admin_client(admin: Any) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def posted(steps: list[dict[str, Any]], *, seen: str, action: str = "save") -> dict[str, Any]:
    data: dict[str, Any] = {"seen": seen, "count": str(len(steps)), "action": action}
    for i, step in enumerate(steps):
        data.update({f"step-{i}-{name}": value for name, value in step.items()})
    return data


def row(name: str, source: str = "people", required: str = "1", **more: Any) -> dict[str, Any]:
    return {"name": name, "source": source, "required": required, **more}


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(roles=list(roles)))
    return client


@pytest.mark.parametrize("roles", [[RECRUITER], [HIRING_MANAGER], [INTERVIEWER],
                                   [RECRUITER, HIRING_MANAGER]])  # fmt: skip
def test_only_admins_open_the_template_pages(roles: list[str]) -> None:
    requisition = factories.requisition()
    client = signed_in(*roles)
    for url in (LIST, DEFAULT, own(requisition)):
        assert client.get(url).status_code == 403
        assert client.post(url, posted([], seen="")).status_code == 403
    assert not ApprovalTemplateStep.objects.exists()


def test_the_default_editor_starts_from_the_built_in_chain(admin_client: Client) -> None:
    page = admin_client.get(DEFAULT).content.decode()
    assert "No company default is saved yet" in page
    assert 'value="Hiring manager"' in page and 'value="Finance/HR"' in page


def test_n_above_m_is_shown_beside_its_field_and_nothing_is_written(
    admin_client: Client, admin: Any
) -> None:
    ada = factories.UserFactory(roles=[HIRING_MANAGER])
    data = posted([row("Hiring manager", "hiring_manager"),
                   row("Pair", people=[ada.pk, admin.pk], required="3")],
                  seen=fingerprint([]))  # fmt: skip
    response = admin_client.post(DEFAULT, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Check the template. Step 2: At most 2" in page
    assert 'id="id_step-1-required_error">At most 2: this step has 2 approver(s)' in page
    assert 'value="Pair"' in page  # what was typed comes back
    assert (
        not ApprovalTemplateStep.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="approval_template").exists()
    )


def test_a_bad_second_step_leaves_the_saved_template_whole(
    admin_client: Client, admin: Any
) -> None:
    save(None, [HM, FINANCE], admin)
    rows = list(ApprovalTemplateStep.objects.values())
    data = posted([row("Only this", "finance"), row("", "people")],
                  seen=fingerprint(template_steps(None)))  # fmt: skip
    response = admin_client.post(DEFAULT, data)
    assert response.status_code == 400
    assert 'id="id_step-1-name_error">This field is required.' in response.content.decode()
    assert list(ApprovalTemplateStep.objects.values()) == rows


def test_the_buttons_rearrange_in_place_without_writing(admin_client: Client) -> None:
    seen = fingerprint([])
    steps = [row("First", "hiring_manager"), row("Second", "finance")]
    added = admin_client.post(DEFAULT, posted(steps, seen=seen, action="add"),
                              HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert added.startswith("<form") or added.lstrip().startswith("<form")
    assert 'name="step-2-name"' in added and "autofocus" in added
    moved = admin_client.post(DEFAULT, posted(steps, seen=seen, action="up-1"),
                              HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert moved.index('value="Second"') < moved.index('value="First"')
    removed = admin_client.post(DEFAULT, posted(steps, seen=seen, action="remove-0"),
                                HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert 'value="First"' not in removed and 'name="step-1-name"' not in removed
    assert not ApprovalTemplateStep.objects.exists()


def test_saving_through_the_page_then_the_board_shows_the_chain(
    admin_client: Client, admin: Any
) -> None:
    ada = factories.UserFactory(roles=[HIRING_MANAGER], first_name="Ada", last_name="Lee")
    requisition = factories.requisition()
    data = posted([row("Hiring manager", "hiring_manager"),
                   row("Pair", people=[ada.pk, admin.pk], required="2", parallel="on")],
                  seen=fingerprint([]))  # fmt: skip
    response = admin_client.post(own(requisition), data)
    assert response.status_code == 302
    assert template_steps(requisition.pk)[1].people == tuple(sorted([ada.pk, admin.pk]))
    board = admin_client.get(f"/requisitions/{requisition.pk}/board/").content.decode()
    assert "Own template" in board and "2 of 2 must approve" in board
    assert "runs alongside step 1" in board and "Ada Lee" in board
    assert "Edit approval template" in board


def test_the_board_shows_the_company_default_to_whoever_sees_it_without_an_edit_link(
    admin: Any,
) -> None:
    save(None, [HM, FINANCE], admin)
    manager = factories.UserFactory(roles=[HIRING_MANAGER])
    requisition = factories.requisition(hiring_manager=manager)
    client = Client()
    client.force_login(manager)
    board = client.get(f"/requisitions/{requisition.pk}/board/").content.decode()
    assert 'data-testid="chain-kind">Company default' in board
    assert "Edit approval template" not in board


def test_use_the_company_default_deletes_the_requisitions_own_steps(
    admin_client: Client, admin: Any
) -> None:
    requisition = factories.requisition()
    save(requisition, [HM], admin)
    data = {"action": "use-default", "seen": fingerprint(template_steps(requisition.pk))}
    response = admin_client.post(own(requisition), data, follow=True)
    assert "It uses the company default now." in response.content.decode()
    assert template_steps(requisition.pk) == []
    page = admin_client.get(own(requisition)).content.decode()
    assert "Give it its own template" in page and "went back to the company default" in page


def test_a_stale_editor_is_refused_and_says_why(admin_client: Client, admin: Any) -> None:
    seen = fingerprint([])
    save(None, [HM], admin)
    response = admin_client.post(DEFAULT, posted([row("Finance/HR", "finance")], seen=seen))
    assert response.status_code == 409
    assert "Someone else changed this template" in response.content.decode()
    assert template_steps(None) == [HM]


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


EDITOR_QUERIES = 10  # session, user, roles, requisition, steps, people,
# the users who can approve, names of others, Finance/HR and exception approvers, the history


def test_the_editor_and_the_overview_run_a_constant_number_of_queries(
    admin_client: Client, admin: Any
) -> None:
    requisition = factories.requisition()
    save(requisition, [HM], admin)
    save(None, [people("Solo", admin)], admin)
    small = (queries_of(admin_client, own(requisition)), queries_of(admin_client, LIST))
    crowd = [factories.UserFactory(roles=[RECRUITER]) for _ in range(12)]
    save(requisition, [HM, *(people(f"Step {i}", *crowd[i : i + 4]) for i in range(8))], admin)
    save(None, [people("Crowd", *crowd)], admin)
    for _ in range(5):
        save(factories.requisition(), [FINANCE], admin)
    big = (queries_of(admin_client, own(requisition)), queries_of(admin_client, LIST))
    assert big == small
    assert big[0] <= EDITOR_QUERIES
