"""JSON Resume files: what lands in which candidate field, several files at once, and the
duplicate check the CSV import does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hiring.permissions import RECRUITER
from hiring.pipeline.models import Application, Candidate
from hiring.transfer.models import ImportJob
from tests import factories
from tests.panels import eager_celery
from tests.transfer.support import json_file, resume

pytestmark = pytest.mark.usefixtures("playbook")


@pytest.fixture
def client(db: None) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(roles=[RECRUITER]))
    return client


def run(client: Client, capture: Any, *files: Any, **data: Any) -> ImportJob:
    with eager_celery(), capture(execute=True):
        response = client.post(reverse("transfer:imports"), {"file": list(files), **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_a_json_resume_fills_the_candidate_and_keeps_the_rest_as_text(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(client, django_capture_on_commit_callbacks, json_file(resume(), "grace.json"))
    assert (job.format, job.written, job.refused) == ("jsonresume", 1, 0)
    grace = Candidate.objects.get()
    assert (grace.name, grace.email, grace.phone) == ("Grace Hopper", "grace@example.org",
                                                      "+1 212 555 0100")  # fmt: skip
    assert grace.location == "New York, NY, US"
    assert grace.portfolio_url == "https://grace.example.org"
    assert grace.github_url == "https://github.com/ghopper"
    assert sorted(grace.tags.values_list("name", flat=True)) == ["cobol", "compilers"]
    assert grace.degrees == "PhD in Mathematics (1930 – 1934)"
    assert grace.schools == "Yale University"
    assert grace.certifications == "Naval Reserve (US Navy)"
    assert grace.case_study_urls == ["https://flow-matic.example.org"]
    shipped = grace.shipped_systems
    assert shipped.startswith("Compiler engineer · Ships compilers people use.")
    assert "Senior mathematician, Remington Rand (1949-01-01 – 1967-01-01)" in shipped
    assert "- Wrote the A-0 compiler" in shipped and "Project: FLOW-MATIC" in shipped
    assert "LinkedIn: https://linkedin.example.com/in/grace" in shipped
    assert "More skills: A skill name far longer than forty characters in all" in shipped
    page = client.get(reverse("candidate:detail", args=[grace.pk])).content.decode()
    assert "Wrote the A-0 compiler" in page  # kept where the candidate page shows it


def test_several_resume_files_go_to_a_requisition_with_the_import_s_duplicate_check(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    factories.CandidateFactory(name="Known Linus", email="linus@example.org")
    requisition = factories.requisition()
    files = [
        json_file(resume(), "grace.json"),
        json_file(
            [
                resume(name="Alan Turing", email="alan@example.org"),
                resume(name="Linus T", email="LINUS@example.org"),
            ],
            "more.json",
        ),  # fmt: skip
        json_file(resume(name="No Mail", email=""), "nomail.json"),
    ]
    job = run(client, django_capture_on_commit_callbacks, *files, requisition=requisition.pk)
    assert (job.total, job.written, job.refused) == (4, 2, 2)
    assert Application.objects.filter(requisition=requisition).count() == 2
    refused = {line.where: line.reasons for line in job.lines.filter(outcome="refused")}
    assert refused == {
        "more.json item 2": "E-mail already belongs to Known Linus.",
        "nomail.json": "Missing e-mail.",
    }
