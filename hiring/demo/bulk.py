"""A large data set on PostgreSQL in minutes: `seed_demo --applications 1000000`.

Rows are generated as tab-separated text and streamed to PostgreSQL with COPY, in chunks,
while the next chunk is being generated (a writer thread): no model instance is built per
application, candidate, stage change or note (building them was most of the time). SQLite
keeps the ORM path in hiring.demo.pipeline (bulk_create).

The spread is a company's few years of hiring:
- requisitions opened over the last `YEARS` years; those opened more than `OPEN_DAYS` ago are
  filled or closed, and every application to them has ended (hired, rejected, withdrawn);
  recent ones are open, with applications spread over the stages;
- a few large requisitions (evergreen roles: `LARGE_SHARE` of the requisitions draw
  `LARGE_WEIGHT` times the applications of a typical one) and many small ones, sizes
  log-normal; the first requisition is large, open and recent (the benchmark opens its board);
- about 0.8 candidates per application (some apply to several requisitions), notes on a
  third, tags, the search document and the stage history as the services write them.
"""

from __future__ import annotations

import datetime as dt
import io
import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from hiring.demo import pipeline as demo
from hiring.pipeline.models import (
    DEFAULT_STAGES,
    Application,
    ApplicationStatus,
    Candidate,
    Note,
    Requisition,
    RequisitionStatus,
    Stage,
    StageChange,
    StageKind,
)
from hiring.pipeline.rules import REJECTION_REASONS, WITHDRAWAL_REASONS

YEARS = 3
OPEN_DAYS = 150  # a requisition opened longer ago than this has been filled or closed
WINDOW_DAYS = 90  # a closed requisition took applications for about this long
LARGE_SHARE = 0.003
LARGE_WEIGHT = 40.0
CHUNK = 50_000
LARGE_LOAD = 50_000  # from this many applications on, _loading_mode
UTC = dt.UTC


def seed_bulk(
    *, missing: int, rng: random.Random, recruiters: list[Any], managers: list[Any]
) -> demo.SeedReport:
    """Add `missing` applications (and what comes with them) with COPY; PostgreSQL only."""
    report = demo.SeedReport()
    now = timezone.now()
    roles = demo._roles()
    specs = [_requisition(rng, roles, recruiters, managers, now, first=n == 0) for n in
             range(max(1, round(missing / 50)))]  # fmt: skip
    with transaction.atomic():
        rebuild = _loading_mode() if missing >= LARGE_LOAD else []
        with _Copier() as copier:
            Requisition.objects.bulk_create(specs, batch_size=demo.BATCH)
            stages = _stages(specs)
            report.requisitions = len(specs)
            report.candidates, report.applications, report.stage_changes, report.notes = _rows(
                rng, specs, stages, missing, now, copier
            )
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
            if rebuild:
                cursor.execute("SET LOCAL session_replication_role = origin")
    return report


LOADED_TABLES = (
    "hiring_application", "hiring_candidate", "hiring_stagechange", "hiring_note",
    "hiring_candidate_tags",
)  # fmt: skip


def _loading_mode() -> list[str]:
    """For a large load: the secondary indexes of the loaded tables are dropped now and
    rebuilt once at the end (one sort instead of a million inserts, the full-text GIN index
    above all), and foreign keys are not checked row by row (a superuser's
    session_replication_role; the rows are generated consistent). Returns the statements
    that restore the indexes. Unique indexes stay: they guard what the generator promises."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c "
            "ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
            [list(LOADED_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    return [definition for _name, definition in indexes]


def _requisition(
    rng: random.Random,
    roles: Sequence[Any],
    recruiters: list[Any],
    managers: list[Any],
    now: dt.datetime,
    *,
    first: bool,
) -> Requisition:
    role = rng.choice(roles)
    level = rng.choice(list(role.levels.all()))
    city = rng.choice(demo.CITIES)
    age = rng.randint(60, 120) if first else rng.randint(0, YEARS * 365)
    if age > OPEN_DAYS:
        status = rng.choices([RequisitionStatus.FILLED, RequisitionStatus.CLOSED], [85, 15])[0]
    else:
        status = rng.choices([RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD], [94, 6])[0]
    if first:
        status = RequisitionStatus.OPEN
    opened = now - dt.timedelta(days=age)
    spec = Requisition(
        title=f"{role.title} · {level.name.split(' (')[0]} · {city}",
        role=role,
        level=level,
        hiring_manager=rng.choice(managers),
        recruiter=rng.choice(recruiters),
        headcount=rng.choice([1, 1, 1, 2, 3]),
        location=city,
        status=status,
        opened_on=opened.date(),
        pedigree_blind=rng.random() < 0.85,
    )
    spec._opened_at = opened  # type: ignore[attr-defined]
    return spec


def _stages(specs: list[Requisition]) -> dict[int, list[Stage]]:
    rows = [
        Stage(requisition=r, name=kind.label, kind=kind, position=i)
        for r in specs
        for i, kind in enumerate(DEFAULT_STAGES)
    ]
    demo._write(Stage, rows)
    by_requisition: dict[int, list[Stage]] = {}
    for stage in rows:
        by_requisition.setdefault(stage.requisition_id, []).append(stage)
    return by_requisition


class _Table:
    """One table's COPY: its columns, the default text of each, and its next ids."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        meta = model._meta
        # The id from the sequence when not given (stage changes, notes, tag links).
        self.fields = [f for f in meta.concrete_fields if f is not meta.pk or f.attname in given]
        self.columns = [f.attname for f in self.fields]
        self.defaults = [
            "\\N" if f.null and not f.has_default() else demo._copy_text(f.get_default())
            for f in self.fields
        ]
        self.slots = [self.columns.index(name) for name in given]
        self.model = model
        self.buffer = io.StringIO()
        self.count = 0

    def ids(self, how_many: int) -> range:
        """Take `how_many` ids from the table's sequence at once."""
        meta = self.model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                [meta.db_table, meta.pk.column, meta.db_table, meta.pk.column, how_many],
            )
            last = cursor.fetchone()[0]
        return range(last - how_many + 1, last + 1)

    def add(self, *values: str) -> None:
        row = list(self.defaults)
        for slot, value in zip(self.slots, values, strict=True):
            row[slot] = value
        self.buffer.write("\t".join(row))
        self.buffer.write("\n")
        self.count += 1

    def statement(self) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        return f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"


class _Copier:
    """COPY chunks on the primary's connection from a writer thread, in order, while the
    caller generates the next one; errors come back to the caller."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[tuple[str, io.StringIO] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None

    def __enter__(self) -> _Copier:
        connection.ensure_connection()
        raw = connection.connection
        self.thread = threading.Thread(target=self._run, args=(raw,), daemon=True)
        self.thread.start()
        return self

    def _run(self, raw: Any) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                try:
                    statement, buffer = job
                    buffer.seek(0)
                    with raw.cursor() as cursor:
                        cursor.copy_expert(statement, buffer)
                except BaseException as error:  # noqa: BLE001 - raised in the caller
                    self.error = error

    def flush(self, table: _Table) -> None:
        if self.error is not None:
            raise self.error
        if table.buffer.tell():
            self.jobs.put((table.statement(), table.buffer))
            table.buffer = io.StringIO()

    def __exit__(self, *exc: object) -> None:
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error


def _text(value: str) -> str:
    return value.translate(demo.COPY_ESCAPES)


def _at(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, UTC).isoformat()


def _rows(
    rng: random.Random,
    specs: list[Requisition],
    stages: dict[int, list[Stage]],
    missing: int,
    now: dt.datetime,
    copier: _Copier,
) -> tuple[int, int, int, int]:
    """Candidates, applications, their history and notes, streamed chunk by chunk."""
    weights = [
        LARGE_WEIGHT if n == 0 or rng.random() < LARGE_SHARE else rng.lognormvariate(0, 0.8)
        for n in range(len(specs))
    ]
    chosen = rng.choices(range(len(specs)), weights=weights, k=missing)
    chosen.sort(key=lambda i: specs[i]._opened_at)  # type: ignore[attr-defined]
    sizes: dict[int, int] = {}
    for index in chosen:
        sizes[index] = sizes.get(index, 0) + 1
    # Enough people that the largest requisition gets a different one for each application.
    people = max(1, round(missing * 0.8), *sizes.values())
    candidates = _Table(Candidate, _CANDIDATE)
    applications = _Table(Application, _APPLICATION)
    changes = _Table(StageChange, _CHANGE)
    notes = _Table(Note, _NOTE)
    links = _Table(Candidate.tags.through, ["candidate_id", "tag_id"])
    tags = list(demo._tags().items())
    candidate_ids = candidates.ids(people)
    application_ids = applications.ids(missing)
    offset = Candidate.objects.count()
    first_names = rng.choices(demo.FIRST_NAMES, cum_weights=_zipf(len(demo.FIRST_NAMES)), k=people)
    documents: dict[int, list[str]] = {}
    seen: dict[int, float] = {}
    taken: set[tuple[int, int]] = set()
    written = 0
    now_ts = now.timestamp()
    stage_cum = list(_cumulative(demo.STAGE_WEIGHTS))
    for n, index in enumerate(chosen):
        spec = specs[index]
        person = n if n < people else rng.randrange(people)
        while (person, index) in taken:
            person = rng.randrange(people)
        taken.add((person, index))
        opened = spec._opened_at.timestamp()  # type: ignore[attr-defined]
        closed = spec.status in (RequisitionStatus.FILLED, RequisitionStatus.CLOSED)
        until = min(now_ts, opened + WINDOW_DAYS * 86_400) if closed else now_ts
        created = rng.uniform(opened, until)
        stage = rng.choices(stages[spec.pk], cum_weights=stage_cum)[0]
        status, reason = _outcome(rng, stage, closed, spec.headcount / sizes[index])
        if status == ApplicationStatus.HIRED:
            stage = stages[spec.pk][-1]
        end_of_stage = now_ts if not closed else until + 30 * 86_400
        entered = created + (min(end_of_stage, now_ts) - created) * rng.uniform(0.1, 0.9) \
            if stage.position else created  # fmt: skip
        app_id = application_ids[n]
        candidate_id = candidate_ids[person]
        active = status == ApplicationStatus.ACTIVE
        next_step = rng.choice(demo.NEXT_STEPS[stage.kind]) if active else ""  # type: ignore[index]
        applications.add(
            str(app_id), str(candidate_id), str(spec.pk), str(stage.pk), str(stage.position),
            _at(entered), status,
            _text(reason), str(spec.recruiter_id), _text(next_step), _at(created), _at(entered),
        )  # fmt: skip
        seen[person] = min(seen.get(person, created), created)
        recruiter = str(spec.recruiter_id)
        first_stage = stages[spec.pk][0]
        changes.add(str(app_id), "\\N", str(first_stage.pk), "", "active", "", recruiter,
                    _at(created))  # fmt: skip
        if stage.pk != first_stage.pk:
            moved = "hired" if stage.kind == StageKind.HIRED else "active"
            changes.add(str(app_id), str(first_stage.pk), str(stage.pk), "active", moved, "",
                        recruiter, _at(entered))  # fmt: skip
        if reason:
            ended = entered + (min(end_of_stage, now_ts) - entered) * rng.uniform(0.1, 0.9)
            changes.add(str(app_id), str(stage.pk), str(stage.pk), "active", status,
                        _text(reason), recruiter, _at(ended))  # fmt: skip
        if rng.random() < 0.3:
            for _ in range(rng.choice([1, 1, 2])):
                body = rng.choice(demo.NOTES).format(first=first_names[person])
                at = created + (now_ts - created) * rng.uniform(0.05, 1)
                notes.add(str(app_id), recruiter, _text(body), "team", _at(at))
                documents.setdefault(person, []).append(body)
        if applications.count % CHUNK == 0:
            for table in (applications, changes, notes):
                copier.flush(table)
        written += 1
    for table in (applications, changes, notes):
        copier.flush(table)
    # Candidates last: their search document holds their notes' text. Applications point at
    # them before they exist; the foreign keys are checked at COMMIT (deferred).
    _candidates(rng, candidates, links, tags, candidate_ids, first_names, documents, seen,
                offset, copier)  # fmt: skip
    return people, written, changes.count, notes.count


def _outcome(rng: random.Random, stage: Stage, closed: bool, hire_share: float) -> tuple[str, str]:
    if closed:
        if stage.kind in (StageKind.OFFER, StageKind.HIRED) and rng.random() < 0.15:
            return ApplicationStatus.HIRED, ""
        if rng.random() < min(1.0, hire_share):
            return ApplicationStatus.HIRED, ""
        if rng.random() < 0.85:
            return ApplicationStatus.REJECTED, rng.choice(REJECTION_REASONS)
        return ApplicationStatus.WITHDRAWN, rng.choice(WITHDRAWAL_REASONS)
    if stage.kind == StageKind.HIRED:
        return ApplicationStatus.HIRED, ""
    roll = rng.random()
    if roll < demo.END_WEIGHTS[ApplicationStatus.REJECTED]:
        return ApplicationStatus.REJECTED, rng.choice(REJECTION_REASONS)
    if roll < sum(demo.END_WEIGHTS.values()):
        return ApplicationStatus.WITHDRAWN, rng.choice(WITHDRAWAL_REASONS)
    return ApplicationStatus.ACTIVE, ""


def _candidates(
    rng: random.Random,
    candidates: _Table,
    links: _Table,
    tags: list[tuple[str, int]],
    ids: range,
    first_names: list[str],
    documents: dict[int, list[str]],
    seen: dict[int, float],
    offset: int,
    copier: _Copier,
) -> None:
    sources = list(demo.SOURCE_WEIGHTS)
    source_cum = list(_cumulative(demo.SOURCE_WEIGHTS.values()))
    pick: Callable[[], float] = rng.random
    for person, candidate_id in enumerate(ids):
        first = first_names[person]
        last = rng.choice(demo.LAST_NAMES)
        handle = f"{demo._ascii(first)}.{demo._ascii(last)}{offset + person + 1}"
        email = f"{handle}@{rng.choice(['example.com', 'example.org', 'example.net'])}"
        mine = rng.sample(tags, k=rng.choice([0, 1, 1, 2, 2, 3]))
        name = f"{first} {last}"
        document = " ".join([name, email, *sorted(t for t, _ in mine), *documents.get(person, ())])
        candidates.add(
            str(candidate_id),
            _text(name),
            email,
            f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            rng.choice(demo.CITIES),
            rng.choices(sources, cum_weights=source_cum)[0],
            f"https://{handle.replace('.', '')}.example.com" if pick() < 0.3 else "",
            f"https://github.com/{handle.replace('.', '-')}" if pick() < 0.6 else "",
            rng.choice(demo.SHIPPED),
            rng.choice(demo.DEGREES),
            rng.choice(demo.SCHOOLS),
            rng.choice(demo.CERTIFICATIONS),
            _text(document),
            _at(seen.get(person, time.time())),
        )
        for _name, tag_id in mine:
            links.add(str(candidate_id), str(tag_id))
        if candidates.count % CHUNK == 0:
            copier.flush(candidates)
            copier.flush(links)
    copier.flush(candidates)
    copier.flush(links)


def _zipf(how_many: int) -> list[float]:
    return list(_cumulative(1 / (i + 1) ** 0.6 for i in range(how_many)))


def _cumulative(weights: Any) -> Any:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


_CANDIDATE = [
    "id", "name", "email", "phone", "location", "source", "portfolio_url", "github_url",
    "shipped_systems", "degrees", "schools", "certifications", "search_document", "created_at",
]  # fmt: skip
_APPLICATION = [
    "id", "candidate_id", "requisition_id", "stage_id", "stage_position", "entered_stage_at",
    "status",
    "end_reason", "owner_id", "next_step", "created_at", "updated_at",
]  # fmt: skip
_CHANGE = [
    "application_id", "from_stage_id", "to_stage_id", "from_status", "to_status", "reason",
    "actor_id", "at",
]  # fmt: skip
_NOTE = ["application_id", "author_id", "body", "visibility", "created_at"]
