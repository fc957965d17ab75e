"""API plumbing shared by every endpoint: error format, JSON bodies, filters, pagination."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hiring.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON: {"detail": message, "fields": {name: [messages]}}."""
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "fields": exc.fields}, status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return Response(
            {"detail": f"The request body is over the {limit:,} KB limit.", "fields": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = flat_errors(exc.detail)
        first = next(iter(fields.values()), ["Invalid input."])
        response.data = {"detail": f"Invalid input: {first[0]}", "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "fields": {}}
    return response


def flat_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's error tree as {name: [messages]}: nested names are dotted ("stages.1.name").

    A list or dict field reports its items' errors by position or key; flattening keeps
    the documented shape of `fields` whatever the nesting.
    """
    if isinstance(detail, dict):
        items: Any = detail.items()
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        items = ((str(i), item) for i, item in enumerate(detail) if item)
    else:
        messages = detail if isinstance(detail, list) else [detail]
        return {prefix or "non_field_errors": [str(message) for message in messages]}
    fields: dict[str, list[str]] = {}
    for key, value in items:
        # A nested serializer's own complaint ("expected a list") belongs to its field.
        nested_own = prefix and key == "non_field_errors"
        name = prefix if nested_own else f"{prefix}.{key}" if prefix else str(key)
        for field, messages in flat_errors(value, name).items():
            fields.setdefault(field, []).extend(messages)
    return fields


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: deep pages cost what the first page costs, and no COUNT."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_page_size(self, request: Any) -> int:
        """`page_size` from 1 to max_page_size; anything else is a 400, not silently ignored."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        raw = values[-1]
        if (
            len(values) > 1
            or not re.fullmatch(r"[0-9]{1,4}", raw)
            or not 1 <= int(raw) <= self.max_page_size
        ):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def refuse_numbers_as_text() -> None:
    """Text fields refuse JSON numbers and booleans instead of turning them into text.

    DRF's CharField (and its e-mail, URL, slug and regex kinds) accepts `42` or `true` for
    a string and stores "42" or "True": a client bug passes silently and the schema's
    `type: string` is not what the API enforces. Forms send text, so they are not
    affected. Called once from HiringConfig.ready(), so every serializer gets it.
    """
    original = serializers.CharField.to_internal_value
    if getattr(original, "refuses_numbers", False):
        return

    def to_internal_value(self: serializers.CharField, data: Any) -> str:
        if isinstance(data, bool | int | float):
            self.fail("invalid")
        return original(self, data)

    to_internal_value.refuses_numbers = True  # type: ignore[attr-defined]
    serializers.CharField.to_internal_value = to_internal_value  # type: ignore[method-assign,assignment]


class StrictFilterSet(django_filters.FilterSet):
    """A filter is given once, with a value: `?status=` (empty), `?unread=maybe` (a boolean
    that is neither true nor false) and `?application=1&application=` (twice) are errors,
    never "no filter" (a client that sends them has a bug it should hear about)."""

    BOOLEAN = frozenset({"true", "false", "True", "False"})  # what the widget reads as such

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, field in self.filters.items():
            if name not in self.data:
                continue
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
            problem = ""
            if len(values) > 1:
                problem = "Give this filter once."
            elif values[0] == "":
                problem = "Give a value, or leave the filter out."
            elif isinstance(field, django_filters.BooleanFilter) and values[0] not in self.BOOLEAN:
                problem = "Give true or false."
            if problem:
                self.form.add_error(name, problem)
                valid = False
        return valid


class StrictFilterBackend(DjangoFilterBackend):
    """The default filter backend: filters made from `filterset_fields` are strict too."""

    filterset_base = StrictFilterSet

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        """A call that names none of the filters gets the rows as they are: building the
        FilterSet and its form to filter by nothing cost a list a third of a millisecond."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not _names_a_filter(filterset_class, request.query_params):
            return queryset
        filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.qs


def _names_a_filter(filterset_class: type[django_filters.FilterSet], params: Any) -> bool:
    """Whether a parameter may be one of the filters' (a range filter's `price_min` counts for
    `price`), or a filter is required: then the FilterSet must judge the call."""
    names = filterset_class.base_filters
    if any(f.extra.get("required") for f in names.values()):
        return True
    return any(key == name or key.startswith(f"{name}_") for key in params for name in names)


def has_control_characters(value: str, *, multiline: bool) -> bool:
    """Control characters (a line break in a name breaks every e-mail about it): none in a
    single-line text; a multi-line text may hold line breaks and tabs."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


def refuse_control_characters_in_single_line_text() -> None:
    """Every single-line text field, API and forms alike, refuses control characters.

    A serializer field is multi-line when it renders as a textarea (model TextFields do; a
    declared field says so with `style={"base_template": "textarea.html"}`); a form field
    when its widget is a Textarea. Called once from HiringConfig.ready().
    """
    from django import forms

    original_api = serializers.CharField.to_internal_value
    if not getattr(original_api, "refuses_control", False):

        def api_text(self: serializers.CharField, data: Any) -> str:
            value = original_api(self, data)
            multiline = self.style.get("base_template") == "textarea.html"
            if isinstance(value, str) and has_control_characters(value, multiline=multiline):
                raise serializers.ValidationError(
                    "Line breaks and other control characters are not allowed here."
                    if not multiline
                    else "Control characters are not allowed here."
                )
            return value

        api_text.refuses_control = True  # type: ignore[attr-defined]
        serializers.CharField.to_internal_value = api_text  # type: ignore[method-assign,assignment]

    original_form = forms.CharField.to_python
    if not getattr(original_form, "refuses_control", False):

        def form_text(self: forms.CharField, value: Any) -> Any:
            value = original_form(self, value)
            multiline = isinstance(self.widget, forms.Textarea)
            if isinstance(value, str) and has_control_characters(value, multiline=multiline):
                raise forms.ValidationError(
                    "Line breaks and other control characters are not allowed here.",
                    code="control_characters",
                )
            return value

        form_text.refuses_control = True  # type: ignore[attr-defined]
        forms.CharField.to_python = form_text  # type: ignore[method-assign]
