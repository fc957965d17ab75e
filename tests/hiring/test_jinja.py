"""The hot fragments rendered with Jinja2 (hiring.jinja): the board's cards and the candidate
list's table escape what people typed, keep ticked rows ticked, show dates in the company's
time zone, and carry a working CSRF field; the cards' fragment renders on its own too."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from hiring.pipeline.models import Application, Stage
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")

NASTY = '<script>alert("x")</script> & Co'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"


@pytest.fixture
def nasty_application() -> Application:
    candidate = factories.CandidateFactory(name=NASTY, email="nasty@example.com")
    application = factories.application(candidate=candidate)
    Application.objects.filter(pk=application.pk).update(next_step=NASTY)
    return application


def test_board_cards_escape_names_next_steps_and_the_stage_name(
    client_as: Callable[[str], Client], nasty_application: Application
) -> None:
    Stage.objects.filter(pk=nasty_application.stage_id).update(name=NASTY)
    page = (
        client_as("recruiter")
        .get(f"/requisitions/{nasty_application.requisition_id}/board/")
        .content.decode()
    )
    card = re.search(
        rf'<li class="board-card[^"]*" id="card-{nasty_application.pk}".*?</li>', page, re.S
    )
    assert card is not None
    assert "<script>" not in card.group(0)
    assert "<script>" not in page.split('id="board"')[1].split("</main>")[0]
    assert card.group(0).count(ESCAPED) >= 4  # the link, the next step, the move labels
    assert f'title="In {ESCAPED} since' in card.group(0)  # the cards escape by hand


def test_candidate_list_escapes_and_keeps_ticked_rows(
    make_user: Callable[..., Any], nasty_application: Application
) -> None:
    client = Client()
    client.force_login(make_user("Recruiter"))
    # A refused bulk action (no stage chosen) comes back with the row still ticked.
    response = client.post(
        "/candidates/", {"ids": [str(nasty_application.pk)], "action": "move", "stage": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>" not in html.split('<table class="table list-table">')[1]
    assert ESCAPED in html
    assert re.search(rf'id="pick-{nasty_application.pk}"[^>]*checked', html)


def test_candidate_list_dates_are_the_company_time_zone(
    make_user: Callable[..., Any], nasty_application: Application
) -> None:
    # 02:00 UTC on 2 March is 21:00 on 1 March in New York (the company's time zone).
    late = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    Application.objects.filter(pk=nasty_application.pk).update(created_at=late)
    client = Client()
    client.force_login(make_user("Recruiter"))
    html = client.get("/candidates/").content.decode()
    local = timezone.localtime(late)
    assert local.date() == dt.date(2026, 3, 1)
    assert f'<time datetime="{local.isoformat()}">2026-03-01</time>' in html


def test_board_card_forms_carry_a_csrf_token_that_moves_the_card(
    make_user: Callable[..., Any], nasty_application: Application
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("Recruiter"))
    board = f"/requisitions/{nasty_application.requisition_id}/board/"
    page = client.get(board).content.decode()
    card = re.search(rf'id="card-{nasty_application.pk}".*?</li>', page, re.S)
    assert card is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card.group(0))
    assert token is not None
    target = nasty_application.requisition.stages.order_by("position")[1]
    response = client.post(
        f"{board}move/",
        {
            "application": nasty_application.pk,
            "stage": target.pk,
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code in (200, 302)
    nasty_application.refresh_from_db()
    assert nasty_application.stage_id == target.pk


def test_the_cards_fragment_renders_alone(
    client_as: Callable[[str], Client], nasty_application: Application
) -> None:
    stage = nasty_application.stage
    response = client_as("recruiter").get(
        f"/requisitions/{nasty_application.requisition_id}/board/stages/{stage.pk}/cards/"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="card-{nasty_application.pk}"' in html and ESCAPED in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("name", "ids"),
    [("requisitions:board", (12,)), ("candidate:detail", (5,)), ("requisitions:cards", (3, 40))],
)
def test_jinja_url_matches_reverse(name: str, ids: tuple[int, ...]) -> None:
    from django.urls import reverse

    from hiring.paths import url

    assert url(name, *ids) == reverse(name, args=ids)
    assert url(name, *ids) == url(name, *ids)  # the cached pattern, twice


def test_requisition_list_rows_link_their_board_edit_and_stages(
    client_as: Callable[[str], Client],
) -> None:
    requisition = factories.requisition(title=NASTY)
    html = client_as("recruiter").get("/requisitions/").content.decode()
    assert f'href="/requisitions/{requisition.pk}/board/"><strong>{ESCAPED}</strong>' in html
    assert f'href="/requisitions/{requisition.pk}/edit/"' in html
    assert f'href="/requisitions/{requisition.pk}/stages/"' in html
    assert "<script>" not in html.split("<tbody>")[1]


def test_the_candidate_timeline_escapes_what_people_typed(
    client_as: Callable[[str], Client],
    make_user: Callable[..., Any],
    nasty_application: Application,
) -> None:
    """Each of the timeline's events (Jinja2 since the candidate page's cut): a note's body
    keeps its line breaks, and names, stages, rounds and bodies are escaped."""
    from hiring.pipeline.models import Note

    author = make_user("Recruiter", first_name=NASTY, last_name="")
    Note.objects.create(application=nasty_application, author=author, body=f"first line\n{NASTY}")
    Stage.objects.filter(pk=nasty_application.stage_id).update(name=NASTY)
    panel = make_user("Interviewer", first_name=NASTY, last_name="")
    factories.interview(application_obj=nasty_application, interviewers=[panel], round_name=NASTY)
    page = client_as("recruiter").get(f"/candidates/{nasty_application.candidate_id}/")
    timeline = page.content.decode().split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "<script>" not in timeline
    # The note's body, its line break kept (Django's linebreaksbr, which writes &quot;).
    assert f"first line<br>{escape(NASTY)}" in timeline
    assert f"<strong>{ESCAPED}</strong> wrote a note" in timeline  # the author
    assert f"added them at <strong>{ESCAPED}</strong>" in timeline  # the stage
    assert f"<strong>{ESCAPED}</strong> interview with {ESCAPED}" in timeline  # round, panel
    assert timeline.count('<li class="timeline-item') == 3
