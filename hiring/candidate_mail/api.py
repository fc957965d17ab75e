"""The API: reject applications with an e-mail to each candidate (recruiters and admins).

`POST /api/candidate-emails/rejections/`: the applications, the reason, a template (or null
for no e-mail), optionally its text edited, and `send_now` (otherwise the next business
morning). All or nothing; one e-mail per candidate."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api_schema import ERROR_RESPONSE
from hiring.candidate_mail.forms import MAX_BULK
from hiring.candidate_mail.rules import BODY_MAX, SUBJECT_MAX
from hiring.candidate_mail.selectors.pages import rejection_templates
from hiring.candidate_mail.services.rejections import (
    RejectionEmail,
    applications_bulk_reject_with_email,
)
from hiring.ids import MAX_ID
from hiring.permissions import HasCapability, signed_in_user
from hiring.pipeline.rules import REJECTION_REASONS
from hiring.pipeline.selectors import applications_visible_to
from hiring.pipeline.selectors.listing import selection_check


class RejectionSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1, max_length=MAX_BULK, help_text="Application ids",
    )  # fmt: skip
    reason = serializers.ChoiceField(choices=REJECTION_REASONS)
    template = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True,
        help_text="A \"not moving forward\" template; null: no e-mail",
    )  # fmt: skip
    subject = serializers.CharField(
        required=False, max_length=SUBJECT_MAX, help_text="Edited subject (default: the template's)"
    )
    body = serializers.CharField(
        required=False, max_length=BODY_MAX, help_text="Edited text (default: the template's)"
    )
    send_now = serializers.BooleanField(default=False)

    def validate_template(self, value: int | None) -> int | None:
        if value is not None and not rejection_templates().filter(pk=value).exists():
            raise serializers.ValidationError('No such "not moving forward" template.')
        return value


class RejectedSerializer(serializers.Serializer):
    rejected = serializers.IntegerField()


class RejectionView(APIView):
    permission_classes = [HasCapability]
    capability = "pipeline.edit"

    @extend_schema(
        request=RejectionSerializer,
        responses={200: RejectedSerializer, 409: ERROR_RESPONSE},
    )
    def post(self, request: Request) -> Response:
        incoming = RejectionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = signed_in_user(request)
        selection_check(applications_visible_to(user, "pipeline.edit"), data["applications"])
        count = applications_bulk_reject_with_email(
            ids=data["applications"], reason=data["reason"], email=_email(data), actor=user
        )
        return Response({"rejected": count})


def _email(data: dict[str, Any]) -> RejectionEmail | None:
    template = rejection_templates().filter(pk=data["template"]).first()
    if template is None:
        return None
    return RejectionEmail(
        data.get("subject", template.subject),
        data.get("body", template.body),
        send_now=data["send_now"],
    )


urlpatterns = [
    path(
        "candidate-emails/rejections/",
        RejectionView.as_view(),
        name="api-candidate-email-rejections",
    ),
]
