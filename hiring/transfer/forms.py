"""The import form (one file, or several JSON Resume files, and where to put them) and the
export's choice of requisition."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from hiring.ids import parse_id
from hiring.pipeline.models import Requisition


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented way): a list of uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class RequisitionField(forms.ModelChoiceField):
    """A requisition by id; an id no database row can have is refused as an unknown choice
    before any query (else an integer overflow, a 500)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, obj: Requisition) -> str:
        return f"{obj.title} ({obj.level.name})" if obj.level_id else obj.title


class ImportForm(forms.Form):
    file = MultipleFileField(
        label="File",
        help_text="One CSV or JSON file, or one or more JSON Resume files; UTF-8, at most 10 MB "
        "a file and 50,000 rows.",
        error_messages={"required": "Choose a file to import."},
    )
    requisition = RequisitionField(
        queryset=Requisition.objects.none(),
        required=False,
        empty_label="No requisition",
        label="Add everyone imported to",
    )
    include_duplicates = forms.BooleanField(
        required=False,
        label="Also import the duplicates (a known e-mail), flagged for a person to merge",
    )

    def __init__(self, *args: Any, requisitions: QuerySet[Requisition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RequisitionField, self.fields["requisition"]).queryset = requisitions


EXPORT_BLANK = "Choose a requisition…"


class ExportForm(forms.Form):
    requisition = RequisitionField(
        queryset=Requisition.objects.none(),
        label="Requisition",
        empty_label=EXPORT_BLANK,
        error_messages={"required": "Choose a requisition to export."},
    )

    def __init__(self, *args: Any, requisitions: QuerySet[Requisition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RequisitionField, self.fields["requisition"]).queryset = requisitions
