"""Roles API: role profiles (read for everyone, PATCH for admins) and the team-plan check.

The playbook's bodies are text and lists of keys: JSON only, since a form encoding cannot
tell an empty text from a missing one, or one key from a list of one.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from hiring.api_parsers import JSONParser
from hiring.permissions import PLAYBOOK_ACCESS, HasCapability
from roles import selectors
from roles.models import RoleProfile
from roles.services import EDITABLE_FIELDS, role_update
from roles.team_plan import Team, team_plan_warnings


class LoopStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    key = serializers.CharField(source="question.key")
    number = serializers.IntegerField(source="question.number")
    text = serializers.CharField(source="question.current_version.text")


class RoleSerializer(serializers.ModelSerializer):
    levels = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")  # type: ignore[var-annotated]
    interview_loop = LoopStepSerializer(source="loop", many=True, read_only=True)
    signals = serializers.ListField(child=serializers.CharField(), read_only=True)
    sources = serializers.ListField(child=serializers.CharField(), read_only=True)
    guidance = serializers.ListField(child=serializers.DictField(), read_only=True)
    hiring_sequence = serializers.DictField(read_only=True, allow_null=True)

    class Meta:
        model = RoleProfile
        fields = [
            "slug", "title", "summary", "signals", "misrepresented", "focus", "when_to_hire",
            "interview_signal", "hiring_sequence", "guidance", "levels", "interview_loop",
            "sources",
        ]  # fmt: skip
        read_only_fields = ["slug"]
        extra_kwargs = {name: {"max_length": 4000} for name in EDITABLE_FIELDS[1:]}


class RoleViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Role profiles with levels and interview loop. Admins may PATCH the text fields."""

    permission_classes = [HasCapability]
    capability = PLAYBOOK_ACCESS
    serializer_class = RoleSerializer
    lookup_field = "slug"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = [JSONParser]

    def get_queryset(self) -> Any:
        return RoleProfile.objects.prefetch_related(
            "levels", "loop__question__current_version"
        ).order_by("position")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        role: RoleProfile = serializer.instance  # type: ignore[assignment]
        fields = {
            name: serializer.validated_data.get(name, getattr(role, name))
            for name in EDITABLE_FIELDS
        }
        role_update(slug=role.slug, fields=fields, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=role.pk)  # answer with what is stored


class TeamPlanSerializer(serializers.Serializer):
    current = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=1000))
    planned = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=1000))
    models_in_production = serializers.IntegerField(min_value=0, max_value=10_000, default=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        known = set(RoleProfile.objects.values_list("slug", flat=True))
        errors = {
            name: [f"Unknown role {slug!r}." for slug in attrs[name] if slug not in known]
            for name in ("current", "planned")
        }
        errors = {name: problems for name, problems in errors.items() if problems}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TeamPlanWarningSerializer(serializers.Serializer):
    key = serializers.CharField()
    message = serializers.CharField()
    reason = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field's


class TeamPlanView(APIView):
    """Check a planned AI team against the playbook's hiring-sequence rules."""

    permission_classes = [HasCapability]
    capability = "team_plan.use"
    parser_classes = [JSONParser]  # counts per role are a nested object: no form encoding

    @extend_schema(request=TeamPlanSerializer, responses=TeamPlanWarningSerializer(many=True))
    def post(self, request: Request) -> Response:
        serializer = TeamPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = Team(**serializer.validated_data)
        warnings = team_plan_warnings(team, selectors.team_rules())
        data = TeamPlanWarningSerializer(warnings, many=True).data
        return Response(data, status=status.HTTP_200_OK)


router = SimpleRouter()
router.register("roles", RoleViewSet, basename="role")
urlpatterns = [path("team-plan/", TeamPlanView.as_view(), name="api-team-plan"), *router.urls]
