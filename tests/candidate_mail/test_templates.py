"""The template pages: admins edit the texts, with their placeholders checked when saved and
a preview with sample data; recruiters, managers and interviewers cannot reach them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hiring.candidate_mail.models import EmailTemplate
from hiring.candidate_mail.rules import DEFAULTS, SAMPLE, MailKind
from hiring.models import AuditEntry

pytestmark = pytest.mark.django_db
LIST = "/candidate-emails/templates/"


def _edit_url(kind: str) -> str:
    return f"{LIST}{EmailTemplate.objects.get(kind=kind).pk}/"


def _form(template: EmailTemplate, **changes: Any) -> dict[str, Any]:
    data = {"name": template.name, "subject": template.subject, "body": template.body,
            "enabled": "on", "version": template.version}  # fmt: skip
    data.update(changes)
    return data


def test_the_defaults_ship_one_per_kind_and_the_admin_sees_them(client_as: Any) -> None:
    page = client_as("admin").get(LIST)
    assert page.status_code == 200
    for name, _subject, _body in DEFAULTS.values():
        assert name in page.content.decode()
    assert set(EmailTemplate.objects.values_list("kind", flat=True)) == set(MailKind.values)


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "none"])
def test_only_admins_reach_the_template_pages(role: str, client_as: Any) -> None:
    client = client_as(role)
    assert client.get(LIST).status_code == 403
    assert client.get(_edit_url(MailKind.RECEIVED)).status_code == 403
    assert client.post(f"{LIST}new/", {"name": "x"}).status_code == 403


def test_a_recruiter_who_is_also_an_admin_edits_them(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user("Recruiter", "Admin"))
    assert client.get(LIST).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_admin_saves_an_edited_text_and_it_is_audited(client_as: Any) -> None:
    template = EmailTemplate.objects.get(kind=MailKind.RECEIVED)
    body = "Hello {candidate_first_name}, thanks for applying for {role}. {{Braces}} stay."
    response = client_as("admin").post(_edit_url(MailKind.RECEIVED), _form(template, body=body))
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.body, template.version) == (body, 2)
    assert AuditEntry.objects.filter(action="candidate_email_template.update").exists()


def test_an_unknown_placeholder_is_refused_naming_it_and_nothing_is_saved(client_as: Any) -> None:
    template = EmailTemplate.objects.get(kind=MailKind.RECEIVED)
    response = client_as("admin").post(
        _edit_url(MailKind.RECEIVED), _form(template, body="Dear {candidate_frist_name},")
    )
    assert response.status_code == 400
    assert "Unknown placeholder {candidate_frist_name}" in response.content.decode()
    template.refresh_from_db()
    assert template.body == DEFAULTS[MailKind.RECEIVED][2] and template.version == 1


def test_an_interview_placeholder_is_refused_in_a_text_about_no_interview(client_as: Any) -> None:
    template = EmailTemplate.objects.get(kind=MailKind.NOT_MOVING_FORWARD)
    response = client_as("admin").post(
        _edit_url(MailKind.NOT_MOVING_FORWARD), _form(template, subject="{interview_time}")
    )
    assert response.status_code == 400
    assert "Unknown placeholder {interview_time}" in response.content.decode()


def test_a_stale_save_is_refused_when_another_admin_saved_first(client_as: Any) -> None:
    template = EmailTemplate.objects.get(kind=MailKind.SCHEDULED)
    first, second = client_as("admin"), client_as("admin")
    assert (
        first.post(_edit_url(MailKind.SCHEDULED), _form(template, subject="One")).status_code == 302
    )
    response = second.post(_edit_url(MailKind.SCHEDULED), _form(template, subject="Two"))
    assert response.status_code == 400
    assert "Someone saved this template since you opened it" in response.content.decode()
    template.refresh_from_db()
    assert template.subject == "One"


def test_the_editor_previews_the_text_with_sample_data(client_as: Any) -> None:
    client = client_as("admin")
    page = client.get(_edit_url(MailKind.SCHEDULED)).content.decode()
    assert SAMPLE["interview_time"] in page and "{interview_time}" in page  # preview, legend
    fragment = client.post(
        f"{LIST}preview/",
        {
            "kind": "scheduled",
            "subject": "Hi {candidate_first_name}",
            "body": "At {company} {oops}",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Hi Ada" in fragment and "At Example Ltd" in fragment
    assert "Unknown placeholder {oops}" in fragment


def test_an_admin_adds_and_deletes_a_rejection_text_but_not_an_automatic_one(
    client_as: Any,
) -> None:
    client = client_as("admin")
    data = {"name": "After the interview", "subject": "Your application for {role}",
            "body": "Dear {candidate_first_name}, thank you."}  # fmt: skip
    assert client.post(f"{LIST}new/", data).status_code == 302
    added = EmailTemplate.objects.get(name="After the interview")
    assert added.kind == MailKind.NOT_MOVING_FORWARD
    assert client.post(f"{LIST}new/", data).status_code == 400  # the name is taken
    assert client.post(f"{LIST}{added.pk}/delete/").status_code == 302
    assert not EmailTemplate.objects.filter(pk=added.pk).exists()
    automatic = EmailTemplate.objects.get(kind=MailKind.RECEIVED)
    response = client.post(f"{LIST}{automatic.pk}/delete/", follow=True)
    assert "switch it off instead" in response.content.decode()
    assert EmailTemplate.objects.filter(pk=automatic.pk).exists()


def test_an_admin_switches_an_automatic_e_mail_off(client_as: Any) -> None:
    template = EmailTemplate.objects.get(kind=MailKind.CANCELLED)
    data = _form(template)
    del data["enabled"]
    assert client_as("admin").post(_edit_url(MailKind.CANCELLED), data).status_code == 302
    template.refresh_from_db()
    assert template.enabled is False
