"""A requisition's posting: defaults, the sanitised description, publishing and removal."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from hiring.careers.models import Posting
from hiring.careers.rendering import description_html
from hiring.careers.services.postings import posting_draft
from hiring.pipeline.services.requisitions import requisition_set_status
from tests import factories
from tests.careers.support import published_posting

pytestmark = pytest.mark.usefixtures("playbook")


def test_the_default_questions_are_the_role_profiles_signals_worded_as_questions() -> None:
    requisition = factories.requisition(role_slug="ml-engineering-lead")
    draft = posting_draft(requisition)
    assert draft.pk is None and not draft.published
    assert draft.questions[0].startswith("MLflow/Kubeflow production: what have you shipped")
    assert len(draft.questions) == len(requisition.role.signals)


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '[x](https://x.example "t" onmouseover=alert(1))',
    ],
)
def test_no_markup_of_the_authors_can_run(markdown: str) -> None:
    """What the browser would build from the HTML: only harmless elements, no handlers, no
    script links (the markup itself may show, as text)."""
    elements = Elements()
    elements.feed(description_html(markdown))
    assert {tag for tag, _attrs in elements.found} <= {"p", "a"}
    for _tag, attrs in elements.found:
        assert all(not name.startswith("on") and name != "style" for name, _value in attrs)
        assert all(not (value or "").lower().startswith("javascript") for _name, value in attrs)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def test_markdown_is_rendered_headings_below_the_pages_title() -> None:
    html = description_html("# Title\n\n**bold** and [a link](https://example.org)\n\n- one")
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_unpublishing_removes_the_posting_from_the_careers_page_at_once(client: Client) -> None:
    posting = published_posting()
    assert posting.requisition.title in client.get("/careers/").content.decode()
    published_posting(requisition=posting.requisition, slug=posting.slug, published=False)
    assert posting.requisition.title not in client.get("/careers/").content.decode()
    assert client.get(f"/careers/{posting.slug}/").status_code == 404


def test_closing_the_requisition_removes_its_posting_at_once(client: Client) -> None:
    posting = published_posting()
    requisition = posting.requisition
    requisition_set_status(requisition=requisition, to="closed", actor=requisition.recruiter)
    assert requisition.title not in client.get("/careers/").content.decode()
    assert client.get(f"/careers/{posting.slug}/").status_code == 404
    assert "careers/" not in client.get("/careers/feed.json").json()["items"].__repr__()


def test_a_closed_requisitions_posting_cannot_be_published(client_as: Any) -> None:
    requisition = factories.requisition()
    requisition_set_status(requisition=requisition, to="closed", actor=requisition.recruiter)
    response = client_as("recruiter").post(
        f"/requisitions/{requisition.pk}/posting/", _form(published="on")
    )
    assert response.status_code == 200
    assert "reopen it before publishing" in response.content.decode()
    assert not Posting.objects.exists()


def _form(**changes: str) -> dict[str, str]:
    return {
        "slug": "ml-lead",
        "team": "Research",
        "workplace": "remote",
        "employment_type": "FULL_TIME",
        "description": "Hello",
        "questions": "What did you ship?\nWhat broke?",
        **changes,
    }


def test_the_recruiter_publishes_edits_questions_and_sees_it_live(client_as: Any) -> None:
    requisition = factories.requisition(location="Toronto")
    recruiter = client_as("recruiter")
    page = recruiter.get(f"/requisitions/{requisition.pk}/posting/").content.decode()
    assert "Not on the careers page" in page and "Model monitoring" not in page
    response = recruiter.post(
        f"/requisitions/{requisition.pk}/posting/", _form(published="on"), follow=True
    )
    assert "On the careers page" in response.content.decode()
    posting = Posting.objects.get()
    assert posting.published and posting.questions == ["What did you ship?", "What broke?"]
    assert posting.publish_band is False and posting.show_hiring_manager is False
    assert Client().get("/careers/ml-lead/").status_code == 200


def test_the_board_links_to_the_posting_page(client_as: Any) -> None:
    requisition = factories.requisition()
    board = client_as("recruiter").get(f"/requisitions/{requisition.pk}/board/").content.decode()
    assert f"/requisitions/{requisition.pk}/posting/" in board


@pytest.mark.parametrize(
    ("who", "status"), [("recruiter", 200), ("admin", 200), ("hiring_manager", 403),
                        ("interviewer", 403), ("none", 403)],
)  # fmt: skip
def test_only_recruiters_and_admins_edit_postings(client_as: Any, who: str, status: int) -> None:
    requisition = factories.requisition()
    assert client_as(who).get(f"/requisitions/{requisition.pk}/posting/").status_code == status


def test_signed_out_the_posting_page_asks_to_log_in(client: Client) -> None:
    requisition = factories.requisition()
    response = client.get(f"/requisitions/{requisition.pk}/posting/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_taken_address_is_refused_beside_the_field(client_as: Any) -> None:
    taken = published_posting()
    requisition = factories.requisition(location="Oslo")
    response = client_as("recruiter").post(
        f"/requisitions/{requisition.pk}/posting/", _form(slug=taken.slug)
    )
    assert "Taken by another posting" in response.content.decode()
    assert Posting.objects.count() == 1


def test_an_on_site_job_without_a_location_is_not_published(client_as: Any) -> None:
    requisition = factories.requisition()
    response = client_as("recruiter").post(
        f"/requisitions/{requisition.pk}/posting/", _form(published="on", workplace="on_site")
    )
    assert "needs a location" in response.content.decode()
    assert not Posting.objects.exists()
