"""Notifications API: the caller's inbox, read one, read all."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hiring.api_parsers import JSONParser
from hiring.api_support import StrictFilterSet
from hiring.notifications import services as notification_services
from hiring.notifications.models import Notification
from hiring.notifications.selectors import inbox_of
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


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notification")
urlpatterns = router.urls
