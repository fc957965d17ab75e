"""Notifications API: the caller's inbox, read one, read all; their reminder preferences
(GET/PUT /api/me/notification-preferences/) and the snooze of the reminders waiting on them
(POST/DELETE /api/me/notification-preferences/snooze/)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from hiring.api_parsers import JSONParser
from hiring.api_schema import ERROR_RESPONSE
from hiring.api_support import StrictFilterSet
from hiring.notifications import preferences as preference_services
from hiring.notifications import services as notification_services
from hiring.notifications.models import Channel, Notification
from hiring.notifications.selectors import inbox_of, preferences_state
from hiring.permissions import HasCapability, signed_in_user


class NotificationFilter(StrictFilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", help_text="true: unread notifications only"
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(
        self, rows: QuerySet[Notification], name: str, value: bool
    ) -> QuerySet[Notification]:  # `value: bool` types the parameter in the schema
        return rows.filter(read_at__isnull=value)


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "title", "body", "url", "created_at", "read", "read_at",
            "email_status", "email_sent_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_read(self, row: Notification) -> bool:
        return row.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first. `?unread=true` for unread only."""

    permission_classes = [HasCapability]
    capability = "notifications.view"
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # the schema's model; requests use get_queryset

    filterset_class = NotificationFilter
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Notification]:
        return inbox_of(signed_in_user(self.request))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        row = self.get_object()
        notification_services.notification_mark_read(notification=row)
        return Response(NotificationSerializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        updated = notification_services.notifications_mark_all_read(user=request.user)
        return Response(ReadAllSerializer({"updated": updated}).data)


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=24, help_text="A kind the caller receives")
    name = serializers.CharField(read_only=True)
    muted = serializers.BooleanField(help_text="Not for a kind that waits on the caller")
    channel = serializers.ChoiceField(choices=Channel.choices)
    can_mute = serializers.BooleanField(
        read_only=True, help_text="False: a step that waits on the caller (snooze it instead)"
    )


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)
    snoozed_until = serializers.DateTimeField(allow_null=True)
    snooze_latest = serializers.DateTimeField(
        allow_null=True, help_text="The latest a snooze set now may end; null: nothing waits"
    )


class PreferencesUpdateSerializer(serializers.Serializer):
    preferences = serializers.ListField(
        child=PreferenceSerializer(), min_length=1, max_length=100,
        help_text="The kinds to change; the others keep their choice",
    )  # fmt: skip

    def validate_preferences(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kinds = [row["kind"] for row in value]
        if len(set(kinds)) != len(kinds):
            raise serializers.ValidationError("Each kind at most once.")
        return value


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateTimeField(help_text="At most one business day from now")


class NotificationPreferencesView(APIView):
    """The caller's reminders: muted or not, and the channel, per kind they receive."""

    permission_classes = [HasCapability]
    capability = "notifications.view"
    parser_classes = [JSONParser]

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        return _state(signed_in_user(request))

    @extend_schema(
        request=PreferencesUpdateSerializer,
        responses={200: PreferencesSerializer, 400: ERROR_RESPONSE},
    )
    def put(self, request: Request) -> Response:
        rows = _valid(PreferencesUpdateSerializer, request)["preferences"]
        user = signed_in_user(request)
        choices = {row["kind"]: (row["muted"], row["channel"]) for row in rows}
        preference_services.notification_preferences_save(user=user, choices=choices, actor=user)
        return _state(user)


class NotificationSnoozeView(APIView):
    """Snooze the reminders of steps waiting on the caller (at most one business day), or
    end the snooze (DELETE: the reminders held go out at the next sweep)."""

    permission_classes = [HasCapability]
    capability = "notifications.view"
    parser_classes = [JSONParser]

    @extend_schema(
        request=SnoozeSerializer, responses={200: PreferencesSerializer, 400: ERROR_RESPONSE}
    )
    def post(self, request: Request) -> Response:
        until = _valid(SnoozeSerializer, request)["until"]
        user = signed_in_user(request)
        preference_services.notification_snooze(user=user, until=until, actor=user)
        return _state(user)

    @extend_schema(request=None, responses={200: PreferencesSerializer})
    def delete(self, request: Request) -> Response:
        user = signed_in_user(request)
        preference_services.notification_snooze_end(user=user, actor=user)
        return _state(user)


def _valid(serializer: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    incoming = serializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


def _state(user: User) -> Response:
    """What every preferences call answers: the caller's choices and snooze, as now."""
    return Response(PreferencesSerializer(preferences_state(user)).data)


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notification")
PREFERENCES = "me/notification-preferences/"
urlpatterns = [
    *router.urls,
    path(PREFERENCES, NotificationPreferencesView.as_view(), name="api-notification-preferences"),
    path(f"{PREFERENCES}snooze/", NotificationSnoozeView.as_view(), name="api-notification-snooze"),
]
