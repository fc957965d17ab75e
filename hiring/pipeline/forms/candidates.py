"""Forms of the candidate page, the add-candidate form, the CSV import and the candidate
list's bulk actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet

from hiring.errors import DomainError
from hiring.forms import QuickSelect
from hiring.ids import parse_id
from hiring.pipeline.models import Application, Candidate, NoteVisibility, Requisition
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.pipeline.services.candidates import (
    CANDIDATE_FIELDS,
    TIME_ZONES,
    resume_content_type,
)

MAX_CASE_STUDIES = 20
MAX_BULK = 500
_url = URLValidator(schemes=["http", "https"])


class RequisitionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Requisition) -> str:
        return f"{obj.title} ({obj.level.name})" if obj.level_id else obj.title


def requisition_picker(
    form: forms.BaseForm, offered: list[tuple[int, str]], *, find_url: str
) -> None:
    """Draw the form's requisition select with only the `offered` choices (50 at most: a
    company has hundreds open) and a Find box beside it (`find_url` gives more options,
    htmx); the field's queryset still checks what is posted."""
    field = cast(forms.ModelChoiceField, form.fields["requisition"])
    field.widget = forms.Select(choices=[("", field.empty_label or ""), *offered])
    field.find_url = find_url  # type: ignore[attr-defined]  # read by _find_box.html


class CandidateForm(forms.ModelForm):
    """All of a candidate's fields, tags and links as text, the resume and a requisition."""

    time_zone = forms.ChoiceField(
        required=False,
        choices=[("", "The company's"), *[(zone, zone) for zone in TIME_ZONES]],
        help_text="Their e-mails and invites show times in it.",
    )

    portfolio_url = forms.URLField(
        required=False, max_length=200, assume_scheme="https", label="Portfolio"
    )
    github_url = forms.URLField(
        required=False, max_length=200, assume_scheme="https", label="GitHub"
    )
    tags = forms.CharField(
        required=False, max_length=1000, help_text="Comma separated, e.g. mlops, evaluation"
    )
    case_study_urls = forms.CharField(
        required=False,
        label="Case study links",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One web address per line.",
    )
    resume = forms.FileField(
        required=False,
        help_text="PDF, Word (.docx) or plain text, at most 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.txt,application/pdf,text/plain"}),
    )
    requisition = RequisitionChoiceField(
        queryset=Requisition.objects.none(),
        required=False,
        empty_label="Not now",
        label="Add to requisition",
        help_text="Optional: the candidate enters its first stage.",
    )

    class Meta:
        model = Candidate
        fields = list(CANDIDATE_FIELDS)
        labels = {
            "email": "E-mail",
            "shipped_systems": "Shipped systems",
        }
        help_texts = {
            "shipped_systems": "What they built and ran in production, with scale and outcome.",
        }
        widgets = {
            "shipped_systems": forms.Textarea(attrs={"rows": 3}),
            "degrees": forms.Textarea(attrs={"rows": 2}),
            "schools": forms.Textarea(attrs={"rows": 2}),
            "certifications": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, requisitions: QuerySet[Requisition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RequisitionChoiceField, self.fields["requisition"]).queryset = requisitions

    def validate_unique(self) -> None:
        # A known e-mail is allowed on purpose: the service flags the new record a duplicate.
        return None

    def clean_case_study_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["case_study_urls"].splitlines()]
        urls = [line for line in lines if line]
        if len(urls) > MAX_CASE_STUDIES:
            raise ValidationError(f"At most {MAX_CASE_STUDIES} links.")
        bad = []
        for url in urls:
            try:
                _url(url)
            except ValidationError:
                bad.append(url)
            else:
                if len(url) > 500:
                    bad.append(url[:40] + "…")
        if bad:
            raise ValidationError(
                [f"Not a web address (https://…): {url}" for url in bad], code="invalid"
            )
        return urls

    def clean_tags(self) -> list[str]:
        names = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        long = [name for name in names if len(name) > 40]
        if long:
            raise ValidationError(f"Tags are at most 40 characters: “{long[0][:40]}…”.")
        return names

    def clean_resume(self) -> Any:
        upload = self.cleaned_data.get("resume")
        if upload:
            try:
                resume_content_type(upload)
            except DomainError as error:
                raise ValidationError(error.fields.get("resume") or [error.message]) from None
        return upload

    FIELDSETS = (
        ("Profile", "", ("name", "email", "phone", "location", "time_zone", "source", "tags")),
        (
            "Production evidence",
            "What they have built and run: interviewers judge this first.",
            ("portfolio_url", "github_url", "case_study_urls", "shipped_systems"),
        ),
        (
            "Credentials",
            "Kept apart from the evidence; hidden from interviewers on pedigree-blind "
            "requisitions.",
            ("degrees", "schools", "certifications"),
        ),
        ("Resume and requisition", "", ("resume", "requisition")),
    )

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(title, hint, [self[n] for n in names]) for title, hint, names in self.FIELDSETS]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def service_kwargs(self) -> dict[str, Any]:
        """What `candidate_add` takes besides the actor."""
        data = self.cleaned_data
        return {
            "fields": self.service_fields(),
            "tags": data["tags"],
            "resume": data["resume"],
            "requisition": data["requisition"],
        }


class NoteForm(forms.Form):
    application = forms.TypedChoiceField(coerce=int, label="Application")
    body = forms.CharField(
        label="Note",
        required=False,  # the service says what is wrong with an empty note
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What happened, what is next"}),
    )

    shared = forms.BooleanField(
        required=False,
        label="Share with interviewers",
        help_text="Unticked, only the hiring team reads it: recruiters, the manager, admins.",
    )

    def __init__(
        self, *args: Any, applications: list[Application], can_share: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["application"])
        field.choices = [(a.pk, a.requisition.title) for a in applications]
        if len(applications) == 1:
            self.fields["application"].widget = forms.HiddenInput()
            self.fields["application"].initial = applications[0].pk
        if not can_share:  # the box is offered only to those who may share (notes.share)
            del self.fields["shared"]

    @property
    def visibility(self) -> str:
        """Who the valid note is for."""
        shared = self.cleaned_data.get("shared", False)
        return NoteVisibility.SHARED if shared else NoteVisibility.TEAM


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the template's header, at most 2 MB and 5,000 rows.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportConfirmForm(forms.Form):
    include_duplicates = forms.BooleanField(
        required=False,
        label="Also import the duplicates, flagged for a person to merge",
    )
    requisition = RequisitionChoiceField(
        queryset=Requisition.objects.none(),
        required=False,
        empty_label="No requisition",
        label="Add everyone imported to",
    )

    def __init__(self, *args: Any, requisitions: QuerySet[Requisition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RequisitionChoiceField, self.fields["requisition"]).queryset = requisitions


class BulkActionForm(forms.Form):
    """The candidate list's bulk action on the ticked rows (`ids`): move or reject them."""

    action = forms.ChoiceField(choices=[("move", "Move"), ("reject", "Reject")])
    stage = forms.ChoiceField(required=False, label="Move to stage", widget=QuickSelect)
    reason = forms.ChoiceField(
        required=False,
        label="Reject with reason",
        widget=QuickSelect,
        choices=[("", "Choose a reason…"), *[(r, r) for r in REJECTION_REASONS]],
    )

    def __init__(self, *args: Any, stage_names: list[str], **kwargs: Any) -> None:
        # Its own ids: the filter form above has a "stage" field too.
        kwargs["auto_id"] = "bulk_%s"
        super().__init__(*args, **kwargs)
        self.stage_names = stage_names
        stage = cast(forms.ChoiceField, self.fields["stage"])
        stage.choices = [("", "Choose a stage…"), *[(n, n) for n in stage_names]]

    def ticked(self) -> list[str]:
        """The `ids` posted, as sent."""
        return self.data.getlist("ids") if hasattr(self.data, "getlist") else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ids = {parse_id(value) for value in self.ticked()}
        if None in ids:
            raise forms.ValidationError("The selection was not understood; try again.")
        if not ids:
            raise forms.ValidationError("Tick at least one candidate first.")
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(f"Select at most {MAX_BULK} applications at a time.")
        data["ids"] = sorted(pk for pk in ids if pk is not None)
        if data.get("action") == "move" and not data.get("stage"):
            self.add_error("stage", "Choose the stage to move them to.")
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", "Choose a rejection reason.")
        return data
