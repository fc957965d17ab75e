"""Offers API: create, edit in draft (or restart approvals), submit, vote to approve or reject
a step, mark sent / accepted / declined, revise, rescind, the band check.

Same rules as the pages: `offers.view` reads (recruiters, hiring managers, admins; a hiring
manager sees their requisitions' offers and the ones they approve), `offers.edit` writes
(recruiters, admins); approving needs `offers.view` plus a seat on the step. Interviewers
get 403 everywhere here. Service errors come back as 400 (bad input), 403 (not your step)
or 409 (the offer's state does not allow it, or a stale version).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hiring.api_parsers import JSONParser
from hiring.api_schema import ERROR_RESPONSE
from hiring.api_support import StrictFilterSet
from hiring.business_time import business_hours_between, company_calendar, deadline_label
from hiring.ids import MAX_ID
from hiring.offers.models import ApprovalStep, Offer, StepApprover
from hiring.offers.rules import MAX_SALARY, OfferStatus
from hiring.offers.selectors.offers import offer_band_check, offers_visible_to
from hiring.offers.services import offers as services
from hiring.offers.services.approvals import step_vote
from hiring.offers.services.sending import offer_send
from hiring.permissions import HasCapability
from hiring.pipeline.selectors import applications_visible_to
from roles.models import RoleLevel


def _actor(request: Request) -> User:
    """The caller: every endpoint here needs a login (HasCapability), so a user, not
    anonymous."""
    user = request.user
    assert isinstance(user, User)
    return user


# Serializers ------------------------------------------------------------------------------


class StepApproverSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    vote = serializers.ChoiceField(
        choices=[("", "Not voted yet"), ("approve", "Approved"), ("reject", "Rejected")]
    )

    class Meta:
        model = StepApprover
        fields = ["user", "name", "vote", "comment", "voted_at"]

    def get_name(self, seat: StepApprover) -> str:
        return seat.user.get_full_name() or seat.user.get_username()


class ApprovalStepSerializer(serializers.ModelSerializer):
    approvers = StepApproverSerializer(many=True)

    class Meta:
        model = ApprovalStep
        fields = [
            "id", "round", "position", "name", "kind", "required_approvals", "status",
            "activated_at", "closed_at", "wait_business_hours", "approvers",
        ]  # fmt: skip


class ClockSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    stopped_at = serializers.DateTimeField(allow_null=True)
    business_hours_left = serializers.FloatField(
        help_text="Business hours until the two-business-day deadline; negative when overdue"
    )
    # The API's field is named "label"; the serializer's own `label` (Field.label) is unused.
    label = serializers.CharField()  # type: ignore[assignment]


class OfferSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="application.candidate.name")
    requisition = serializers.IntegerField(source="application.requisition_id")
    requisition_title = serializers.CharField(source="application.requisition.title")
    level_name = serializers.CharField(source="level.name")
    total_cash = serializers.IntegerField(help_text="Base salary plus target bonus")
    steps = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id", "application", "candidate_name", "requisition", "requisition_title",
            "revision", "supersedes", "status", "base_salary", "target_bonus", "total_cash",
            "currency", "level", "level_name", "start_date", "expires_on", "notes",
            "justification", "band_result", "approval_round", "returned_reason", "sent_on",
            "sent_at", "responded_at", "response_note", "version", "created_at", "updated_at",
            "steps", "clock",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ApprovalStepSerializer(many=True))
    def get_steps(self, offer: Offer) -> list[dict[str, Any]]:
        """The current approval round's steps."""
        steps = [s for s in offer.steps.all() if s.round == offer.approval_round]
        return ApprovalStepSerializer(steps, many=True).data  # type: ignore[return-value]

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_clock(self, offer: Offer) -> dict[str, Any] | None:
        clock = getattr(offer.application, "offer_clock", None)
        if clock is None:
            return None
        end = clock.stopped_at or timezone.now()
        cal = company_calendar()
        hours = round(business_hours_between(end, clock.due_at, cal), 2)
        return {
            "started_at": clock.started_at,
            "due_at": clock.due_at,
            "stopped_at": clock.stopped_at,
            "business_hours_left": hours,
            "label": deadline_label(clock.due_at, hours, cal),
        }


class OfferTermsSerializer(serializers.Serializer):
    base_salary = serializers.IntegerField(min_value=1, max_value=MAX_SALARY)
    target_bonus = serializers.IntegerField(min_value=0, max_value=MAX_SALARY, required=False)
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", required=False, help_text="ISO 4217 code, e.g. USD (the default)"
    )
    level = serializers.PrimaryKeyRelatedField(
        queryset=RoleLevel.objects.all(),
        required=False,
        help_text="A level of the requisition's role; defaults to the requisition's level",
    )
    start_date = serializers.DateField()
    expires_on = serializers.DateField(help_text="On or before the start date")
    notes = serializers.CharField(
        max_length=5_000, required=False, allow_blank=True, help_text="Notes for approvers"
    )
    justification = serializers.CharField(
        max_length=5_000,
        required=False,
        allow_blank=True,
        help_text="Required (20+ characters) to submit an offer outside its band",
    )


class OfferCreateSerializer(OfferTermsSerializer):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class OfferUpdateSerializer(OfferTermsSerializer):
    base_salary = serializers.IntegerField(min_value=1, max_value=MAX_SALARY, required=False)
    start_date = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The version the edit is based on; a stale one is refused with 409",
    )


class SubmitSerializer(serializers.Serializer):
    justification = serializers.CharField(max_length=5_000, required=False, allow_blank=True)


class VoteSerializer(serializers.Serializer):
    step = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="The step to vote on; by default the caller's open step on this offer",
    )
    comment = serializers.CharField(
        max_length=2_000, required=False, allow_blank=True, help_text="Required to reject"
    )


class SentSerializer(serializers.Serializer):
    sent_on = serializers.DateField(required=False, help_text="Defaults to today")
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="How it was sent (by hand)"
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RescindSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the offer is withdrawn")


class BandCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["below", "within", "above", "no_band"])
    amount = serializers.IntegerField(help_text="Total cash compared with the band")
    currency = serializers.CharField()
    position = serializers.IntegerField(
        allow_null=True, help_text="0-100: where the amount sits in the band"
    )
    low = serializers.IntegerField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)
    open_ended = serializers.BooleanField()
    market_tension = serializers.CharField(allow_blank=True)
    outside_by = serializers.IntegerField()
    outside_percent = serializers.FloatField()
    needs_justification = serializers.BooleanField()
    summary = serializers.CharField()


# Views ------------------------------------------------------------------------------------


class OfferFilter(StrictFilterSet):
    # Bounded, so an id past the database's integer range is a 400, not a 500.
    application = django_filters.NumberFilter(
        field_name="application_id", min_value=1, max_value=MAX_ID
    )
    status = django_filters.ChoiceFilter(choices=OfferStatus.choices)

    class Meta:
        model = Offer
        fields = ["application", "status"]


# JSON bodies only (no form encodings, where DRF reads an empty optional field as "not
# given"): anything else is a documented 415.
WRITE = {200: OfferSerializer, 400: ERROR_RESPONSE, 409: ERROR_RESPONSE, 415: ERROR_RESPONSE}
CREATED = {201: OfferSerializer, 400: ERROR_RESPONSE, 409: ERROR_RESPONSE, 415: ERROR_RESPONSE}


@extend_schema_view(
    create=extend_schema(
        request=OfferCreateSerializer,
        responses=CREATED,
    ),
    partial_update=extend_schema(request=OfferUpdateSerializer, responses=WRITE),
)
class OfferViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Offers. Filter with `?status=pending` or `?application=ID`."""

    permission_classes = [HasCapability]
    serializer_class = OfferSerializer
    queryset = Offer.objects.none()  # the schema's model; requests use get_queryset
    filterset_class = OfferFilter
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def capability(self) -> Any:
        if getattr(self, "action", None) in ("approve", "reject"):
            return "offers.view"  # plus a seat on the step: the service checks it
        return {"read": "offers.view", "write": "offers.edit"}

    def get_queryset(self) -> QuerySet[Offer]:
        return (
            offers_visible_to(_actor(self.request), "offers.view")
            .select_related(
                "application__candidate",
                "application__requisition",
                "application__offer_clock",
                "level",
            )
            .prefetch_related("steps__approvers__user")
        )

    def _respond(self, offer: Offer, code: int = status.HTTP_200_OK) -> Response:
        return Response(OfferSerializer(self.get_queryset().get(pk=offer.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = OfferCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        application = (
            applications_visible_to(_actor(request), "offers.edit")
            .filter(pk=data.pop("application"))
            .first()
        )
        if application is None:
            raise serializers.ValidationError({"application": ["No such application."]})
        offer = services.offer_create(application=application, fields=data, actor=_actor(request))
        return self._respond(offer, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offer = self.get_object()
        body = OfferUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version", None)
        services.offer_update(offer=offer, fields=data, actor=_actor(request), version=version)
        return self._respond(offer)

    @extend_schema(request=SubmitSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft to approval. Out of band: `justification` is required and the chain
        gets a compensation-exception step."""
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = services.offer_submit(
            offer=self.get_object(),
            actor=_actor(request),
            justification=body.validated_data.get("justification"),
        )
        return self._respond(offer)

    def _vote(self, request: Request, approve: bool) -> Response:
        body = VoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = step_vote(
            offer=self.get_object(),
            step_id=body.validated_data.get("step"),
            actor=_actor(request),
            approve=approve,
            comment=body.validated_data.get("comment", ""),
        )
        return self._respond(offer)

    @extend_schema(request=VoteSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Vote to approve your open step (or `step`). The last approval needed approves the
        offer."""
        return self._vote(request, approve=True)

    @extend_schema(request=VoteSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Vote to reject your open step with a `comment`: the offer goes back to draft."""
        return self._vote(request, approve=False)

    @extend_schema(request=ReasonSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Take a pending or approved offer back to draft."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = services.offer_withdraw(
            offer=self.get_object(),
            actor=_actor(request),
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond(offer)

    @extend_schema(request=None, responses=WRITE)
    @action(detail=True, methods=["post"], url_path="send-email", url_name="send-email")
    def send_email(self, request: Request, pk: str | None = None) -> Response:
        """E-mail an approved offer to the candidate: the letter, its PDF and their signed
        link, through the outbox. The offer is `sending`, then `sent` once the mail server
        accepts it (the two-business-day clock stops then); 409 unless approved."""
        offer = offer_send(offer=self.get_object(), actor=_actor(request))
        return self._respond(offer)

    @extend_schema(request=SentSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Mark an approved offer sent by hand (a phone offer): stops the two-business-day
        clock; labelled "by hand" in the history."""
        body = SentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = services.offer_mark_sent(
            offer=self.get_object(),
            actor=_actor(request),
            sent_on=body.validated_data.get("sent_on"),
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond(offer)

    @extend_schema(request=None, responses=WRITE)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """The candidate accepted: hired; the requisition fills when its headcount is met."""
        offer = services.offer_mark_accepted(offer=self.get_object(), actor=_actor(request))
        return self._respond(offer)

    @extend_schema(request=ReasonSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = services.offer_mark_declined(
            offer=self.get_object(),
            actor=_actor(request),
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond(offer)

    @extend_schema(request=RescindSerializer, responses=WRITE)
    @action(detail=True, methods=["post"])
    def rescind(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a live offer for good (`reason` required)."""
        body = RescindSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offer = services.offer_rescind(
            offer=self.get_object(),
            actor=_actor(request),
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond(offer)

    @extend_schema(request=None, responses=CREATED)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str | None = None) -> Response:
        """A new draft revision; a sent offer is superseded and kept in the history."""
        offer = services.offer_revise(offer=self.get_object(), actor=_actor(request))
        return self._respond(offer, status.HTTP_201_CREATED)

    @extend_schema(responses=BandCheckSerializer)
    @action(detail=True, methods=["get"], url_path="band-check")
    def band_check(self, request: Request, pk: str | None = None) -> Response:
        """The offer's total cash against the band in force today for its level."""
        check = offer_band_check(offer=self.get_object())
        band = check.band
        data = {
            "result": check.result.value,
            "amount": check.amount,
            "currency": check.currency,
            "position": check.position,
            "low": band.low if band else None,
            "high": band.high if band else None,
            "open_ended": bool(band and band.open_ended),
            "market_tension": band.market_tension if band else "",
            "outside_by": check.outside_by,
            "outside_percent": check.outside_percent,
            "needs_justification": check.needs_justification,
            "summary": check.summary(),
        }
        return Response(BandCheckSerializer(data).data)


router = SimpleRouter()
router.register("offers", OfferViewSet, basename="api-offer")
urlpatterns = router.urls
