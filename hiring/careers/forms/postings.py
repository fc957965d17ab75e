"""The recruiter's posting form."""

from __future__ import annotations

from typing import Any

from django import forms

from hiring.careers.rendering import MAX_CHARS
from hiring.careers.rules import EmploymentType, Workplace


class PostingForm(forms.Form):
    published = forms.BooleanField(
        required=False,
        label="Published on the careers page",
        help_text="Untick to take it off the careers page at once.",
    )
    slug = forms.SlugField(
        max_length=80,
        label="Address",
        help_text="The end of the posting's web address: /careers/<address>/",
    )
    team = forms.CharField(max_length=80, required=False)
    workplace = forms.ChoiceField(choices=Workplace.choices, label="Where the work happens")
    employment_type = forms.ChoiceField(choices=EmploymentType.choices, label="Employment")
    valid_through = forms.DateField(
        required=False,
        label="Open until",
        help_text="Optional. Job boards hide the posting after this date (default: 60 days).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        required=False,
        max_length=MAX_CHARS,
        label="Public description",
        help_text="Markdown: ## headings, **bold**, lists, links. Markup (HTML) shows as text.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    questions = forms.CharField(
        required=False,
        label="Production-evidence questions",
        help_text="One question per line, asked on the apply form. The defaults come from the "
        "role profile's signals: edit, add or remove them.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    publish_band = forms.BooleanField(
        required=False, label="Publish the salary band (the band in force for the level)"
    )
    show_hiring_manager = forms.BooleanField(required=False, label="Show the hiring manager's name")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("published")
        data["questions"] = [line.strip() for line in data["questions"].splitlines()]
        return data


def posting_initial(posting: Any) -> dict[str, Any]:
    return {
        "published": posting.published,
        "slug": posting.slug,
        "team": posting.team,
        "workplace": posting.workplace,
        "employment_type": posting.employment_type,
        "valid_through": posting.valid_through,
        "description": posting.description,
        "questions": "\n".join(posting.questions),
        "publish_band": posting.publish_band,
        "show_hiring_manager": posting.show_hiring_manager,
    }
