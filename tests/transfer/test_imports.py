"""Background imports: a 10,000-row CSV through the real task, its summary, running it twice,
resuming after a stop, and the progress page and fragment."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.permissions import ADMIN, RECRUITER
from hiring.pipeline.models import Application, Candidate
from hiring.transfer.batches import import_job_process
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.services.imports import import_job_create
from hiring.transfer.tasks import import_job_run
from tests import factories
from tests.panels import eager_celery
from tests.transfer.support import HEADER, csv_file, csv_rows, json_file

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def recruiter(db: None) -> Any:
    return factories.UserFactory(roles=[RECRUITER])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, *files: Any, **data: Any) -> Any:
    return client.post(reverse("transfer:imports"), {"file": list(files), **data})


def test_a_10000_row_csv_runs_in_the_task_and_sums_up_what_was_written_and_refused(
    recruiter: Any, django_capture_on_commit_callbacks: Any, capsys: Any
) -> None:
    factories.CandidateFactory(name="Known Person", email="person7@example.org")
    bad = "Nobody,not-an-email,,,,,,\nNo Mail,,,,,,,\nOdd Source,odd@example.org,,,fax,,,\n"
    text = (
        HEADER
        + csv_rows(9_989)
        + bad
        + csv_rows(7, start=9_990)
        + "Again,person3@example.org,,,,,,\n"
    )
    assert text.count("\n") == 10_001  # the header and 10,000 rows
    client = signed_in(recruiter)
    started = time.monotonic()
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_file(text))
    elapsed = time.monotonic() - started
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("transfer:import", args=[job.pk])
    assert (job.status, job.total, job.done) == ("done", 10_000, 10_000)
    # 9,997 new people; refused: the known e-mail, the repeated one and the three bad rows.
    assert (job.written, job.refused, job.flagged) == (9_995, 5, 0)
    assert Candidate.objects.count() == 1 + 9_995
    page = client.get(reverse("transfer:import", args=[job.pk])).content.decode()
    assert "9995 written" in page and "5 refused" in page
    assert "Invalid e-mail “not-an-email”." in page and "Missing e-mail." in page
    assert "E-mail already belongs to Known Person." in page
    assert "Unknown source “fax”" in page
    refused = client.get(reverse("transfer:import-refused", args=[job.pk]))
    lines = b"".join(refused.streaming_content).decode().splitlines()
    assert lines[0] == "row,reason,name,email,phone,location,source,portfolio_url,github_url,tags"
    assert len(lines) == 6 and lines[1].startswith("line 9,E-mail already belongs to Known Person.")
    with capsys.disabled():
        print(f"\n10,000-row CSV import through the task: {elapsed:.1f} s")


def test_running_the_task_twice_writes_nothing_twice(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    requisition = factories.requisition(recruiter=recruiter)
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(
            uploads=[csv_file(HEADER + csv_rows(450))], requisition=requisition, actor=recruiter
        )
    import_job_run.apply(args=[job.pk])
    import_job_run.apply(args=[job.pk])  # redelivered, or queued again by the sweep
    job.refresh_from_db()
    assert (job.status, job.done, job.written, job.refused) == ("done", 450, 450, 0)
    assert Candidate.objects.count() == 450
    assert Application.objects.filter(requisition=requisition).count() == 450


def test_a_stopped_job_goes_on_from_the_first_row_it_had_not_finished(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(1000))], actor=recruiter)
    # The worker took two batches, then died (the third batch's transaction never committed).
    import_job_process(job_id=job.pk, batches=2)
    job.refresh_from_db()
    assert (job.status, job.done, job.written) == ("running", 400, 400)
    assert ImportLine.objects.filter(job=job, outcome="pending").count() == 600
    import_job_run.apply(args=[job.pk])  # redelivered
    job.refresh_from_db()
    assert (job.status, job.done, job.written) == ("done", 1000, 1000)
    assert Candidate.objects.count() == 1000
    emails = Candidate.objects.values_list("email", flat=True)
    assert len(set(emails)) == 1000


def test_the_progress_fragment_shows_how_far_the_job_is(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(1000))], actor=recruiter)
    client = signed_in(recruiter)
    fragment = client.get(reverse("transfer:import-progress", args=[job.pk])).content.decode()
    assert "0 of 1000 rows done (0%)" in fragment and "Queued" in fragment
    assert 'hx-trigger="every 1s"' in fragment
    import_job_process(job_id=job.pk, batches=2)
    fragment = client.get(reverse("transfer:import-progress", args=[job.pk])).content.decode()
    assert "400 of 1000 rows done (40%)" in fragment and 'value="40"' in fragment
    assert "Running" in fragment and 'hx-trigger="every 1s"' in fragment
    import_job_process(job_id=job.pk)
    fragment = client.get(reverse("transfer:import-progress", args=[job.pk])).content.decode()
    assert "1000 of 1000 rows done (100%)" in fragment and "1000 written" in fragment
    assert "hx-trigger" not in fragment  # finished: the polling stops
    # The job page is its own URL: a reload shows the same place.
    page = client.get(reverse("transfer:import", args=[job.pk])).content.decode()
    assert "1000 of 1000 rows done" in page and "No row was refused." in page


def test_duplicates_asked_for_are_written_and_flagged(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    known = factories.CandidateFactory(email="person1@example.org")
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(recruiter), csv_file(HEADER + csv_rows(3)), include_duplicates="on")
    job = ImportJob.objects.get()
    assert (job.written, job.flagged, job.refused) == (3, 1, 0)
    assert Candidate.objects.get(email="person1@example.org", duplicate_of=known)


def test_rows_a_closed_requisition_refuses_write_no_candidate(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    requisition = factories.requisition(recruiter=recruiter)
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(
            uploads=[csv_file(HEADER + csv_rows(2))], requisition=requisition, actor=recruiter
        )
    type(requisition).objects.filter(pk=requisition.pk).update(status="closed")
    import_job_process(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.written, job.refused) == ("done", 0, 2)
    assert not Candidate.objects.exists()
    assert "is closed" in job.lines.first().reasons


def test_a_json_list_of_candidates_is_imported_like_the_csv(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [
        {"name": "Ada Lovelace", "email": "ADA@example.org", "tags": ["mlops", "eval"]},
        {"name": "No Mail"},
    ]
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        upload(signed_in(recruiter), json_file(rows, "people.json"))
    job = ImportJob.objects.get()
    assert (job.format, job.written, job.refused) == ("json", 1, 1)
    ada = Candidate.objects.get()
    assert ada.email == "ada@example.org"
    assert sorted(ada.tags.values_list("name", flat=True)) == ["eval", "mlops"]
    assert job.lines.get(outcome="refused").where == "item 2"


def test_each_user_sees_their_own_imports_and_admins_every_one(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(1))], actor=recruiter)
    other = signed_in(factories.UserFactory(roles=[RECRUITER]))
    assert other.get(reverse("transfer:import", args=[job.pk])).status_code == 404
    assert other.get(reverse("transfer:import-refused", args=[job.pk])).status_code == 404
    assert job.file_name not in other.get(reverse("transfer:imports")).content.decode()
    admin = signed_in(factories.UserFactory(roles=[ADMIN]))
    assert admin.get(reverse("transfer:import", args=[job.pk])).status_code == 200


def test_a_failed_job_can_be_run_again_and_goes_on(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(300))], actor=recruiter)
    import_job_process(job_id=job.pk, batches=1)
    ImportJob.objects.filter(pk=job.pk).update(status="failed", error="Stopped after 200 rows.")
    client = signed_in(recruiter)
    assert "Run it again" in client.get(reverse("transfer:import", args=[job.pk])).content.decode()
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:import-retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.written) == ("done", 300)
    assert Candidate.objects.count() == 300


def _page_queries(recruiter: Any, size: int) -> list[int]:
    """The queries of the imports page, a finished job's page and its fragment, for a job
    with `size` rows written and `size` refused (and two more jobs on the list)."""
    bad = "".join(f"Bad {n},bad{n}-{size},,,,,,\n" for n in range(size))
    for _ in range(3):
        job = import_job_create(
            uploads=[csv_file(HEADER + csv_rows(size, domain=f"s{size}.org") + bad)],
            actor=recruiter,
        )
    import_job_process(job_id=job.pk)
    client = signed_in(recruiter)
    counts = []
    for url in (reverse("transfer:imports"), reverse("transfer:import", args=[job.pk]),
                reverse("transfer:import-progress", args=[job.pk])):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_job_pages_keep_a_constant_number_of_queries(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        small, large = _page_queries(recruiter, 3), _page_queries(recruiter, 80)
    assert small == large
    assert max(small) <= 10


def test_the_sweep_queues_again_a_job_whose_worker_was_lost(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from hiring.transfer.tasks import imports_sweep

    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(300))], actor=recruiter)
    import_job_process(job_id=job.pk, batches=1)  # then the worker died
    fresh = ImportJob.objects.get(pk=job.pk)
    with eager_celery(), django_capture_on_commit_callbacks(execute=True):
        assert imports_sweep.apply().get() == 0  # moved a moment ago: not stalled
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=fresh.updated_at - dt.timedelta(minutes=5)
        )
        assert imports_sweep.apply().get() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.written) == ("done", 300, 300)
    assert job.finished_at is not None and job.finished_at <= timezone.now()
    assert Candidate.objects.count() == 300


def test_finished_jobs_are_forgotten_after_30_days_and_their_candidates_stay(
    recruiter: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from hiring.transfer.batches import finished_jobs_forget

    with django_capture_on_commit_callbacks(execute=False):
        job = import_job_create(uploads=[csv_file(HEADER + csv_rows(3))], actor=recruiter)
    import_job_process(job_id=job.pk)
    job.refresh_from_db()
    assert finished_jobs_forget(now=job.updated_at + dt.timedelta(days=29)) == 0
    finished_jobs_forget(now=timezone.now() + dt.timedelta(days=31))
    assert not ImportJob.objects.exists() and not ImportLine.objects.exists()
    assert Candidate.objects.count() == 3
