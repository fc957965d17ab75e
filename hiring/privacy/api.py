"""The privacy API: erase a candidate (admins), export everything about one (recruiters and
admins). Anyone else gets 403; a candidate the caller may not see is a 404."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api_schema import ERROR_RESPONSE
from hiring.permissions import HasCapability, signed_in_user
from hiring.privacy.models import Erasure
from hiring.privacy.selectors import erasable_candidate, exportable_candidate
from hiring.privacy.services.erasure import candidate_anonymise
from hiring.privacy.services.export import candidate_export


class ErasureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="candidate.name", help_text="What the record is called now")
    erased_by = serializers.SerializerMethodField()

    class Meta:
        model = Erasure
        fields = ["candidate", "name", "reason", "erased_by", "at"]

    def get_erased_by(self, erasure: Erasure) -> str | None:
        """The admin who erased them; null when the retention sweep did."""
        return erasure.actor.get_username() if erasure.actor else None


class CandidateAnonymiseView(APIView):
    """Erase the candidate's personal data everywhere it is stored (admins only). Counts,
    stages, ratings, statuses and dates stay. Idempotent: a candidate erased already comes
    back as they are. 409 while one of their applications is active."""

    permission_classes = [HasCapability]
    capability = "candidates.erase"

    @extend_schema(
        request=None,
        responses={
            200: ErasureSerializer,
            409: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        erasure = candidate_anonymise(
            candidate=erasable_candidate(pk), actor=signed_in_user(request)
        )
        return Response(ErasureSerializer(erasure).data)


class CandidateExportView(APIView):
    """Everything stored about the candidate, as one JSON file (a subject-access request):
    profile, applications with their stage history, notes, interviews, scorecards as their
    authors wrote them, decisions, offers with their terms, notifications and audit entries
    about them. Audited."""

    permission_classes = [HasCapability]
    capability = "candidates.export"

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export file")}
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = exportable_candidate(request.user, pk)
        export = candidate_export(candidate=candidate, actor=signed_in_user(request))
        return Response(export.data, headers={"Content-Disposition": export.content_disposition})


urlpatterns = [
    path(
        "candidates/<int:pk>/anonymise/",
        CandidateAnonymiseView.as_view(),
        name="api-candidate-anonymise",
    ),
    path("candidates/<int:pk>/export/", CandidateExportView.as_view(), name="api-candidate-export"),
]
