"""Demo and benchmark data, generated in bulk.

`seed_applications(total=N)` tops the database up to N applications with bulk inserts
(batches of 2,000): requisitions across the playbook roles, candidates (some in several
requisitions), applications spread over the stages with realistic times over the past
60 days, end states, notes, tags, search documents and the stage history. 100,000
applications take seconds, not minutes, because every row is built in Python and written
in one INSERT per batch; no per-row service call, signal or audit entry.

Names and e-mails come from small built-in lists: Faker is a dev dependency only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection, models, transaction
from django.utils import timezone

from assessments.models import Interview
from hiring.permissions import HIRING_MANAGER, RECRUITER
from hiring.pipeline.models import (
    DEFAULT_STAGES,
    Application,
    ApplicationStatus,
    Candidate,
    CandidateSource,
    Note,
    Requisition,
    RequisitionStatus,
    Stage,
    StageChange,
    StageKind,
    Tag,
)
from hiring.pipeline.rules import REJECTION_REASONS, WITHDRAWAL_REASONS
from roles.models import RoleProfile

BATCH = 2_000
DAYS = 60
# The first name is the most common one: the benchmark searches for it.
FIRST_NAMES = [
    "Maria", "James", "Wei", "Aisha", "Carlos", "Priya", "Olga", "Kenji", "Fatima", "Liam",
    "Sofia", "Noah", "Amara", "Mateo", "Yuki", "Elena", "Omar", "Chloe", "Ravi", "Ingrid",
    "Lucas", "Zainab", "Daniel", "Mei", "Tomás", "Hannah", "Arjun", "Nadia", "Samuel", "Leila",
    "Ethan", "Ana", "Kwame", "Julia", "Mohammed", "Emma", "Diego", "Sara", "Hiroshi", "Grace",
    "Ivan", "Chidi", "Laura", "Pedro", "Anika", "Felix", "Rosa", "Ahmed", "Isabel", "Jonas",
    "Lina", "Marco", "Nia", "Oskar", "Paula", "Rahul", "Selin", "Theo", "Uma", "Viktor",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Smith", "Chen", "Khan", "Müller", "Patel", "Ivanova", "Tanaka", "Okafor",
    "Johnson", "Rossi", "Kim", "Nguyen", "Silva", "Kowalski", "Haddad", "Dubois", "Larsen",
    "Sato", "Mensah", "Fernández", "Brown", "Singh", "Cohen", "Novak", "Andersson", "Yilmaz",
    "Wang", "Martin", "Lopez", "Ahmed", "Wilson", "Schmidt", "Moreau", "Costa", "Ito", "Adeyemi",
    "Taylor", "Hernández", "Park", "O'Brien", "Jensen", "Popescu", "Rahman", "Ortiz", "Walker",
    "Fischer", "Bianchi", "Kaur", "Lee",
]  # fmt: skip
CITIES = [
    "New York", "San Francisco", "Austin", "Toronto", "London", "Berlin", "Amsterdam",
    "Paris", "Lisbon", "Warsaw", "Bangalore", "Singapore", "Tokyo", "Sydney", "Remote",
]  # fmt: skip
TAGS = [
    "pytorch", "tensorflow", "llm", "rag", "mlops", "kubernetes", "spark", "airflow", "dbt",
    "computer-vision", "nlp", "recsys", "forecasting", "evaluation", "ai-safety", "gpu",
    "python", "rust", "go", "sql", "leadership", "referral-bonus", "relocation", "visa",
]  # fmt: skip
SHIPPED = [
    "Fraud model serving 4M requests a day, with drift alerts and a rollback plan.",
    "Retrieval-augmented support assistant; cut handling time 18% in an A/B test.",
    "Feature store on Spark and Delta used by six teams.",
    "Demand forecasting for 2,000 stores, retrained weekly through Airflow.",
    "On-device vision model for shelf scanning, 40 ms on a mid-range phone.",
    "Evaluation harness for LLM prompts with regression gates in CI.",
    "Recommendation ranking service; owned its on-call for two years.",
    "",
    "",
]
DEGREES = ["BSc Computer Science", "MSc Machine Learning", "PhD Statistics", "BEng", "", ""]
SCHOOLS = ["State University", "Technical University", "Institute of Technology", "", ""]
CERTIFICATIONS = ["AWS ML Specialty", "GCP Professional ML Engineer", "CKA", "", "", ""]
NOTES = [
    "{first} walked through a real incident: clear on detection, rollback and follow-up.",
    "Screen call with {first}: wants hybrid, notice period 4 weeks, band fits.",
    "{first} described the eval set they built; good instinct for leakage.",
    "Asked {first} about a failed project; specific and honest about their part.",
    "{first} has competing offers; move quickly if we like them.",
    "Portfolio is strong on modelling, thinner on deployment. Probe in the interview.",
    "Referred by the platform team. {first} shipped the feature store migration there.",
    "Left a voicemail for {first}, will try again tomorrow.",
]
NEXT_STEPS = {
    StageKind.APPLIED: ["Review resume", "Check portfolio", ""],
    StageKind.SCREEN: ["Schedule recruiter screen", "Send screen notes to manager"],
    StageKind.INTERVIEW: ["Schedule structured interview", "Collect scorecards"],
    StageKind.DEBRIEF: ["Book the debrief", "Chase the last scorecard"],
    StageKind.OFFER: ["Draft offer", "Get approval for the offer", "Call with the offer"],
    StageKind.HIRED: [""],
}
# Where active applications sit (the funnel narrows) and how many end early.
STAGE_WEIGHTS = [46, 24, 14, 7, 5, 4]
END_WEIGHTS = {ApplicationStatus.REJECTED: 0.24, ApplicationStatus.WITHDRAWN: 0.06}
SOURCE_WEIGHTS = {
    CandidateSource.INBOUND: 55,
    CandidateSource.REFERRAL: 15,
    CandidateSource.SOURCED: 20,
    CandidateSource.AGENCY: 5,
    CandidateSource.EVENT: 3,
    CandidateSource.OTHER: 2,
}
SMALL_DEMO_TITLES = [
    "Applied ML Engineer · Berlin (demo)",
    "MLOps Engineer · Remote (demo)",
    "Data Scientist · New York (demo)",
]


class SeedError(Exception):
    """The data set cannot be generated (e.g. the playbook is not loaded)."""


@dataclass
class SeedReport:
    requisitions: int = 0
    candidates: int = 0
    applications: int = 0
    stage_changes: int = 0
    notes: int = 0
    interviews: int = 0
    seconds: float = 0.0
    skipped: str = ""

    def summary(self) -> str:
        if self.skipped:
            return self.skipped
        return (
            f"{self.applications:,} applications, {self.candidates:,} candidates, "
            f"{self.requisitions:,} requisitions, {self.stage_changes:,} stage changes, "
            f"{self.notes:,} notes, {self.interviews:,} interviews in {self.seconds:.1f} s"
        )


@dataclass
class _Person:
    candidate: Candidate
    first: str
    tags: list[str]
    notes: list[str] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)


def seed_applications(
    *, total: int, seed: int = 2026, interviewers: Sequence[Any] = ()
) -> SeedReport:
    """Top the database up to `total` applications (none are added when it already has them)."""
    started = time.perf_counter()
    existing = Application.objects.count()
    missing = total - existing
    if missing <= 0:
        return SeedReport(skipped=f"Already {existing:,} applications; nothing generated.")
    rng = random.Random(seed * 1_000_003 + existing)  # noqa: S311 - reproducible demo data
    recruiters = _staff(RECRUITER, "recruiter", 6)
    managers = _staff(HIRING_MANAGER, "manager", 16)
    if connection.vendor == "postgresql":  # COPY, streamed: a million in minutes
        from hiring.demo.bulk import seed_bulk

        report = seed_bulk(missing=missing, rng=rng, recruiters=recruiters, managers=managers)
        report.interviews = _interviews_for(rng, interviewers)
        report.seconds = time.perf_counter() - started
        return report
    roles = _roles()
    count = max(1, round(missing / 50))
    specs = [
        _requisition(rng, roles, rng.choice(recruiters), rng.choice(managers), n == 0)
        for n in range(count)
    ]
    report = _generate(rng, specs, missing, round(missing * 0.8), interviewers, skew=0.7)
    report.seconds = time.perf_counter() - started
    return report


def _interviews_for(rng: random.Random, interviewers: Sequence[Any]) -> int:
    """Interviews of the demo interviewers, on applications the bulk path wrote."""
    active = Application.objects.filter(status="active").select_related("stage", "requisition")
    wanted = active.filter(stage__kind__in=[StageKind.INTERVIEW, StageKind.DEBRIEF])
    return _interviews(rng, list(wanted.order_by("-id")[:200]), {}, interviewers, 0)


def seed_small_demo(*, recruiter: Any, manager: Any, interviewers: Sequence[Any]) -> SeedReport:
    """Three requisitions with about twelve applications each, created once."""
    if Requisition.objects.filter(title__in=SMALL_DEMO_TITLES).exists():
        return SeedReport(skipped="Demo requisitions already there; nothing generated.")
    started = time.perf_counter()
    rng = random.Random(7)  # noqa: S311 - reproducible demo data
    roles = _roles()
    slugs = ["applied-ml-engineer", "mlops-engineer", "data-scientist"]
    specs = []
    for title, slug in zip(SMALL_DEMO_TITLES, slugs, strict=True):
        spec = _requisition(rng, roles, recruiter, manager, True, role_slug=slug)
        spec.title, spec.location = title, title.split("·")[1].split("(")[0].strip()
        specs.append(spec)
    specs[2].pedigree_blind = False  # one requisition shows the contrast with blind mode
    report = _generate(rng, specs, 36, 30, interviewers, skew=0.0, interviews_each=3)
    report.seconds = time.perf_counter() - started
    return report


def _staff(role: str, kind: str, how_many: int) -> list[Any]:
    """The demo user for the role (if seeded) plus a few generated colleagues."""
    group = Group.objects.get(name=role)
    users = list(User.objects.filter(username=kind))
    for n in range(1, how_many):
        user, created = User.objects.get_or_create(
            username=f"seed-{kind}-{n}",
            defaults={
                "first_name": FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[(n * 11) % len(LAST_NAMES)],
                "email": f"seed-{kind}-{n}@example.com",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        users.append(user)
    return users


def _requisition(
    rng: random.Random,
    roles: list[RoleProfile],
    recruiter: Any,
    manager: Any,
    first: bool,
    role_slug: str | None = None,
) -> Requisition:
    role = next((r for r in roles if r.slug == role_slug), None) or rng.choice(roles)
    level = rng.choice(list(role.levels.all()))
    city = rng.choice(CITIES)
    status = RequisitionStatus.OPEN
    if not first:  # the largest requisition stays open: the benchmark opens its board
        status = rng.choices(list(RequisitionStatus), weights=[88, 6, 3, 3])[0]
    return Requisition(
        title=f"{role.title} · {level.name.split(' (')[0]} · {city}",
        role=role,
        level=level,
        hiring_manager=manager,
        recruiter=recruiter,
        headcount=rng.choice([1, 1, 1, 2, 3]),
        location=city,
        status=status,
        opened_on=timezone.localdate() - dt.timedelta(days=rng.randint(DAYS, DAYS + 90)),
        pedigree_blind=rng.random() < 0.85,
    )


def _roles() -> list[RoleProfile]:
    roles = list(RoleProfile.objects.prefetch_related("levels").order_by("position"))
    if not roles or not all(r.levels.all() for r in roles):
        raise SeedError("The playbook is not loaded: run `manage.py load_playbook` first.")
    return roles


def _write(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """Insert many rows: bulk_create in batches; on PostgreSQL, one COPY for large tables.

    COPY skips Django's per-value preparation (most of bulk_create's time at 100,000 rows);
    ids are taken from the table's sequence first so related rows can point at them. Only
    plain values are written, so every field must already hold its final value.
    """
    if connection.vendor != "postgresql" or len(rows) < BATCH:
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
            row._state.adding, row._state.db = False, connection.alias
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_text(getattr(row, f.attname)) for f in fields))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # datetimes too: they are aware, so the offset is kept
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return str(value).translate(COPY_ESCAPES)


@contextmanager
def _keep_timestamps(*fields: models.DateTimeField) -> Iterator[None]:
    """Let bulk_create keep the generated created_at/updated_at instead of "now".

    auto_now(_add) fields overwrite any value on insert; demo data needs times spread over
    weeks. Single-threaded command use only: the flags are restored on exit.
    """
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _timestamp_fields() -> list[models.DateTimeField]:
    return [
        Candidate._meta.get_field("created_at"),
        Application._meta.get_field("created_at"),
        Application._meta.get_field("updated_at"),
        Note._meta.get_field("created_at"),
    ]


def _generate(
    rng: random.Random,
    specs: list[Requisition],
    applications: int,
    candidates: int,
    interviewers: Sequence[Any],
    *,
    skew: float,
    interviews_each: int = 0,
) -> SeedReport:
    report = SeedReport()
    with transaction.atomic(), _keep_timestamps(*_timestamp_fields()):
        Requisition.objects.bulk_create(specs, batch_size=BATCH)
        stages = _stages(specs)
        people = _people(rng, max(1, candidates), offset=Candidate.objects.count())
        rows = _applications(rng, specs, stages, people, applications, skew)
        _notes_planned(rng, people)
        _write_candidates(people)
        for person in people:
            for app in person.applications:
                app.candidate = person.candidate
        _write(Application, rows)
        report.stage_changes = _history(rng, rows, stages)
        report.notes = _notes(rng, people)
        report.interviews = _interviews(rng, rows, stages, interviewers, interviews_each)
    report.requisitions, report.candidates, report.applications = (
        len(specs),
        len(people),
        len(rows),
    )
    return report


def _stages(specs: list[Requisition]) -> dict[int, list[Stage]]:
    rows = [
        Stage(requisition=r, name=kind.label, kind=kind, position=i)
        for r in specs
        for i, kind in enumerate(DEFAULT_STAGES)
    ]
    Stage.objects.bulk_create(rows, batch_size=BATCH)
    by_requisition: dict[int, list[Stage]] = {}
    for stage in rows:
        by_requisition.setdefault(stage.requisition_id, []).append(stage)
    return by_requisition


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def _people(rng: random.Random, how_many: int, *, offset: int) -> list[_Person]:
    # Zipf-like first names: a few are common, as in real candidate lists.
    weights = [1 / (i + 1) ** 0.6 for i in range(len(FIRST_NAMES))]
    firsts = rng.choices(FIRST_NAMES, weights=weights, k=how_many)
    sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
    people = []
    for n, first in enumerate(firsts):
        last = rng.choice(LAST_NAMES)
        handle = f"{_ascii(first)}.{_ascii(last)}{offset + n + 1}"
        github = rng.random() < 0.6
        people.append(
            _Person(
                candidate=Candidate(
                    name=f"{first} {last}",
                    email=f"{handle}@{rng.choice(['example.com', 'example.org', 'example.net'])}",
                    phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    location=rng.choice(CITIES),
                    source=rng.choices(sources, weights=source_weights)[0],
                    github_url=f"https://github.com/{handle.replace('.', '-')}" if github else "",
                    portfolio_url=f"https://{handle.replace('.', '')}.example.com"
                    if rng.random() < 0.3
                    else "",
                    shipped_systems=rng.choice(SHIPPED),
                    degrees=rng.choice(DEGREES),
                    schools=rng.choice(SCHOOLS),
                    certifications=rng.choice(CERTIFICATIONS),
                ),
                first=first,
                tags=sorted(rng.sample(TAGS, k=rng.choice([0, 1, 1, 2, 2, 3]))),
            )
        )
    return people


def _applications(
    rng: random.Random,
    specs: list[Requisition],
    stages: dict[int, list[Stage]],
    people: list[_Person],
    how_many: int,
    skew: float,
) -> list[Application]:
    weights = [1 / (i + 1) ** skew for i in range(len(specs))]
    chosen = rng.choices(range(len(specs)), weights=weights, k=how_many)
    now = timezone.now()
    taken: set[tuple[int, int]] = set()
    rows = []
    for n, index in enumerate(chosen):
        person_index = n if n < len(people) else rng.randrange(len(people))
        tries = 0
        while (person_index, index) in taken and tries < 20:  # one application per pair
            person_index, tries = rng.randrange(len(people)), tries + 1
        if (person_index, index) in taken:
            continue
        taken.add((person_index, index))
        requisition = specs[index]
        rows.append(_application(rng, requisition, stages[requisition.pk], now))
        people[person_index].applications.append(rows[-1])
    return rows


def _application(
    rng: random.Random, requisition: Requisition, stages: list[Stage], now: dt.datetime
) -> Application:
    created = now - dt.timedelta(seconds=rng.uniform(0, DAYS * 86_400))
    stage = rng.choices(stages, weights=STAGE_WEIGHTS)[0]
    entered = created
    if stage.position:
        entered = created + (now - created) * rng.uniform(0.1, 0.9)
    status = ApplicationStatus.HIRED if stage.kind == StageKind.HIRED else ApplicationStatus.ACTIVE
    end_reason = ""
    if status == ApplicationStatus.ACTIVE:
        roll = rng.random()
        if roll < END_WEIGHTS[ApplicationStatus.REJECTED]:
            status, end_reason = ApplicationStatus.REJECTED, rng.choice(REJECTION_REASONS)
        elif roll < sum(END_WEIGHTS.values()):
            status, end_reason = ApplicationStatus.WITHDRAWN, rng.choice(WITHDRAWAL_REASONS)
    active = status == ApplicationStatus.ACTIVE
    return Application(
        requisition=requisition,
        stage=stage,
        stage_position=stage.position,
        entered_stage_at=entered,
        status=status,
        end_reason=end_reason,
        owner=requisition.recruiter,
        next_step=rng.choice(NEXT_STEPS[stage.kind]) if active else "",  # type: ignore[index]
        created_at=created,
        updated_at=entered,
    )


def _notes_planned(rng: random.Random, people: list[_Person]) -> None:
    """Pick the note text now: the search document is written with the candidate."""
    for person in people:
        for app in person.applications:
            texts = []
            if rng.random() < 0.3:
                texts = [
                    rng.choice(NOTES).format(first=person.first)
                    for _ in range(rng.choice([1, 1, 2]))
                ]
            app._seed_notes = texts  # type: ignore[attr-defined]
            person.notes.extend(texts)


def _write_candidates(people: list[_Person]) -> None:
    for person in people:
        candidate = person.candidate
        first_seen = min((a.created_at for a in person.applications), default=timezone.now())
        candidate.created_at = first_seen
        # Same text as services.candidates.search_document_refresh builds.
        candidate.search_document = " ".join(
            [candidate.name, candidate.email, *person.tags, *person.notes]
        )
    _write(Candidate, [p.candidate for p in people])
    tags = _tags()
    Link = Candidate.tags.through
    _write(
        Link,
        [Link(candidate_id=p.candidate.pk, tag_id=tags[name]) for p in people for name in p.tags],
    )


def _tags() -> dict[str, int]:
    Tag.objects.bulk_create([Tag(name=n) for n in TAGS], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))


def _history(rng: random.Random, rows: list[Application], stages: dict[int, list[Stage]]) -> int:
    """Entry into the first stage, the move into the current one, and the end state."""
    now = timezone.now()
    changes = []
    for app in rows:
        first = stages[app.requisition_id][0]
        actor = app.requisition.recruiter
        changes.append(
            StageChange(
                application=app, to_stage=first, to_status="active", actor=actor, at=app.created_at
            )  # fmt: skip
        )
        moved_status = "hired" if app.stage.kind == StageKind.HIRED else "active"
        if app.stage_id != first.pk:
            changes.append(
                StageChange(
                    application=app,
                    from_stage=first,
                    to_stage=app.stage,
                    from_status="active",
                    to_status=moved_status,
                    actor=actor,
                    at=app.entered_stage_at,
                )  # fmt: skip
            )
        if app.end_reason:
            ended = app.entered_stage_at + (now - app.entered_stage_at) * rng.uniform(0.1, 0.9)
            changes.append(
                StageChange(
                    application=app,
                    from_stage=app.stage,
                    to_stage=app.stage,
                    from_status="active",
                    to_status=app.status,
                    reason=app.end_reason,
                    actor=actor,
                    at=ended,
                )  # fmt: skip
            )
    _write(StageChange, changes)
    return len(changes)


def _notes(rng: random.Random, people: list[_Person]) -> int:
    now = timezone.now()
    rows = []
    for person in people:
        for app in person.applications:
            for text in app._seed_notes:  # type: ignore[attr-defined]
                at = app.created_at + (now - app.created_at) * rng.uniform(0.05, 1)
                rows.append(
                    Note(
                        application=app, author=app.requisition.recruiter, body=text, created_at=at
                    )  # fmt: skip
                )
    _write(Note, rows)
    return len(rows)


def _interviews(
    rng: random.Random,
    rows: list[Application],
    stages: dict[int, list[Stage]],
    interviewers: Sequence[Any],
    per_requisition: int,
) -> int:
    """Interviews for the demo interviewers, so their pages and API have something to show."""
    if not interviewers:
        return 0
    wanted = {StageKind.INTERVIEW, StageKind.DEBRIEF}
    active = [a for a in rows if a.status == "active"]
    # Those in the interview stages first, then anyone still active.
    candidates = sorted(active, key=lambda a: a.stage.kind not in wanted)
    if per_requisition:
        chosen: list[Application] = []
        for requisition_id in stages:
            mine = [a for a in candidates if a.requisition_id == requisition_id]
            chosen.extend(mine[:per_requisition])
    else:
        chosen = rng.sample(candidates, k=min(25, len(candidates)))
    now = timezone.now()
    interviews = []
    for app in chosen:
        starts_at = (now + dt.timedelta(days=rng.randint(-5, 10))).replace(
            hour=rng.choice([14, 15, 16, 17, 18]), minute=0, second=0, microsecond=0
        )
        interviews.append(
            Interview(  # bulk_create skips save(), so ends_at is set here
                application=app,
                round_name="Structured interview",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=60),
                location="Video call",
            )
        )
    Interview.objects.bulk_create(interviews, batch_size=BATCH)
    Link = Interview.interviewers.through
    Link.objects.bulk_create(
        [Link(interview_id=i.pk, user_id=u.pk) for i in interviews for u in interviewers],
        batch_size=BATCH,
    )
    _interview_questions(interviews)
    return len(interviews)


def _interview_questions(interviews: list[Interview]) -> None:
    """Each interview covers its role's loop (current versions), asked by every interviewer."""
    from assessments.models import InterviewQuestion
    from roles.models import LoopQuestion

    loops: dict[int, list[int]] = {}
    steps = LoopQuestion.objects.select_related("question").order_by("role_id", "position")
    for step in steps:
        if step.question.current_version_id:
            loops.setdefault(step.role_id, []).append(step.question.current_version_id)
    InterviewQuestion.objects.bulk_create(
        [
            InterviewQuestion(interview_id=i.pk, question_version_id=qv, position=n)
            for i in interviews
            for n, qv in enumerate(loops.get(i.application.requisition.role_id, []))
        ],
        batch_size=BATCH,
    )
