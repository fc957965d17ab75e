"""`manage.py seed_demo`: demo users and a small pipeline once; a large data set on demand."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from assessments.models import Interview
from hiring.checkins.models import CheckIn
from hiring.demo.outcomes import HIRES, HISTORY_TITLES
from hiring.pipeline.models import Application, Candidate, Note, Requisition, StageChange
from hiring.reports.quality import predictive_validity, quality_of_hire
from hiring.reports.selectors import Filters

with_playbook = pytest.mark.usefixtures("playbook")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@with_playbook
def test_seed_demo_prints_logins_and_creates_the_small_pipeline_once(settings: Any) -> None:
    settings.DEBUG = True  # make run: the logins are printed for the person at the keyboard
    first = seed()
    assert "recruiter-demo-2026" in first
    counts = (Requisition.objects.count(), Application.objects.count(), Candidate.objects.count())
    history = Application.objects.filter(requisition__title__in=HISTORY_TITLES).count()
    # Three requisitions of the pipeline, and two of past hires (hiring.demo.outcomes).
    assert counts[0] == 3 + len(HISTORY_TITLES) and 30 <= counts[1] - history <= 40
    assert history == HIRES
    second = seed()
    assert "nothing generated" in second
    after = (Requisition.objects.count(), Application.objects.count(), Candidate.objects.count())
    assert after == counts
    assert User.objects.filter(username__in=["recruiter", "manager", "admin"]).count() == 3


@with_playbook
def test_the_demo_history_gives_the_reports_figures_and_the_manager_a_check_in_to_fill() -> None:
    seed()
    manager = User.objects.get(username="manager")
    today = timezone.localdate()
    due = CheckIn.objects.filter(
        status="due", due_on__lte=today, application__requisition__hiring_manager=manager
    )
    assert due.count() == 1 and due.get().horizon == "90d"
    ninety = quality_of_hire(manager, Filters()).rows[0]
    assert ninety[0] == "90 days" and ninety[1] >= 40 and ninety[3].endswith("%")
    validity = {(r[0], r[1]): r[3] for r in predictive_validity(manager, Filters()).rows}
    assert float(validity[("90 days", "Mean rating")]) > 0.2  # the evidence goes with the outcome


@with_playbook
def test_without_debug_seed_demo_names_where_the_passwords_are_instead_of_printing_them() -> None:
    said = seed()
    assert "recruiter-demo-2026" not in said and "password" not in said.replace("passwords", "")
    assert "README.md, 'Demo logins'" in said


@with_playbook
def test_small_pipeline_belongs_to_the_demo_users_with_an_interview() -> None:
    seed()
    recruiter, manager = (
        User.objects.get(username="recruiter"),
        User.objects.get(username="manager"),
    )
    assert set(Requisition.objects.values_list("recruiter", "hiring_manager").distinct()) == {
        (recruiter.pk, manager.pk)
    }
    assert Interview.objects.filter(interviewers__username="interviewer").exists()


@with_playbook
def test_applications_option_generates_a_realistic_data_set() -> None:
    output = seed("--applications", "500")
    assert "500 applications" in output
    apps = Application.objects.all()
    assert apps.count() == 500
    assert 8 <= Requisition.objects.count() <= 12
    assert 350 <= Candidate.objects.count() <= 450
    shared = Candidate.objects.annotate(n=Count("applications")).filter(n__gt=1)
    assert shared.exists()
    # Every application has its entry into the first stage in the history.
    first_entries = StageChange.objects.filter(from_stage__isnull=True, to_status="active")
    assert first_entries.values("application").distinct().count() == 500
    assert apps.filter(status="rejected").exists() and apps.filter(status="withdrawn").exists()
    assert apps.values("stage__name").distinct().count() == 6
    assert 0.15 < Note.objects.values("application").distinct().count() / 500 < 0.45
    # Search documents are written in the same pass: name, e-mail, tags and note text.
    note = Note.objects.select_related("application__candidate").first()
    document = note.application.candidate.search_document
    assert note.application.candidate.email in document and note.body in document
    assert not Candidate.objects.filter(search_document="").exists()
    ages = [a.entered_stage_at for a in apps]
    assert (max(ages) - min(ages)).days >= 30


@with_playbook
def test_applications_option_tops_up_to_the_total() -> None:
    seed("--applications", "200")
    assert "nothing generated" in seed("--applications", "150")
    seed("--applications", "300")
    assert Application.objects.count() == 300
    emails = list(Candidate.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))


@pytest.mark.django_db
def test_large_data_set_needs_the_playbook() -> None:
    with pytest.raises(CommandError, match="load_playbook"):
        seed("--applications", "10")
