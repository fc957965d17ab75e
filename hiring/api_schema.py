"""The OpenAPI schema says every answer an operation can give, errors included.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds the shared error responses,
all with the one error body (`{"detail": ..., "fields": {name: [messages]}}`, see
`hiring.api_support.exception_handler`), to every operation by what it can fail on:

- 401 (no or bad credentials) and 403 (a role without the capability) unless it is public;
- 404 when the path names an object, and on cursor-paginated lists (a stale cursor);
- 400 when it takes a body (writes), filters (a filter value that does not parse) or a
  page size (lists).

An operation that can also answer 409 (a stale version, a decision already taken) says so
itself: `@extend_schema(responses={200: ..., 409: ERROR_RESPONSE})`. Responses an
operation declares are never replaced.

`BoundedFilterExtension` puts the limits of django-filter filters (`min_value`,
`max_value`, `max_length`) into the parameters' schemas, so a client (or the fuzzer)
knows which values are valid before it sends them.
"""

from __future__ import annotations

from typing import Any

from django_filters import filters as django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import permissions, serializers

from hiring.api_support import CursorPagination


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words a person understands")
    fields = serializers.DictField(  # type: ignore[assignment]  # the error body's own "fields"
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per input field ("stages.1.name" for nested ones); may be empty',
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSE = OpenApiResponse(ErrorSerializer, description="The request was refused")
ERRORS = {
    "400": "Invalid input: `fields` names each problem",
    "401": "Not signed in: send `Authorization: Token <key>` or a session cookie",
    "403": "Signed in, but the user's roles do not allow this",
    "404": "No such object, or not one the user may see",
}
WRITES = {"POST", "PUT", "PATCH"}
# No control characters in single-line text (api_support.refuse_control_characters_...);
# multi-line text may hold line breaks and tabs.
SINGLE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
MULTI_LINE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"


class AutoSchema(SpectacularAutoSchema):
    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> Any:
        """A PATCH whose serializer says `required_on_patch` keeps its required fields in the
        schema (drf-spectacular makes every PATCH body partial); a polymorphic body (one of
        several shapes, none empty) is itself required."""
        instance = force_instance(serializer)
        if isinstance(instance, PolymorphicProxySerializer):
            schema, _required = super()._get_request_for_media_type(serializer, direction)
            return schema, True
        if self.method == "PATCH" and getattr(instance, "required_on_patch", False):
            self.method = "POST"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and isinstance(schema, dict)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
        ):
            multiline = field.style.get("base_template") == "textarea.html"
            schema["pattern"] = MULTI_LINE if multiline else SINGLE_LINE
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        """drf-spectacular (0.30) offers a blank string beside a patterned one as `oneOf`
        [the string, an empty string]; our patterns admit the empty string, so "" matched
        both and broke the `oneOf`: a fuzzer then sent "" as invalid data and flagged its
        acceptance. Either is fine: `anyOf`."""
        super()._insert_field_validators(field, schema)
        choices = schema.get("oneOf")
        if isinstance(choices, list) and {"type": "string", "maxLength": 0} in choices:
            schema["anyOf"] = schema.pop("oneOf")

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERRORS[code]
                responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        if not self._is_public():
            codes += ["401", "403"]
        if "{" in self.path or self._is_cursor_list():
            codes.append("404")
        if self.method in WRITES or self._get_filter_parameters() or self._is_cursor_list():
            codes.append("400")
        return codes

    def _is_public(self) -> bool:
        return any(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )

    def _is_cursor_list(self) -> bool:
        paginator = self._get_paginator()
        return self.method == "GET" and isinstance(paginator, CursorPagination)


class BoundedFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, plus the filters' own limits."""

    priority = DjangoFilterExtension.priority + 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        extra = filter_field.extra
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(filter_field, django_filters.NumberFilter) and "type" not in schema:
                schema["type"] = "number"  # a method filter: its hint says nothing useful
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            if extra.get("max_value") is not None:
                schema["maximum"] = extra["max_value"]
            if extra.get("max_length") is not None and schema.get("type") == "string":
                schema["maxLength"] = extra["max_length"]
            if schema.get("type") == "string" and "enum" not in schema:
                schema["minLength"] = 1  # strict filters: an empty value is a 400
                schema["pattern"] = SINGLE_LINE
        return parameters
