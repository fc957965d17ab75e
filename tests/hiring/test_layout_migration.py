"""The layout change on a database with rows in it: today's schema -> the new apps -> back.

The models that moved out of `hiring` (to `pipeline`, `offers`, `notifications` and
`assessments`) kept their tables, so the move is state only. This builds a database at the
schema before the move, writes a small but complete hiring story into it through the
historical models, migrates it to where the move ended and reads everything back through
the new apps' models; then it unapplies the relabelling and reads it again. (Migrations
after the move, such as a new status history table, are not part of what it checks.)

`django-test-migrations` drives the migrations. Its `apply_initial_migration` cuts Django's
full plan at the latest target, and `pipeline.0001` comes before `assessments.0002` in that
plan, so no list of targets gives "assessments at 0003, pipeline unapplied" that way. The
test asks it for an empty database instead and migrates forward to the old schema with
`apply_tested_migration`, which plans only what the targets need.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

if TYPE_CHECKING:
    from django_test_migrations.migrator import Migrator

# Today's main: the project's apps at these migrations, the new apps at none.
OLD_PROJECT = [
    ("hiring", "0007_offers"),
    ("assessments", "0003_scorecard_flags_invites"),
    ("roles", "0001_initial"),
    ("compensation", "0001_initial"),
]
NEW_APPS = ["pipeline", "offers", "notifications"]
# Apps added after the move, whose first migration needs moved models: applied in neither.
LATER_APPS = [
    "privacy", "careers", "candidate_mail", "scheduling", "reports", "webhooks", "sso",
    "checkins", "transfer",
]  # fmt: skip
PROJECT_APPS = {label for label, _ in OLD_PROJECT} | set(NEW_APPS) | set(LATER_APPS)
# Where the move ended: the project's apps at these migrations.
MOVED_PROJECT = [
    ("hiring", "0010_moved_models_labels"),
    ("assessments", "0005_interviews_decisions_relations"),
    ("roles", "0001_initial"),
    ("compensation", "0001_initial"),
    ("pipeline", "0001_initial"),
    ("offers", "0002_relations"),
    ("notifications", "0002_kind_registered_by_domains"),
]

MOVED = {
    "pipeline": ["Requisition", "Stage", "Tag", "Candidate", "Application", "StageChange", "Note"],
    "assessments": ["Interview", "Decision"],
    "offers": [
        "OfferClock",
        "Offer",
        "OfferChange",
        "ApprovalTemplateStep",
        "ApprovalStep",
        "StepApprover",
        "UsedApprovalLink",
    ],
    "notifications": ["Notification"],
}
NEW_LABEL = {name: label for label, names in MOVED.items() for name in names}

AT = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def leaves() -> list[tuple[str, str]]:
    return sorted(MigrationLoader(connection).graph.leaf_nodes())


def old_targets() -> list[tuple[str, str | None]]:
    """The schema before the move; apps outside the project (auth, axes...) at their newest."""
    others = [leaf for leaf in leaves() if leaf[0] not in PROJECT_APPS]
    return [*OLD_PROJECT, *[(label, None) for label in NEW_APPS + LATER_APPS], *others]


def moved_targets() -> list[tuple[str, str]]:
    """The schema right after the move; apps outside the project at their newest."""
    return [*MOVED_PROJECT, *[leaf for leaf in leaves() if leaf[0] not in PROJECT_APPS]]


@pytest.fixture
def migrator(migrator: Migrator) -> Iterator[Migrator]:
    """The plugin's migrator, leaving PostgreSQL's id sequences no lower than it found them.

    The migrator drops every table and builds them again, which restarts their sequences;
    the `playbook` fixture of a later test inserts its recorded rows with their ids, which
    does not move a sequence on PostgreSQL, and the next plain insert would take one of those
    ids. (SQLite's AUTOINCREMENT counter follows explicit ids by itself.)"""
    before = _sequences()
    yield migrator
    # Every table of the move exists again (the migrations from here to the newest create
    # only tables of their own, which start empty), so the values set now stay when the
    # plugin's finalizer migrates to the newest.
    now = _sequences()
    with connection.cursor() as cursor:
        for name, value in before.items():
            if name in now and now[name] < value:
                cursor.execute("SELECT setval(%s, %s)", [name, value])


def _sequences() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences WHERE last_value IS NOT NULL"
        )
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)  # migrations cannot run inside a test's transaction
def test_every_row_survives_the_move_to_the_new_apps(migrator: Migrator) -> None:
    migrator.apply_initial_migration([("contenttypes", None)])  # an empty database
    old = migrator.apply_tested_migration(old_targets())
    applied = MigrationRecorder(connection).applied_migrations()
    assert not [key for key in applied if key[0] in NEW_APPS]
    assert max(name for app, name in applied if app == "hiring") == "0007_offers"
    assert (
        max(name for app, name in applied if app == "assessments") == "0003_scorecard_flags_invites"
    )

    ids = write_the_story(old.apps)
    before = snapshot(old.apps)
    old_schema = schema_sql(old)

    new = migrator.apply_tested_migration(moved_targets())
    graph = MigrationLoader(connection).graph
    assert set(MigrationRecorder(connection).applied_migrations()) == {
        node for target in moved_targets() for node in graph.forwards_plan(target)
    }

    # The database was not touched: the new state describes the same tables, column for
    # column, index for index, and every row reads back through it unchanged, but for the
    # labels of the moved models in content types and audit entries. (Tables that later
    # migrations add, such as pipeline.RequisitionChange, are not the move's.)
    assert only(schema_sql(new), old_schema) == old_schema
    after = snapshot(new.apps)
    assert only(after, before) == {**before, **relabelled(before)}

    read_the_story_through_the_new_apps(new.apps, ids)
    ContentType = new.apps.get_model("contenttypes", "ContentType")
    assert list(ContentType.objects.filter(app_label="hiring").values_list("model", flat=True)) == [
        "auditentry"
    ]
    audit = dict(
        new.apps.get_model("hiring", "AuditEntry").objects.values_list("id", "object_type")
    )
    assert audit == {
        ids["audit_offer"]: "offers.Offer",
        ids["audit_application"]: "pipeline.Application",
        ids["audit_interview"]: "assessments.Interview",
        ids["audit_notification"]: "notifications.Notification",
        ids["audit_scorecard"]: "assessments.Scorecard",
        ids["audit_user"]: "auth.User",
        ids["audit_level"]: "roles.RoleLevel",
    }
    # Same content type rows (ids), so what points at them follows.
    Group = new.apps.get_model("auth", "Group")
    granted = Group.objects.get(name="Hiring manager").permissions.get()
    assert (granted.content_type.app_label, granted.codename) == ("offers", "view_offer")
    entry = new.apps.get_model("admin", "LogEntry").objects.get()
    assert (entry.content_type.app_label, entry.content_type.model) == ("offers", "offer")

    # And back over the one migration that writes rows: the old labels return, nothing else
    # changes. The migrations before it are state only (no database operation to undo);
    # unapplying them too would take about 11 s more here, and 5 s to come back up.
    migrator.apply_tested_migration([("hiring", "0009_models_moved_out_last")])
    assert only(snapshot(new.apps), before) == before  # content types and audit entries included

    # On to the newest schema (later migrations add columns and tables): every row still
    # reads back through the models, and the audit entries now keep their actors' names.
    head = migrator.apply_tested_migration(leaves())
    assert set(MigrationRecorder(connection).applied_migrations()) == set(
        MigrationLoader(connection).graph.nodes
    )
    read_the_story_through_the_new_apps(head.apps, ids)
    names = head.apps.get_model("hiring", "AuditEntry").objects.exclude(actor=None)
    assert names.exists() and all(e.actor_username == e.actor.username for e in names)


def write_the_story(apps: Any) -> dict[str, int]:
    """A hired-to-be candidate from requisition to offer, through the historical models."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    hiring = lambda name: apps.get_model("hiring", name)  # noqa: E731
    assessments = lambda name: apps.get_model("assessments", name)  # noqa: E731

    # Content types as post_migrate made them for today's models (the migrator mutes it).
    for model in apps.get_models():
        ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
    offer_type = ContentType.objects.get(app_label="hiring", model="offer")
    view_offer = Permission.objects.create(
        content_type=offer_type, codename="view_offer", name="Can view offer"
    )

    def user(username: str, group: str) -> Any:
        person = User.objects.create(username=username, email=f"{username}@example.com")
        person.groups.add(Group.objects.get(name=group))  # made by migration 0002
        return person

    recruiter = user("rita", "Recruiter")
    manager = user("manny", "Hiring manager")
    interviewer = user("ivy", "Interviewer")
    finance = user("fin", "Admin")
    Group.objects.get(name="Hiring manager").permissions.add(view_offer)

    role = apps.get_model("roles", "RoleProfile").objects.create(
        slug="ml-engineer", title="ML engineer", summary="Ships models to production."
    )
    level = apps.get_model("roles", "RoleLevel").objects.create(role=role, name="Senior")
    band = apps.get_model("compensation", "Band").objects.create(
        level=level,
        low=180_000,
        high=240_000,
        effective_date=dt.date(2026, 1, 1),
        market_tension="High",
    )
    question = assessments("Question").objects.create(key="serving-latency", number=1)
    version = assessments("QuestionVersion").objects.create(
        question=question, version=1, text="Cut p99 latency.", what_to_hear="Profiling first."
    )
    question.current_version = version
    question.save()
    red_flag = assessments("RedFlag").objects.create(
        key="no-evals", number=1, title="No evals", explanation="Never measured.", severity="high"
    )
    red_flag.questions.add(question)

    requisition = hiring("Requisition").objects.create(
        title="Senior ML engineer",
        role=role,
        level=level,
        hiring_manager=manager,
        recruiter=recruiter,
        opened_on=dt.date(2026, 2, 1),
    )
    stages = {
        kind: hiring("Stage").objects.create(
            requisition=requisition, name=kind.title(), kind=kind, position=position
        )
        for position, kind in enumerate(["applied", "interview", "debrief", "offer"])
    }
    tags = [hiring("Tag").objects.create(name=name) for name in ("llm", "referral")]
    Candidate = hiring("Candidate")
    candidate = Candidate.objects.create(
        name="Ada Lovelace",
        email="ada@example.com",
        source="referral",
        case_study_urls=["https://example.com/study"],
        created_by=recruiter,
    )
    candidate.tags.set(tags)
    duplicate = Candidate.objects.create(
        name="Ada L.", email="ada@example.com", duplicate_of=candidate
    )
    application = hiring("Application").objects.create(
        candidate=candidate,
        requisition=requisition,
        stage=stages["offer"],
        entered_stage_at=AT,
        owner=recruiter,
    )
    change = hiring("StageChange").objects.create(
        application=application,
        from_stage=stages["debrief"],
        to_stage=stages["offer"],
        from_status="active",
        to_status="active",
        at=AT,
        actor=recruiter,
    )
    note = hiring("Note").objects.create(application=application, body="Strong.", author=manager)

    interview = hiring("Interview").objects.create(
        application=application,
        round_name="System design",
        starts_at=AT - dt.timedelta(days=3),
        ends_at=AT - dt.timedelta(days=3) + dt.timedelta(minutes=60),
        created_by=recruiter,
    )
    interview.interviewers.set([interviewer, manager])
    interview_question = assessments("InterviewQuestion").objects.create(
        interview=interview, question_version=version, interviewer=interviewer, position=1
    )
    scorecard = assessments("Scorecard").objects.create(
        interview=interview,
        interviewer=interviewer,
        status="submitted",
        recommendation="strong_yes",
        submitted_at=AT - dt.timedelta(days=2),
    )
    answer = assessments("ScorecardAnswer").objects.create(
        scorecard=scorecard, question_version=version, rating=4, notes="Profiled first."
    )
    flag = assessments("ScorecardRedFlag").objects.create(
        scorecard=scorecard, red_flag=red_flag, raised=True, evidence="Skipped evals once."
    )
    invite = assessments("InterviewInvite").objects.create(
        interview=interview, attendee=interviewer, sequence=0, method="REQUEST", sent_at=AT
    )
    decision = hiring("Decision").objects.create(
        application=application, outcome="advance", decided_by=manager, decided_at=AT
    )

    clock = hiring("OfferClock").objects.create(
        application=application,
        decision=decision,
        started_at=AT,
        escalate_at=AT + dt.timedelta(days=1),
        due_at=AT + dt.timedelta(days=2),
    )
    Offer = hiring("Offer").objects
    first = Offer.create(
        application=application,
        level=level,
        band=band,
        base_salary=200_000,
        start_date=dt.date(2026, 4, 1),
        expires_on=dt.date(2026, 3, 9),
        status="superseded",
        created_by=recruiter,
    )
    offer = Offer.create(
        application=application,
        level=level,
        band=band,
        revision=2,
        supersedes=first,
        base_salary=210_000,
        start_date=dt.date(2026, 4, 1),
        expires_on=dt.date(2026, 3, 9),
        status="pending",
        approval_round=1,
        created_by=recruiter,
    )
    offer_change = hiring("OfferChange").objects.create(
        offer=offer, from_status="draft", to_status="pending", at=AT, actor=recruiter
    )
    template_step = hiring("ApprovalTemplateStep").objects.create(
        requisition=requisition, position=1, name="Finance", source="people"
    )
    template_step.people.set([finance, manager])
    step = hiring("ApprovalStep").objects.create(
        offer=offer, round=1, position=1, name="Finance", kind="people", status="pending"
    )
    approver = hiring("StepApprover").objects.create(step=step, user=finance)
    link = hiring("UsedApprovalLink").objects.create(nonce="n0nce", used_at=AT, user=finance)
    notification = hiring("Notification").objects.create(
        recipient=finance,
        kind="approval_requested",
        subject_type="step",
        subject_id=step.pk,
        title="Approve an offer",
        url=f"/offers/{offer.pk}/",
        created_at=AT,
        email_next_attempt_at=AT,
    )

    AuditEntry = hiring("AuditEntry").objects

    def audit(object_type: str, pk: int) -> int:
        return AuditEntry.create(
            actor=recruiter, action="update", object_type=object_type, object_id=str(pk)
        ).pk

    apps.get_model("admin", "LogEntry").objects.create(
        action_time=AT,
        user=recruiter,
        content_type=offer_type,
        object_id=str(offer.pk),
        object_repr="Offer",
        action_flag=2,
    )
    return {
        "recruiter": recruiter.pk,
        "manager": manager.pk,
        "interviewer": interviewer.pk,
        "finance": finance.pk,
        "level": level.pk,
        "band": band.pk,
        "version": version.pk,
        "red_flag": red_flag.pk,
        "requisition": requisition.pk,
        "stage_offer": stages["offer"].pk,
        "stage_debrief": stages["debrief"].pk,
        "candidate": candidate.pk,
        "duplicate": duplicate.pk,
        "application": application.pk,
        "change": change.pk,
        "note": note.pk,
        "interview": interview.pk,
        "interview_question": interview_question.pk,
        "scorecard": scorecard.pk,
        "answer": answer.pk,
        "flag": flag.pk,
        "invite": invite.pk,
        "decision": decision.pk,
        "clock": clock.pk,
        "first_offer": first.pk,
        "offer": offer.pk,
        "offer_change": offer_change.pk,
        "template_step": template_step.pk,
        "step": step.pk,
        "approver": approver.pk,
        "link": link.pk,
        "notification": notification.pk,
        "audit_offer": audit("hiring.Offer", offer.pk),
        "audit_application": audit("hiring.Application", application.pk),
        "audit_interview": audit("hiring.Interview", interview.pk),
        "audit_notification": audit("hiring.Notification", notification.pk),
        "audit_scorecard": audit("assessments.Scorecard", scorecard.pk),
        "audit_user": audit("auth.User", finance.pk),
        "audit_level": audit("roles.RoleLevel", level.pk),
    }


def read_the_story_through_the_new_apps(apps: Any, ids: dict[str, int]) -> None:
    get = lambda label, name: apps.get_model(label, name).objects  # noqa: E731

    candidate = get("pipeline", "Candidate").get(pk=ids["candidate"])
    assert sorted(candidate.tags.values_list("name", flat=True)) == ["llm", "referral"]
    assert candidate.created_by_id == ids["recruiter"]
    assert get("pipeline", "Candidate").get(pk=ids["duplicate"]).duplicate_of == candidate
    assert candidate.duplicates.get().pk == ids["duplicate"]
    assert list(get("pipeline", "Tag").get(name="llm").candidates.all()) == [candidate]

    application = get("pipeline", "Application").get(pk=ids["application"])
    assert application.candidate == candidate
    assert application.requisition.title == "Senior ML engineer"
    assert application.requisition.level_id == ids["level"]
    assert application.requisition.hiring_manager_id == ids["manager"]
    assert application.stage.pk == ids["stage_offer"]
    assert application.stage.requisition == application.requisition
    assert list(application.requisition.stages.values_list("kind", flat=True)) == [
        "applied",
        "interview",
        "debrief",
        "offer",
    ]
    change = application.stage_changes.get()
    assert (change.pk, change.from_stage_id, change.to_stage_id) == (
        ids["change"],
        ids["stage_debrief"],
        ids["stage_offer"],
    )
    assert application.notes.get().pk == ids["note"]

    interview = get("assessments", "Interview").get(pk=ids["interview"])
    assert interview.application == application
    assert application.interviews.get() == interview
    assert sorted(interview.interviewers.values_list("username", flat=True)) == ["ivy", "manny"]
    assert interview.ends_at - interview.starts_at == dt.timedelta(minutes=60)
    scorecard = get("assessments", "Scorecard").get(pk=ids["scorecard"])
    assert scorecard.interview == interview
    assert scorecard.interview.application.candidate.name == "Ada Lovelace"
    assert interview.scorecards.get() == scorecard
    assert scorecard.answers.get().pk == ids["answer"]
    assert scorecard.answers.get().question_version_id == ids["version"]
    flag = scorecard.red_flags.get()
    assert (flag.pk, flag.red_flag_id, flag.raised) == (ids["flag"], ids["red_flag"], True)
    assert interview.questions.get().pk == ids["interview_question"]
    assert interview.invites.get().pk == ids["invite"]

    decision = get("assessments", "Decision").get(pk=ids["decision"])
    assert decision.application == application
    assert application.decisions.get() == decision
    clock = get("offers", "OfferClock").get(pk=ids["clock"])
    assert clock.decision == decision
    assert clock.decision.outcome == "advance"
    assert application.offer_clock == clock

    offer = get("offers", "Offer").get(pk=ids["offer"])
    assert offer.application.candidate.name == "Ada Lovelace"
    assert (offer.level_id, offer.band_id, offer.base_salary) == (
        ids["level"],
        ids["band"],
        210_000,
    )
    assert offer.supersedes.pk == ids["first_offer"]
    assert set(application.offers.values_list("pk", flat=True)) == {
        ids["offer"],
        ids["first_offer"],
    }
    assert offer.changes.get().pk == ids["offer_change"]
    step = offer.steps.get()
    assert step.pk == ids["step"]
    assert step.approvers.get().user_id == ids["finance"]

    template_step = get("offers", "ApprovalTemplateStep").get(pk=ids["template_step"])
    assert template_step.requisition == application.requisition
    assert sorted(template_step.people.values_list("username", flat=True)) == ["fin", "manny"]
    assert get("offers", "UsedApprovalLink").get(nonce="n0nce").user_id == ids["finance"]

    notification = get("notifications", "Notification").get(pk=ids["notification"])
    assert (notification.recipient_id, notification.subject_id) == (ids["finance"], ids["step"])
    User = apps.get_model("auth", "User")
    assert User.objects.get(pk=ids["finance"]).notifications.get() == notification
    groups = User.objects.get(pk=ids["manager"]).groups.values_list("name", flat=True)
    assert list(groups) == ["Hiring manager"]


def snapshot(apps: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the state knows, by table."""
    return {
        model._meta.db_table: list(model.objects.order_by("pk").values()) for model in _tables(apps)
    }


def only(tables: dict[str, Any], of: dict[str, Any]) -> dict[str, Any]:
    """`tables` cut down to the tables `of` has."""
    return {name: value for name, value in tables.items() if name in of}


def relabelled(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The content type and audit rows as the move should leave them: only the label changes."""
    by_model = {name.lower(): label for name, label in NEW_LABEL.items()}

    def content_type(row: dict[str, Any]) -> dict[str, Any]:
        if row["app_label"] == "hiring" and row["model"] in by_model:
            return {**row, "app_label": by_model[row["model"]]}
        return row

    def audit(row: dict[str, Any]) -> dict[str, Any]:
        app_label, _, name = row["object_type"].partition(".")
        if app_label == "hiring" and name in NEW_LABEL:
            return {**row, "object_type": f"{NEW_LABEL[name]}.{name}"}
        return row

    return {
        "django_content_type": [content_type(row) for row in rows["django_content_type"]],
        "hiring_auditentry": [audit(row) for row in rows["hiring_auditentry"]],
    }


def _tables(apps: Any) -> list[Any]:
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    tables = [model._meta.db_table for model in models]
    assert len(tables) == len(set(tables)), "two models of the state share a table"
    return models


def schema_sql(state: Any) -> dict[str, list[Any]]:
    """What `CREATE TABLE` (with its indexes and constraints) each table's model would run.

    Compared between the state before the move and the state after, it shows whether the
    state-only migrations describe the tables the database has: a missing `db_table`, a
    renamed index or an index turned on or off would show up here. Column order is not
    compared (a state-only move may list fields in another order)."""
    out: dict[str, list[Any]] = {}
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        for model in _tables(state.apps):
            if model._meta.auto_created:
                continue  # created with the model that has the many-to-many field
            editor.collected_sql = []
            editor.create_model(model)
            statements = [*editor.collected_sql, *(str(sql) for sql in editor.deferred_sql)]
            editor.deferred_sql = []
            for statement in statements:
                table = re.search(r'\b(?:TABLE|ON) "?(\w+)"?', statement).group(1)
                out.setdefault(table, []).append(_canonical(statement))
    return {table: sorted(statements, key=repr) for table, statements in out.items()}


def _canonical(statement: str) -> Any:
    """A CREATE TABLE as its set of column and constraint definitions; others as written."""
    match = re.fullmatch(r'CREATE TABLE ("?\w+"?) \((.*)\);?', statement.strip(), re.S)
    if not match:
        return statement
    parts, depth, current = [], 0, ""
    for char in match.group(2):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return ("CREATE TABLE", match.group(1), tuple(sorted(parts)))


@pytest.mark.django_db
def test_the_models_match_the_migrations() -> None:
    """The new state read above is the code's models: no migration is missing."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_a_partial_migrate_before_the_relabelling_loses_no_grant_and_no_admin_history() -> None:
    """`migrate pipeline` first: post_migrate made pipeline.note and its permissions, so both
    labels have a row when 0010 runs. The old row's grants and history move to the new one."""
    import importlib

    from django.apps import apps
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType

    labels = importlib.import_module("hiring.migrations.0010_moved_models_labels")
    current = ContentType.objects.get(app_label="pipeline", model="note")
    stale = ContentType.objects.create(app_label="hiring", model="note")
    view = Permission.objects.create(content_type=stale, codename="view_note", name="Can view")
    pin = Permission.objects.create(content_type=stale, codename="pin_note", name="Can pin")
    group = Group.objects.create(name="Note readers")
    group.permissions.add(view, pin)
    user = User.objects.create(username="reader")
    user.user_permissions.add(
        view, Permission.objects.get(content_type=current, codename="view_note")
    )
    entry = LogEntry.objects.create(
        user=user, content_type=stale, object_id="1", object_repr="A note", action_flag=1
    )

    labels.relabel(apps, None)

    assert not ContentType.objects.filter(app_label="hiring", model="note").exists()
    assert set(group.permissions.values_list("content_type", "codename")) == {
        (current.pk, "view_note"),
        (current.pk, "pin_note"),
    }
    assert list(user.user_permissions.values_list("content_type", "codename")) == [
        (current.pk, "view_note")
    ]
    entry.refresh_from_db()
    assert entry.content_type == current
