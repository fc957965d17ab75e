"""The import task's work: a job's waiting rows, batch by batch.

The task takes the waiting rows in batches of BATCH; each batch is one transaction that
locks the job row, checks its rows with the CSV import's own rules
(hiring.pipeline.services.imports.rows_check), writes their candidates, marks the rows and
adds to the job's counters. So:

- a worker killed mid-batch loses nothing: the batch rolls back, its rows still wait, and the
  task (redelivered: acks_late, reject_on_worker_lost) or the sweep goes on from them;
- a task run twice writes nothing twice: the second run waits for the job's lock, then finds
  those rows taken (their outcome is no longer "waiting") and goes on with the rest or stops;
  should two runs ever hold the same rows, each row is taken by compare-and-set and the
  batch that comes second rolls back whole.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.pipeline.models import Candidate
from hiring.pipeline.services.applications import application_create
from hiring.pipeline.services.candidates import candidates_create_many
from hiring.pipeline.services.imports import CREATE, DUPLICATE, ImportRow, row_fields, rows_check
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.rules import UNFINISHED, ImportStatus, LineOutcome

log = logging.getLogger(__name__)

BATCH = 200
# An unfinished job no batch has moved for this long has lost its worker: the sweep queues
# it again (a batch of BATCH rows takes well under a second to a few seconds).
STALLED = dt.timedelta(minutes=2)
# A finished job (its refused rows hold personal data of people never stored as candidates)
# is deleted this long after it ended.
KEPT = dt.timedelta(days=30)
# The candidate fields a JSON Resume fills beyond the CSV's columns.
EXTRAS = ("shipped_systems", "degrees", "schools", "certifications", "case_study_urls")


class TakenElsewhere(Exception):
    """Another run of the job took rows of this batch: this run's batch rolls back and it
    stops; the other goes on."""


def import_job_process(*, job_id: int, batches: int | None = None) -> ImportJob | None:
    """Run the job from its first waiting row to the end (or `batches` batches of it). Safe
    to run twice, at once or one after the other. A batch that fails stops the job, failed,
    with the reason; what earlier batches wrote stays."""
    if not ImportJob.objects.filter(pk=job_id).exists():
        return None  # deleted since it was queued: nothing to do
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now, updated_at=now
    )
    taken = 0
    try:
        while (batches is None or taken < batches) and _batch(job_id):
            taken += 1
    except TakenElsewhere:
        log.info("import job %s: another run goes on with it", job_id)
    except Exception as error:
        log.exception("import job %s failed", job_id)
        _fail(job_id, error)
    return ImportJob.objects.get(pk=job_id)


@transaction.atomic
def _batch(job_id: int) -> bool:
    """Take the next BATCH waiting rows; False when there were none (the job is done)."""
    job = ImportJob.objects.select_for_update().get(pk=job_id)  # one batch of a job at a time
    if job.status != ImportStatus.RUNNING:
        return False
    lines = list(job.lines.filter(outcome=LineOutcome.PENDING).order_by("number")[:BATCH])
    now = timezone.now()
    if not lines:
        job.status, job.finished_at, job.updated_at = ImportStatus.DONE, now, now
        job.save(update_fields=["status", "finished_at", "updated_at"])
        audit_record(
            actor=job.created_by,
            action="import.done",
            target=job,
            after={"written": job.written, "flagged": job.flagged, "refused": job.refused},
        )
        return False
    _write(job, lines)
    _mark(lines)
    outcomes = [line.outcome for line in lines]
    job.done += len(lines)
    job.written += outcomes.count(LineOutcome.WRITTEN) + outcomes.count(LineOutcome.FLAGGED)
    job.flagged += outcomes.count(LineOutcome.FLAGGED)
    job.refused += outcomes.count(LineOutcome.REFUSED)
    job.updated_at = now
    job.save(update_fields=["done", "written", "flagged", "refused", "updated_at"])
    return True


def _write(job: ImportJob, lines: list[ImportLine]) -> None:
    """Check the rows as the CSV import does, then write the valid ones at once (and, into
    a requisition, each one's application)."""
    rows = rows_check([(line.number, line.values) for line in lines])
    wanted = {CREATE, DUPLICATE} if job.include_duplicates else {CREATE}
    taken: list[tuple[ImportLine, ImportRow]] = []
    for line, row in zip(lines, rows, strict=True):
        line.reasons = " ".join(row.reasons)
        if row.status in wanted:
            taken.append((line, row))
        else:
            line.outcome = LineOutcome.REFUSED
    fields = [({**row_fields(row), **_extras(line)}, row.tags) for line, row in taken]
    if not fields:
        return
    try:
        # A savepoint: should the requisition refuse (closed meanwhile, or its stages
        # removed), it refuses every row alike, and none of the batch's candidates stays.
        with transaction.atomic():
            written = candidates_create_many(rows=fields, actor=job.created_by)
            requisition = job.requisition
            if requisition is not None:
                for candidate in written:
                    application_create(
                        candidate=candidate, requisition=requisition, actor=job.created_by
                    )
    except DomainError as error:
        for line, _ in taken:
            line.outcome, line.reasons = LineOutcome.REFUSED, error.message
        return
    for (line, _), candidate in zip(taken, written, strict=True):
        _written(line, candidate)


def _extras(line: ImportLine) -> dict[str, Any]:
    return {name: line.values[name] for name in EXTRAS if line.values.get(name)}


def _written(line: ImportLine, candidate: Candidate) -> None:
    line.outcome = LineOutcome.FLAGGED if candidate.duplicate_of_id else LineOutcome.WRITTEN
    line.values = {}  # the candidate holds them now


def _mark(lines: list[ImportLine]) -> None:
    """Record each row's outcome, taking it only if it is still waiting (compare-and-set):
    a row another run took is never counted twice (that run's batch is refused whole)."""
    plain = [line.pk for line in lines if line.outcome == LineOutcome.WRITTEN]
    changed = ImportLine.objects.filter(pk__in=plain, outcome=LineOutcome.PENDING).update(
        outcome=LineOutcome.WRITTEN, values={}, reasons=""
    )
    for line in lines:
        if line.outcome != LineOutcome.WRITTEN:
            changed += ImportLine.objects.filter(pk=line.pk, outcome=LineOutcome.PENDING).update(
                outcome=line.outcome, values=line.values, reasons=line.reasons
            )
    if changed != len(lines):
        raise TakenElsewhere(f"rows of job {lines[0].job_id} were taken by another run")


def _fail(job_id: int, error: Exception) -> None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in UNFINISHED:
            return
        now = timezone.now()
        job.status, job.finished_at, job.updated_at = ImportStatus.FAILED, now, now
        job.error = (
            f"Stopped after {job.done:,} of {job.total:,} rows: {type(error).__name__}. "
            "The rows done are kept; run it again to go on from there."
        )
        job.save(update_fields=["status", "finished_at", "updated_at", "error"])


def stalled_jobs(*, now: dt.datetime) -> list[int]:
    """The unfinished jobs no batch has moved for STALLED: their worker died, or the broker
    was down when they were queued."""
    return list(
        ImportJob.objects.filter(status__in=UNFINISHED, updated_at__lt=now - STALLED)
        .order_by("id")
        .values_list("pk", flat=True)[:100]
    )


def finished_jobs_forget(*, now: dt.datetime) -> int:
    """Delete the jobs finished more than KEPT ago, with their rows; the candidates they
    wrote stay, and so do the audit entries."""
    old = ImportJob.objects.filter(status__in=[ImportStatus.DONE, ImportStatus.FAILED],
                                   updated_at__lt=now - KEPT)  # fmt: skip
    deleted, _ = old.delete()
    return deleted
