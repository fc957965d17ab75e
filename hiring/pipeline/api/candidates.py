"""The candidates API: create (a known e-mail is flagged, not refused), read, update."""

from __future__ import annotations

from typing import Any

from django.core.validators import URLValidator
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import MultiPartParser

from hiring.api_parsers import JSONParser
from hiring.permissions import signed_in_user
from hiring.pipeline import selectors
from hiring.pipeline.api.access import METHODS, PipelineAccess
from hiring.pipeline.models import Candidate
from hiring.pipeline.services import candidates as candidate_services
from hiring.pipeline.services.candidates import TIME_ZONES


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=40)

    def to_representation(self, data: Any) -> list[str]:
        # Reads the prefetched tags: no query per candidate.
        return [tag.name for tag in data.all()]


WEB_ADDRESS = URLValidator(schemes=["http", "https"])
CREDENTIAL_HELP = "null when hidden from the caller (pedigree-blind mode)"


class CandidateSerializer(serializers.ModelSerializer):
    tags = TagListField(required=False, max_length=30)
    # The page's rule: at most 20 web addresses (a JSON null would be a 500 on NOT NULL).
    case_study_urls = serializers.ListField(
        child=serializers.URLField(max_length=500, validators=[WEB_ADDRESS]),
        max_length=20,
        required=False,
    )
    degrees = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    schools = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    certifications = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    credentials_hidden = serializers.BooleanField(read_only=True)
    time_zone = serializers.ChoiceField(
        choices=TIME_ZONES,
        required=False,
        allow_blank=True,
        help_text="IANA zone their e-mails and invites show times in; empty: the company's",
    )
    resume = serializers.FileField(
        write_only=True, required=False, help_text="PDF, DOCX or plain text, at most 10 MB"
    )

    class Meta:
        model = Candidate
        fields = [
            "id", "name", "email", "phone", "location", "time_zone", "source", "portfolio_url",
            "github_url", "case_study_urls", "shipped_systems", "degrees", "schools",
            "certifications", "credentials_hidden", "tags", "resume", "resume_name", "duplicate_of",
            "merged_into", "created_at",
        ]  # fmt: skip
        read_only_fields = ["resume_name", "duplicate_of", "merged_into", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in selectors.CREDENTIAL_FIELDS:
            if name in attrs and attrs[name] is None:
                attrs[name] = ""
        return attrs

    def to_representation(self, instance: Candidate) -> dict[str, Any]:
        data = super().to_representation(instance)
        hidden = getattr(instance, "credentials_hidden", None)
        if hidden is None:
            hidden = not selectors.credentials_visible(self.context["request"].user, instance)
        data["credentials_hidden"] = hidden
        if hidden:
            data.update(dict.fromkeys(selectors.CREDENTIAL_FIELDS))
        return data


class CandidateJSONSerializer(CandidateSerializer):
    """The same body in JSON, which cannot carry a file: a resume comes as multipart."""

    resume = None  # type: ignore[assignment]

    class Meta(CandidateSerializer.Meta):
        fields = [name for name in CandidateSerializer.Meta.fields if name != "resume"]


WITH_OR_WITHOUT_RESUME = {
    "application/json": CandidateJSONSerializer,
    "multipart/form-data": CandidateSerializer,
}


@extend_schema_view(
    create=extend_schema(request=WITH_OR_WITHOUT_RESUME),
    update=extend_schema(request=WITH_OR_WITHOUT_RESUME),
    partial_update=extend_schema(request=WITH_OR_WITHOUT_RESUME),
)
class CandidateViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Candidates. A known e-mail is not refused: the new record comes back with
    `duplicate_of` set to the earlier one."""

    permission_classes = [PipelineAccess]
    serializer_class = CandidateSerializer
    # JSON, or multipart when a resume comes along; a urlencoded form cannot carry the file.
    parser_classes = [JSONParser, MultiPartParser]
    filterset_fields = ["source", "email"]
    http_method_names = METHODS

    def get_queryset(self) -> QuerySet[Candidate]:
        rows = selectors.candidates_visible_to(self.request.user, "candidates.view")
        return selectors.with_credentials_hidden(self.request.user, rows).prefetch_related("tags")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        fields, tags, resume = self._split(serializer.validated_data)
        candidate = candidate_services.candidate_create(
            fields=fields, tags=tags or [], resume=resume, actor=signed_in_user(self.request)
        )
        serializer.instance = self.get_queryset().get(pk=candidate.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        fields, tags, resume = self._split(serializer.validated_data)
        candidate = candidate_services.candidate_update(
            candidate=serializer.instance,  # type: ignore[arg-type]
            fields=fields,
            tags=tags,
            resume=resume,
            actor=signed_in_user(self.request),
        )
        serializer.instance = self.get_queryset().get(pk=candidate.pk)

    @staticmethod
    def _split(data: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None, Any]:
        fields = dict(data)
        return fields, fields.pop("tags", None), fields.pop("resume", None)
