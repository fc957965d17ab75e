"""Reading import jobs: whose the user sees, the page of one, its refused rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from hiring.permissions import can
from hiring.pipeline.selectors.listing import csv_safe
from hiring.pipeline.services.imports import COLUMNS
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.rules import LineOutcome

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECENT = 20
REFUSED_SHOWN = 50
CSV_CHUNK = 1000


def jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Each user's own import jobs; every job for admins."""
    rows = ImportJob.objects.all()
    return rows if can(user, "imports.view_all") else rows.filter(created_by=user)


def recent_jobs(user: User) -> list[ImportJob]:
    """The user's latest jobs, newest first (the imports page)."""
    rows = jobs_visible_to(user).select_related("requisition", "created_by")
    return list(rows.order_by("-created_at", "-id")[:RECENT])


def job_for_page(user: User, pk: int) -> ImportJob:
    """One job with what its page shows; ImportJob.DoesNotExist when not the user's."""
    return jobs_visible_to(user).select_related("requisition", "created_by").get(pk=pk)


def refused_lines(job: ImportJob, *, limit: int = REFUSED_SHOWN) -> list[ImportLine]:
    return list(
        job.lines.filter(outcome=LineOutcome.REFUSED)
        .order_by("number")
        .only("job", "number", "where", "values", "reasons")[:limit]
    )


def refused_csv(job: ImportJob) -> Iterator[str]:
    """Every refused row as CSV: where it was, why, and its values under the template's
    columns; fixed, the file can be uploaded again as it is (row and reason are ignored)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "reason", *COLUMNS])
    last = 0
    while True:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        chunk = list(
            job.lines.filter(outcome=LineOutcome.REFUSED, number__gt=last)
            .order_by("number")
            .only("job", "number", "where", "values", "reasons")[:CSV_CHUNK]
        )
        if not chunk:
            return
        for line in chunk:
            values = line.values or {}
            writer.writerow([line.where, line.reasons,
                             *(csv_safe(values.get(name, "")) for name in COLUMNS)])  # fmt: skip
        last = chunk[-1].number
