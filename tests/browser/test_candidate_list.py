"""A recruiter imports a CSV with a bad row, then searches, filters and exports the list."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from hiring.permissions import RECRUITER
from hiring.pipeline.models import Candidate
from tests import factories

LogIn = Callable[..., User]
pytestmark = pytest.mark.usefixtures("playbook")

CSV = (
    "name,email,phone,location,source,portfolio_url,github_url,tags\n"
    "Grace Hopper,grace@example.org,,New York,referral,,,compilers\n"
    "Bad Row,not-an-e-mail,,,,,,\n"
    "Frances Allen,frances@example.org,,,sourced,,,compilers\n"
)


def test_recruiter_imports_a_csv_with_a_bad_row_then_searches_and_exports(
    page: Page, log_in: LogIn
) -> None:
    requisition = factories.requisition(title="Compiler ML Engineer")
    log_in(RECRUITER)

    page.goto("/candidates/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Preview").click()

    # The preview shows every row's verdict and writes nothing.
    expect(page.get_by_label("Summary")).to_contain_text("2 will be created")
    expect(page.get_by_label("Summary")).to_contain_text("1 error, skipped")
    bad = page.locator("tr", has_text="not-an-e-mail")
    expect(bad).to_contain_text("Error")
    assert Candidate.objects.count() == 0

    page.get_by_label("Add everyone imported to").select_option(
        label=f"{requisition.title} ({requisition.level.name})"
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("main")).to_contain_text("not-an-e-mail")  # listed as skipped
    assert sorted(Candidate.objects.values_list("email", flat=True)) == [
        "frances@example.org",
        "grace@example.org",
    ]

    # Search narrows the list to one person; the export is exactly that list.
    page.goto("/candidates/")
    page.get_by_label("Search").fill("Grace")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("table")
    expect(table).to_contain_text("Grace Hopper")
    expect(table).not_to_contain_text("Frances Allen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    body = "\n".join(",".join(row) for row in rows[1:])
    assert "grace@example.org" in body
    assert "frances@example.org" not in body
