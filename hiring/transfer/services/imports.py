"""Starting imports of candidates (CSV, JSON, JSON Resume), which run in a Celery task.

The upload is read and checked as a file here, in the request (not UTF-8, not JSON, not the
template's columns, too large: refused at once, nothing stored). Its rows are stored as
ImportLine rows, waiting, and the job is queued after the commit; the task's work, batch by
batch, is hiring.transfer.batches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from hiring.audit import audit_record
from hiring.errors import DomainError
from hiring.pipeline.models import Requisition
from hiring.pipeline.services.imports import COLUMNS, import_records
from hiring.statuses import transition_allowed
from hiring.transfer.jsonresume import ResumeError, is_resume, resume_fields
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.rules import IMPORT_TRANSITIONS, ImportFormat, ImportStatus
from hiring.transfer.tasks import import_job_queue

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 200
MAX_ROWS = 50_000
# The refused-rows CSV has these two columns first: fixed, it can be uploaded again as it is.
IGNORED_COLUMNS = ("row", "reason")


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
    if b"\x00" in data:
        raise _refuse(f"{name} is not a CSV or JSON file (binary content).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            f"{name} is not UTF-8 text. Save it as UTF-8 (Excel: “CSV UTF-8”) and upload it again.",
            "Not UTF-8 text.",
        ) from None
    return text


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _refuse(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
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
        after={
            "format": job.format,
            "rows": job.total,
            "requisition": requisition and requisition.pk,
        },
    )
    import_job_queue(job.pk)
    return job


@transaction.atomic
def import_job_retry(*, job: ImportJob, actor: User) -> ImportJob:
    """Queue a failed job again: it goes on from its first waiting row."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    labels = dict(ImportStatus.choices)
    if transition_allowed(
        IMPORT_TRANSITIONS,
        current=job.status,
        new=ImportStatus.QUEUED,
        what="import",
        labels=labels,
    ):
        job.status, job.error, job.updated_at = ImportStatus.QUEUED, "", timezone.now()
        job.save(update_fields=["status", "error", "updated_at"])
        audit_record(actor=actor, action="import.retry", target=job, after={"done": job.done})
        import_job_queue(job.pk)
    return job
