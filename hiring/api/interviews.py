"""Interviews API: interviews, scorecards (version field and the 409 rule), the scoring summary
and the debrief decision of an application. Same permissions as the pages, blind rule included:
an interviewer reads other interviewers' scorecards only once theirs are submitted. Anything
outside a caller's visibility is a 404. Writes go through the services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from assessments import selectors as scorecard_selectors
from assessments.models import (
    InterviewQuestion,
    Question,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardAnswer,
    ScorecardRedFlag,
    ScorecardStatus,
)
from assessments.scoring import FlagScore, QuestionScore, Summary
from assessments.services import scorecards as scorecard_services
from hiring.errors import DomainError
from hiring.interview_selectors import debrief_applications, interviews_visible_to
from hiring.models import (
    REJECTION_REASONS,
    Application,
    Decision,
    DecisionOutcome,
    Interview,
    InterviewStatus,
)
from hiring.permissions import HasCapability, can
from hiring.selectors import applications_visible_to
from hiring.services import interviews as interview_services
from hiring.services.decisions import decision_record
from hiring.services.invites import scorecard_url
from roles.models import LoopQuestion

User = get_user_model()
MAX_ID = 2**63 - 1
TEXT = {"allow_blank": True, "trim_whitespace": False, "required": False}


class InterviewErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


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
    location = serializers.CharField(max_length=300, **TEXT)
    questions = QuestionPlanSerializer(
        many=True, required=False, max_length=50,
        help_text="Omitted: the role's interview loop, asked by every interviewer",
    )  # fmt: skip


class InterviewCreateSerializer(InterviewWriteSerializer):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id filter: a whole number; one no row can have (0, negative, beyond the database's
    range) simply matches nothing, never a 500."""

    field_class = forms.IntegerField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is not None and not 1 <= value <= MAX_ID:
            return qs.none()
        return super().filter(qs, value)


class InterviewFilter(django_filters.FilterSet):
    application = IdFilter(field_name="application_id")
    status = django_filters.ChoiceFilter(choices=InterviewStatus.choices)

    class Meta:
        model = Interview
        fields = ["application", "status"]


def _people(ids: list[int]) -> list[Any]:
    found = User.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "Unknown interviewer.",
            fields={"interviewers": [f"No user {i}." for i in missing]},
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _plan(
    application: Application, items: list[dict[str, Any]] | None, people: list[Any], keep: dict
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
        responses={201: InterviewSerializer, **errors(400, 401, 403, 404)},
    ),
    partial_update=extend_schema(
        request=InterviewWriteSerializer(partial=True),
        responses={200: InterviewSerializer, **errors(400, 401, 403, 404)},
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
        return (
            interviews_visible_to(self.request.user)
            .select_related("application__candidate")
            .prefetch_related("interviewers", Prefetch("questions", queryset=questions))
        )

    def _respond(self, interview: Interview, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data, status=code
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = InterviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = (
            applications_visible_to(request.user)
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
            actor=request.user,
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
            actor=request.user,
            round_name=data.get("round_name", interview.round_name),
            starts_at=data.get("starts_at", interview.starts_at),
            duration_minutes=data.get("duration_minutes", interview.duration_minutes),
            interviewers=people,
            location=data.get("location", interview.location),
            questions=_plan(interview.application, items, people, keep),
        )
        return self._respond(interview)

    @extend_schema(request=None, responses={200: InterviewSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel: every attendee gets METHOD:CANCEL for the same invite UID."""
        interview = interview_services.interview_cancel(
            interview=self.get_object(), actor=request.user
        )
        return self._respond(interview)


# Scorecards ---------------------------------------------------------------------------------


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
    notes = serializers.CharField(max_length=scorecard_services.TEXT_LIMIT, **TEXT)


class RedFlagInputSerializer(serializers.Serializer):
    red_flag = serializers.SlugField(max_length=60, help_text="Red flag key")
    raised = serializers.BooleanField(required=False)
    evidence = serializers.CharField(max_length=scorecard_services.EVIDENCE_LIMIT, **TEXT)


class ScorecardSaveSerializer(serializers.Serializer):
    """Only the fields sent change. `version` is the version this save is based on."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, required=False
    )
    summary = serializers.CharField(max_length=scorecard_services.TEXT_LIMIT, **TEXT)
    answers = AnswerInputSerializer(many=True, required=False, max_length=100)
    red_flags = RedFlagInputSerializer(many=True, required=False, max_length=50)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, **TEXT)


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
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    current = ScorecardStateSerializer(
        required=False, help_text="What is saved now: merge with it, then save on its version"
    )


CONFLICT = OpenApiResponse(
    ScorecardConflictSerializer,
    description="Stale version (with `current`: the saved state to merge) or a locked scorecard",
)


class ScorecardFilter(django_filters.FilterSet):
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
        return self._with_details(scorecard_selectors.scorecards_visible_to(self.request.user))

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
        body = OpenScorecardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interview = Interview.objects.filter(
            pk=body.validated_data["interview"], interviewers=request.user
        ).first()
        if interview is None:
            raise DomainError(
                "You are not an interviewer of that interview.",
                fields={"interview": ["Not one of your interviews."]},
            )
        if interview.status == InterviewStatus.CANCELLED:
            raise DomainError("That interview was cancelled.", fields={"interview": ["Cancelled."]})
        existed = Scorecard.objects.filter(interview=interview, interviewer=request.user).exists()
        card = scorecard_services.scorecard_open(interview=interview, interviewer=request.user)
        return self._respond(card.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        card = self.get_object()
        body = ScorecardSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            version, changes = scorecard_services.changes_from_data(body.validated_data)
            scorecard_services.scorecard_autosave(
                scorecard_id=card.pk, actor=request.user, version=version, changes=changes
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
                scorecard=card, actor=request.user, version=body.validated_data["version"]
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
            scorecard=card, actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return self._respond_any(card.pk)


# Summary and decision -----------------------------------------------------------------------


class RatingBySerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    rating = serializers.IntegerField()


class EvidenceBySerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    evidence = serializers.CharField(allow_blank=True)


class QuestionScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)
    ratings = RatingBySerializer(many=True)
    mean = serializers.FloatField(allow_null=True)
    spread = serializers.IntegerField(allow_null=True)
    disagreement = serializers.BooleanField()


class FlagScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()
    raised_by = EvidenceBySerializer(many=True)
    count = serializers.IntegerField(help_text="Different interviewers who raised it")
    confirmed = serializers.BooleanField()
    why = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    application = serializers.IntegerField()
    signal = serializers.ChoiceField(choices=["strong_no", "no", "yes", "strong_yes", "no_signal"])
    label = serializers.CharField()
    headline = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    explanation = serializers.ListField(child=serializers.CharField())
    mean = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    scorecard_count = serializers.IntegerField()
    confirmed_weight = serializers.FloatField()
    questions = QuestionScoreSerializer(many=True)
    red_flags = FlagScoreSerializer(many=True)
    recommendations = serializers.DictField(child=serializers.IntegerField())


def _question(q: QuestionScore) -> dict[str, Any]:
    return {
        "key": q.question.key,
        "number": q.question.number,
        "text": q.question.text,
        "ratings": [{"interviewer": i, "rating": r} for i, r in q.ratings],
        "mean": round(float(q.mean), 3) if q.mean is not None else None,
        "spread": q.spread,
        "disagreement": q.disagreement,
    }


def _flag(f: FlagScore) -> dict[str, Any]:
    return {
        "key": f.flag.key,
        "title": f.flag.title,
        "severity": f.flag.severity,
        "raised_by": [{"interviewer": i, "evidence": e} for i, e in f.raised_by],
        "count": f.count,
        "confirmed": f.confirmed,
        "why": f.why,
    }


def summary_data(application: Application, summary: Summary) -> dict[str, Any]:
    return {
        "application": application.pk,
        "signal": summary.signal,
        "label": summary.label,
        "headline": summary.headline,
        "reasons": list(summary.reasons),
        "explanation": list(summary.explanation),
        "mean": round(float(summary.mean), 3) if summary.mean is not None else None,
        "rating_count": summary.rating_count,
        "scorecard_count": summary.scorecard_count,
        "confirmed_weight": float(summary.confirmed_weight),
        "questions": [_question(q) for q in summary.questions],
        "red_flags": [_flag(f) for f in summary.flags],
        "recommendations": dict(summary.recommendations),
    }


def _visible_application(user: Any, application_id: int) -> Application:
    application = debrief_applications(user).filter(pk=application_id).first()
    if application is None:
        raise Http404("No such application")
    return application


class ApplicationSummaryView(APIView):
    """The scoring summary of an application's submitted scorecards, explained in words."""

    permission_classes = [HasCapability]
    capability = "debrief.view"

    @extend_schema(responses={200: SummarySerializer, **errors(401, 403, 404)})
    def get(self, request: Request, application_id: int) -> Response:
        application = _visible_application(request.user, application_id)
        summary = scorecard_selectors.application_summary(application)
        return Response(SummarySerializer(summary_data(application, summary)).data)


class DecisionSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "outcome",
            "reason",
            "comment",
            "decided_by",
            "decided_by_name",
            "decided_at",
        ]
        read_only_fields = fields

    def get_decided_by_name(self, obj: Decision) -> str:
        return obj.decided_by.get_full_name() or obj.decided_by.get_username()


class DecisionStateSerializer(serializers.Serializer):
    current = DecisionSerializer(allow_null=True)
    offer_clock_started_at = serializers.DateTimeField(
        allow_null=True, help_text="decided_at of the current decision when it is advance"
    )
    history = DecisionSerializer(many=True)


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reason = serializers.CharField(
        max_length=120, allow_blank=True, required=False,
        help_text=f"Rejections only, one of: {', '.join(REJECTION_REASONS)}",
    )  # fmt: skip
    comment = serializers.CharField(max_length=10_000, **TEXT)


class ApplicationDecisionView(APIView):
    """The debrief decision: GET the current one and the history; POST records a new one
    (hiring managers and admins). Advance moves to the Offer stage and starts the offer clock."""

    permission_classes = [HasCapability]
    parser_classes = [JSONParser]
    capability = {"read": "debrief.view", "write": "debrief.decide"}

    @extend_schema(responses={200: DecisionStateSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, application_id: int) -> Response:
        application = _visible_application(request.user, application_id)
        history = list(
            Decision.objects.filter(application=application)
            .select_related("decided_by")
            .order_by("-decided_at", "-id")
        )
        current = history[0] if history else None
        started = current.decided_at if current and current.outcome == "advance" else None
        data = {"current": current, "offer_clock_started_at": started, "history": history}
        return Response(DecisionStateSerializer(data).data)

    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, application_id: int) -> Response:
        application = _visible_application(request.user, application_id)
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = decision_record(
            application=application,
            actor=request.user,
            outcome=data["outcome"],
            reason=data.get("reason", ""),
            comment=data.get("comment", ""),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("interviews", InterviewViewSet, basename="api-interview")
router.register("scorecards", ScorecardViewSet, basename="api-scorecard")

urlpatterns = [
    *router.urls,
    path(
        "applications/<int:application_id>/summary/",
        ApplicationSummaryView.as_view(),
        name="api-application-summary",
    ),
    path(
        "applications/<int:application_id>/decision/",
        ApplicationDecisionView.as_view(),
        name="api-application-decision",
    ),
]
