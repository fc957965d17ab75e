"""The requisitions API: requisitions with their stages, status changes, the stage editor."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hiring.api_parsers import JSONParser
from hiring.api_schema import ERROR_RESPONSE as ERROR
from hiring.ids import MAX_ID
from hiring.permissions import signed_in_user
from hiring.pipeline import selectors
from hiring.pipeline.api.access import METHODS, PipelineAccess, active_users
from hiring.pipeline.models import Requisition, Stage
from hiring.pipeline.rules import RequisitionStatus
from hiring.pipeline.services import requisitions as requisition_services
from roles.models import RoleLevel, RoleProfile


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "kind", "position"]


class RequisitionSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=RoleProfile.objects.all())
    role_title = serializers.CharField(source="role.title", read_only=True)
    level = serializers.PrimaryKeyRelatedField(queryset=RoleLevel.objects.all())
    level_name = serializers.CharField(source="level.name", read_only=True)
    hiring_manager = serializers.PrimaryKeyRelatedField(queryset=active_users())
    hiring_manager_name = serializers.CharField(
        source="hiring_manager.get_full_name", read_only=True
    )
    recruiter = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), required=False, help_text="Defaults to the caller"
    )
    recruiter_name = serializers.CharField(source="recruiter.get_full_name", read_only=True)
    opened_on = serializers.DateField(required=False, help_text="Defaults to today")
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Requisition
        fields = [
            "id", "title", "role", "role_title", "level", "level_name", "hiring_manager",
            "hiring_manager_name", "recruiter", "recruiter_name", "headcount", "location",
            "status", "opened_on", "pedigree_blind", "created_at", "stages",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        extra_kwargs = {"headcount": {"min_value": 1, "max_value": 500}}  # as on the page

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        opens = attrs.get("status", RequisitionStatus.OPEN) == RequisitionStatus.OPEN
        if self.instance is None and not opens:
            raise serializers.ValidationError(
                {"status": ["A new requisition is open; change its status afterwards."]}
            )
        if "role" in attrs and "level" not in attrs:
            raise serializers.ValidationError({"level": ["Give a level of the new role."]})
        return attrs


class StageInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Omit for a new one",
    )
    name = serializers.CharField(max_length=60)


class StagesInputSerializer(serializers.Serializer):
    stages = StageInputSerializer(many=True, help_text="Every stage, in the wanted order")


@extend_schema_view(
    update=extend_schema(responses={200: RequisitionSerializer, 409: ERROR}),
    partial_update=extend_schema(responses={200: RequisitionSerializer, 409: ERROR}),
)
class RequisitionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Requisitions with their stages. Filter with `?status=open`."""

    permission_classes = [PipelineAccess]
    serializer_class = RequisitionSerializer
    filterset_fields = ["status"]
    http_method_names = METHODS

    def get_queryset(self) -> QuerySet[Requisition]:
        return (
            selectors.requisitions_visible_to(self.request.user, "candidates.view")
            .select_related("role", "level", "hiring_manager", "recruiter")
            .prefetch_related("stages")
        )

    def _fresh(self, pk: int) -> Requisition:
        return self.get_queryset().get(pk=pk)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("status", None)
        requisition = requisition_services.requisition_create(
            **{
                **data,
                "recruiter": data.get("recruiter") or signed_in_user(self.request),
                "opened_on": data.get("opened_on") or timezone.localdate(),
            },
            actor=signed_in_user(self.request),
        )
        serializer.instance = self._fresh(requisition.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        requisition: Requisition = serializer.instance  # type: ignore[assignment]
        requisition_services.requisition_update(
            requisition=requisition,
            fields=dict(serializer.validated_data),
            actor=signed_in_user(self.request),
        )
        serializer.instance = self._fresh(requisition.pk)

    @extend_schema(
        request=StagesInputSerializer, responses={200: RequisitionSerializer, 409: ERROR}
    )
    @action(detail=True, methods=["put"], parser_classes=[JSONParser])  # a list of objects
    def stages(self, request: Request, pk: str | None = None) -> Response:
        """Rename, add and reorder stages: send every stage in order (`id` for existing ones)."""
        requisition = self.get_object()
        body = StagesInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        requisition_services.stages_set(
            requisition=requisition,
            stages=[dict(item) for item in body.validated_data["stages"]],
            actor=signed_in_user(request),
        )
        return Response(RequisitionSerializer(self._fresh(requisition.pk)).data)
