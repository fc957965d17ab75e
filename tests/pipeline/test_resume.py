"""Resume upload through the add-candidate page, and who may download or preview it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hiring.pipeline.models import Application, Candidate
from hiring.pipeline.services.candidates import candidate_create
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("playbook")

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Resume</w:document>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def recruiter() -> Client:
    client = Client()
    client.force_login(UserFactory(roles=["Recruiter"]))
    return client


def add(client: Client, name: str, content: bytes, **fields: Any) -> Any:
    data = {"name": "Rae Resume", "email": "rae@example.org", "source": "inbound", **fields}
    data["resume"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post("/candidates/new/", data)


def test_renamed_executable_is_refused_on_the_page_and_nothing_stored(media_root: Path) -> None:
    response = add(recruiter(), "resume.pdf", EXECUTABLE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not a PDF, DOCX or plain-text file (checked by its content)." in page
    assert not Candidate.objects.exists()
    assert stored_files(media_root) == []


def test_eleven_megabyte_resume_is_refused_with_the_limit_message(media_root: Path) -> None:
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    response = add(recruiter(), "big.pdf", big)
    assert response.status_code == 200  # not a 400 or 413 error page
    assert "The limit is 10 MB." in response.content.decode()
    assert not Candidate.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("cv.pdf", TINY_PDF, "application/pdf"),
        (
            "cv.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("cv.txt", b"Shipped a fraud model; ran it for two years.\n", "text/plain"),
    ],
)
def test_pdf_docx_and_text_resumes_are_accepted(
    media_root: Path, name: str, content: bytes, content_type: str
) -> None:
    response = add(recruiter(), name, content)
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert (candidate.resume_name, candidate.resume_content_type) == (name, content_type)
    files = stored_files(media_root)
    assert len(files) == 1 and files[0].read_bytes() == content
    assert name not in files[0].name  # stored under a random name


def test_refused_requisition_deletes_the_stored_resume(
    media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hiring.errors import DomainError

    requisition = factories.requisition()

    def refuse(**kwargs: Any) -> None:
        raise DomainError("No.", fields={"requisition": ["Not today."]})

    monkeypatch.setattr("hiring.pipeline.services.applications.application_create", refuse)
    response = add(recruiter(), "cv.pdf", TINY_PDF, requisition=requisition.pk)
    assert "Not today." in response.content.decode()
    assert not Candidate.objects.exists()
    assert stored_files(media_root) == []


def test_form_tells_the_size_limit_and_uploads_as_multipart() -> None:
    page = recruiter().get("/candidates/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "at most 10 MB" in page


# Download and preview -----------------------------------------------------------------------


@pytest.fixture
def with_pdf() -> Application:
    candidate = candidate_create(
        fields={"name": "Pat Pdf", "email": "pat@example.org"},
        tags=[],
        actor=None,
        resume=SimpleUploadedFile("Pat CV.pdf", TINY_PDF),
    )
    return factories.application(candidate=candidate)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_download_is_an_attachment_with_the_original_name(with_pdf: Application) -> None:
    response = recruiter().get(f"/candidates/{with_pdf.candidate.pk}/resume/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Pat CV.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == TINY_PDF


def test_preview_is_inline_and_may_be_framed_by_the_app_only(with_pdf: Application) -> None:
    response = recruiter().get(f"/candidates/{with_pdf.candidate.pk}/resume/preview/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_page_embeds_the_pdf_preview(with_pdf: Application) -> None:
    page = recruiter().get(f"/candidates/{with_pdf.candidate.pk}/").content.decode()
    assert (
        f'<iframe class="resume-preview" src="/candidates/{with_pdf.candidate.pk}/resume/preview/"'
        in page
    )


def test_docx_has_no_preview_but_downloads() -> None:
    candidate = candidate_create(
        fields={"name": "Dee", "email": "dee@example.org"},
        tags=[],
        actor=None,
        resume=SimpleUploadedFile("cv.docx", docx_bytes()),
    )
    client = recruiter()
    assert client.get(f"/candidates/{candidate.pk}/resume/preview/").status_code == 404
    assert client.get(f"/candidates/{candidate.pk}/resume/").status_code == 200
    page = client.get(f"/candidates/{candidate.pk}/").content.decode()
    assert "<iframe" not in page and "preview is for PDF resumes" in page


def test_candidate_without_resume_has_no_file() -> None:
    candidate = factories.CandidateFactory()
    assert recruiter().get(f"/candidates/{candidate.pk}/resume/").status_code == 404


def test_interviewer_who_does_not_interview_the_candidate_gets_404(with_pdf: Application) -> None:
    client = logged_in(UserFactory(roles=["Interviewer"]))
    base = f"/candidates/{with_pdf.candidate.pk}/resume"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/preview/").status_code == 404


def test_interviewer_of_the_candidate_can_download_and_preview(with_pdf: Application) -> None:
    interviewer = UserFactory(roles=["Interviewer"])
    factories.interview(application_obj=with_pdf, interviewers=[interviewer])
    client = logged_in(interviewer)
    base = f"/candidates/{with_pdf.candidate.pk}/resume"
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/preview/").status_code == 200


def test_hiring_manager_sees_own_requisitions_resumes_only(with_pdf: Application) -> None:
    url = f"/candidates/{with_pdf.candidate.pk}/resume/"
    assert logged_in(with_pdf.requisition.hiring_manager).get(url).status_code == 200
    other = UserFactory(roles=["Hiring manager"])
    assert logged_in(other).get(url).status_code == 404


def test_anonymous_resume_request_goes_to_login(with_pdf: Application) -> None:
    response = Client().get(f"/candidates/{with_pdf.candidate.pk}/resume/preview/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
