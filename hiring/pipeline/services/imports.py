"""CSV import of candidates: decode, check every row, then write all valid rows at once.

The preview and the write run the same checks (`import_rows`): the write re-checks the
file against the database as it is then, so nothing the browser sends back is trusted.
The previewed file waits in a CandidateImport row, which the confirm claims once: a second
confirm of it (a double click, a reload) writes nothing and is shown the first one's result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from hiring.errors import DomainError
from hiring.pipeline.models import Candidate, CandidateImport, CandidateSource, Requisition
from hiring.pipeline.services.applications import application_create
from hiring.pipeline.services.candidates import candidate_create, normalize_email

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
COLUMNS = ("name", "email", "phone", "location", "source", "portfolio_url", "github_url", "tags")
REQUIRED_COLUMNS = ("name", "email")
MAX_LENGTHS = {"name": 200, "email": 254, "phone": 40, "location": 120}
MAX_URL_LENGTH = 200
MAX_TAG_LENGTH = 40
# A previewed file is kept this long for its confirm (and its result for a repeated confirm).
PREVIEW_KEPT = dt.timedelta(days=1)
NOTHING_TO_IMPORT = "Nothing to import: upload the file again."
TEMPLATE_ROWS = [
    [
        "Ada Lovelace",
        "ada@example.org",
        "+44 20 7946 0000",
        "London",
        "referral",
        "https://ada.example.org",
        "https://github.com/ada",
        "mlops, evaluation",
    ],
]

CREATE = "create"
DUPLICATE = "duplicate"
ERROR = "error"

_url = URLValidator(schemes=["http", "https"])
_sources = {value: value for value in CandidateSource.values} | {
    label.lower(): value for value, label in CandidateSource.choices
}


@dataclass
class ImportRow:
    """One data row of the file: its line number, values, verdict and reasons."""

    line: int
    values: dict[str, str]
    status: str = CREATE
    reasons: list[str] = field(default_factory=list)
    duplicate_of: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    rows: list[ImportRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def creates(self) -> int:
        return self.count(CREATE)

    @property
    def duplicates(self) -> int:
        return self.count(DUPLICATE)

    @property
    def errors(self) -> int:
        return self.count(ERROR)


@dataclass
class ImportResult:
    created: int
    flagged: int
    skipped: list[ImportRow]
    requisition: Requisition | None
    # A confirm of a file imported already: this is that import's result, nothing was written.
    repeated: bool = False


def import_template() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


def import_read(upload: UploadedFile) -> str:
    """The uploaded file's text: UTF-8, with or without a byte-order mark, at most 2 MB."""
    size = upload.size if upload.size is not None else 0
    if size > MAX_IMPORT_BYTES:
        raise DomainError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is 2 MB. "
            "Split it into smaller files.",
            fields={"file": ["File too large: the limit is 2 MB."]},
        )
    return import_decode(upload.read())


def import_decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(
            "The file is larger than 2 MB; split it into smaller files.",
            fields={"file": ["File too large: the limit is 2 MB."]},
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.",
            fields={"file": ["Not UTF-8: save it as “CSV UTF-8 (comma delimited)”."]},
        ) from None
    if "\x00" in text:
        raise DomainError(
            "This is not a CSV file.", fields={"file": ["Not a CSV file (binary content)."]}
        )
    return text


def import_rows(text: str) -> ImportCheck:
    """Check every row against the rules and the candidates already stored. Writes nothing."""
    return ImportCheck(rows=rows_check(import_records(text, max_rows=MAX_IMPORT_ROWS)))


def import_records(
    text: str, *, max_rows: int, ignored: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The CSV's data rows, each with its line number and its values by column name; the
    header must match the template (columns named in `ignored` are allowed, and dropped)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        records = [(reader.line_num, record) for record in reader if any(c.strip() for c in record)]
    except csv.Error as error:
        raise DomainError(
            f"The file could not be read as CSV: {error}.", fields={"file": ["Not a valid CSV."]}
        ) from None
    columns = _columns(header, ignored)
    if len(records) > max_rows:
        raise DomainError(
            f"The file has {len(records):,} rows; the limit is {max_rows:,} per import.",
            fields={"file": [f"Too many rows: at most {max_rows:,}."]},
        )
    if not records:
        raise DomainError(
            "The file has a header but no candidates.", fields={"file": ["No rows to import."]}
        )
    return [(line, dict(zip(columns, record, strict=False))) for line, record in records]


def rows_check(records: list[tuple[int, dict[str, str]]]) -> list[ImportRow]:
    """Each record (line number, values by column) checked against the rules and against the
    candidates stored now, and the records before it: will-create, duplicate or error."""
    rows = [_row(line, raw) for line, raw in records]
    _mark_duplicates(rows)
    return rows


def row_fields(row: ImportRow) -> dict[str, str]:
    """The candidate fields a checked row fills (its tags are `row.tags`)."""
    return {name: row.values[name] for name in COLUMNS if name != "tags"}


def _columns(header: list[str] | None, ignored: tuple[str, ...] = ()) -> list[str]:
    if not header:
        raise DomainError("The file is empty.", fields={"file": ["The file is empty."]})
    columns = [name.strip().lower() for name in header]
    unknown = [name for name in columns if name and name not in COLUMNS + ignored]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"missing column {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column {', '.join(unknown)}")
        raise DomainError(
            f"The header row does not match the template ({'; '.join(problems)}). "
            f"Expected: {','.join(COLUMNS)}.",
            fields={"file": ["The header row does not match the template."]},
        )
    return columns


def _row(line: int, raw: dict[str, str]) -> ImportRow:
    values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    row = ImportRow(line=line, values=values)
    reasons = row.reasons
    if not values["name"]:
        reasons.append("Missing name.")
    if not values["email"]:
        reasons.append("Missing e-mail.")
    else:
        values["email"] = normalize_email(values["email"])
        try:
            validate_email(values["email"])
        except ValidationError:
            reasons.append(f"Invalid e-mail “{values['email']}”.")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            reasons.append(
                f"{_label(name)} too long ({len(values[name])} characters, max {limit})."
            )
    source = values["source"].lower()
    if source and source not in _sources:
        known = ", ".join(CandidateSource.values)
        reasons.append(f"Unknown source “{values['source']}” (use one of: {known}).")
    values["source"] = _sources.get(source, CandidateSource.INBOUND)
    for name in ("portfolio_url", "github_url"):
        reasons.extend(_url_problems(name, values[name]))
    row.tags = [t.strip() for t in values["tags"].replace(";", ",").split(",") if t.strip()]
    reasons.extend(f"Tag “{t[:20]}…” too long (max {MAX_TAG_LENGTH})." for t in row.tags
                   if len(t) > MAX_TAG_LENGTH)  # fmt: skip
    if reasons:
        row.status = ERROR
    return row


def _url_problems(name: str, value: str) -> list[str]:
    if not value:
        return []
    if len(value) > MAX_URL_LENGTH:
        return [f"{_label(name)} too long (max {MAX_URL_LENGTH} characters)."]
    try:
        _url(value)
    except ValidationError:
        return [f"{_label(name)} is not a web address (https://…)."]
    return []


def _label(name: str) -> str:
    return {"portfolio_url": "Portfolio URL", "github_url": "GitHub URL", "email": "E-mail"}.get(
        name, name.capitalize()
    )


def _mark_duplicates(rows: list[ImportRow]) -> None:
    emails = [row.values["email"] for row in rows if row.status != ERROR]
    existing: dict[str, str] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for email, name in (
            Candidate.objects.filter(email__in=chunk, merged_into__isnull=True)
            .order_by("-id")
            .values_list("email", "name")
        ):
            existing[email] = name
    first_line: dict[str, int] = {}
    for row in rows:
        if row.status == ERROR:
            continue
        email = row.values["email"]
        if email in existing:
            row.status = DUPLICATE
            row.duplicate_of = existing[email]
            row.reasons.append(f"E-mail already belongs to {existing[email]}.")
        elif email in first_line:
            row.status = DUPLICATE
            row.reasons.append(f"Same e-mail as line {first_line[email]} of this file.")
        first_line.setdefault(email, row.line)


@transaction.atomic
def import_preview(*, upload: UploadedFile, actor: User) -> tuple[str, ImportCheck]:
    """Read and check an uploaded file, writing no candidate, and keep it for the confirm.

    Returns the token the confirm names the file by, and the check to show. Previews more
    than a day old (imported or not) are deleted here: the file's text holds personal data.
    """
    text = import_read(upload)
    check = import_rows(text)
    now = timezone.now()
    CandidateImport.objects.filter(created_at__lt=now - PREVIEW_KEPT).delete()
    token = secrets.token_urlsafe(32)
    CandidateImport.objects.create(
        token=token,
        created_by=actor,
        file_name=(upload.name or "")[-200:],
        text=text,
        created_at=now,
    )
    return token, check


def import_pending(*, token: str, actor: User) -> ImportCheck:
    """The check of the actor's previewed file `token`, again, for the preview page."""
    preview = CandidateImport.objects.filter(token=token, created_by=actor).first()
    if preview is None:
        raise DomainError(NOTHING_TO_IMPORT, status=404)
    if preview.imported_at is not None:
        raise DomainError("This file was imported already.", status=409)
    return import_rows(preview.text)


@transaction.atomic
def candidates_import(
    *,
    token: str,
    actor: User,
    include_duplicates: bool = False,
    requisition: Requisition | None = None,
) -> ImportResult:
    """Import the actor's previewed file `token`: every valid row (and duplicates, flagged,
    when asked), in one transaction, once.

    The confirm claims the preview with a compare-and-set UPDATE (`imported_at` from empty
    to now) in the same transaction as the writes: a second confirm waits for the first,
    then finds it claimed, writes nothing and gets the first one's result (`repeated`). If
    the import fails, nothing is written and the claim is undone with the rest.
    The rows are checked again here, against the database as it is now. Rows with errors
    are skipped and returned. Each candidate gets its own audit entry from candidate_create.
    """
    previews = CandidateImport.objects.filter(token=token, created_by=actor)
    claimed = previews.filter(imported_at__isnull=True).update(imported_at=timezone.now())
    preview = previews.first()
    if preview is None:
        raise DomainError(NOTHING_TO_IMPORT, status=404)
    if not claimed:
        return _stored_result(preview.result or {})
    result = _import(
        check=import_rows(preview.text),
        actor=actor,
        include_duplicates=include_duplicates,
        requisition=requisition,
    )
    preview.text, preview.result = "", _result_data(result)
    preview.save(update_fields=["text", "result"])
    return result


def _import(
    *, check: ImportCheck, actor: User, include_duplicates: bool, requisition: Requisition | None
) -> ImportResult:
    wanted = {CREATE, DUPLICATE} if include_duplicates else {CREATE}
    created = flagged = 0
    for row in check.rows:
        if row.status not in wanted:
            continue
        try:
            candidate = candidate_create(
                fields=row_fields(row),
                tags=row.tags,
                actor=actor,
            )
            if requisition is not None:
                application_create(candidate=candidate, requisition=requisition, actor=actor)
        except DomainError as error:
            raise DomainError(
                f"Line {row.line}: {error.message} Nothing was imported.", fields=error.fields
            ) from None
        created += 1
        flagged += candidate.duplicate_of_id is not None
    skipped = [row for row in check.rows if row.status not in wanted]
    return ImportResult(created=created, flagged=flagged, skipped=skipped, requisition=requisition)


# What the result page shows of a skipped row: its line, name, e-mail, verdict and reasons.
SKIPPED_SHOWN = ("name", "email")


def _result_data(result: ImportResult) -> dict[str, Any]:
    skipped = [
        {**asdict(row), "values": {name: row.values[name] for name in SKIPPED_SHOWN}}
        for row in result.skipped
    ]
    return {
        "created": result.created,
        "flagged": result.flagged,
        "requisition": result.requisition.pk if result.requisition else None,
        "skipped": skipped,
    }


def _stored_result(data: dict[str, Any]) -> ImportResult:
    pk = data.get("requisition")
    requisition = Requisition.objects.filter(pk=pk).first() if pk else None
    return ImportResult(
        created=data.get("created", 0),
        flagged=data.get("flagged", 0),
        skipped=[ImportRow(**row) for row in data.get("skipped", [])],
        requisition=requisition,
        repeated=True,
    )
