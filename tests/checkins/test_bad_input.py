"""Bad input to the check-in form: each is refused in the page with the message beside the
field, never a 500, and writes nothing (the check-in stays due, no audit entry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hiring.checkins.models import CheckIn
from hiring.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
GOOD = {"still_in_role": "yes", "performance": "3", "would_hire_again": "yes", "comment": ""}


@pytest.fixture
def checkin(db: None) -> CheckIn:
    application = factories.application()
    return CheckIn.objects.create(
        application=application, horizon="90d", start_date=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 4, 5),
    )  # fmt: skip


def post(checkin: CheckIn, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(checkin.application.requisition.hiring_manager)
    return client.post(f"/checkins/{checkin.pk}/", body)


ROWS = [
    ("nothing answered", {}, "Say whether they are still in the role."),
    ("still in role not yes or no", {**GOOD, "still_in_role": "maybe"}, "Select a valid choice"),
    ("no level while in the role", {**GOOD, "performance": ""}, "Choose one of the four levels."),
    ("level out of range", {**GOOD, "performance": "5"}, "Select a valid choice"),
    ("level zero", {**GOOD, "performance": "0"}, "Select a valid choice"),
    ("level not a number", {**GOOD, "performance": "good"}, "Select a valid choice"),
    ("level unicode digit", {**GOOD, "performance": "³"}, "Select a valid choice"),
    ("level markup", {**GOOD, "performance": "<script>3</script>"}, "Select a valid choice"),
    ("would hire again missing", {**GOOD, "would_hire_again": ""}, "would hire them again"),
    ("would hire again not yes or no", {**GOOD, "would_hire_again": "1"}, "Select a valid"),
    ("left without a reason", {"still_in_role": "no"}, "Say why they left."),
    ("left with an unknown reason", {"still_in_role": "no", "left_reason": "bored"},
     "Select a valid choice"),
    ("comment too long", {**GOOD, "comment": "w" * 2001}, "at most 2000"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "error"), ROWS, ids=[r[0] for r in ROWS])
def test_a_bad_check_in_is_refused_in_the_page(
    checkin: CheckIn, name: str, body: dict[str, Any], error: str
) -> None:
    response = post(checkin, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "<script>3" not in html
    checkin.refresh_from_db()
    assert checkin.status == "due" and checkin.filled_at is None
    assert not AuditEntry.objects.filter(action="checkin.record").exists()


def test_control_the_good_answer_is_accepted(checkin: CheckIn) -> None:
    assert post(checkin, GOOD).status_code == 302
    checkin.refresh_from_db()
    assert checkin.status == "done"


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1"])
def test_a_check_in_that_does_not_exist_is_a_404(checkin: CheckIn, pk: str) -> None:
    client = Client()
    client.force_login(checkin.application.requisition.hiring_manager)
    assert client.get(f"/checkins/{pk}/").status_code == 404
