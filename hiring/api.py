"""Foundation endpoints: who am I, and the audit log."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.models import AuditEntry
from hiring.permissions import HasCapability, capabilities_of, roles_of


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user, their roles and what those roles may do."""

    permission_classes = [HasCapability]
    capability = "home.view"

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "email": user.email,
            "roles": sorted(roles_of(user)),
            "capabilities": capabilities_of(user),
        }
        return Response(MeSerializer(data).data)


class AuditEntrySerializer(serializers.ModelSerializer):
    # null for what the system did on its own (a reminder sweep, the playbook loader); the
    # name is kept with the entry, so it survives the account being renamed.
    actor = serializers.SerializerMethodField()

    def get_actor(self, entry: AuditEntry) -> str | None:
        return entry.actor_username or None

    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "actor", "action", "object_type", "object_id", "object_repr",
            "before", "after",
        ]  # fmt: skip


class AuditLogView(generics.ListAPIView):
    """The audit log, newest first (admins only)."""

    permission_classes = [HasCapability]
    capability = "audit.view"
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.all()
    filterset_fields = ["object_type", "object_id", "action"]
