"""Playbook API: read for every signed-in user, write for admins; bands never for interviewers."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.models import Question, RedFlag
from assessments.services import question_new_version, red_flag_update
from compensation.models import Band
from compensation.services import FIGURE_FIELDS, band_upsert
from hiring.errors import DomainError
from hiring.permissions import HasCapability
from roles import selectors
from roles.models import RoleLevel, RoleProfile
from roles.services import EDITABLE_FIELDS, role_update
from roles.team_plan import Team, team_plan_warnings

PLAYBOOK = {"read": "playbook.view", "write": "playbook.edit"}
# The playbook's bodies are text and lists of keys: JSON carries them as they are, while a
# form encoding cannot tell an empty text from a missing one, or one key from a list of one.
JSON_ONLY = [JSONParser]


class LoopStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    key = serializers.CharField(source="question.key")
    number = serializers.IntegerField(source="question.number")
    text = serializers.CharField(source="question.current_version.text")


class RoleSerializer(serializers.ModelSerializer):
    levels = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
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
    capability = PLAYBOOK
    serializer_class = RoleSerializer
    lookup_field = "slug"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = JSON_ONLY

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


class QuestionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version.version", read_only=True)
    text = serializers.CharField(source="current_version.text", max_length=2000)
    what_to_hear = serializers.CharField(source="current_version.what_to_hear", max_length=4000)
    red_flag = serializers.CharField(
        source="current_version.red_flag", max_length=2000, allow_blank=True
    )
    red_flags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="key")

    class Meta:
        model = Question
        fields = ["key", "number", "version", "text", "what_to_hear", "red_flag", "red_flags"]
        read_only_fields = ["key", "number"]


class QuestionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The interview bank. A PATCH by an admin creates a new version of the question."""

    permission_classes = [HasCapability]
    capability = PLAYBOOK
    serializer_class = QuestionSerializer
    lookup_field = "key"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = JSON_ONLY
    queryset = Question.objects.select_related("current_version").prefetch_related("red_flags")

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        wording = serializer.validated_data.get("current_version", {})
        question_new_version(question=question, wording=wording, actor=request.user)
        question.refresh_from_db()
        return Response(self.get_serializer(self.get_queryset().get(pk=question.pk)).data)


class RedFlagSerializer(serializers.ModelSerializer):
    questions = serializers.SlugRelatedField(
        many=True, slug_field="key", queryset=Question.objects.all()
    )

    class Meta:
        model = RedFlag
        fields = ["key", "number", "title", "explanation", "severity", "questions", "source"]
        read_only_fields = ["key", "number", "source"]


class RedFlagViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The eight red flags, with the questions that expose each. Admins may PATCH."""

    permission_classes = [HasCapability]
    capability = PLAYBOOK
    serializer_class = RedFlagSerializer
    lookup_field = "key"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = JSON_ONLY
    queryset = RedFlag.objects.prefetch_related("questions")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        flag: RedFlag = serializer.instance  # type: ignore[assignment]
        data = serializer.validated_data
        fields = {k: data.get(k, getattr(flag, k)) for k in ("title", "explanation", "severity")}
        questions = data.get("questions", flag.questions.all())
        red_flag_update(
            flag=flag,
            fields=fields,
            question_ids={q.pk for q in questions},
            actor=self.request.user,
        )


class BandFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(field_name="level__role__slug", help_text="role slug")
    level = django_filters.CharFilter(field_name="level__name", help_text="level name")

    class Meta:
        model = Band
        fields = ["role", "level", "currency"]


class BandSerializer(serializers.ModelSerializer):
    role = serializers.SlugField(source="level.role.slug")
    role_title = serializers.CharField(source="level.role.title", read_only=True)
    level = serializers.CharField(source="level.name", max_length=60)
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="USD")
    low = serializers.IntegerField(min_value=1, max_value=100_000_000)
    high = serializers.IntegerField(min_value=1, max_value=100_000_000)
    market_tension = serializers.CharField(max_length=1000)
    scope = serializers.CharField(max_length=1000, allow_blank=True, required=False)

    class Meta:
        model = Band
        fields = [
            "id", "role", "role_title", "level", "low", "high", "open_ended", "currency",
            "effective_date", "market_tension", "scope",
        ]  # fmt: skip
        validators: list[Any] = []  # the service decides create-or-correct by date

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low = attrs.get("low", getattr(self.instance, "low", None))
        high = attrs.get("high", getattr(self.instance, "high", None))
        if low is not None and high is not None and low >= high:
            raise serializers.ValidationError({"low": ["Must be below high."]})
        return attrs


class BandViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Compensation bands, every effective date. Filter with ?role=<slug>&level=<name>."""

    permission_classes = [HasCapability]
    capability = {"read": "compensation.view", "write": "compensation.edit"}
    serializer_class = BandSerializer
    filterset_class = BandFilter
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = JSON_ONLY
    queryset = Band.objects.select_related("level__role").order_by(
        "level__role__position", "level__position", "-effective_date"
    )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        level = _level(data["level"]["role"]["slug"], data["level"]["name"])
        serializer.instance = self._save(level, data, data["effective_date"], data["currency"])

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        band: Band = serializer.instance  # type: ignore[assignment]
        data = {
            name: serializer.validated_data.get(name, getattr(band, name)) for name in FIGURE_FIELDS
        }
        serializer.instance = self._save(band.level, data, band.effective_date, band.currency)

    def _save(self, level: RoleLevel, data: dict[str, Any], date: Any, currency: str) -> Band:
        figures = {name: data.get(name) for name in FIGURE_FIELDS}
        figures["scope"] = figures["scope"] or ""
        band, _ = band_upsert(
            level=level, currency=currency, effective_date=date, figures=figures,
            actor=self.request.user,
        )  # fmt: skip
        return band


def _level(role_slug: str, level_name: str) -> RoleLevel:
    level = RoleLevel.objects.filter(role__slug=role_slug, name=level_name).first()
    if level is None:
        raise DomainError(
            f"Role {role_slug!r} has no level {level_name!r}.",
            fields={"level": [f"Unknown level for role {role_slug!r}."]},
        )
    return level


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
    source = serializers.CharField()


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
