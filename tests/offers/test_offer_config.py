"""The offer settings are validated at start-up like every other variable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from hiring.config import Config, format_errors, parse_business_hours

KEY = "a-long-random-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def config(**env: Any) -> Config:
    return Config(SECRET_KEY=KEY, **env)


def problems(**env: Any) -> list[str]:
    with pytest.raises(ValidationError) as error:
        config(**env)
    return format_errors(error.value)


def test_the_defaults() -> None:
    settings = config()
    assert parse_business_hours(settings.BUSINESS_HOURS) == (dt.time(9), dt.time(17))
    assert (settings.REMINDER_SWEEP_MINUTES, settings.STALLED_DAYS) == (5, 7)
    assert settings.OFFER_FINANCE_APPROVERS == []
    assert settings.APPROVAL_LINK_HOURS == 72


@pytest.mark.parametrize(
    ("value", "message"),
    [("9-5", "must look like 09:00-17:00"), ("17:00-09:00", "must start before it ends"),
     ("09:00", "must look like")],
)  # fmt: skip
def test_bad_business_hours_are_refused(value: str, message: str) -> None:
    [line] = problems(BUSINESS_HOURS=value)
    assert line.startswith(f"BUSINESS_HOURS={value}: ") and message in line


@pytest.mark.parametrize(
    ("name", "value"),
    [("REMINDER_SWEEP_MINUTES", 0), ("REMINDER_SWEEP_MINUTES", 61), ("STALLED_DAYS", 0),
     ("APPROVAL_LINK_HOURS", 0)],
)  # fmt: skip
def test_out_of_range_numbers_are_refused(name: str, value: int) -> None:
    [line] = problems(**{name: value})
    assert line.startswith(f"{name}={value}: ")


def test_approver_lists_are_comma_separated_usernames() -> None:
    settings = config(OFFER_FINANCE_APPROVERS="fiona, frank,", OFFER_EXCEPTION_APPROVERS="cfo")
    assert settings.OFFER_FINANCE_APPROVERS == ["fiona", "frank"]
    assert settings.OFFER_EXCEPTION_APPROVERS == ["cfo"]


def test_the_beat_schedule_runs_the_sweep_every_interval() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]
    assert entry["task"] == "hiring.notifications.tasks.reminders_sweep"
    assert entry["schedule"] == settings.REMINDER_SWEEP_MINUTES * 60
