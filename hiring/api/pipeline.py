"""Pipeline API: requisitions, candidates, applications, stage moves and notes.

Same permissions as the pages: recruiters and admins read and write everything; hiring
managers read their own requisitions' data; interviewers read only what they interview,
with credentials hidden in pedigree-blind requisitions. Anything outside a user's
visibility is a 404. Writes go through the services; their DomainError becomes a 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hiring import selectors
from hiring.api_schema import ERROR_RESPONSE as ERROR
from hiring.api_support import CursorPagination
from hiring.errors import DomainError
from hiring.filters import ApplicationFilter
from hiring.models import (
    END_STATES,
    REJECTION_REASONS,
    WITHDRAWAL_REASONS,
    Application,
    Candidate,
    Note,
    Requisition,
    RequisitionStatus,
    Stage,
)
from hiring.permissions import INTERVIEWER, HasCapability, can, roles_of
from hiring.services import applications as application_services
from hiring.services import candidates as candidate_services
from hiring.services import requisitions as requisition_services
from roles.models import RoleLevel, RoleProfile

User = get_user_model()
METHODS = ["get", "post", "put", "patch", "head", "options"]
# An id the database can hold: a larger number would be a 500 (integer out of range).
ID_LIMITS: dict[str, Any] = {"min_value": 1, "max_value": 2**63 - 1}


class PipelineAccess(BasePermission):
    """Reads: `pipeline.view`, or an interviewer (the queryset then narrows to what they
    interview). Writes: `pipeline.edit`."""

    message = HasCapability.message

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return can(user, "pipeline.view") or INTERVIEWER in roles_of(user)
        return can(user, "pipeline.edit")


def _active_users() -> QuerySet[Any]:
    return User.objects.filter(is_active=True)


# Requisitions ------------------------------------------------------------------------------


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "kind", "position"]


class RequisitionSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=RoleProfile.objects.all())
    role_title = serializers.CharField(source="role.title", read_only=True)
    level = serializers.PrimaryKeyRelatedField(queryset=RoleLevel.objects.all())
    level_name = serializers.CharField(source="level.name", read_only=True)
    hiring_manager = serializers.PrimaryKeyRelatedField(queryset=_active_users())
    hiring_manager_name = serializers.CharField(
        source="hiring_manager.get_full_name", read_only=True
    )
    recruiter = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), required=False, help_text="Defaults to the caller"
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
        if self.instance is None and attrs.get("status", RequisitionStatus.OPEN) != "open":
            raise serializers.ValidationError(
                {"status": ["A new requisition is open; change its status afterwards."]}
            )
        if "role" in attrs and "level" not in attrs:
            raise serializers.ValidationError({"level": ["Give a level of the new role."]})
        return attrs


class StageInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Omit for a new one", **ID_LIMITS
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
            selectors.requisitions_visible_to(self.request.user)
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
                "recruiter": data.get("recruiter") or self.request.user,
                "opened_on": data.get("opened_on") or timezone.localdate(),
            },
            actor=self.request.user,
        )
        serializer.instance = self._fresh(requisition.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        requisition: Requisition = serializer.instance  # type: ignore[assignment]
        requisition_services.requisition_update(
            requisition=requisition, fields=dict(serializer.validated_data), actor=self.request.user
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
            actor=request.user,
        )
        return Response(RequisitionSerializer(self._fresh(requisition.pk)).data)


# Candidates --------------------------------------------------------------------------------


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=40)

    def to_representation(self, data: Any) -> list[str]:
        # Reads the prefetched tags: no query per candidate.
        return [tag.name for tag in data.all()]


WEB_ADDRESS = URLValidator(schemes=["http", "https"])
CREDENTIAL_HELP = "null when hidden from the caller (pedigree-blind mode)"


class CandidateSerializer(serializers.ModelSerializer):
    tags = TagListField(required=False, max_length=30)
    # The page's rule: at most 20 web addresses (a JSON null would be a 500 on NOT NULL).
    case_study_urls = serializers.ListField(
        child=serializers.URLField(max_length=500, validators=[WEB_ADDRESS]),
        max_length=20,
        required=False,
    )
    degrees = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    schools = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    certifications = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CREDENTIAL_HELP
    )
    credentials_hidden = serializers.BooleanField(read_only=True)
    resume = serializers.FileField(
        write_only=True, required=False, help_text="PDF, DOCX or plain text, at most 10 MB"
    )

    class Meta:
        model = Candidate
        fields = [
            "id", "name", "email", "phone", "location", "source", "portfolio_url", "github_url",
            "case_study_urls", "shipped_systems", "degrees", "schools", "certifications",
            "credentials_hidden", "tags", "resume", "resume_name", "duplicate_of", "merged_into",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["resume_name", "duplicate_of", "merged_into", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in selectors.CREDENTIAL_FIELDS:
            if name in attrs and attrs[name] is None:
                attrs[name] = ""
        return attrs

    def to_representation(self, instance: Candidate) -> dict[str, Any]:
        data = super().to_representation(instance)
        hidden = getattr(instance, "credentials_hidden", None)
        if hidden is None:
            hidden = not selectors.credentials_visible(self.context["request"].user, instance)
        data["credentials_hidden"] = hidden
        if hidden:
            data.update(dict.fromkeys(selectors.CREDENTIAL_FIELDS))
        return data


class CandidateViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Candidates. A known e-mail is not refused: the new record comes back with
    `duplicate_of` set to the earlier one."""

    permission_classes = [PipelineAccess]
    serializer_class = CandidateSerializer
    # JSON, or multipart when a resume comes along; a urlencoded form cannot carry the file.
    parser_classes = [JSONParser, MultiPartParser]
    filterset_fields = ["source", "email"]
    http_method_names = METHODS

    def get_queryset(self) -> QuerySet[Candidate]:
        rows = selectors.candidates_visible_to(self.request.user)
        return selectors.with_credentials_hidden(self.request.user, rows).prefetch_related("tags")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        fields, tags, resume = self._split(serializer.validated_data)
        candidate = candidate_services.candidate_create(
            fields=fields, tags=tags or [], resume=resume, actor=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=candidate.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        fields, tags, resume = self._split(serializer.validated_data)
        candidate = candidate_services.candidate_update(
            candidate=serializer.instance,  # type: ignore[arg-type]
            fields=fields,
            tags=tags,
            resume=resume,
            actor=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=candidate.pk)

    @staticmethod
    def _split(data: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None, Any]:
        fields = dict(data)
        return fields, fields.pop("tags", None), fields.pop("resume", None)


# Applications ------------------------------------------------------------------------------


class ApplicationAPIFilter(ApplicationFilter):
    """The candidate list's filters, plus one candidate's applications."""

    candidate = django_filters.NumberFilter(
        field_name="candidate_id", min_value=1, max_value=2**63 - 1
    )

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
        queryset=_active_users(),
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


class ApplicationUpdateSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), required=False, allow_null=True
    )

    class Meta:
        model = Application
        fields = ["owner", "next_step"]


class MoveSerializer(serializers.Serializer):
    stage = serializers.IntegerField(required=False, help_text="Target stage id", **ID_LIMITS)
    stage_name = serializers.CharField(
        required=False, max_length=60, help_text="Or the target stage's name in this requisition"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("stage" in attrs) == ("stage_name" in attrs):
            raise serializers.ValidationError({"stage": ["Give either stage or stage_name."]})
        return attrs


class MoveToStageSerializer(serializers.Serializer):
    stage = serializers.IntegerField(help_text="Target stage id", **ID_LIMITS)


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

    class Meta:
        model = Note
        fields = ["id", "body", "author", "author_name", "created_at"]
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
        return selectors.applications_visible_to(self.request.user).select_related(
            "candidate", "requisition", "stage", "owner"
        )

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
            actor=self.request.user,
        )
        serializer.instance = self._fresh(application.pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        body = ApplicationUpdateSerializer(
            application, data=request.data, partial=kwargs.get("partial", False)
        )
        body.is_valid(raise_exception=True)
        application_services.application_update(
            application=application, fields=dict(body.validated_data), actor=request.user
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
            application=application, to_stage=stage, actor=request.user
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
            actor=request.user,
        )
        return self._respond(ended)

    @extend_schema(request=None, responses={200: ApplicationSerializer, 409: ERROR})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Bring a rejected or withdrawn application back to active, in the same stage."""
        reopened = application_services.application_reopen(
            application=self.get_object(), actor=request.user
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
        """The application's notes, oldest first; POST adds one."""
        application = self.get_object()
        if request.method == "POST":
            body = NoteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            note = application_services.note_add(
                application=application, body=body.validated_data["body"], actor=request.user
            )
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = Note.objects.filter(application=application).select_related("author")
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(NoteSerializer(page, many=True).data)


router = SimpleRouter()
router.register("requisitions", RequisitionViewSet, basename="api-requisition")
router.register("candidates", CandidateViewSet, basename="api-candidate")
router.register("applications", ApplicationViewSet, basename="api-application")

urlpatterns = router.urls
