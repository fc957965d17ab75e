"""The retention period: candidates whose every application ended more than RETENTION_MONTHS
months ago are anonymised by the daily sweep, exactly once; nobody hired, nobody with an
active application. The clock is frozen (time-machine) at each step."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from pydantic import ValidationError

from hiring.config import Config
from hiring.pipeline.models import Application, Candidate, Stage, StageKind
from hiring.pipeline.services.applications import (
    application_end,
    application_move,
    application_reopen,
)
from hiring.privacy import tasks
from hiring.privacy.models import Erasure
from hiring.privacy.rules import months_before
from tests import factories
from tests.privacy.people import ended_application

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def months_ago(months: int) -> dt.datetime:
    return months_before(NOW, months)


def at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def retention(settings: Any, playbook: Any) -> int:
    settings.RETENTION_MONTHS = 24
    return 24


def ended(months: int, status: str = "rejected") -> Candidate:
    with at(months_ago(months)):
        return ended_application(status=status).candidate


def erased() -> set[int]:
    return set(Erasure.objects.values_list("candidate_id", flat=True))


def sweep() -> int:
    with at(NOW):
        return tasks.retention_sweep()


def test_rejected_25_months_ago_goes_23_months_ago_stays(retention: int) -> None:
    old, recent = ended(25), ended(23)
    assert sweep() == 1
    assert erased() == {old.pk}
    assert Candidate.objects.get(pk=old.pk).name == f"Erased candidate #{old.pk}"
    assert Candidate.objects.get(pk=recent.pk).name == recent.name


def test_withdrawn_long_ago_goes_too(retention: int) -> None:
    candidate = ended(30, status="withdrawn")
    assert sweep() == 1 and erased() == {candidate.pk}


def test_an_active_application_keeps_the_candidate(retention: int) -> None:
    with at(months_ago(40)):
        candidate = factories.application().candidate
        ended_application(candidate=candidate)  # another one, ended long ago
    assert sweep() == 0 and erased() == set()


def test_a_hired_candidate_is_never_anonymised(retention: int) -> None:
    with at(months_ago(40)):
        application = factories.application()
        hired = Stage.objects.get(requisition=application.requisition, kind=StageKind.HIRED)
        application_move(
            application=application, to_stage=hired, actor=application.requisition.recruiter
        )
        ended_application(candidate=application.candidate)
    assert Application.objects.get(pk=application.pk).status == "hired"
    assert sweep() == 0 and erased() == set()


def test_one_application_ended_recently_keeps_the_candidate(retention: int) -> None:
    candidate = ended(30)
    with at(months_ago(2)):
        ended_application(candidate=candidate)
    assert sweep() == 0


def test_reopening_restarts_the_period(retention: int) -> None:
    with at(months_ago(30)):
        application = ended_application()
    recruiter = application.requisition.recruiter
    with at(months_ago(20)):
        application_reopen(application=application, actor=recruiter)
        application_end(application=application, status="rejected", reason="Other", actor=recruiter)
    assert sweep() == 0


def test_a_candidate_with_no_application_is_left_alone(retention: int) -> None:
    with at(months_ago(40)):
        factories.CandidateFactory()
    assert sweep() == 0


def test_a_second_sweep_does_nothing(retention: int) -> None:
    candidate = ended(25)
    assert sweep() == 1
    name = Candidate.objects.get(pk=candidate.pk).name
    assert sweep() == 0
    assert erased() == {candidate.pk} and Erasure.objects.get().reason == "retention"
    assert Candidate.objects.get(pk=candidate.pk).name == name


def test_retention_off_anonymises_nobody(retention: int, settings: Any) -> None:
    ended(100)
    settings.RETENTION_MONTHS = 0
    assert sweep() == 0 and erased() == set()


def run(*args: str) -> str:
    out = io.StringIO()
    with at(NOW):
        call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_who_would_go_and_changes_nothing(retention: int) -> None:
    old, recent = ended(25), ended(23)
    said = run("--dry-run")
    assert f"#{old.pk}\t{old.name}" in said and recent.name not in said
    assert "1 candidate would be anonymised" in said
    assert erased() == set() and Candidate.objects.get(pk=old.pk).name == old.name


def test_the_command_without_dry_run_anonymises_them(retention: int) -> None:
    old = ended(25)
    said = run()
    assert f"#{old.pk}" in said and "1 candidate anonymised" in said
    assert erased() == {old.pk}
    assert "0 candidates anonymised" in run()


def test_the_command_says_when_retention_is_off(retention: int, settings: Any) -> None:
    settings.RETENTION_MONTHS = 0
    assert "Retention is off" in run("--dry-run")


def test_the_beat_schedule_runs_the_sweep_daily() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["retention-sweep"]
    assert entry["task"] == "hiring.privacy.tasks.retention_sweep"
    assert entry["schedule"] == 24 * 60 * 60


KEY = "a-long-random-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_retention_months_defaults_to_24_and_0_turns_it_off() -> None:
    assert Config(SECRET_KEY=KEY).RETENTION_MONTHS == 24
    assert Config(SECRET_KEY=KEY, RETENTION_MONTHS=0).RETENTION_MONTHS == 0


@pytest.mark.parametrize("value", ["-1", "1201", "two years"])
def test_a_bad_retention_months_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="RETENTION_MONTHS"):
        Config(SECRET_KEY=KEY, RETENTION_MONTHS=value)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 3, 31, 9, tzinfo=dt.UTC), 1, dt.datetime(2026, 2, 28, 9, tzinfo=dt.UTC)),
        (
            dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
            24,
            dt.datetime(2024, 3, 10, 9, tzinfo=dt.UTC),
        ),
        (dt.datetime(2026, 1, 15, tzinfo=dt.UTC), 13, dt.datetime(2024, 12, 15, tzinfo=dt.UTC)),
        (dt.datetime(2028, 3, 31, tzinfo=dt.UTC), 1, dt.datetime(2028, 2, 29, tzinfo=dt.UTC)),
    ],
)
def test_months_before_counts_calendar_months(
    moment: dt.datetime, months: int, expected: dt.datetime
) -> None:
    assert months_before(moment, months) == expected
