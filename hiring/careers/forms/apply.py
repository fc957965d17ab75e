"""The apply form: contact details, production evidence first (links, shipped systems, the
posting's questions), credentials after and optional, consent with its retention period;
the honeypot and the form's time stamp ride along (services.applying checks them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict

from hiring.careers.models import Posting
from hiring.careers.rules import MAX_ANSWER_CHARS
from hiring.careers.services.applying import Applicant, Sent, consent_text, form_token
from hiring.errors import DomainError
from hiring.forms import add_domain_error
from hiring.pipeline.services.candidates import resume_content_type

# The honeypot: a field people never see (off-screen, skipped by Tab), that bots fill in.
HONEYPOT = "website"
TOKEN = "form_token"  # noqa: S105 - a field name, not a secret


def _text(label: str, *, rows: int = 4, help_text: str = "", limit: int = 4000) -> forms.Field:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ApplyForm(forms.Form):
    name = forms.CharField(max_length=200, label="Full name", widget=forms.TextInput(
        attrs={"autocomplete": "name"}))  # fmt: skip
    email = forms.EmailField(max_length=254, label="E-mail", widget=forms.EmailInput(
        attrs={"autocomplete": "email"}))  # fmt: skip
    phone = forms.CharField(max_length=40, required=False, label="Phone (optional)",
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "type": "tel"}))  # fmt: skip
    location = forms.CharField(
        max_length=120,
        label="Where you are based",
        help_text="City and country, e.g. Lisbon, Portugal.",
    )
    portfolio_url = forms.URLField(
        required=False, max_length=200, assume_scheme="https", label="Portfolio link (optional)"
    )
    github_url = forms.URLField(
        required=False, max_length=200, assume_scheme="https", label="GitHub link (optional)"
    )
    shipped_systems = _text(
        "Systems you have shipped",
        help_text="What you built and ran in production: its scale, what went wrong and what "
        "you did about it.",
    )
    resume = forms.FileField(
        required=False,
        label="Resume (optional)",
        help_text="PDF, Word (.docx) or plain text, at most 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.txt,application/pdf,text/plain"}),
    )

    def __init__(self, *args: Any, posting: Posting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.questions = list(posting.questions)
        for number, question in enumerate(self.questions):
            self.fields[f"answer_{number}"] = _text(question, limit=MAX_ANSWER_CHARS)
        self.fields["degrees"] = _text("Degrees (optional)", rows=2, limit=2000)
        self.fields["schools"] = _text("Schools (optional)", rows=2, limit=2000)
        self.fields["certifications"] = _text("Certifications (optional)", rows=2, limit=2000)
        self.fields["consent"] = forms.BooleanField(
            label=consent_text(),
            error_messages={"required": "We can only consider your application with your "
                            "consent to keep it."},
        )  # fmt: skip
        self.fields[HONEYPOT] = forms.CharField(
            required=False,
            max_length=200,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[TOKEN] = forms.CharField(
            required=False, max_length=500, widget=forms.HiddenInput()
        )
        if not self.is_bound:
            self.initial[TOKEN] = form_token(posting.pk)

    def clean_resume(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("resume")
        if upload is None:
            return None
        try:
            resume_content_type(upload)  # the pipeline's content checks, as for any resume
        except DomainError as error:
            raise forms.ValidationError(error.fields.get("resume") or [error.message]) from None
        return upload

    def evidence_fields(self) -> list[forms.BoundField]:
        """The answers to the posting's questions, in order (the template groups them)."""
        return [self[f"answer_{n}"] for n in range(len(self.questions))]

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        answers = [
            {"question": question, "answer": data[f"answer_{n}"].strip()}
            for n, question in enumerate(self.questions)
        ]
        return Applicant(
            name=data["name"].strip(),
            email=data["email"],
            location=data["location"].strip(),
            phone=data["phone"].strip(),
            portfolio_url=data["portfolio_url"],
            github_url=data["github_url"],
            shipped_systems=data["shipped_systems"].strip(),
            degrees=data["degrees"].strip(),
            schools=data["schools"].strip(),
            certifications=data["certifications"].strip(),
            answers=answers,
            resume=data.get("resume"),
            consent=data["consent"],
        )

    def sent(self, *, address: str) -> Sent:
        """Who sent it, the e-mail as typed (valid or not), the honeypot and the time stamp."""
        return Sent(
            address=address,
            email=str(self.data.get("email", ""))[:254],
            honeypot=str(self.data.get(HONEYPOT, "")),
            token=str(self.data.get(TOKEN, "")),
        )

    def refused(self, error: DomainError) -> None:
        """The refusal above the form, and a new time stamp for sending it again."""
        add_domain_error(self, error)
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[TOKEN] = form_token(self.posting.pk)
        data[HONEYPOT] = ""
        self.data = data
