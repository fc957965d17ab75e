"""The debrief through the API: an application's scoring summary (explained in words) and the
hiring manager's decision (the current one, the history, recording a new one).

Same permissions as the debrief page: anything outside a caller's visibility is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.interviews import errors, text_field
from assessments.models import Decision, DecisionOutcome
from assessments.scoring import FlagScore, QuestionScore, Summary
from assessments.selectors.debrief import application_summary
from assessments.selectors.interviews import may_decide
from assessments.services.decisions import decision_record
from hiring.api_parsers import JSONParser
from hiring.errors import DomainError
from hiring.permissions import HasCapability, signed_in_user
from hiring.pipeline.models import REJECTION_REASONS, Application
from hiring.pipeline.selectors import applications_visible_to


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
    # A declared field, taken off the class by DRF: it does not shadow `Field.label`.
    label = serializers.CharField()  # type: ignore[assignment]
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


def _visible_application(user: User, application_id: int, capability: str) -> Application:
    """The application if `capability` (debrief.view, debrief.decide) reaches it; else 404."""
    application = applications_visible_to(user, capability).filter(pk=application_id).first()
    if application is None:
        raise Http404("No such application")
    return application


class ApplicationSummaryView(APIView):
    """The scoring summary of an application's submitted scorecards, explained in words."""

    permission_classes = [HasCapability]
    capability = "debrief.view"

    @extend_schema(responses={200: SummarySerializer, **errors(401, 403, 404)})
    def get(self, request: Request, application_id: int) -> Response:
        application = _visible_application(signed_in_user(request), application_id, "debrief.view")
        summary = application_summary(application)
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
            "override_reason",
            "evidence_headline",
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
    comment = text_field(10_000)
    override_reason = text_field(
        10_000,
        help_text=(
            "Required to advance a candidate whose signal is Strong no or who has a confirmed "
            "red flag (at least 20 characters): why, kept with the decision. Advance only."
        ),
    )


class ApplicationDecisionView(APIView):
    """The debrief decision: GET the current one and the history; POST records a new one
    (hiring managers and admins). Advance moves to the Offer stage and starts the offer clock."""

    permission_classes = [HasCapability]
    parser_classes = [JSONParser]
    capability = {"read": "debrief.view", "write": "debrief.decide"}

    @extend_schema(responses={200: DecisionStateSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, application_id: int) -> Response:
        application = _visible_application(signed_in_user(request), application_id, "debrief.view")
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
        responses={201: DecisionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, application_id: int) -> Response:
        user = signed_in_user(request)
        application = _visible_application(user, application_id, "debrief.view")
        if not may_decide(user, application):
            raise DomainError(
                "Only the requisition's hiring manager and admins record its decision.",
                status=403,
            )
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = decision_record(
            application=application,
            actor=user,
            outcome=data["outcome"],
            reason=data.get("reason", ""),
            comment=data.get("comment", ""),
            override_reason=data.get("override_reason", ""),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


urlpatterns = [
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
