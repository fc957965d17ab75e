"""Scorecards API: yours and those the blind-feedback rule lets you see; saving a draft (the
`version` field and the 409 rule), submitting, and an admin's reopen.

An interviewer reads other interviewers' scorecards only once theirs are submitted. Anything
outside a caller's visibility is a 404. Writes go through the services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from assessments.api.interviews import IdFilter, errors, text_field
from assessments.models import (
    Interview,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardAnswer,
    ScorecardRedFlag,
)
from assessments.rules import InterviewStatus, ScorecardStatus
from assessments.selectors import scorecards as scorecard_selectors
from assessments.services import scorecards as scorecard_services
from hiring.api_parsers import JSONParser
from hiring.api_support import StrictFilterSet
from hiring.errors import DomainError
from hiring.ids import MAX_ID
from hiring.permissions import HasCapability, can, signed_in_user


class ScorecardAnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question_version.question.key", read_only=True)
    number = serializers.IntegerField(source="question_version.question.number", read_only=True)
    version = serializers.IntegerField(source="question_version.version", read_only=True)
    text = serializers.CharField(source="question_version.text", read_only=True)
    rating = serializers.ChoiceField(choices=Rating.choices, allow_null=True, read_only=True)

    class Meta:
        model = ScorecardAnswer
        fields = ["question_version", "question", "number", "version", "text", "rating", "notes"]
        read_only_fields = fields


class ScorecardRedFlagSerializer(serializers.ModelSerializer):
    red_flag = serializers.CharField(source="red_flag.key", read_only=True)
    title = serializers.CharField(source="red_flag.title", read_only=True)
    severity = serializers.CharField(source="red_flag.severity", read_only=True)

    class Meta:
        model = ScorecardRedFlag
        fields = ["red_flag", "title", "severity", "raised", "evidence"]
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="interview.application_id", read_only=True)
    interviewer_name = serializers.SerializerMethodField()
    recommendation = serializers.CharField(
        read_only=True,
        help_text=f"Empty until chosen, then one of: {', '.join(Recommendation.values)}",
    )
    answers = ScorecardAnswerSerializer(many=True, read_only=True)
    red_flags = ScorecardRedFlagSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id", "interview", "application", "interviewer", "interviewer_name", "status",
            "version", "recommendation", "summary", "submitted_at", "updated_at", "answers",
            "red_flags",
        ]  # fmt: skip
        read_only_fields = fields

    def get_interviewer_name(self, obj: Scorecard) -> str:
        return obj.interviewer.get_full_name() or obj.interviewer.get_username()


class AnswerInputSerializer(serializers.Serializer):
    question_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    rating = serializers.IntegerField(
        min_value=1, max_value=4, required=False, allow_null=True, help_text="1-4; null clears"
    )
    notes = text_field(scorecard_services.TEXT_LIMIT)


class RedFlagInputSerializer(serializers.Serializer):
    red_flag = serializers.SlugField(max_length=60, help_text="Red flag key")
    raised = serializers.BooleanField(required=False)
    evidence = text_field(scorecard_services.EVIDENCE_LIMIT)


class ScorecardSaveSerializer(serializers.Serializer):
    """Only the fields sent change. `version` is the version this save is based on."""

    # A PATCH of a scorecard still names its version: the schema marks it required.
    required_on_patch = True

    version = serializers.IntegerField(min_value=1, max_value=scorecard_services.MAX_VERSION)
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, required=False
    )
    summary = text_field(scorecard_services.TEXT_LIMIT)
    answers: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=AnswerInputSerializer(), required=False, max_length=100
    )
    red_flags: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=RedFlagInputSerializer(), required=False, max_length=50
    )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=scorecard_services.MAX_VERSION)


class ReopenSerializer(serializers.Serializer):
    reason = text_field(500)


class OpenScorecardSerializer(serializers.Serializer):
    interview = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ScorecardStateAnswerSerializer(serializers.Serializer):
    question_version = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)


class ScorecardStateFlagSerializer(serializers.Serializer):
    red_flag = serializers.CharField()
    raised = serializers.BooleanField()
    evidence = serializers.CharField(allow_blank=True)


class ScorecardStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ScorecardStatus.choices)
    recommendation = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    answers = ScorecardStateAnswerSerializer(many=True)
    red_flags = ScorecardStateFlagSerializer(many=True)


class ScorecardConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]  # as InterviewErrorSerializer's
        child=serializers.ListField(child=serializers.CharField())
    )
    current = ScorecardStateSerializer(
        required=False, help_text="What is saved now: merge with it, then save on its version"
    )


CONFLICT = OpenApiResponse(
    ScorecardConflictSerializer,
    description="Stale version (with `current`: the saved state to merge) or a locked scorecard",
)


class ScorecardFilter(StrictFilterSet):
    interview = IdFilter(field_name="interview_id")
    application = IdFilter(field_name="interview__application_id")
    status = django_filters.ChoiceFilter(choices=ScorecardStatus.choices)

    class Meta:
        model = Scorecard
        fields = ["interview", "application", "status"]


@extend_schema_view(
    list=extend_schema(responses={200: ScorecardSerializer(many=True), **errors(400, 401, 403)}),
    retrieve=extend_schema(responses={200: ScorecardSerializer, **errors(401, 403, 404)}),
    partial_update=extend_schema(
        request=ScorecardSaveSerializer,
        responses={200: ScorecardSerializer, 409: CONFLICT, **errors(400, 401, 403, 404)},
    ),
)
class ScorecardViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecards you may see: your own; other interviewers' submitted ones only once all of
    yours for that candidate are submitted (blind feedback); recruiters and admins every
    submitted one, hiring managers those of their requisitions. PATCH saves your draft: send
    the `version` it is based on; a stale one is refused with 409 and the saved state."""

    permission_classes = [HasCapability]
    parser_classes = [JSONParser]
    capability = "interviews.view_own"
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Scorecard]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Scorecard.objects.none()
        return self._with_details(
            scorecard_selectors.scorecards_visible_to(signed_in_user(self.request))
        )

    @staticmethod
    def _with_details(rows: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
        answers = ScorecardAnswer.objects.select_related("question_version__question").order_by(
            "question_version__question__number", "id"
        )
        flags = ScorecardRedFlag.objects.select_related("red_flag").order_by("red_flag__number")
        return rows.select_related("interviewer", "interview").prefetch_related(
            Prefetch("answers", queryset=answers), Prefetch("red_flags", queryset=flags)
        )

    def _respond(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ScorecardSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def _respond_any(self, pk: int) -> Response:
        """After a reopen the scorecard is a draft again, seen by its author only: the admin
        who reopened it still gets the result of their action."""
        rows = self.get_queryset().model.objects.filter(pk=pk)
        card = self._with_details(rows).get()
        return Response(ScorecardSerializer(card).data)

    @extend_schema(
        request=OpenScorecardSerializer,
        responses={
            200: ScorecardSerializer,
            201: ScorecardSerializer,
            **errors(400, 401, 403, 404),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open your scorecard for an interview you are on (created the first time: 201)."""
        user = signed_in_user(request)
        body = OpenScorecardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interview = Interview.objects.filter(
            pk=body.validated_data["interview"], interviewers=user
        ).first()
        if interview is None:
            raise DomainError(
                "You are not an interviewer of that interview.",
                fields={"interview": ["Not one of your interviews."]},
            )
        if interview.status == InterviewStatus.CANCELLED:
            raise DomainError("That interview was cancelled.", fields={"interview": ["Cancelled."]})
        existed = Scorecard.objects.filter(interview=interview, interviewer=user).exists()
        card = scorecard_services.scorecard_open(interview=interview, interviewer=user)
        return self._respond(card.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        card = self.get_object()
        body = ScorecardSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            version, changes = scorecard_services.changes_from_data(body.validated_data)
            scorecard_services.scorecard_autosave(
                scorecard_id=card.pk,
                actor=signed_in_user(request),
                version=version,
                changes=changes,
            )
        except scorecard_services.ScorecardConflict as conflict:
            data = {
                "detail": conflict.message,
                "fields": conflict.fields,
                "current": conflict.current,
            }
            return Response(data, status=status.HTTP_409_CONFLICT)
        return self._respond(card.pk)

    @extend_schema(
        request=VersionSerializer,
        responses={200: ScorecardSerializer, 409: CONFLICT, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit and lock your scorecard; an incomplete one is refused naming the fields."""
        card = self.get_object()
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            scorecard_services.scorecard_submit(
                scorecard=card,
                actor=signed_in_user(request),
                version=body.validated_data["version"],
            )
        except scorecard_services.ScorecardConflict as conflict:
            data = {
                "detail": conflict.message,
                "fields": conflict.fields,
                "current": conflict.current,
            }
            return Response(data, status=status.HTTP_409_CONFLICT)
        return self._respond(card.pk)

    @extend_schema(
        request=ReopenSerializer,
        responses={200: ScorecardSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Admins: unlock a submitted scorecard so its interviewer can correct it (logged)."""
        if not can(request.user, "scorecards.reopen"):
            raise DomainError("Only admins can reopen a scorecard.", status=403)
        card = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scorecard_services.scorecard_reopen(
            scorecard=card,
            actor=signed_in_user(request),
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond_any(card.pk)


router = SimpleRouter()
router.register("scorecards", ScorecardViewSet, basename="api-scorecard")
urlpatterns = router.urls
