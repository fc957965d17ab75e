"""The public careers pages: the list and its filters, a posting and its JobPosting data,
the feed; nothing internal on any of them."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from compensation.models import Band
from tests import factories
from tests.careers.support import published_posting

pytestmark = pytest.mark.usefixtures("playbook")

# What Google's job-posting rich results require (developers.google.com/search/docs/
# appearance/structured-data/job-posting) and the issue names.
REQUIRED = ("title", "description", "datePosted", "validThrough", "employmentType",
            "hiringOrganization")  # fmt: skip


def job_posting(client: Client, slug: str) -> dict[str, Any]:
    page = client.get(f"/careers/{slug}/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def assert_valid_job_posting(data: dict[str, Any]) -> None:
    assert data["@context"].rstrip("/") == "https://schema.org" and data["@type"] == "JobPosting"
    for name in REQUIRED:
        assert data.get(name), f"{name} is missing"
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"]
    posted = dt.date.fromisoformat(data["datePosted"])
    assert dt.datetime.fromisoformat(data["validThrough"]).date() > posted
    assert data["employmentType"] in {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY",
                                      "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}  # fmt: skip
    if data.get("jobLocationType") == "TELECOMMUTE":
        assert data["applicantLocationRequirements"]["name"]
    else:
        address = data["jobLocation"]["address"]
        assert data["jobLocation"]["@type"] == "Place" and address["@type"] == "PostalAddress"
        assert address["addressLocality"]
    if "baseSalary" in data:
        salary = data["baseSalary"]
        assert salary["@type"] == "MonetaryAmount" and len(salary["currency"]) == 3
        assert salary["value"]["unitText"] in {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
        assert salary["value"]["minValue"] > 0


def test_the_json_ld_has_every_required_field(client: Client) -> None:
    posting = published_posting()
    data = job_posting(client, posting.slug)
    assert_valid_job_posting(data)
    assert data["title"] == posting.requisition.title
    assert "<strong>our</strong>" in data["description"]
    assert data["jobLocation"]["address"]["addressLocality"] == "Lisbon"
    assert data["datePosted"] == timezone.localdate().isoformat()
    assert "baseSalary" not in data  # off by default


def test_a_remote_posting_names_where_applicants_may_live(client: Client) -> None:
    requisition = factories.requisition(location="EU")
    posting = published_posting(requisition=requisition, workplace="remote")
    data = job_posting(client, posting.slug)
    assert_valid_job_posting(data)
    assert data["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in data
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "EU"}


def test_the_band_is_published_only_when_the_posting_chooses(client: Client) -> None:
    requisition = factories.requisition(location="Austin")
    band = Band.objects.filter(level=requisition.level).order_by("-effective_date").first()
    assert band is not None
    hidden = published_posting(requisition=requisition)
    page = client.get(f"/careers/{hidden.slug}/").content.decode()
    assert f"{band.low:,}" not in page and str(band.low) not in page
    shown = published_posting(requisition=requisition, slug=hidden.slug, publish_band=True)
    data = job_posting(client, shown.slug)
    assert_valid_job_posting(data)
    assert data["baseSalary"]["value"]["minValue"] == band.low
    assert f"{band.low:,}" in client.get(f"/careers/{shown.slug}/").content.decode()


def test_the_json_ld_cannot_close_its_script_element(client: Client) -> None:
    requisition = factories.requisition(
        title="ML </script><script>alert(1)</script> lead", location="Paris"
    )
    posting = published_posting(requisition=requisition)
    page = client.get(f"/careers/{posting.slug}/").content.decode()
    assert "<script>alert(1)" not in page
    assert job_posting(client, posting.slug)["title"] == requisition.title


def test_the_careers_page_lists_published_postings_of_open_requisitions(client: Client) -> None:
    shown = published_posting()
    draft = published_posting(published=False)
    page = client.get("/careers/").content.decode()
    assert shown.requisition.title in page and draft.requisition.title not in page
    assert "Lisbon" in page and "On-site" in page and "Platform" in page


def test_nothing_internal_is_shown(client: Client) -> None:
    posting = published_posting()
    requisition = posting.requisition
    factories.application(requisition_obj=requisition)
    manager = requisition.hiring_manager
    for url in ("/careers/", f"/careers/{posting.slug}/", "/careers/feed.json"):
        page = client.get(url).content.decode()
        for internal in (manager.last_name, requisition.recruiter.last_name, "Recruiter screen",
                         "Debrief", "headcount", "pedigree", requisition.level.name):  # fmt: skip
            assert internal not in page, (url, internal)


def test_the_hiring_manager_is_named_only_when_chosen(client: Client) -> None:
    posting = published_posting(show_hiring_manager=True)
    manager = posting.requisition.hiring_manager
    assert manager.last_name in client.get(f"/careers/{posting.slug}/").content.decode()


def test_filters_by_location_and_role(client: Client) -> None:
    lisbon = published_posting(requisition=factories.requisition(location="Lisbon"))
    berlin = published_posting(
        requisition=factories.requisition(location="Berlin", role_slug="data-scientist")
    )
    page = client.get("/careers/?location=Berlin").content.decode()
    assert berlin.requisition.title in page and lisbon.requisition.title not in page
    page = client.get("/careers/?role=applied-ml-engineer").content.decode()
    assert lisbon.requisition.title in page and berlin.requisition.title not in page
    page = client.get("/careers/?location=Nowhere").content.decode()
    assert "No open jobs match these filters" in page


def test_the_empty_state(client: Client) -> None:
    page = client.get("/careers/").content.decode()
    assert "No open jobs right now" in page


def test_the_source_of_a_job_boards_link_follows_to_the_posting(client: Client) -> None:
    posting = published_posting()
    page = client.get("/careers/?source=LinkedIn").content.decode()
    assert f"/careers/{posting.slug}/?source=linkedin" in page
    posting_page = client.get(f"/careers/{posting.slug}/?source=linkedin").content.decode()
    assert f"/careers/{posting.slug}/apply/?source=linkedin" in posting_page


def test_the_pages_work_at_phone_width() -> None:
    from pathlib import Path

    base = (Path(__file__).parents[2] / "templates/careers/base.html").read_text()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in base


def test_the_careers_page_costs_the_same_queries_for_many_postings(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        published_posting()
    with django_assert_max_num_queries(4) as few:
        client.get("/careers/")
    for _ in range(12):
        published_posting()
    with django_assert_max_num_queries(len(few)):
        client.get("/careers/")


def test_the_posting_page_costs_a_few_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    posting = published_posting(publish_band=True)
    with django_assert_max_num_queries(4):
        assert client.get(f"/careers/{posting.slug}/").status_code == 200


def test_the_feed_lists_open_postings_as_a_json_feed(client: Client) -> None:
    posting = published_posting()
    published_posting(published=False)
    response = client.get("/careers/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["title"] for item in feed["items"]] == [posting.requisition.title]
    item = feed["items"][0]
    assert item["url"].endswith(f"/careers/{posting.slug}/") and item["url"].startswith("http")
    assert "Run our model serving" in item["summary"] and item["_job"]["location"] == "Lisbon"


def test_an_unknown_posting_is_a_404(client: Client) -> None:
    assert client.get("/careers/no-such-job/").status_code == 404
