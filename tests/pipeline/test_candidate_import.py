"""CSV import of candidates: template, preview (writes nothing), all-or-nothing confirm, once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hiring.errors import DomainError
from hiring.models import AuditEntry
from hiring.pipeline.models import Application, Candidate, CandidateImport
from hiring.pipeline.services import imports
from hiring.pipeline.services.candidates import candidate_create
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("playbook")
HEADER = "name,email,phone,location,source,portfolio_url,github_url,tags\n"
GOOD = (
    HEADER
    + 'Ada Lovelace,ada@example.org,,London,referral,https://ada.example.org,,"mlops, eval"\n'
    + "Alan Turing,alan@example.org,,,sourced,,https://github.com/alan,\n"
    + "Grace Hopper,grace@example.org,,,Agency,,,compilers\n"
    + "Katherine Johnson,kj@example.org,,,,,,\n"
)


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(UserFactory(roles=["Recruiter"]))
    return client


def upload(client: Client, text: str | bytes, name: str = "people.csv") -> Any:
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/candidates/import/",
        {"step": "preview", "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def confirm(client: Client, **fields: Any) -> Any:
    return client.post("/candidates/import/", {"step": "confirm", **fields})


def test_template_has_the_expected_header(client: Client) -> None:
    response = client.get("/candidates/import/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "name", "email", "phone", "location", "source", "portfolio_url", "github_url", "tags",
    ]  # fmt: skip
    assert imports.import_rows(response.content.decode()).creates == 1


def test_preview_marks_each_row_and_writes_nothing(client: Client) -> None:
    existing = candidate_create(fields={"name": "Old Ada", "email": "old@example.org"}, tags=[],
                                actor=None)  # fmt: skip
    text = (
        HEADER
        + "Fine Person,fine@example.org,,,,,,\n"  # line 2
        + "Ada Again,OLD@example.org,,,,,,\n"  # line 3: e-mail already present
        + "Fine Twin,fine@example.org,,,,,,\n"  # line 4: repeated in the file
        + ",noname@example.org,,,,,,\n"  # line 5: missing name
        + "Bad Mail,not-an-email,,,,,,\n"  # line 6
        + "Odd Source,odd@example.org,,,linkedin-scrape,,,\n"  # line 7
        + "Bad Url,url@example.org,,,,javascript:alert(1),,\n"  # line 8
        + f"{'L' * 201},long@example.org,,,,,,\n"  # line 9: name too long
    )
    response = upload(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 will be created" in page
    assert "2 duplicates" in page
    assert "5 errors, skipped" in page
    assert "E-mail already belongs to Old Ada." in page
    assert "Same e-mail as line 2 of this file." in page
    assert "Missing name." in page
    assert "Invalid e-mail “not-an-email”." in page
    assert "Unknown source “linkedin-scrape”" in page
    assert "Portfolio URL is not a web address" in page
    assert "Name too long (201 characters, max 200)." in page
    assert list(Candidate.objects.all()) == [existing]
    assert "Nothing has been written yet." in page


def test_confirm_writes_valid_rows_and_skips_duplicates_by_default(client: Client) -> None:
    candidate_create(fields={"name": "Old Ada", "email": "ada@example.org"}, tags=[], actor=None)
    upload(client, GOOD + "Broken,nope,,,,,,\n")
    response = confirm(client)
    page = response.content.decode()
    assert "Imported 3 candidates" in page
    assert "Duplicate not imported." in page and "Invalid e-mail" in page
    assert Candidate.objects.count() == 4
    ada = Candidate.objects.get(email="ada@example.org")
    assert ada.name == "Old Ada"  # never overwritten
    grace = Candidate.objects.get(email="grace@example.org")
    assert grace.source == "agency"
    assert list(grace.tags.values_list("name", flat=True)) == ["compilers"]


def test_confirm_with_the_checkbox_imports_duplicates_flagged(client: Client) -> None:
    old = candidate_create(fields={"name": "Old Ada", "email": "ada@example.org"}, tags=[],
                           actor=None)  # fmt: skip
    upload(client, GOOD + "Alan Twin,alan@example.org,,,,,,\n")
    confirm(client, include_duplicates="on")
    new_ada = Candidate.objects.get(name="Ada Lovelace")
    assert new_ada.duplicate_of == old
    old.refresh_from_db()
    assert old.name == "Old Ada"
    twin = Candidate.objects.get(name="Alan Twin")
    assert twin.duplicate_of == Candidate.objects.get(name="Alan Turing")


def test_failure_mid_write_writes_no_row_at_all(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = imports.candidate_create
    calls = {"n": 0}

    def fail_on_third(**kwargs: Any) -> Candidate:
        calls["n"] += 1
        if calls["n"] == 3:
            raise DomainError("The database said no.")
        return real(**kwargs)

    monkeypatch.setattr(imports, "candidate_create", fail_on_third)
    upload(client, GOOD)
    response = confirm(client)
    page = response.content.decode()
    assert calls["n"] == 3
    assert "Line 4: The database said no. Nothing was imported." in page
    assert not Candidate.objects.exists()
    # The preview is still there: fix the cause and confirm again.
    monkeypatch.setattr(imports, "candidate_create", real)
    assert "Imported 4 candidates" in confirm(client).content.decode()


def test_confirm_adds_everyone_to_the_chosen_requisition(client: Client) -> None:
    requisition = factories.requisition()
    upload(client, GOOD)
    page = confirm(client, requisition=requisition.pk).content.decode()
    assert f"all added to {requisition.title}" in page
    assert Application.objects.filter(requisition=requisition).count() == 4


def test_confirm_checks_again_against_the_database(client: Client) -> None:
    upload(client, GOOD)
    # Someone adds Ada by hand between the preview and the confirm.
    candidate_create(fields={"name": "By hand", "email": "ada@example.org"}, tags=[], actor=None)
    confirm(client)
    assert Candidate.objects.filter(email="ada@example.org").count() == 1


def test_confirm_without_a_preview_writes_nothing(client: Client) -> None:
    response = confirm(client, include_duplicates="on")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nothing to import: upload the file again." in page
    assert not Candidate.objects.exists()


def test_confirm_uses_the_stored_file_not_anything_posted(client: Client) -> None:
    upload(client, GOOD)
    confirm(client, name="Injected", email="evil@example.org")
    assert not Candidate.objects.filter(email="evil@example.org").exists()
    assert Candidate.objects.count() == 4
    # The preview is used once.
    confirm(client)
    assert Candidate.objects.count() == 4


def test_a_repeated_confirm_shows_the_same_result_and_writes_nothing(client: Client) -> None:
    requisition = factories.requisition()
    upload(client, GOOD + "Broken,nope,,,,,,\n")
    first = confirm(client, requisition=requisition.pk).content.decode()
    again = confirm(client, include_duplicates="on").content.decode()  # a double click
    assert "Imported 4 candidates" in again and f"all added to {requisition.title}" in again
    assert "Invalid e-mail" in again  # the skipped row, as the first page showed it
    assert "This file was imported already: nothing was written again." in again
    assert "already" not in first
    assert Candidate.objects.count() == 4
    assert AuditEntry.objects.filter(action="candidate.create").count() == 4


def test_the_file_text_is_not_kept_once_imported(client: Client) -> None:
    upload(client, GOOD)
    assert "ada@example.org" in CandidateImport.objects.get().text
    confirm(client)
    assert CandidateImport.objects.get().text == ""


def test_previews_a_day_old_are_deleted_at_the_next_preview(client: Client) -> None:
    someone = UserFactory(roles=["Recruiter"])
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25)):
        old = SimpleUploadedFile("old.csv", GOOD.encode(), content_type="text/csv")
        imports.import_preview(upload=old, actor=someone)
    upload(client, HEADER + "Zoë Ünal,zoe@example.org,,,,,,\n")
    assert [row.file_name for row in CandidateImport.objects.all()] == ["people.csv"]
    confirm(client)
    assert list(Candidate.objects.values_list("name", flat=True)) == ["Zoë Ünal"]


def test_a_preview_is_confirmed_only_by_the_one_who_uploaded_it(client: Client) -> None:
    upload(client, GOOD)
    token = client.session["candidate_import"]["token"]
    with pytest.raises(DomainError, match="Nothing to import"):
        imports.candidates_import(token=token, actor=UserFactory(roles=["Recruiter"]))
    assert not Candidate.objects.exists()


def test_utf8_with_byte_order_mark_is_accepted(client: Client) -> None:
    page = upload(client, ("\ufeff" + HEADER + "Zoë Ünal,zoe@example.org,,,,,,\n").encode()).content
    assert "1 will be created" in page.decode()
    confirm(client)
    assert Candidate.objects.get().name == "Zoë Ünal"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((HEADER + "Zoë,zoe@example.org,,,,,,\n").encode("latin-1"), "The file is not UTF-8"),
        (b"name;email\nA;a@b.org\n", "does not match the template"),
        (b"", "file is empty"),
        (HEADER.encode(), "no candidates"),
        (b"MZ\x90\x00\x00\x00binary", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    client: Client, content: bytes, message: str
) -> None:
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "candidate_import" not in client.session


def test_file_over_two_megabytes_is_refused(client: Client) -> None:
    row = "Person,p@example.org,,,,,,\n"
    big = HEADER + row * (2 * 1024 * 1024 // len(row) + 10)
    page = upload(client, big).content.decode()
    assert "the limit is 2 MB" in page


def test_more_than_five_thousand_rows_is_refused(client: Client) -> None:
    rows = "".join(f"P{i},p{i}@example.org,,,,,,\n" for i in range(5001))
    page = upload(client, HEADER + rows).content.decode()
    assert "The file has 5,001 rows; the limit is 5,000 per import." in page


@pytest.mark.parametrize("role", ["Interviewer", "Hiring manager"])
def test_import_confirm_needs_pipeline_edit(role: str) -> None:
    client = Client()
    client.force_login(UserFactory(roles=[role]))
    assert client.post("/candidates/import/", {"step": "confirm"}).status_code == 403
    assert not Candidate.objects.exists()
