"""A recruiter imports a CSV in Chromium: the job's page shows its progress as the task works
through it (polled, no reload), then the summary with the refused rows; and the export page.
Screenshots at 1280 and 390 px go to test-artifacts/screenshots/transfer-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hiring.permissions import RECRUITER
from hiring.transfer.batches import import_job_process
from hiring.transfer.models import ImportJob
from hiring.transfer.services.imports import import_job_create
from tests import factories
from tests.panels import eager_celery
from tests.transfer.support import HEADER, csv_file, csv_rows

pytestmark = pytest.mark.usefixtures("playbook")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"transfer-{name}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width} px is {scroll} px wide"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_recruiter_imports_a_csv_and_watches_it_run(
    page: Page, log_in: Any, tmp_path: Path
) -> None:
    recruiter = log_in(RECRUITER)
    factories.requisition(recruiter=recruiter, title="ML Platform Lead")
    page.goto("/transfer/imports/")
    expect(page.get_by_text("No imports yet.")).to_be_visible()
    shoot(page, "imports-empty")
    upload = tmp_path / "people.csv"
    upload.write_text(HEADER + csv_rows(8) + "Nobody,not-an-email,,,,,,\nNo Mail,,,,,,,\n")
    page.get_by_label("File").set_input_files(str(upload))
    with eager_celery():  # the task runs at the commit, in the server's thread
        page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_test_id("written")).to_have_text("8 written")
    expect(page.get_by_test_id("refused")).to_have_text("2 refused")
    expect(page.get_by_role("cell", name="Invalid e-mail “not-an-email”.")).to_be_visible()
    shoot(page, "job-done")

    # A larger one, queued with no worker running: the page follows the task as it goes.
    job = import_job_create(uploads=[csv_file(HEADER + csv_rows(500, start=100))], actor=recruiter)
    page.goto(f"/transfer/imports/{job.pk}/")
    expect(page.get_by_text("0 of 500 rows done (0%)")).to_be_visible()
    import_job_process(job_id=job.pk, batches=1)
    expect(page.get_by_text("200 of 500 rows done (40%)")).to_be_visible()
    expect(page.get_by_test_id("written")).to_have_text("200 written")
    shoot(page, "job-running")
    import_job_process(job_id=job.pk)
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_text("No row was refused.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("500 of 500 rows done (100%)")).to_be_visible()
    assert ImportJob.objects.get(pk=job.pk).written == 500
    page.goto("/transfer/imports/")
    shoot(page, "imports")


def test_the_export_page(page: Page, log_in: Any) -> None:
    recruiter = log_in(RECRUITER)
    factories.requisition(recruiter=recruiter, title="ML Platform Lead")
    page.goto("/requisitions/")
    page.get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", name="Export as Greenhouse Harvest JSON")).to_be_visible()
    shoot(page, "export")
    page.get_by_label("Requisition", exact=True).select_option(index=1)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("harvest-requisition-")
