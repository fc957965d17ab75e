"""The candidate list at /candidates/: search, filters, sorting, keyset pages, bulk actions,
CSV export and who sees what. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from hiring.pipeline.models import Application, Candidate, Requisition, StageChange, Tag
from hiring.pipeline.rules import ApplicationStatus
from hiring.pipeline.selectors.candidate_list import REQUISITION_CHOICES
from hiring.pipeline.services.applications import application_end, note_add
from hiring.pipeline.services.candidates import candidate_create
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")

URL = "/candidates/"
EXPORT = "/candidates/export.csv"
OPTIONS = "/candidates/requisition-options/"
# session, user, role groups, requisitions for the filter, stage names, the rows, their tags
LIST_QUERIES = 7


def person(name: str, email: str, tags: list[str] | None = None, **fields: Any) -> Candidate:
    """A candidate through the service, so the search document is filled in."""
    return candidate_create(
        fields={"name": name, "email": email, **fields}, tags=tags or [], actor=None
    )


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(response: Any) -> list[int]:
    """Application ids on the page, in order (from the bulk checkboxes or the name cells)."""
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'id="pick-(\d+)"', html)]


def names_on(response: Any) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<td class="list-name" data-label="Name"><a href="[^"]+">([^<]+)</a>', html)


def many_applications(count: int, requisition: Any = None) -> Any:
    """`count` applications in one requisition, inserted in bulk; every candidate tagged."""
    requisition = requisition or factories.requisition()
    first = requisition.stages.order_by("position").first()
    tag, _ = Tag.objects.get_or_create(name="mlops")
    candidates = factories.CandidateFactory.create_batch(count)
    for c in candidates:
        c.search_document = f"{c.name} {c.email} mlops"
    Candidate.objects.bulk_update(candidates, ["search_document"])
    Candidate.tags.through.objects.bulk_create(
        [Candidate.tags.through(candidate_id=c.pk, tag_id=tag.pk) for c in candidates]
    )
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                candidate=c,
                requisition=requisition,
                stage=first,
                entered_stage_at=now - dt.timedelta(hours=i),
            )
            for i, c in enumerate(candidates)
        ]
    )
    return requisition


@pytest.fixture
def recruiter(make_user: Callable[..., Any]) -> Client:
    return logged_in(make_user("Recruiter"))


# Speed -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_list_runs_the_same_number_of_queries_with_10_and_200_applications(
    count: int, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    many_applications(count)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = recruiter.get(URL)
    assert response.status_code == 200
    assert len(rows_of(response)) == min(count, 50)


@pytest.mark.parametrize("count", [10, 200])
def test_a_filtered_later_page_runs_the_same_number_of_queries(
    count: int, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    many_applications(count)
    params = "?tag=mlops&sort=name&q=mlops&stale_days=0"
    link = _link(recruiter.get(URL + params), "next")
    assert (link is not None) == (count > 50)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = recruiter.get(URL + (link or params))
    assert len(rows_of(response)) == min(count, 50)


# Search (PostgreSQL full text on PostgreSQL, substring on SQLite) ------------------------


@pytest.fixture
def searchable() -> dict[str, Application]:
    req = factories.requisition()
    ada = factories.application(
        candidate=person("Ada Lovelace", "ada@analytical.example", ["mlops"]), requisition_obj=req
    )
    grace = factories.application(
        candidate=person("Grace Hopper", "grace@cobol.example", ["compilers"]),
        requisition_obj=req,
    )
    note_add(application=grace, body="Shipped a feature store used by four teams", actor=None)
    return {"ada": ada, "grace": grace}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lovelace", ["Ada Lovelace"]),
        ("ada lov", ["Ada Lovelace"]),
        ("grace@cobol.example", ["Grace Hopper"]),
        ("compilers", ["Grace Hopper"]),
        ("feature store", ["Grace Hopper"]),
        ("nobody-like-this", []),
    ],
)
def test_search_matches_name_email_tag_and_note_text(
    searchable: dict[str, Application], recruiter: Client, query: str, expected: list[str]
) -> None:
    response = recruiter.get(URL, {"q": query})
    assert response.status_code == 200
    assert names_on(response) == expected


def test_search_uses_full_text_on_postgresql_and_substring_on_sqlite(
    searchable: dict[str, Application], recruiter: Client
) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        recruiter.get(URL, {"q": "hopper"})
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    if connection.vendor == "postgresql":
        assert "to_tsquery" in sql
    else:
        assert "like" in sql and "to_tsquery" not in sql


def test_the_filter_form_sent_with_its_empty_fields_filters_by_the_filled_ones(
    searchable: dict[str, Application], recruiter: Client
) -> None:
    # What a browser sends for the form with only Search filled in.
    form = {"q": "hopper", "requisition": "", "requisition_find": "", "stage": "", "status": "",
            "source": "", "tag": "", "stale_days": ""}  # fmt: skip
    response = recruiter.get(URL, form)
    assert names_on(response) == ["Grace Hopper"]
    assert "field-error" not in response.content.decode()
    export = recruiter.get(EXPORT, form)
    assert export.streaming
    assert "grace@cobol.example" in b"".join(export.streaming_content).decode()


def test_search_with_only_punctuation_shows_everything(
    searchable: dict[str, Application], recruiter: Client
) -> None:
    response = recruiter.get(URL, {"q": "'&|!():*"})
    assert response.status_code == 200
    assert sorted(names_on(response)) == ["Ada Lovelace", "Grace Hopper"]


# Filters ---------------------------------------------------------------------------------


def test_filters_by_requisition_stage_source_and_tag(recruiter: Client) -> None:
    req_a, req_b = factories.requisition(), factories.requisition()
    a1 = factories.application(
        candidate=person("Alpha One", "a1@x.example", ["nlp"], source="referral"),
        requisition_obj=req_a,
    )
    factories.application(candidate=person("Alpha Two", "a2@x.example"), requisition_obj=req_a)
    b1 = factories.application(
        candidate=person("Beta One", "b1@x.example", ["nlp"]), requisition_obj=req_b
    )
    from hiring.pipeline.services.applications import application_move

    application_move(application=b1, to_stage=req_b.stages.get(name="Recruiter screen"), actor=None)

    def names(**params: Any) -> list[str]:
        return sorted(names_on(recruiter.get(URL, params)))

    assert names(requisition=req_a.pk) == ["Alpha One", "Alpha Two"]
    assert names(stage="Recruiter screen") == ["Beta One"]
    assert names(source="referral") == ["Alpha One"]
    assert names(tag="nlp") == ["Alpha One", "Beta One"]
    assert names(tag="NLP", requisition=req_b.pk) == ["Beta One"]
    assert names(requisition=req_a.pk, tag="nlp") == [a1.candidate.name]


def test_stale_filter_keeps_active_applications_in_their_stage_for_more_than_n_days(
    recruiter: Client,
) -> None:
    req = factories.requisition()
    old = factories.application(candidate=person("Old Timer", "o@x.example"), requisition_obj=req)
    factories.application(candidate=person("New Comer", "n@x.example"), requisition_obj=req)
    Application.objects.filter(pk=old.pk).update(
        entered_stage_at=timezone.now() - dt.timedelta(days=20)
    )
    assert names_on(recruiter.get(URL, {"stale_days": 14})) == ["Old Timer"]
    assert names_on(recruiter.get(URL, {"stale_days": 30})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"stale_days": "abc"},
        {"stale_days": "-3"},
        {"requisition": "not-a-number"},
        {"source": "carrier-pigeon"},
        {"status": "zombie"},
        {"q": "x" * 300},
        {"requisition": "99999999999999999999999"},
        {"requisition": "²"},
    ],
)
def test_bad_filter_values_show_the_form_error_not_a_500(
    recruiter: Client, params: dict[str, str]
) -> None:
    many_applications(3)
    response = recruiter.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html or "No candidates match" in html


# The requisition filter: a bounded list of options, and Find ----------------------------


def requisition_options(html: str) -> list[tuple[int, str, bool]]:
    """(id, label, selected) of each requisition offered by the filter's select."""
    select = re.search(r'<select[^>]*id="id_requisition"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no requisition filter on the page"
    return options_in(select.group(1))


def options_in(html: str) -> list[tuple[int, str, bool]]:
    found = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', html)
    return [(int(pk), unescape(label), bool(chosen)) for pk, chosen, label in found]


def more_requisitions(n: int, **fields: Any) -> list[Requisition]:
    """`n` requisitions like a factory one, inserted in bulk (no stages: none are needed)."""
    base = factories.requisition()
    rows = [
        Requisition(title=f"Bulk requisition {i:03}", role=base.role, level=base.level,
                    hiring_manager=base.hiring_manager, recruiter=base.recruiter,
                    opened_on=base.opened_on, **fields)
        for i in range(n)
    ]  # fmt: skip
    return [base, *Requisition.objects.bulk_create(rows)]


def test_requisition_filter_offers_open_and_on_hold_requisitions_only(recruiter: Client) -> None:
    open_req = factories.requisition(title="Open one")
    held = factories.requisition(title="Held one")
    closed = factories.requisition(title="Closed one")
    filled = factories.requisition(title="Filled one")
    Requisition.objects.filter(pk=held.pk).update(status="on_hold")
    Requisition.objects.filter(pk=closed.pk).update(status="closed")
    Requisition.objects.filter(pk=filled.pk).update(status="filled")
    offered = {
        pk: label for pk, label, _ in requisition_options(recruiter.get(URL).content.decode())
    }
    assert offered == {open_req.pk: "Open one", held.pk: "Held one (on hold)"}


def test_requisition_filter_offers_at_most_50_the_users_own_first_with_fixed_queries(
    make_user: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    user = make_user("Recruiter")
    mine = factories.requisition(title="Zebra fraud models", recruiter=user)
    more_requisitions(REQUISITION_CHOICES + 10)
    many_applications(3, mine)
    client = logged_in(user)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(URL)
    offered = requisition_options(response.content.decode())
    assert len(offered) == REQUISITION_CHOICES
    assert offered[0][:2] == (mine.pk, "Zebra fraud models")


def test_filter_by_a_requisition_not_offered_still_works_and_shows_as_chosen(
    recruiter: Client,
) -> None:
    closed = factories.requisition(title="Old closed requisition")
    factories.application(candidate=person("Cora Closed", "cora@x.example"), requisition_obj=closed)
    factories.application(candidate=person("Otto Open", "otto@x.example"))
    Requisition.objects.filter(pk=closed.pk).update(status="closed")
    response = recruiter.get(URL, {"requisition": closed.pk})
    assert names_on(response) == ["Cora Closed"]
    offered = requisition_options(response.content.decode())
    assert offered[0] == (closed.pk, "Old closed requisition (closed)", True)


def test_filter_by_a_requisition_id_the_user_cannot_see_shows_nothing(
    make_user: Callable[..., Any],
) -> None:
    manager = make_user("Hiring manager")
    theirs = factories.requisition(title="Someone else's")
    factories.application(requisition_obj=theirs)
    response = logged_in(manager).get(URL, {"requisition": theirs.pk})
    html = response.content.decode()
    assert names_on(response) == []
    assert requisition_options(html) == [(theirs.pk, f"Requisition {theirs.pk}", True)]
    assert "Someone else" not in html


def test_find_narrows_the_requisition_options_to_any_status_and_keeps_the_chosen_one(
    recruiter: Client,
) -> None:
    fraud = factories.requisition(title="ML Engineer, Fraud")
    old_fraud = factories.requisition(title="Fraud analyst (old)")
    chosen = factories.requisition(title="Search ranking")
    factories.requisition(title="Platform engineer")
    Requisition.objects.filter(pk=old_fraud.pk).update(status="closed")
    response = recruiter.get(
        OPTIONS, {"requisition_find": "fraud", "requisition": chosen.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<option value="">Any requisition</option>')
    assert options_in(html) == [
        (chosen.pk, "Search ranking", True),
        (old_fraud.pk, "Fraud analyst (old) (closed)", False),
        (fraud.pk, "ML Engineer, Fraud", False),
    ]


def test_find_without_javascript_narrows_the_options_but_not_the_list(recruiter: Client) -> None:
    fraud = factories.requisition(title="ML Engineer, Fraud")
    factories.application(candidate=person("Pat Platform", "pat@x.example"))
    response = recruiter.get(URL, {"requisition_find": "Fraud"})
    assert [pk for pk, _, _ in requisition_options(response.content.decode())] == [fraud.pk]
    assert names_on(response) == ["Pat Platform"]


def test_find_by_id_offers_that_requisition(recruiter: Client) -> None:
    wanted = factories.requisition(title="Wanted")
    factories.requisition(title="Unwanted")
    html = recruiter.get(OPTIONS, {"requisition_find": str(wanted.pk)}).content.decode()
    assert options_in(html) == [(wanted.pk, "Wanted", False)]
    odd_digits = recruiter.get(OPTIONS, {"requisition_find": "²", "requisition": "²"})
    assert odd_digits.status_code == 200 and options_in(odd_digits.content.decode()) == []


def test_requisition_options_follow_the_list_permissions(
    make_user: Callable[..., Any], client_as: Callable[[str], Client], client: Client
) -> None:
    manager = make_user("Hiring manager")
    own = factories.requisition(title="Own fraud requisition", hiring_manager=manager)
    factories.requisition(title="Other fraud requisition")
    html = logged_in(manager).get(OPTIONS, {"requisition_find": "fraud"}).content.decode()
    assert options_in(html) == [(own.pk, "Own fraud requisition", False)]
    for role in ("interviewer", "none"):
        assert client_as(role).get(OPTIONS).status_code == 403, role
    anonymous = client.get(OPTIONS)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


# Sorting and keyset pagination -------------------------------------------------------------


def _link(response: Any, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)"[^>]*rel="{rel}"', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def _walk(client: Client, params: dict[str, str]) -> tuple[list[int], Any]:
    response = client.get(URL, params)
    seen = rows_of(response)
    pages = 1
    while (link := _link(response, "next")) is not None:
        response = client.get(URL + link)
        seen += rows_of(response)
        pages += 1
        assert pages < 20
    return seen, response


SORTS = ["name", "-name", "requisition", "-requisition", "stage", "-stage", "days", "-days",
         "added", "-added"]  # fmt: skip


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_pages_through_every_row_exactly_once_forwards_and_back(
    recruiter: Client, sort: str
) -> None:
    req_a = many_applications(70)
    many_applications(50)
    # Equal sort values across pages: the id breaks ties.
    screen = req_a.stages.get(name="Recruiter screen")
    Application.objects.filter(requisition=req_a, pk__in=Application.objects.filter(
        requisition=req_a).values("pk")[:30]).update(stage=screen,
                                                     stage_position=screen.position)  # fmt: skip
    Candidate.objects.filter(pk__in=Candidate.objects.values("pk")[:40]).update(name="Same Name")
    seen, last = _walk(recruiter, {"sort": sort})
    assert len(seen) == 120 and set(seen) == set(Application.objects.values_list("pk", flat=True))
    back = rows_of(last)
    response = last
    while (link := _link(response, "prev")) is not None:
        response = recruiter.get(URL + link)
        back = rows_of(response) + back
    assert back == seen


def test_sort_by_stage_follows_moves_and_the_stage_editor_order(recruiter: Client) -> None:
    from hiring.pipeline.services.applications import application_move
    from hiring.pipeline.services.requisitions import stages_set

    req = factories.requisition()
    for name in ["Ann", "Bo"]:
        factories.application(candidate=person(name, f"{name}@x.example"), requisition_obj=req)
    bo = Application.objects.get(candidate__name="Bo")
    application_move(application=bo, to_stage=req.stages.get(name="Debrief"), actor=req.recruiter)
    assert names_on(recruiter.get(URL, {"sort": "stage"})) == ["Ann", "Bo"]
    # The debrief moved to the front of the pipeline: Bo's row follows it.
    order = list(req.stages.order_by("position"))
    debrief = next(s for s in order if s.name == "Debrief")
    order = [debrief, *(s for s in order if s is not debrief)]
    stages_set(requisition=req, stages=[{"id": s.pk, "name": s.name} for s in order],
               actor=req.recruiter)  # fmt: skip
    assert names_on(recruiter.get(URL, {"sort": "stage"})) == ["Bo", "Ann"]
    assert names_on(recruiter.get(URL, {"sort": "-stage"})) == ["Ann", "Bo"]


def test_sort_by_name_orders_the_rows_by_candidate_name(recruiter: Client) -> None:
    req = factories.requisition()
    for name in ["Cleo", "Abe", "Bea"]:
        factories.application(candidate=person(name, f"{name}@x.example"), requisition_obj=req)
    assert names_on(recruiter.get(URL, {"sort": "name"})) == ["Abe", "Bea", "Cleo"]
    assert names_on(recruiter.get(URL, {"sort": "-name"})) == ["Cleo", "Bea", "Abe"]


def test_pages_keep_filters_and_sort_in_their_links(recruiter: Client) -> None:
    many_applications(60)
    response = recruiter.get(URL, {"tag": "mlops", "sort": "-days"})
    link = _link(response, "next")
    assert link and "tag=mlops" in link and "sort=-days" in link and "cursor=" in link
    assert "OFFSET" not in link.upper()


@pytest.mark.parametrize("cursor", ["garbage", "eyJzIjoibmFtZSJ9:abc:def", ""])
def test_a_tampered_cursor_gives_the_first_page_with_a_message(
    recruiter: Client, cursor: str
) -> None:
    many_applications(60)
    first = rows_of(recruiter.get(URL))
    response = recruiter.get(URL, {"cursor": cursor})
    assert response.status_code == 200
    assert rows_of(response) == first
    if cursor:
        assert "link was damaged or is out of date" in response.content.decode()


def test_a_cursor_from_another_sort_starts_from_the_top(recruiter: Client) -> None:
    many_applications(60)
    link = _link(recruiter.get(URL, {"sort": "name"}), "next")
    assert link is not None
    token = re.search(r"cursor=([^&]+)", link).group(1)  # type: ignore[union-attr]
    response = recruiter.get(URL + f"?sort=-added&cursor={token}")
    assert rows_of(response) == rows_of(recruiter.get(URL))
    assert "link was damaged or is out of date" in response.content.decode()


# Bulk actions ------------------------------------------------------------------------------


def test_bulk_move_moves_every_ticked_application(recruiter: Client) -> None:
    req = factories.requisition()
    apps = [factories.application(requisition_obj=req) for _ in range(3)]
    response = recruiter.post(
        URL + "?sort=name",
        {"ids": [a.pk for a in apps], "action": "move", "stage": "Recruiter screen"},
    )
    assert response.status_code == 302 and response["Location"] == URL + "?sort=name"
    stages = set(Application.objects.values_list("stage__name", flat=True))
    assert stages == {"Recruiter screen"}
    page = recruiter.get(response["Location"]).content.decode()
    assert "Moved 3 applications to Recruiter screen." in page


def test_bulk_move_is_all_or_nothing_and_names_the_blocker(recruiter: Client) -> None:
    req = factories.requisition()
    ok = factories.application(requisition_obj=req)
    blocked = factories.application(requisition_obj=req, candidate=person("Ned Blocked", "n@b.x"))
    application_end(application=blocked, status="rejected", reason="Role filled", actor=None)
    moves_before = StageChange.objects.count()
    response = recruiter.post(
        URL, {"ids": [ok.pk, blocked.pk], "action": "move", "stage": "Recruiter screen"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ned Blocked" in html and "Nothing was moved" in html
    assert f'id="pick-{ok.pk}" aria-label' in html and "checked" in html
    ok.refresh_from_db()
    assert ok.stage.name == "Applied"
    assert StageChange.objects.count() == moves_before


def test_bulk_reject_with_reason_is_all_or_nothing(recruiter: Client) -> None:
    req = factories.requisition()
    a, b = factories.application(requisition_obj=req), factories.application(requisition_obj=req)
    application_end(application=b, status="withdrawn", reason="Timing", actor=None)
    response = recruiter.post(
        URL, {"ids": [a.pk, b.pk], "action": "reject", "reason": "Role filled"}
    )
    assert response.status_code == 400
    assert "Nothing was rejected" in response.content.decode()
    a.refresh_from_db()
    assert a.status == ApplicationStatus.ACTIVE

    response = recruiter.post(URL, {"ids": [a.pk], "action": "reject", "reason": "Role filled"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.end_reason) == (ApplicationStatus.REJECTED, "Role filled")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "move", "stage": "Applied"}, "Tick at least one candidate first."),
        ({"action": "move", "stage": "", "ids": ["1"]}, "Choose the stage to move them to."),
        ({"action": "reject", "reason": "Because", "ids": ["1"]}, "Select a valid choice."),
        ({"action": "move", "stage": "Applied", "ids": ["x"]}, "selection was not understood"),
        ({"action": "explode", "ids": ["1"]}, "Use the Move or the Reject button."),
    ],
)
def test_bad_bulk_input_shows_a_message_in_the_page(
    recruiter: Client, data: dict[str, Any], message: str
) -> None:
    factories.application()
    response = recruiter.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_bulk_action_on_an_application_the_user_cannot_see_changes_nothing(
    recruiter: Client,
) -> None:
    app = factories.application()
    response = recruiter.post(
        URL, {"ids": [app.pk, 987654], "action": "move", "stage": "Recruiter screen"}
    )
    assert response.status_code == 400
    assert "not in your list any more" in response.content.decode()
    app.refresh_from_db()
    assert app.stage.name == "Applied"


def test_hiring_manager_sees_no_bulk_actions_and_cannot_post_them(
    make_user: Callable[..., Any],
) -> None:
    manager = make_user("Hiring manager")
    app = factories.application(requisition_obj=factories.requisition(hiring_manager=manager))
    client = logged_in(manager)
    html = client.get(URL).content.decode()
    assert "With the ticked rows" not in html and 'name="ids"' not in html
    response = client.post(URL, {"ids": [app.pk], "action": "reject", "reason": "Role filled"})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACTIVE


# CSV export --------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_export_streams_the_filtered_list_with_phone_and_links(recruiter: Client) -> None:
    req = factories.requisition()
    factories.application(
        candidate=person(
            "Kept Person",
            "kept@x.example",
            ["nlp"],
            phone="555 0101",
            github_url="https://github.com/kept",
        ),  # fmt: skip
        requisition_obj=req,
    )
    factories.application(candidate=person("Left Out", "left@x.example"), requisition_obj=req)
    response = recruiter.get(EXPORT, {"tag": "nlp"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:3] == ["Name", "E-mail", "Phone"] and "GitHub" in header
    assert [r[0] for r in rows] == ["Kept Person"]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Phone"] == "555 0101" and row["GitHub"] == "https://github.com/kept"
    assert row["Tags"] == "nlp" and row["Stage"] == "Applied"


def test_export_neutralises_spreadsheet_formulas(recruiter: Client) -> None:
    req = factories.requisition()
    factories.application(
        candidate=person(
            '=HYPERLINK("http://evil.example","x")', "f@x.example", ["@risk"], phone="+1 555 0100"
        ),  # fmt: skip
        requisition_obj=req,
    )
    header, row = _csv(recruiter.get(EXPORT))
    cells = dict(zip(header, row, strict=True))
    assert cells["Name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert cells["Phone"] == "'+1 555 0100"
    assert cells["Tags"] == "'@risk"


def test_export_never_contains_credentials(recruiter: Client) -> None:
    factories.application()
    header, row = _csv(recruiter.get(EXPORT))
    text = ",".join(header + row)
    assert "Stanford" not in text and "PhD" not in text and "AWS ML" not in text


def test_export_with_a_bad_filter_shows_the_error_page(recruiter: Client) -> None:
    response = recruiter.get(EXPORT, {"stale_days": "soon"})
    assert response.status_code == 200 and not response.streaming
    assert "field-error" in response.content.decode()


# Who sees what -----------------------------------------------------------------------------


def test_recruiter_and_admin_see_every_application(client_as: Callable[[str], Client]) -> None:
    factories.application(candidate=person("One", "one@x.example"))
    factories.application(candidate=person("Two", "two@x.example"))
    for role in ("recruiter", "admin"):
        html = client_as(role).get(URL)
        assert sorted(names_on(html)) == ["One", "Two"], role


def test_hiring_manager_sees_only_their_requisitions(make_user: Callable[..., Any]) -> None:
    manager = make_user("Hiring manager")
    mine = factories.requisition(hiring_manager=manager)
    factories.application(candidate=person("Mine", "mine@x.example"), requisition_obj=mine)
    factories.application(candidate=person("Theirs", "theirs@x.example"))
    client = logged_in(manager)
    assert names_on(client.get(URL)) == ["Mine"]
    header, *rows = _csv(client.get(EXPORT))
    assert [r[0] for r in rows] == ["Mine"]


def test_interviewer_and_roleless_users_get_403(client_as: Callable[[str], Client]) -> None:
    for role in ("interviewer", "none"):
        client = client_as(role)
        assert client.get(URL).status_code == 403, role
        assert client.get(EXPORT).status_code == 403, role


def test_anonymous_user_is_sent_to_the_login_page(client: Client) -> None:
    for url in (URL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# The page itself ---------------------------------------------------------------------------


def test_empty_list_says_what_to_do_next(recruiter: Client) -> None:
    html = recruiter.get(URL).content.decode()
    assert "No candidates yet." in html


def test_no_match_says_how_to_widen_the_search(recruiter: Client) -> None:
    many_applications(2)
    html = recruiter.get(URL, {"q": "zzzz"}).content.decode()
    assert "No candidates match these filters." in html


def test_htmx_request_gets_only_the_list_body(recruiter: Client) -> None:
    many_applications(2)
    response = recruiter.get(URL, {"sort": "name"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="pick-' in html
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


@pytest.mark.parametrize("sort", ["stage", "-stage", "days", "name"])
def test_each_sort_sends_the_same_queries_at_any_size(recruiter: Client, sort: str) -> None:
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert recruiter.get(URL, {"sort": sort}).status_code == 200
        return len(captured)

    many_applications(5)
    small = queries()
    many_applications(80)
    assert queries() == small
