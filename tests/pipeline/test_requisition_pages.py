"""Requisition pages and the pipeline board: who may open them, what they refuse, query counts."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hiring.models import AuditEntry
from hiring.pipeline.models import Application, Requisition, RequisitionChange, StageChange
from hiring.pipeline.selectors.board import BOARD_COLUMN_CAP
from hiring.pipeline.services.applications import application_end
from roles.models import RoleProfile
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
ROLE_KEYS = ["recruiter", "interviewer", "hiring_manager", "admin", "none"]
Login = Callable[[Any], Client]


@pytest.fixture
def login() -> Login:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def req() -> Requisition:
    return factories.requisition(title="Applied ML Engineer, Payments")


def stage(requisition: Requisition, name: str) -> Any:
    return requisition.stages.get(name=name)


def form_data(**overrides: Any) -> dict[str, Any]:
    role = RoleProfile.objects.get(slug="applied-ml-engineer")
    data = {
        "title": "Applied ML Engineer, Search",
        "role": role.pk,
        "level": role.levels.order_by("position").first().pk,
        "hiring_manager": factories.UserFactory(roles=["Hiring manager"]).pk,
        "recruiter": factories.UserFactory(roles=["Recruiter"]).pk,
        "headcount": 2,
        "location": "Berlin",
        "opened_on": "2026-03-02",
        "pedigree_blind": "on",
    }
    return {**data, **overrides}


# Who may open what ------------------------------------------------------------------------

VIEW = {"recruiter", "hiring_manager", "admin"}
EDIT = {"recruiter", "admin"}


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/requisitions/", VIEW),
        ("/requisitions/new/", EDIT),
        ("/requisitions/{pk}/edit/", EDIT),
        ("/requisitions/{pk}/stages/", EDIT),
    ],
)
def test_requisition_pages_follow_the_permission_table(
    client_as: Callable[[str], Client], req: Requisition, url: str, allowed: set[str], role: str
) -> None:
    response = client_as(role).get(url.format(pk=req.pk))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ["recruiter", "admin"])
def test_recruiter_and_admin_open_any_board(
    client_as: Callable[[str], Client], req: Requisition, role: str
) -> None:
    assert client_as(role).get(f"/requisitions/{req.pk}/board/").status_code == 200


@pytest.mark.parametrize("role", ["interviewer", "none"])
def test_interviewer_and_roleless_user_cannot_open_a_board(
    client_as: Callable[[str], Client], req: Requisition, role: str
) -> None:
    assert client_as(role).get(f"/requisitions/{req.pk}/board/").status_code == 403


def test_interviewer_on_the_requisition_still_cannot_open_its_board(
    make_user: Callable[..., Any], login: Login, req: Requisition
) -> None:
    interviewer = make_user("Interviewer")
    factories.interview(application_obj=factories.application(requisition_obj=req),
                        interviewers=[interviewer])  # fmt: skip
    assert login(interviewer).get(f"/requisitions/{req.pk}/board/").status_code == 403


def test_hiring_manager_opens_the_board_of_their_own_requisition(
    login: Login, req: Requisition
) -> None:
    assert login(req.hiring_manager).get(f"/requisitions/{req.pk}/board/").status_code == 200


def test_hiring_manager_gets_404_for_another_managers_board(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    assert client_as("hiring_manager").get(f"/requisitions/{req.pk}/board/").status_code == 404


def test_hiring_manager_lists_only_their_own_requisitions(login: Login, req: Requisition) -> None:
    other = factories.requisition(title="Someone else's requisition")
    page = login(req.hiring_manager).get("/requisitions/").content.decode()
    assert req.title in page
    assert other.title not in page
    assert "New requisition" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/requisitions/", "/requisitions/new/", "/requisitions/1/board/", "/requisitions/1/stages/"],
)
def test_anonymous_visitor_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    ("role", "status"),
    [("recruiter", 200), ("admin", 200), ("hiring_manager", 403), ("interviewer", 403)],
)
def test_move_endpoint_needs_pipeline_edit(
    client_as: Callable[[str], Client], req: Requisition, role: str, status: int
) -> None:
    app = factories.application(requisition_obj=req)
    response = client_as(role).post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": stage(req, "Recruiter screen").pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == status
    app.refresh_from_db()
    assert (app.stage.name == "Recruiter screen") == (status == 200)


def test_own_hiring_manager_cannot_move_cards(login: Login, req: Requisition) -> None:
    app = factories.application(requisition_obj=req)
    response = login(req.hiring_manager).post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": stage(req, "Recruiter screen").pk},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_move_is_sent_to_login(client: Client) -> None:
    response = client.post("/requisitions/1/board/move/", {"application": 1, "stage": 1})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_move_of_an_application_from_another_requisition_is_404(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    elsewhere = factories.application()
    response = client_as("recruiter").post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": elsewhere.pk, "stage": stage(req, "Recruiter screen").pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=elsewhere.pk).stage.name == "Applied"


# The list ---------------------------------------------------------------------------------


def test_list_shows_each_requisition_with_its_active_count(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    factories.application(requisition_obj=req)
    rejected = factories.application(requisition_obj=req)
    application_end(application=rejected, status="rejected",
                    reason="Role filled", actor=None)  # fmt: skip
    page = client_as("recruiter").get("/requisitions/").content.decode()
    assert req.title in page
    assert 'data-label="Active" class="num">1<' in page
    assert "New requisition" in page


def test_list_rows_name_the_people_the_status_and_the_role(
    client_as: Callable[[str], Client],
) -> None:
    manager = factories.UserFactory(roles=["Hiring manager"], first_name="Hana", last_name="Ito")
    nameless = factories.UserFactory(roles=["Recruiter"], username="kim.r", first_name="",
                                     last_name="")  # fmt: skip
    req = factories.requisition(hiring_manager=manager, recruiter=nameless, location="Berlin")
    Requisition.objects.filter(pk=req.pk).update(status="on_hold")
    page = client_as("recruiter").get("/requisitions/").content.decode()
    row = re.search(rf'<tr>\s*<td data-label="Title"><a href="/requisitions/{req.pk}/board/">'
                    r".*?</tr>", page, re.S)  # fmt: skip
    assert row is not None
    cells = dict(re.findall(r'data-label="([^"]+)"[^>]*>(.*?)</td>', row.group(0), re.S))
    assert "Berlin" in cells["Title"]
    assert cells["Role"] == html.escape(req.role.title)
    assert cells["Level"] == html.escape(req.level.name)
    assert ">On hold<" in cells["Status"]
    assert cells["Hiring manager"] == "Hana Ito"
    assert cells["Recruiter"] == "kim.r"  # no name: the username
    assert cells["Opened"] == f"{req.opened_on.day} {req.opened_on:%b %Y}"


def test_list_runs_the_same_queries_for_3_and_30_requisitions(
    client_as: Callable[[str], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_as("recruiter")
    for n in (3, 30):
        while Requisition.objects.count() < n:
            factories.application(requisition_obj=factories.requisition())
        # session, user, roles, the tab's count, the page of requisitions
        with django_assert_max_num_queries(5):
            client.get("/requisitions/")


def test_empty_list_tells_a_recruiter_to_open_a_requisition(
    client_as: Callable[[str], Client],
) -> None:
    page = client_as("recruiter").get("/requisitions/").content.decode()
    assert "No open requisitions." in page and "New requisition" in page


def test_the_list_shows_open_ones_a_page_at_a_time_and_the_rest_under_their_tabs(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 requisitions made one page of 2,000 rows (1.2 s at 100,000 applications): the
    list now shows open and on-hold ones, 50 a page (2 here), filled and closed ones under
    their own tabs."""
    from hiring.pipeline.selectors import requisitions as selectors

    monkeypatch.setattr(selectors, "PER_PAGE", 2)
    client = client_as("recruiter")
    titles = [factories.requisition(title=f"Open job {n}").title for n in range(3)]
    closed = factories.requisition(title="A closed job")
    Requisition.objects.filter(pk=closed.pk).update(status="closed")
    first = client.get("/requisitions/").content.decode()
    second = client.get("/requisitions/?status=current&page=2").content.decode()
    assert sum(t in first for t in titles) == 2 and sum(t in second for t in titles) == 1
    assert "1–2 of 3" in first and 'href="?status=current&amp;page=2"' in first
    assert "A closed job" not in first + second
    assert "A closed job" in client.get("/requisitions/?status=closed").content.decode()
    everything = client.get("/requisitions/?status=all").content.decode()
    assert "A closed job" in everything and "1–2 of 4" in everything
    filled = client.get("/requisitions/?status=filled").content.decode()
    assert "No requisitions here." in filled


def test_an_unknown_list_is_refused_with_the_tabs_named(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("recruiter").get("/requisitions/?status=archived")
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "No such list: “archived”. Choose one of “Open and on hold”" in page


# Create and edit --------------------------------------------------------------------------


def test_recruiter_opens_a_requisition_with_the_default_stages(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("recruiter").post("/requisitions/new/", form_data())
    created = Requisition.objects.get(title="Applied ML Engineer, Search")
    assert response.status_code == 302
    assert response["Location"] == f"/requisitions/{created.pk}/board/"
    assert created.stages.count() == 6
    assert created.pedigree_blind is True
    assert AuditEntry.objects.filter(action="requisition.create", object_id=str(created.pk))


def test_create_with_a_level_of_another_role_is_refused_on_the_level_field(
    client_as: Callable[[str], Client],
) -> None:
    other_role = RoleProfile.objects.exclude(slug="applied-ml-engineer").first()
    wrong_level = other_role.levels.first()
    response = client_as("recruiter").post("/requisitions/new/", form_data(level=wrong_level.pk))
    assert response.status_code == 200
    assert "level" in response.context["form"].errors
    assert not Requisition.objects.filter(title="Applied ML Engineer, Search").exists()


def test_hiring_manager_must_be_in_the_hiring_manager_group(
    client_as: Callable[[str], Client],
) -> None:
    outsider = factories.UserFactory(roles=["Interviewer"])
    response = client_as("recruiter").post("/requisitions/new/",
                                           form_data(hiring_manager=outsider.pk))  # fmt: skip
    assert "hiring_manager" in response.context["form"].errors


def test_edit_changes_status_along_an_allowed_transition(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    data = form_data(hiring_manager=req.hiring_manager.pk, recruiter=req.recruiter.pk,
                     status="on_hold")  # fmt: skip
    response = client_as("recruiter").post(f"/requisitions/{req.pk}/edit/", data)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "on_hold"


def test_edit_keeps_the_status_change_in_the_requisition_history(
    login: Login, req: Requisition
) -> None:
    data = form_data(hiring_manager=req.hiring_manager.pk, recruiter=req.recruiter.pk,
                     status="closed")  # fmt: skip
    login(req.recruiter).post(f"/requisitions/{req.pk}/edit/", data)
    change = RequisitionChange.objects.get(requisition=req)
    assert (change.from_status, change.to_status, change.actor) == ("open", "closed", req.recruiter)


def test_edit_refuses_a_status_change_the_transition_map_forbids(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    Requisition.objects.filter(pk=req.pk).update(status="filled")
    data = form_data(hiring_manager=req.hiring_manager.pk, recruiter=req.recruiter.pk,
                     status="on_hold")  # fmt: skip
    response = client_as("recruiter").post(f"/requisitions/{req.pk}/edit/", data)
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    req.refresh_from_db()
    assert req.status == "filled"
    assert not RequisitionChange.objects.filter(requisition=req).exists()


def test_edit_form_offers_only_the_allowed_next_statuses(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    Requisition.objects.filter(pk=req.pk).update(status="on_hold")
    form = client_as("recruiter").get(f"/requisitions/{req.pk}/edit/").context["form"]
    assert {value for value, _ in form.fields["status"].choices} == {"on_hold", "open", "closed"}


# The stage editor -------------------------------------------------------------------------


def stage_post(req: Requisition, action: str = "save", new_name: str = "", **renames: str) -> dict:
    stages = list(req.stages.order_by("position"))
    return {
        "stage_id": [s.pk for s in stages],
        "name": [renames.get(s.name, s.name) for s in stages],
        "action": action,
        "new_name": new_name,
    }


def names(req: Requisition) -> list[str]:
    return list(req.stages.order_by("position").values_list("name", flat=True))


def test_stage_editor_renames_a_stage(client_as: Callable[[str], Client], req: Requisition) -> None:
    renamed = stage_post(req, **{"Recruiter screen": "Phone screen"})
    client_as("recruiter").post(f"/requisitions/{req.pk}/stages/", renamed)
    assert names(req)[1] == "Phone screen"


def test_stage_editor_adds_a_stage_before_hired(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    client_as("recruiter").post(f"/requisitions/{req.pk}/stages/",
                                stage_post(req, "add", new_name="Take-home review"))  # fmt: skip
    assert names(req)[-2:] == ["Take-home review", "Hired"]


def test_stage_editor_moves_a_stage_up(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    client_as("recruiter").post(f"/requisitions/{req.pk}/stages/", stage_post(req, "up-2"))
    assert names(req)[1:3] == ["Structured interview", "Recruiter screen"]


def test_stage_editor_shows_the_refusal_in_the_page(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    response = client_as("recruiter").post(f"/requisitions/{req.pk}/stages/",
                                           stage_post(req, "down-4"))  # fmt: skip
    assert response.status_code == 200
    assert "Hired must stay the last stage." in response.content.decode()
    assert names(req)[-1] == "Hired"


# The board --------------------------------------------------------------------------------


def test_board_shows_a_column_per_stage_with_counts_and_cards(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    app = factories.application(requisition_obj=req)
    page = client_as("recruiter").get(f"/requisitions/{req.pk}/board/").content.decode()
    for name in names(req):
        assert f">{name}</h2>" in page
    assert f'href="/candidates/{app.candidate_id}/"' in page
    assert 'aria-label="1 in Applied"' in page


def test_board_colours_cards_amber_after_7_and_red_after_14_days(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    amber, red = (factories.application(requisition_obj=req) for _ in range(2))
    now = timezone.now()
    Application.objects.filter(pk=amber.pk).update(entered_stage_at=now - dt.timedelta(days=8))
    Application.objects.filter(pk=red.pk).update(entered_stage_at=now - dt.timedelta(days=15))
    page = client_as("recruiter").get(f"/requisitions/{req.pk}/board/").content.decode()
    assert "stale-amber" in page and "8 days in stage" in page
    assert "stale-red" in page and "15 days in stage" in page


def test_board_counts_rejected_and_withdrawn_without_showing_their_cards(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    app = factories.application(requisition_obj=req)
    application_end(application=app, status="withdrawn", reason="Timing", actor=None)
    page = client_as("recruiter").get(f"/requisitions/{req.pk}/board/").content.decode()
    assert f'id="card-{app.pk}"' not in page
    assert "1 withdrawn" in page


def test_empty_board_says_how_to_add_candidates(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    page = client_as("recruiter").get(f"/requisitions/{req.pk}/board/").content.decode()
    assert "No candidates in this requisition yet." in page


def add_applications(req: Requisition, n: int) -> None:
    while Application.objects.filter(requisition=req).count() < n:
        factories.application(requisition_obj=req)


# session, user, roles, requisition, stages, counts, cards; the approval chain's card (the
# template's steps, their named people: hiring.offers.selectors.approval_templates)
BOARD_QUERIES = 9


@pytest.mark.parametrize("n", [10, 200])
def test_board_runs_a_fixed_number_of_queries(
    client_as: Callable[[str], Client], req: Requisition, django_assert_max_num_queries: Any, n: int
) -> None:
    client = client_as("recruiter")
    add_applications(req, n)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(f"/requisitions/{req.pk}/board/")
    assert response.content.decode().count('id="card-') == min(n, BOARD_COLUMN_CAP)


# The board at scale: a capped column, "Show more" ---------------------------------------


def bulk_applications(req: Requisition, n: int, stage_name: str = "Applied") -> list[int]:
    """`n` applications in one stage, inserted in bulk; ids in the board's order (longest
    waiting first). Pairs share an entry time, so the order also rests on the id."""
    stage_obj = stage(req, stage_name)
    candidates = factories.CandidateFactory.create_batch(n)
    start = timezone.now() - dt.timedelta(days=30)
    Application.objects.bulk_create(
        Application(candidate=c, requisition=req, stage=stage_obj,
                    entered_stage_at=start + dt.timedelta(minutes=i // 2))
        for i, c in enumerate(candidates)
    )  # fmt: skip
    rows = Application.objects.filter(requisition=req, stage=stage_obj)
    return list(rows.order_by("entered_stage_at", "id").values_list("id", flat=True))


def card_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="card-(\d+)"', page)]


def more_link(page: str) -> str | None:
    """The fragment URL of the (first) "Show more" in the page."""
    found = re.search(r'class="board-column-more"[^>]* hx-get="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def test_board_caps_each_column_longest_waiting_first_with_the_true_count(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    applied = bulk_applications(req, BOARD_COLUMN_CAP + 3)
    screen = bulk_applications(req, 2, "Recruiter screen")
    page = client_as("recruiter").get(f"/requisitions/{req.pk}/board/").content.decode()
    shown = card_ids(page)
    assert [pk for pk in shown if pk in set(applied)] == applied[:BOARD_COLUMN_CAP]
    assert [pk for pk in shown if pk in set(screen)] == screen
    assert f'aria-label="{BOARD_COLUMN_CAP + 3} in Applied"' in page
    assert "Show 3 more" in page and "3 not shown" in page
    assert page.count('class="board-column-more"') == 1  # Recruiter screen shows all
    # Without JavaScript the link opens the whole column in the candidate list.
    assert f'href="/candidates/?requisition={req.pk}&amp;stage=Applied"' in page


def test_show_more_returns_the_next_batch_and_another_show_more(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    applied = bulk_applications(req, 2 * BOARD_COLUMN_CAP + 5)
    client = client_as("recruiter")
    link = more_link(client.get(f"/requisitions/{req.pk}/board/").content.decode())
    assert link and link.startswith(f"/requisitions/{req.pk}/board/stages/")
    response = client.get(link, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<li class="board-card')
    assert "<html" not in fragment
    assert card_ids(fragment) == applied[BOARD_COLUMN_CAP : 2 * BOARD_COLUMN_CAP]
    assert "Show 5 more" in fragment
    # The first new card takes the focus from the link it replaces.
    assert f'id="card-{applied[BOARD_COLUMN_CAP]}"' in fragment.split("data-focus")[0]
    # Loaded cards can be moved like the others.
    assert f'name="application" value="{applied[BOARD_COLUMN_CAP]}"' in fragment


def test_show_more_walks_a_column_once_in_order(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    applied = bulk_applications(req, 3 * BOARD_COLUMN_CAP + 7)
    client = client_as("recruiter")
    page = client.get(f"/requisitions/{req.pk}/board/").content.decode()
    seen, link = card_ids(page), more_link(page)
    while link:
        fragment = client.get(link).content.decode()
        seen += card_ids(fragment)
        link = more_link(fragment)
    assert seen == applied


@pytest.mark.parametrize("n", [BOARD_COLUMN_CAP + 10, 4 * BOARD_COLUMN_CAP])
def test_show_more_runs_a_fixed_number_of_queries(
    client_as: Callable[[str], Client], req: Requisition, django_assert_max_num_queries: Any, n: int
) -> None:
    bulk_applications(req, n)
    client = client_as("recruiter")
    link = more_link(client.get(f"/requisitions/{req.pk}/board/").content.decode())
    assert link
    with django_assert_max_num_queries(6):  # session, user, roles, requisition, stages, cards
        response = client.get(link)
    assert len(card_ids(response.content.decode())) == min(n - BOARD_COLUMN_CAP, BOARD_COLUMN_CAP)


def cards_url(req: Requisition, stage_name: str = "Applied") -> str:
    return f"/requisitions/{req.pk}/board/stages/{stage(req, stage_name).pk}/cards/"


@pytest.mark.parametrize(
    ("role", "status", "movable"),
    [
        ("recruiter", 200, True),
        ("admin", 200, True),
        ("interviewer", 403, False),
        ("hiring_manager", 404, False),  # someone else's requisition
        ("none", 403, False),
    ],
)
def test_show_more_follows_the_board_permissions(
    client_as: Callable[[str], Client], req: Requisition, role: str, status: int, movable: bool
) -> None:
    bulk_applications(req, 3)
    response = client_as(role).get(cards_url(req))
    assert response.status_code == status
    if status == 200:
        fragment = response.content.decode()
        assert len(card_ids(fragment)) == 3
        assert ('draggable="true"' in fragment) == movable
        assert ('class="move-form"' in fragment) == movable


def test_show_more_gives_the_own_hiring_manager_cards_they_cannot_move(
    login: Login, req: Requisition
) -> None:
    bulk_applications(req, 3)
    response = login(req.hiring_manager).get(cards_url(req))
    fragment = response.content.decode()
    assert response.status_code == 200
    assert len(card_ids(fragment)) == 3
    assert 'draggable="true"' not in fragment and 'class="move-form"' not in fragment


@pytest.mark.django_db
def test_anonymous_show_more_is_sent_to_login(client: Client) -> None:
    response = client.get("/requisitions/1/board/stages/1/cards/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_show_more_for_a_stage_of_another_requisition_is_404(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    other = factories.requisition()
    response = client_as("recruiter").get(
        f"/requisitions/{req.pk}/board/stages/{stage(other, 'Applied').pk}/cards/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    ["after=yesterday&after_id=1", "after=2026-01-01T00:00:00&after_id=1", "after_id=1",
     "after=2026-01-01T00:00:00%2B00:00&after_id=x", "skip=-1", "skip=²"],
)  # fmt: skip
def test_show_more_with_a_damaged_position_is_400(
    client_as: Callable[[str], Client], req: Requisition, query: str
) -> None:
    response = client_as("recruiter").get(f"{cards_url(req)}?{query}")
    assert response.status_code == 400


def test_a_card_moved_past_the_cap_shows_focused_and_show_more_skips_it(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    interview = bulk_applications(req, BOARD_COLUMN_CAP + 2, "Structured interview")
    app = factories.application(requisition_obj=req)
    client = client_as("recruiter")
    response = client.post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": stage(req, "Structured interview").pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert re.search(rf'id="card-{app.pk}"[^>]* data-focus', page)
    assert f'aria-label="{BOARD_COLUMN_CAP + 3} in Structured interview"' in page
    assert "Show 2 more" in page
    link = more_link(page)
    assert link and f"skip={app.pk}" in link
    assert card_ids(client.get(link).content.decode()) == interview[BOARD_COLUMN_CAP:]


def test_move_records_history_and_audit_and_returns_the_board_fragment(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    app = factories.application(requisition_obj=req)
    target = stage(req, "Structured interview")
    response = client_as("recruiter").post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": target.pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="board"')
    assert "<html" not in page
    assert 'aria-label="1 in Structured interview"' in page
    assert f"{app.candidate.name} moved to Structured interview." in page
    assert StageChange.objects.filter(application=app, to_stage=target).exists()
    assert AuditEntry.objects.filter(action="application.move", object_id=str(app.pk)).exists()


def test_moving_a_rejected_application_shows_the_error_and_changes_nothing(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    app = factories.application(requisition_obj=req)
    application_end(application=app, status="rejected", reason="Role filled", actor=None)
    response = client_as("recruiter").post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": stage(req, "Offer").pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "was not moved: The application is rejected; reopen it first." in page
    assert Application.objects.get(pk=app.pk).stage.name == "Applied"


def test_move_without_htmx_redirects_back_to_the_board(
    client_as: Callable[[str], Client], req: Requisition
) -> None:
    app = factories.application(requisition_obj=req)
    response = client_as("recruiter").post(
        f"/requisitions/{req.pk}/board/move/",
        {"application": app.pk, "stage": stage(req, "Debrief").pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/requisitions/{req.pk}/board/"
    assert Application.objects.get(pk=app.pk).stage.name == "Debrief"


# Home -------------------------------------------------------------------------------------


def test_home_pipeline_lists_open_requisitions_with_stage_counts(
    login: Login, make_user: Callable[..., Any], req: Requisition
) -> None:
    factories.application(requisition_obj=req)
    page = login(make_user("Recruiter")).get("/").content.decode()
    assert req.title in page
    assert f'href="/requisitions/{req.pk}/board/"' in page
    assert "Applied 1" in page


def test_home_pipeline_runs_the_same_queries_for_2_and_12_requisitions(
    login: Login, make_user: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    client = login(make_user("Recruiter"))
    for n in (2, 12):
        while Requisition.objects.count() < n:
            factories.application(requisition_obj=factories.requisition())
        with django_assert_max_num_queries(12):  # the six to-do lists among them
            client.get("/")


def test_hiring_manager_home_lists_only_their_requisitions(login: Login, req: Requisition) -> None:
    other = factories.requisition(title="Someone else's requisition")
    page = login(req.hiring_manager).get("/").content.decode()
    assert "My requisitions" in page
    assert req.title in page
    assert other.title not in page


def test_choosing_a_role_narrows_the_level_picker(client_as: Any) -> None:
    """Three roles have a level called "Senior": the picker shows the chosen role's only."""
    from roles.models import RoleProfile

    client = client_as("recruiter")
    lead = RoleProfile.objects.get(slug="applied-ml-engineer")
    options = client.get(f"/requisitions/level-options/?role={lead.pk}").content.decode()
    names = [level.name for level in lead.levels.all()]
    assert all(f">{name}</option>" in options for name in names)
    assert options.count("<option") == len(names) + 1 and "<optgroup" not in options
    everything = client.get("/requisitions/level-options/?role=²").content.decode()
    assert everything.count("<optgroup") == RoleProfile.objects.count()
    page = client.post("/requisitions/new/", {"role": lead.pk, "title": ""}).content.decode()
    assert page.count("<optgroup") == 0 and 'hx-get="/requisitions/level-options/"' in page
