"""Quality of hire and predictive validity on a hand-built history of check-ins."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from assessments.models import Decision
from hiring.checkins.models import CheckIn
from hiring.permissions import HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring.reports.statistics import correlation
from tests import factories

pytestmark = pytest.mark.usefixtures("playbook")
START = dt.date(2025, 1, 6)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hire_with(requisition: Any, *, mean: float | None, horizon: str = "90d", **answer: Any) -> Any:
    """A hire on `requisition`: the decision's snapshot (its mean rating) and one check-in."""
    application = factories.application(requisition_obj=requisition)
    Decision.objects.create(
        application=application,
        outcome="advance",
        decided_by=requisition.hiring_manager,
        decided_at=dt.datetime(2024, 12, 2, tzinfo=dt.UTC),
        explanation={"signal": "yes", "mean": mean, "questions": [], "flags": [],
                     "recommendations": []},
    )  # fmt: skip
    status = answer.pop("status", "done")
    return CheckIn.objects.create(
        application=application, horizon=horizon, start_date=START,
        due_on=START + dt.timedelta(days=90), status=status, **answer,
    )  # fmt: skip


def in_role(performance: int) -> dict[str, Any]:
    return {"still_in_role": True, "performance": performance, "would_hire_again": performance > 2}


def plain(html: str) -> str:
    """The page without the cells' data-label attributes (a phone's card labels)."""
    return re.sub(r' data-label="[^"]*"', "", html)


def cells(html: str, label: str) -> str:
    """The text of the table row whose header is `label`."""
    html = plain(html)
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_the_share_meeting_expectations_per_check_in_beside_the_source_figure() -> None:
    requisition = factories.requisition()
    for level in [3, 3, 4, 3, 4, 3, 3, 1, 2, 2]:  # 7 meeting, 3 below
        hire_with(requisition, mean=2.5, **in_role(level))
    hire_with(requisition, mean=2.5, still_in_role=False, left_reason="compensation")
    hire_with(requisition, mean=2.5, status="closed")  # had left before it was due
    for level in [4, 3, 1]:
        hire_with(requisition, mean=2.5, horizon="6m", **in_role(level))
    CheckIn.objects.create(  # still due: not counted
        application=factories.application(requisition_obj=requisition), horizon="90d",
        start_date=START, due_on=START,
    )  # fmt: skip
    html = logged_in(requisition.recruiter).get("/reports/quality-of-hire/").content.decode()
    # 12 answered; 7 meeting: 58 %; 5 below or left: 42 %; 2 left; 5 of 12 would hire again.
    ninety = cells(html, "90 days")
    for figure in ["<td>12</td>", "<td>7</td>", "<td>58%</td>", "<td>42%</td>", "<td>2</td>",
                   "<td>42%</td>"]:  # fmt: skip
        assert figure in ninety, ninety
    assert "not enough check-ins yet (n = 3)" in cells(html, "6 months")
    assert "67% of enterprise AI hires underperform within 18 months" in html
    assert "Source (002), 18 months" in html  # the chart's reference bar


def test_predictive_validity_correlates_the_snapshot_with_the_outcome() -> None:
    requisition = factories.requisition()
    means = [1.0, 1.5, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 4.0]
    levels = [1, 1, 2, 2, 3, 2, 3, 3, 4, 4]
    for mean, level in zip(means, levels, strict=True):
        hire_with(requisition, mean=mean, **in_role(level))
    # Left for their performance: counts as 1. Left for another reason: no outcome.
    hire_with(requisition, mean=1.25, still_in_role=False, left_reason="performance")
    hire_with(requisition, mean=3.75, still_in_role=False, left_reason="personal")
    expected = correlation([*means, 1.25], [*levels, 1])
    assert expected.n == 11 and expected.rho is not None and expected.low is not None
    html = logged_in(requisition.recruiter).get("/reports/predictive-validity/").content.decode()
    assert (
        f"<td>Mean rating</td><td>11</td><td>{expected.rho:+.2f}</td>"
        f"<td>{expected.low:+.2f} to {expected.high:+.2f}</td>"
    ) in plain(html).replace("\n", "")
    assert expected.rho > 0.8  # the history was built so that the ratings predict


def test_below_ten_hires_the_page_says_so_instead_of_a_number() -> None:
    requisition = factories.requisition()
    for mean, level in [(1.0, 1), (2.0, 2), (3.0, 3), (4.0, 4)]:
        hire_with(requisition, mean=mean, **in_role(level))
    html = logged_in(requisition.recruiter).get("/reports/predictive-validity/").content.decode()
    assert "not enough data (n = 4, needs 10)" in html
    assert "+1.00" not in html


def test_a_hiring_manager_sees_their_own_hires_and_an_interviewer_no_report() -> None:
    manager = factories.UserFactory(roles=[HIRING_MANAGER, INTERVIEWER])
    theirs = factories.requisition(hiring_manager=manager)
    others = factories.requisition()
    for _ in range(10):
        hire_with(theirs, mean=3.0, **in_role(4))
        hire_with(others, mean=3.0, **in_role(1))
    mine = logged_in(manager).get("/reports/quality-of-hire/").content.decode()
    assert "<td>10</td>" in cells(mine, "90 days") and "<td>100%</td>" in cells(mine, "90 days")
    everyone = logged_in(factories.UserFactory(roles=[RECRUITER]))
    assert "<td>20</td>" in cells(everyone.get("/reports/quality-of-hire/").content.decode(),
                                  "90 days")  # fmt: skip
    interviewer = logged_in(factories.UserFactory(roles=[INTERVIEWER]))
    assert interviewer.get("/reports/quality-of-hire/").status_code == 403
    assert interviewer.get("/reports/predictive-validity/").status_code == 403


def test_both_reports_take_the_same_queries_for_few_or_many_hires(
    django_assert_max_num_queries: Any,
) -> None:
    requisition = factories.requisition()
    client = logged_in(requisition.recruiter)
    counts = []
    for hires in (2, 12):
        for n in range(hires):
            hire_with(requisition, mean=1 + n % 4, **in_role(1 + n % 4))
        for name in ("quality-of-hire", "predictive-validity"):
            with django_assert_max_num_queries(25) as captured:
                assert client.get(f"/reports/{name}/").status_code == 200
            counts.append((name, len(captured)))
    assert counts[:2] == counts[2:]
