"""Question bank API: the eight questions (a PATCH makes a new version) and the red flags.

Read for every signed-in user, write for admins; JSON only (see roles.api).
"""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from assessments.models import Question, RedFlag
from assessments.services.bank import question_new_version, red_flag_update
from hiring.api_parsers import JSONParser
from hiring.permissions import PLAYBOOK_ACCESS, HasCapability, signed_in_user


class QuestionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version.version", read_only=True)
    text = serializers.CharField(source="current_version.text", max_length=2000)
    what_to_hear = serializers.CharField(source="current_version.what_to_hear", max_length=4000)
    red_flag = serializers.CharField(
        source="current_version.red_flag", max_length=2000, allow_blank=True
    )
    red_flags: serializers.SlugRelatedField[RedFlag] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="key"
    )

    class Meta:
        model = Question
        fields = ["key", "number", "version", "text", "what_to_hear", "red_flag", "red_flags"]
        read_only_fields = ["key", "number"]


class QuestionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The interview bank. A PATCH by an admin creates a new version of the question."""

    permission_classes = [HasCapability]
    capability = PLAYBOOK_ACCESS
    serializer_class = QuestionSerializer
    lookup_field = "key"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = [JSONParser]
    queryset = Question.objects.select_related("current_version").prefetch_related("red_flags")

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        wording = serializer.validated_data.get("current_version", {})
        question_new_version(question=question, wording=wording, actor=signed_in_user(request))
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
    capability = PLAYBOOK_ACCESS
    serializer_class = RedFlagSerializer
    lookup_field = "key"
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = [JSONParser]
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
            actor=signed_in_user(self.request),
        )
        serializer.instance = self.get_queryset().get(pk=flag.pk)  # answer with what is stored


router = SimpleRouter()
router.register("questions", QuestionViewSet, basename="question")
router.register("red-flags", RedFlagViewSet, basename="red-flag")
urlpatterns = router.urls
