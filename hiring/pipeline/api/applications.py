"""The applications API: a candidate in a requisition, with the candidate list's filters;
stage moves, ends and reopening (refused moves are 409s when the status forbids them), notes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hiring.api_schema import ERROR_RESPONSE as ERROR
from hiring.api_support import CursorPagination
from hiring.errors import DomainError
from hiring.ids import MAX_ID
from hiring.permissions import signed_in_user
from hiring.pipeline import selectors
from hiring.pipeline.api.access import METHODS, PipelineAccess, active_users
from hiring.pipeline.api.requisitions import StageSerializer
from hiring.pipeline.filters import ApplicationFilter
from hiring.pipeline.models import (
    Application,
    Candidate,
    Note,
    NoteVisibility,
    Requisition,
    Stage,
)
from hiring.pipeline.rules import END_STATES, REJECTION_REASONS, WITHDRAWAL_REASONS
from hiring.pipeline.services import applications as application_services


class ApplicationAPIFilter(ApplicationFilter):
    """The candidate list's filters, plus one candidate's applications; the search matches
    the notes the caller may read."""

    candidate = django_filters.NumberFilter(
        field_name="candidate_id", min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args: Any, request: Request | None = None, **kwargs: Any) -> None:
        user = getattr(request, "user", None)
        notes = selectors.searchable_notes(user) if user is not None else Note.objects.none()
        super().__init__(*args, request=request, notes=notes, **kwargs)

    class Meta(ApplicationFilter.Meta):
        fields = [*ApplicationFilter.Meta.fields, "candidate"]


class ApplicationSerializer(serializers.ModelSerializer):
    candidate = serializers.PrimaryKeyRelatedField(
        queryset=Candidate.objects.filter(merged_into__isnull=True)
    )
    candidate_name = serializers.CharField(source="candidate.name", read_only=True)
    candidate_email = serializers.CharField(source="candidate.email", read_only=True)
    requisition = serializers.PrimaryKeyRelatedField(queryset=Requisition.objects.all())
    requisition_title = serializers.CharField(source="requisition.title", read_only=True)
    stage = StageSerializer(read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=active_users(),
        required=False,
        allow_null=True,
        help_text="Defaults to the requisition's recruiter",
    )
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True, default="")

    class Meta:
        model = Application
        fields = [
            "id", "candidate", "candidate_name", "candidate_email", "requisition",
            "requisition_title", "stage", "status", "end_reason", "entered_stage_at", "owner",
            "owner_name", "next_step", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "end_reason", "entered_stage_at", "next_step", "created_at", "updated_at"
        ]  # fmt: skip
        validators: list[Any] = []  # the service names an application already there


# The list and the detail read these columns and build their JSON in `application_rows`:
# model instances for 50 applications, their candidates, requisitions, stages and owners,
# serialized field by field, made the list cost 4x its SQL (10.4 ms against 2.5 ms at
# 1,000,000 applications). ApplicationSerializer still documents the answer and does the
# writes; a test holds the two answers equal.
ROW_COLUMNS = (
    "id", "candidate_id", "candidate__name", "candidate__email", "requisition_id",
    "requisition__title", "stage_id", "stage__name", "stage__kind", "stage__position",
    "status", "end_reason", "entered_stage_at", "owner_id", "owner__first_name",
    "owner__last_name", "next_step", "created_at", "updated_at",
)  # fmt: skip


@functools.cache
def _all_rows() -> QuerySet[Application, dict[str, Any]]:
    """Every application's ROW_COLUMNS: a query built once (resolving its 19 names took
    more than a tenth of a millisecond a request), cloned by each request."""
    return Application.objects.values(*ROW_COLUMNS)


def application_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """ApplicationSerializer's representation of `rows` (dicts of ROW_COLUMNS)."""
    zone = timezone.get_current_timezone()
    # An application's three times are often one (created, never moved or edited).
    texts: dict[dt.datetime, str] = {}

    def text(value: dt.datetime) -> str:
        if value not in texts:
            texts[value] = _datetime_text(value, zone)
        return texts[value]

    return [
        {
            "id": row["id"],
            "candidate": row["candidate_id"],
            "candidate_name": row["candidate__name"],
            "candidate_email": row["candidate__email"],
            "requisition": row["requisition_id"],
            "requisition_title": row["requisition__title"],
            "stage": {
                "id": row["stage_id"],
                "name": row["stage__name"],
                "kind": row["stage__kind"],
                "position": row["stage__position"],
            },
            "status": row["status"],
            "end_reason": row["end_reason"],
            "entered_stage_at": text(row["entered_stage_at"]),
            "owner": row["owner_id"],
            # User.get_full_name, and the serializer's default when there is no owner
            "owner_name": (
                f"{row['owner__first_name']} {row['owner__last_name']}".strip()
                if row["owner_id"] is not None
                else ""
            ),
            "next_step": row["next_step"],
            "created_at": text(row["created_at"]),
            "updated_at": text(row["updated_at"]),
        }
        for row in rows
    ]


def _datetime_text(value: dt.datetime, zone: dt.tzinfo) -> str:
    """DRF's DateTimeField output: ISO 8601 in the current time zone, UTC as "Z"."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class ApplicationUpdateSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), required=False, allow_null=True
    )

    class Meta:
        model = Application
        fields = ["owner", "next_step"]


class MoveSerializer(serializers.Serializer):
    stage = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Target stage id"
    )
    stage_name = serializers.CharField(
        required=False, max_length=60, help_text="Or the target stage's name in this requisition"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("stage" in attrs) == ("stage_name" in attrs):
            raise serializers.ValidationError({"stage": ["Give either stage or stage_name."]})
        return attrs


class MoveToStageSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Target stage id")


class MoveToStageNameSerializer(serializers.Serializer):
    stage_name = serializers.CharField(
        max_length=60, help_text="The target stage's name in this requisition"
    )


# The documented body of a move: exactly one of the two ways to name the stage.
MOVE_REQUEST = PolymorphicProxySerializer(
    component_name="MoveRequest",
    serializers=[MoveToStageSerializer, MoveToStageNameSerializer],
    resource_type_field_name=None,
)


class EndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=sorted(END_STATES))
    reason = serializers.CharField(
        max_length=120,
        help_text=(
            f"Rejected: one of {', '.join(REJECTION_REASONS)}. "
            f"Withdrawn: one of {', '.join(WITHDRAWAL_REASONS)}."
        ),
    )


class RejectSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["rejected"])
    reason = serializers.ChoiceField(choices=REJECTION_REASONS)


class WithdrawSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["withdrawn"])
    reason = serializers.ChoiceField(choices=WITHDRAWAL_REASONS)


# The documented body of an end: the reasons allowed depend on the end state.
END_REQUEST = PolymorphicProxySerializer(
    component_name="EndRequest",
    serializers={"rejected": RejectSerializer, "withdrawn": WithdrawSerializer},
    resource_type_field_name="status",
)


class NoteSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True, default="")
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices,
        default=NoteVisibility.TEAM,
        help_text="team: the hiring team only (recruiters, the hiring manager, admins); "
        "shared: interviewers of the candidate read it too (recruiters and admins share)",
    )

    class Meta:
        model = Note
        fields = ["id", "body", "visibility", "author", "author_name", "created_at"]
        read_only_fields = ["author", "created_at"]
        extra_kwargs = {"body": {"max_length": 10_000}}


class NotePagination(CursorPagination):
    ordering = "id"  # oldest first, like the timeline


@extend_schema_view(
    create=extend_schema(responses={201: ApplicationSerializer, 409: ERROR}),
    update=extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationSerializer),
    partial_update=extend_schema(
        request=ApplicationUpdateSerializer, responses=ApplicationSerializer
    ),
)
class ApplicationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Applications (a candidate in a requisition), with the candidate list's filters."""

    permission_classes = [PipelineAccess]
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationAPIFilter
    http_method_names = METHODS

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.applications_visible_to(
            self.request.user, "candidates.view"
        ).select_related("candidate", "requisition", "stage", "owner")

    def _rows(self) -> QuerySet[Application, dict[str, Any]]:
        """get_queryset's applications, filtered, as dicts of ROW_COLUMNS (reads only)."""
        visible = selectors.visible_applications(_all_rows(), self.request.user, "candidates.view")
        return self.filter_queryset(visible)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self._rows())
        assert page is not None  # the API always paginates
        return self.get_paginated_response(application_rows(page))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.accepted_renderer.format != "json":
            # the browsable API fills its edit form from the serializer's instance
            return super().retrieve(request, *args, **kwargs)
        # get_object's steps, on the row: a missing or malformed id is a 404
        try:
            row = self._rows().get(pk=kwargs["pk"])
        except (Application.DoesNotExist, TypeError, ValueError, ValidationError):
            raise Http404 from None
        self.check_object_permissions(request, row)
        return Response(application_rows([row])[0])

    def _fresh(self, pk: int) -> Application:
        return self.get_queryset().get(pk=pk)

    def _respond(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        return Response(ApplicationSerializer(self._fresh(application.pk)).data, status=code)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        application = application_services.application_create(
            candidate=data["candidate"],
            requisition=data["requisition"],
            owner=data.get("owner"),
            actor=signed_in_user(self.request),
        )
        serializer.instance = self._fresh(application.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        body = ApplicationUpdateSerializer(
            application, data=request.data, partial=kwargs.get("partial", False)
        )
        body.is_valid(raise_exception=True)
        application_services.application_update(
            application=application, fields=dict(body.validated_data), actor=signed_in_user(request)
        )
        return self._respond(application)

    @extend_schema(request=MOVE_REQUEST, responses={200: ApplicationSerializer, 409: ERROR})
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move to another stage of the requisition; a refused move is a 400 saying why."""
        application = self.get_object()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stage = self._target_stage(application, body.validated_data)
        moved = application_services.application_move(
            application=application, to_stage=stage, actor=signed_in_user(request)
        )
        return self._respond(moved)

    @staticmethod
    def _target_stage(application: Application, data: dict[str, Any]) -> Stage:
        if "stage" in data:
            stage = Stage.objects.filter(pk=data["stage"]).first()
            if stage is None:
                raise DomainError(
                    f"There is no stage {data['stage']}.",
                    fields={"stage": [f"Unknown stage id {data['stage']}."]},
                )
            return stage
        stages = list(application.requisition.stages.order_by("position"))
        wanted = data["stage_name"].strip().lower()
        for stage in stages:
            if stage.name.lower() == wanted:
                return stage
        raise DomainError(
            f"{application.requisition.title} has no stage called {data['stage_name']!r}.",
            fields={"stage_name": [f"Choose one of: {', '.join(s.name for s in stages)}."]},
        )

    @extend_schema(request=END_REQUEST, responses={200: ApplicationSerializer, 409: ERROR})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """Reject or withdraw, with a reason from the list for that end state."""
        application = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ended = application_services.application_end(
            application=application,
            status=body.validated_data["status"],
            reason=body.validated_data["reason"],
            actor=signed_in_user(request),
        )
        return self._respond(ended)

    @extend_schema(request=None, responses={200: ApplicationSerializer, 409: ERROR})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Bring a rejected or withdrawn application back to active, in the same stage."""
        reopened = application_services.application_reopen(
            application=self.get_object(), actor=signed_in_user(request)
        )
        return self._respond(reopened)

    @extend_schema(methods=["GET"], responses=NoteSerializer(many=True), filters=False)
    @extend_schema(methods=["POST"], request=NoteSerializer, responses={201: NoteSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=NotePagination,
        filterset_class=None,
        serializer_class=NoteSerializer,
    )
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """The application's notes that you may read, oldest first (interviewers: those shared
        with them, and their own); POST adds one, for the hiring team unless shared."""
        application = self.get_object()
        if request.method == "POST":
            body = NoteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            note = application_services.note_add(
                application=application,
                body=body.validated_data["body"],
                visibility=body.validated_data["visibility"],
                actor=signed_in_user(request),
            )
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        readable = selectors.notes_visible_to(request.user)
        notes = readable.filter(application=application).select_related("author")
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(NoteSerializer(page, many=True).data)
