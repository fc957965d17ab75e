"""Imports of candidates that run in a Celery task: CSV, JSON, JSON Resume.

The upload is read and checked as a file here, in the request (not UTF-8, not JSON, not the
template's columns, too large: refused at once, nothing stored). Its rows are stored as
ImportLine rows, waiting, and the job is queued after the commit. The task takes the waiting
rows in batches of BATCH; each batch is one transaction that locks the job row, checks its
rows with the CSV import's own rules (hiring.pipeline.services.imports.rows_check), writes
their candidates, marks the rows and adds to the job's counters. So:

- a worker killed mid-batch loses nothing: the batch rolls back, its rows still wait, and the
  task (redelivered: acks_late, reject_on_worker_lost) or the sweep goes on from them;
- a task run twice writes nothing twice: the second run waits for the job's lock, then finds
  those rows taken (their outcome is no longer "waiting") and goes on with the rest or stops.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.pipeline.models import Candidate, Requisition
from hiring.pipeline.services.applications import application_create
from hiring.pipeline.services.candidates import candidate_create, candidates_create_many
from hiring.pipeline.services.imports import (
    COLUMNS,
    CREATE,
    DUPLICATE,
    ImportRow,
    import_records,
    row_fields,
    rows_check,
)
from hiring.statuses import transition_allowed
from hiring.transfer.jsonresume import ResumeError, is_resume, resume_fields
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.rules import (
    IMPORT_TRANSITIONS,
    UNFINISHED,
    ImportFormat,
    ImportStatus,
    LineOutcome,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 200
MAX_ROWS = 50_000
BATCH = 200
# An unfinished job no batch has moved for this long has lost its worker: the sweep queues
# it again (a batch of BATCH rows takes a few seconds).
STALLED = dt.timedelta(minutes=2)
# The refused-rows CSV has these two columns first: fixed, it can be uploaded again as it is.
IGNORED_COLUMNS = ("row", "reason")
# The candidate fields a JSON Resume fills beyond the CSV's columns.
EXTRAS = ("shipped_systems", "degrees", "schools", "certifications", "case_study_urls")


class TakenElsewhere(Exception):
    """Another run of the job took rows of this batch: this run's batch rolls back and it
    stops; the other goes on."""


@dataclass
class Upload:
    """An upload read and checked as a file: its format and its rows (number, where, values)."""

    format: str
    rows: list[tuple[int, str, dict[str, Any]]]


def _refuse(message: str, field: str | None = None) -> DomainError:
    return DomainError(message, fields={"file": [field or message]})


def upload_read(uploads: list[UploadedFile]) -> Upload:
    """One CSV or JSON file (a list of candidates with the CSV's columns as keys), or one or
    more JSON Resume files (each a resume or a list of them). Refused whole, with the reason,
    when a file cannot be read so."""
    if not uploads:
        raise _refuse("Choose a file to import.")
    if len(uploads) > MAX_FILES:
        raise _refuse(f"{len(uploads)} files: upload at most {MAX_FILES} at once.")
    texts = [(_name(upload), _decode(upload)) for upload in uploads]
    kinds = {"json" if text.lstrip()[:1] in ("{", "[") else "csv" for _, text in texts}
    if len(texts) > 1 and kinds != {"json"}:
        raise _refuse(
            "Upload one CSV file, or one or more JSON files.",
            "Several files must all be JSON Resume files.",
        )
    if kinds == {"csv"}:
        name, text = texts[0]
        records = import_records(text, max_rows=MAX_ROWS, ignored=IGNORED_COLUMNS)
        return Upload(ImportFormat.CSV, [(line, f"line {line}", v) for line, v in records])
    parsed = [(name, _json(name, text)) for name, text in texts]
    if len(parsed) == 1 and not _resumes(parsed[0][1]):
        return Upload(ImportFormat.JSON, _json_rows(*parsed[0]))
    rows: list[tuple[int, str, dict[str, Any]]] = []
    for name, data in parsed:
        rows += _resume_rows(name, data, start=len(rows))
        if len(rows) > MAX_ROWS:
            raise _refuse(f"More than {MAX_ROWS:,} resumes; import them in parts.")
    return Upload(ImportFormat.JSON_RESUME, rows)


def _name(upload: UploadedFile) -> str:
    return (upload.name or "file")[-200:]


def _decode(upload: UploadedFile) -> str:
    name, size = _name(upload), upload.size or 0
    if size > MAX_FILE_BYTES:
        raise _refuse(
            f"{name} is {size / 1024 / 1024:.1f} MB; the limit is 10 MB a file. Split it.",
            "File too large: the limit is 10 MB.",
        )
    data = upload.read()
    if not data.strip():
        raise _refuse(f"{name} is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            f"{name} is not UTF-8 text. Save it as UTF-8 (Excel: “CSV UTF-8”) and upload it again.",
            "Not UTF-8 text.",
        ) from None
    if "\x00" in text:
        raise _refuse(f"{name} is not a CSV or JSON file (binary content).")
    return text


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _refuse(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}.",
            "Not valid JSON.",
        ) from None
    except RecursionError:
        raise _refuse(f"{name} is nested too deeply to be a list of candidates.") from None


def _resumes(data: Any) -> bool:
    """A JSON Resume, or a list whose first item is one."""
    return is_resume(data) or (isinstance(data, list) and bool(data) and is_resume(data[0]))


def _json_rows(name: str, data: Any) -> list[tuple[int, str, dict[str, Any]]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _refuse(
            f"{name} is JSON, but neither a JSON Resume (an object with “basics”) nor a list "
            "of candidates (objects with the CSV's columns: name, email…).",
            "Not a JSON Resume, nor a list of candidates.",
        )
    if not data:
        raise _refuse(f"{name} is an empty list: no candidates to import.")
    if len(data) > MAX_ROWS:
        raise _refuse(f"{name} has {len(data):,} items; the limit is {MAX_ROWS:,} per import.")
    return [(n, f"item {n}", _json_values(n, item)) for n, item in enumerate(data, start=1)]


def _json_values(number: int, item: dict[str, Any]) -> dict[str, str]:
    unknown = sorted(set(item) - set(COLUMNS))
    if unknown:
        raise _refuse(
            f"Item {number} has unknown fields ({', '.join(unknown)[:200]}). "
            f"Expected: {', '.join(COLUMNS)}.",
            "Unknown fields: use the CSV's column names.",
        )
    values = {}
    for key, value in item.items():
        if key == "tags" and isinstance(value, list):
            value = ", ".join(str(tag) for tag in value if isinstance(tag, str | int | float))
        if isinstance(value, dict | list):
            raise _refuse(f"Item {number}: “{key}” should be text.")
        values[key] = "" if value is None else str(value)
    return values


def _resume_rows(name: str, data: Any, *, start: int) -> list[tuple[int, str, dict[str, Any]]]:
    items = data if isinstance(data, list) else [data]
    if not items or not all(is_resume(item) for item in items):
        raise _refuse(
            f"{name} is not a JSON Resume: each resume is an object with a “basics” section "
            "(https://jsonresume.org/schema).",
            "Not a JSON Resume.",
        )
    rows = []
    for index, item in enumerate(items, start=1):
        where = name if len(items) == 1 else f"{name} item {index}"
        try:
            values, extras = resume_fields(item)
        except ResumeError as error:
            raise _refuse(f"{where}: {error}", "Not a JSON Resume.") from None
        rows.append((start + index, where[-240:], {**values, **extras}))
    return rows


@transaction.atomic
def import_job_create(
    *,
    uploads: list[UploadedFile],
    actor: User,
    requisition: Requisition | None = None,
    include_duplicates: bool = False,
) -> ImportJob:
    """Read the upload, store its rows (waiting) and queue the task after the commit."""
    upload = upload_read(uploads)
    now = timezone.now()
    names = ", ".join(_name(u) for u in uploads)
    job = ImportJob.objects.create(
        created_by=actor,
        created_at=now,
        updated_at=now,
        file_name=names if len(names) <= 200 else f"{len(uploads)} files: {names[:180]}…",
        format=upload.format,
        requisition=requisition,
        include_duplicates=include_duplicates,
        total=len(upload.rows),
    )
    ImportLine.objects.bulk_create(
        [ImportLine(job=job, number=n, where=w, values=v) for n, w, v in upload.rows],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="import.create",
        target=job,
        after={"format": job.format, "rows": job.total, "requisition": requisition and requisition.pk},
    )
    import_job_queue(job.pk)
    return job


def import_job_queue(job_id: int) -> None:
    """After the commit, run the job in the worker. With the broker down the job waits
    (queued) and the sweep queues it once the broker is back."""

    def send() -> None:
        from hiring.transfer.tasks import import_job_run

        try:
            import_job_run.apply_async((job_id,), retry=False)
        except Exception:  # the broker is down: the sweep queues it later
            log.warning("import job %s not queued; the sweep queues it", job_id)

    transaction.on_commit(send)


def import_job_process(*, job_id: int, batches: int | None = None) -> ImportJob:
    """Run the job from its first waiting row to the end (or `batches` batches of it). Safe
    to run twice, at once or one after the other. A batch that fails stops the job, failed,
    with the reason; what earlier batches wrote stays."""
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
    """Check the rows as the CSV import does, then write the valid ones: all at once, or,
    into a requisition, each with its application in a savepoint (a row the requisition
    refuses, closed meanwhile, writes no candidate)."""
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
    if job.requisition is None:
        written = candidates_create_many(rows=fields, actor=job.created_by)
        for (line, _), candidate in zip(taken, written, strict=True):
            _written(line, candidate)
        return
    for (line, _), (values, tags) in zip(taken, fields, strict=True):
        try:
            with transaction.atomic():
                candidate = candidate_create(fields=values, tags=tags, actor=job.created_by)
                application_create(
                    candidate=candidate, requisition=job.requisition, actor=job.created_by
                )
        except DomainError as error:
            line.outcome, line.reasons = LineOutcome.REFUSED, error.message
        else:
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


@transaction.atomic
def import_job_retry(*, job: ImportJob, actor: User) -> ImportJob:
    """Queue a failed job again: it goes on from its first waiting row."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    labels = dict(ImportStatus.choices)
    if transition_allowed(
        IMPORT_TRANSITIONS, current=job.status, new=ImportStatus.QUEUED, what="import", labels=labels
    ):
        job.status, job.error, job.updated_at = ImportStatus.QUEUED, "", timezone.now()
        job.save(update_fields=["status", "error", "updated_at"])
        audit_record(actor=actor, action="import.retry", target=job, after={"done": job.done})
        import_job_queue(job.pk)
    return job


def imports_sweep(*, now: dt.datetime) -> list[int]:
    """Queue again the unfinished jobs no batch has moved for STALLED (their worker died, or
    the broker was down when they were created). Running one twice is safe (see above)."""
    stalled = list(
        ImportJob.objects.filter(status__in=UNFINISHED, updated_at__lt=now - STALLED)
        .order_by("id")
        .values_list("pk", flat=True)[:100]
    )
    with transaction.atomic():
        for job_id in stalled:
            import_job_queue(job_id)
    return stalled
