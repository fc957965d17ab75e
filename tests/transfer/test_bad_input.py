"""Bad uploads to the import and bad choices on the export: each refused in the page with a
clear message (400), never a 500, and nothing written (no job, no row, no candidate)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hiring.models import AuditEntry
from hiring.permissions import RECRUITER
from hiring.pipeline.models import Candidate
from hiring.transfer.models import ImportJob, ImportLine
from hiring.transfer.services import imports
from tests import factories
from tests.bad_input import HUGE_ID, SCRIPT
from tests.transfer.support import HEADER, csv_rows, resume

pytestmark = pytest.mark.usefixtures("playbook")


def file(name: str, content: bytes | str, kind: str = "application/json") -> Any:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=kind)


def resume_with(**sections: Any) -> str:
    return json.dumps({**resume(), **sections})


ROWS: list[tuple[str, Any, dict[str, Any], str]] = [
    ("no file", [], {}, "Choose a file to import."),
    ("an empty file", [file("a.csv", b"")], {}, "The submitted file is empty."),
    ("only blanks", [file("a.csv", b"  \n \n")], {}, "a.csv is empty."),
    ("not UTF-8", [file("a.csv", "name,email\nJosé,j@x.org\n".encode("latin-1"))], {},
     "a.csv is not UTF-8 text."),
    ("binary", [file("a.json", b"\x89PNG\r\n\x1a\n\x00\x00")], {}, "not a CSV or JSON file"),
    ("not JSON", [file("a.json", '{"basics": {"name": "x",}}')], {}, "a.json is not valid JSON"),
    ("JSON, not a resume", [file("a.json", '{"person": {"name": "Ada"}}')], {},
     "neither a JSON Resume"),
    ("a list of numbers", [file("a.json", "[1, 2, 3]")], {}, "neither a JSON Resume"),
    ("an empty list", [file("a.json", "[]")], {}, "an empty list"),
    ("unknown JSON fields", [file("a.json", '[{"name": "A", "mail": "a@x.org"}]')], {},
     "Item 1 has unknown fields (mail)"),
    ("a JSON value not text", [file("a.json", '[{"name": {"first": "A"}, "email": "a@x.org"}]')],
     {}, "Item 1: “name” should be text."),
    ("basics not an object", [file("r.json", json.dumps({"basics": "Grace"}))], {},
     "r.json: “basics” should be an object."),
    ("work not a list", [file("r.json", resume_with(work={"name": "X"}))], {},
     "r.json: “work” should be a list of objects."),
    ("a resume list with a stranger", [file("r.json", json.dumps([resume(), {"a": 1}]))], {},
     "r.json is not a JSON Resume"),
    ("a CSV with another header", [file("a.csv", "nom,courriel\nA,a@x.org\n", "text/csv")], {},
     "The header row does not match the template"),
    ("a CSV with a header only", [file("a.csv", HEADER, "text/csv")], {},
     "The file has a header but no candidates."),
    ("CSV and JSON together", [file("a.csv", HEADER + csv_rows(1), "text/csv"),
                               file("r.json", json.dumps(resume()))], {},
     "Several files must all be JSON Resume files."),
    ("a requisition that is not there", [file("r.json", json.dumps(resume()))],
     {"requisition": "999999"}, "Select a valid choice"),
    ("a requisition id too large", [file("r.json", json.dumps(resume()))],
     {"requisition": HUGE_ID}, "Select a valid choice"),
    ("a requisition as markup", [file("r.json", json.dumps(resume()))],
     {"requisition": SCRIPT}, "Select a valid choice"),
]  # fmt: skip


@pytest.fixture
def client(db: None) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(roles=[RECRUITER]))
    return client


def nothing_written() -> bool:
    return not (ImportJob.objects.exists() or ImportLine.objects.exists()
                or Candidate.objects.exists()
                or AuditEntry.objects.filter(action__startswith="import.").exists())  # fmt: skip


@pytest.mark.parametrize(("name", "files", "data", "error"), ROWS, ids=[r[0] for r in ROWS])
def test_a_bad_upload_is_refused_in_the_page_and_writes_nothing(
    client: Client, name: str, files: list[Any], data: dict[str, Any], error: str
) -> None:
    response = client.post(reverse("transfer:imports"), {"file": files, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert SCRIPT not in html
    assert nothing_written()


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    big = file("big.csv", HEADER + csv_rows(100), "text/csv")
    response = client.post(reverse("transfer:imports"), {"file": [big]})
    assert response.status_code == 400
    assert "big.csv is 0.0 MB; the limit is 10 MB a file" in response.content.decode()
    assert nothing_written()


def test_too_many_rows_are_refused(client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    response = client.post(
        reverse("transfer:imports"), {"file": [file("a.csv", HEADER + csv_rows(51), "text/csv")]}
    )
    assert response.status_code == 400
    assert "The file has 51 rows; the limit is 50 per import." in response.content.decode()
    assert nothing_written()


EXPORT_ROWS = [
    ("no requisition chosen", {"requisition": ""}, "Choose a requisition to export."),
    ("an unknown requisition", {"requisition": "999999"}, "Select a valid choice"),
    ("an id too large", {"requisition": HUGE_ID}, "Select a valid choice"),
    ("markup", {"requisition": SCRIPT}, "Select a valid choice"),
]


@pytest.mark.parametrize(("name", "query", "error"), EXPORT_ROWS, ids=[r[0] for r in EXPORT_ROWS])
def test_a_bad_export_choice_is_refused_in_the_page(
    client: Client, name: str, query: dict[str, str], error: str
) -> None:
    factories.requisition()
    response = client.get(reverse("transfer:export"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and SCRIPT not in html
    assert not AuditEntry.objects.filter(action="transfer.export").exists()


def test_an_export_of_a_requisition_that_is_not_there_is_404(client: Client) -> None:
    assert client.get(reverse("transfer:export-requisition", args=[999_999])).status_code == 404
    assert client.get(f"/transfer/export/{HUGE_ID}.json").status_code == 404
