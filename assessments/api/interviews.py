"""Interviews API: scheduling, rescheduling (PATCH) and cancelling; what an interview covers.

Same permissions as the pages: anything outside a caller's visibility is a 404. Writes go
through the services. The error responses and the id filter here are shared by the
scorecard and decision APIs of the domain.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from assessments.invites import scorecard_url
from assessments.models import Interview, InterviewQuestion, Question, QuestionVersion
from assessments.rules import InterviewStatus
from assessments.selectors.interviews import interviews_visible_to
from assessments.services import interviews as interview_services
from hiring.api_parsers import JSONParser
from hiring.api_support import StrictFilterSet
from hiring.errors import DomainError
from hiring.ids import MAX_ID
from hiring.permissions import HasCapability, signed_in_user
from hiring.pipeline.models import Application
from hiring.pipeline.selectors import applications_visible_to
from roles.models import LoopQuestion


def text_field(max_length: int, **options: Any) -> serializers.CharField:
    """Optional free text kept as typed (blank allowed, spaces not trimmed)."""
    return serializers.CharField(
        max_length=max_length, allow_blank=True, trim_whitespace=False, required=False, **options
    )


class InterviewErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    # DRF takes declared fields off the class, so this does not shadow `Serializer.fields`;
    # the type checker cannot know that.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    texts = {
        400: "Invalid input: the fields named say why",
        401: "Not logged in",
        403: "Not part of your role",
        404: "Not found, or not visible to you",
        409: "Conflict with the current state",
    }
    return {
        code: OpenApiResponse(InterviewErrorSerializer, description=texts[code]) for code in codes
    }


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id filter: a whole number; one no row can have (0, negative, beyond the database's
    range) simply matches nothing, never a 500."""

    field_class = forms.IntegerField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is not None and not 1 <= value <= MAX_ID:
            return qs.none()
        return super().filter(qs, value)


# Interviews ---------------------------------------------------------------------------------


class InterviewQuestionSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question_version.question.key", read_only=True)
    number = serializers.IntegerField(source="question_version.question.number", read_only=True)
    version = serializers.IntegerField(source="question_version.version", read_only=True)
    text = serializers.CharField(source="question_version.text", read_only=True)
    interviewer = serializers.IntegerField(
        source="interviewer_id", read_only=True, allow_null=True, help_text="null: everyone asks it"
    )

    class Meta:
        model = InterviewQuestion
        fields = ["question_version", "question", "number", "version", "text", "interviewer"]
        read_only_fields = fields


class InterviewSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="application.candidate.name", read_only=True)
    interviewers = serializers.SerializerMethodField()
    interviewer_names = serializers.SerializerMethodField()
    questions = InterviewQuestionSerializer(many=True, read_only=True)
    scorecard_url = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id", "application", "candidate_name", "round_name", "starts_at", "duration_minutes",
            "ends_at", "location", "status", "sequence", "interviewers", "interviewer_names",
            "questions", "scorecard_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_interviewers(self, obj: Interview) -> list[int]:
        return [u.pk for u in obj.interviewers.all()]

    def get_interviewer_names(self, obj: Interview) -> list[str]:
        return [u.get_full_name() or u.get_username() for u in obj.interviewers.all()]

    def get_scorecard_url(self, obj: Interview) -> str:
        return scorecard_url(obj.pk)


class QuestionPlanSerializer(serializers.Serializer):
    question = serializers.SlugField(max_length=60, help_text="Bank question key")
    interviewer = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID,
        help_text="One of the interviewers; null or omitted: every interviewer asks it",
    )  # fmt: skip


class InterviewWriteSerializer(serializers.Serializer):
    round_name = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480)
    interviewers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=20
    )
    location = text_field(300)
    questions: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=QuestionPlanSerializer(), required=False, max_length=50,
        help_text="Omitted: the role's interview loop, asked by every interviewer",
    )  # fmt: skip


class InterviewCreateSerializer(InterviewWriteSerializer):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class InterviewFilter(StrictFilterSet):
    application = IdFilter(field_name="application_id")
    status = django_filters.ChoiceFilter(choices=InterviewStatus.choices)

    class Meta:
        model = Interview
        fields = ["application", "status"]


def _people(ids: list[int]) -> list[User]:
    found = User.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "Unknown interviewer.",
            fields={"interviewers": [f"No user {i}." for i in missing]},
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _plan(
    application: Application,
    items: list[dict[str, Any]] | None,
    people: list[User],
    keep: dict[int, QuestionVersion],
) -> list[interview_services.QuestionAssignment]:
    by_pk = {p.pk: p for p in people}
    if items is None:
        loop = LoopQuestion.objects.filter(role_id=application.requisition.role_id)
        keys = [step.question.key for step in loop.select_related("question").order_by("position")]
        items = [{"question": key} for key in keys]
    questions = Question.objects.select_related("current_version").in_bulk(
        [i["question"] for i in items], field_name="key"
    )
    plan = []
    for item in items:
        question = questions.get(item["question"])
        if question is None or question.current_version is None:
            raise DomainError(
                "Unknown question.", fields={"questions": [f"No question {item['question']!r}."]}
            )
        interviewer = item.get("interviewer")
        if interviewer is not None and interviewer not in by_pk:
            raise DomainError(
                "A question is assigned to someone who is not on the interview.",
                fields={"questions": [f"{item['question']}: not one of the interviewers."]},
            )
        plan.append(
            interview_services.QuestionAssignment(
                question_version=keep.get(question.pk) or question.current_version,
                interviewer=by_pk.get(interviewer) if interviewer else None,
            )
        )
    return plan


@extend_schema_view(
    list=extend_schema(responses={200: InterviewSerializer(many=True), **errors(400, 401, 403)}),
    retrieve=extend_schema(responses={200: InterviewSerializer, **errors(401, 403, 404)}),
    create=extend_schema(
        request=InterviewCreateSerializer,
        responses={201: InterviewSerializer, **errors(400, 401, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        request=InterviewWriteSerializer(partial=True),
        responses={200: InterviewSerializer, **errors(400, 401, 403, 404, 409)},
    ),
)
class InterviewViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Interviews you may see: recruiters and admins all, hiring managers their requisitions',
    interviewers their own. Scheduling, rescheduling (PATCH: the fields sent change; the invite
    goes out again with a higher SEQUENCE) and cancelling need the scheduling right."""

    permission_classes = [HasCapability]
    parser_classes = [JSONParser]  # nested question plans: JSON only, no form-encoding guesswork
    capability = {"read": "interviews.view_own", "write": "interviews.schedule"}
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Interview]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Interview.objects.none()
        questions = InterviewQuestion.objects.select_related("question_version__question")
        # Reads: what the user may see; writes (reschedule, cancel): what they may schedule.
        reading = self.request.method in ("GET", "HEAD", "OPTIONS")
        capability = "interviews.view_own" if reading else "interviews.schedule"
        return (
            interviews_visible_to(signed_in_user(self.request), capability)
            .select_related("application__candidate")
            .prefetch_related("interviewers", Prefetch("questions", queryset=questions))
        )

    def _respond(self, interview: Interview, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data, status=code
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = signed_in_user(request)
        body = InterviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = (
            applications_visible_to(actor, "interviews.schedule")
            .select_related("requisition")
            .filter(pk=data["application"])
            .first()
        )
        if application is None:
            raise DomainError(
                "Unknown application.", fields={"application": ["No such application."]}
            )
        people = _people(data["interviewers"])
        interview = interview_services.interview_schedule(
            application=application,
            actor=actor,
            round_name=data["round_name"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            interviewers=people,
            location=data.get("location", ""),
            questions=_plan(application, data.get("questions"), people, {}),
        )
        return self._respond(interview, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        interview = self.get_object()
        body = InterviewWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        current = list(interview.questions.all())
        keep = {q.question_version.question_id: q.question_version for q in current}
        people = (
            _people(data["interviewers"])
            if "interviewers" in data
            else list(interview.interviewers.all())
        )
        items = data.get("questions")
        if items is None:
            by_key = {q.question_version.question.key: q for q in current}
            items = [
                {"question": key, "interviewer": q.interviewer_id} for key, q in by_key.items()
            ]
        interview_services.interview_update(
            interview=interview,
            actor=signed_in_user(request),
            round_name=data.get("round_name", interview.round_name),
            starts_at=data.get("starts_at", interview.starts_at),
            duration_minutes=data.get("duration_minutes", interview.duration_minutes),
            interviewers=people,
            location=data.get("location", interview.location),
            questions=_plan(interview.application, items, people, keep),
        )
        return self._respond(interview)

    @extend_schema(
        request=None, responses={200: InterviewSerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel: every attendee gets METHOD:CANCEL for the same invite UID (409 once it is
        cancelled already)."""
        interview = interview_services.interview_cancel(
            interview=self.get_object(), actor=signed_in_user(request)
        )
        return self._respond(interview)


router = SimpleRouter()
router.register("interviews", InterviewViewSet, basename="api-interview")
urlpatterns = router.urls
