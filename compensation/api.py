"""Compensation bands API: every effective date; recruiters, hiring managers and admins read,
admins write. Interviewers never see a band. JSON only (see roles.api)."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from compensation.models import Band
from compensation.services import FIGURE_FIELDS, band_upsert
from hiring.api_parsers import JSONParser
from hiring.api_support import StrictFilterSet
from hiring.errors import DomainError
from hiring.permissions import HasCapability
from roles.models import RoleLevel


class BandFilter(StrictFilterSet):
    role = django_filters.CharFilter(field_name="level__role__slug", help_text="role slug")
    level = django_filters.CharFilter(field_name="level__name", help_text="level name")

    class Meta:
        model = Band
        fields = ["role", "level", "currency"]


class BandSerializer(serializers.ModelSerializer):
    role = serializers.SlugField(source="level.role.slug")
    role_title = serializers.CharField(source="level.role.title", read_only=True)
    level = serializers.CharField(source="level.name", max_length=60)
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="USD")
    low = serializers.IntegerField(min_value=1, max_value=100_000_000)
    high = serializers.IntegerField(min_value=1, max_value=100_000_000)
    market_tension = serializers.CharField(max_length=1000)
    scope = serializers.CharField(max_length=1000, allow_blank=True, required=False)

    class Meta:
        model = Band
        fields = [
            "id", "role", "role_title", "level", "low", "high", "open_ended", "currency",
            "effective_date", "market_tension", "scope",
        ]  # fmt: skip
        validators: list[Any] = []  # the service decides create-or-correct by date

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low = attrs.get("low", getattr(self.instance, "low", None))
        high = attrs.get("high", getattr(self.instance, "high", None))
        if low is not None and high is not None and low >= high:
            raise serializers.ValidationError({"low": ["Must be below high."]})
        return attrs


class BandViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Compensation bands, every effective date. Filter with ?role=<slug>&level=<name>."""

    permission_classes = [HasCapability]
    capability = {"read": "compensation.view", "write": "compensation.edit"}
    serializer_class = BandSerializer
    filterset_class = BandFilter
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser]
    queryset = Band.objects.select_related("level__role").order_by(
        "level__role__position", "level__position", "-effective_date"
    )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        level = _level(data["level"]["role"]["slug"], data["level"]["name"])
        serializer.instance = self._save(level, data, data["effective_date"], data["currency"])

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        band: Band = serializer.instance  # type: ignore[assignment]
        data = {
            name: serializer.validated_data.get(name, getattr(band, name)) for name in FIGURE_FIELDS
        }
        serializer.instance = self._save(band.level, data, band.effective_date, band.currency)

    def _save(self, level: RoleLevel, data: dict[str, Any], date: Any, currency: str) -> Band:
        figures = {name: data.get(name) for name in FIGURE_FIELDS}
        figures["scope"] = figures["scope"] or ""
        band, _ = band_upsert(
            level=level, currency=currency, effective_date=date, figures=figures,
            actor=self.request.user,
        )  # fmt: skip
        return band


def _level(role_slug: str, level_name: str) -> RoleLevel:
    level = RoleLevel.objects.filter(role__slug=role_slug, name=level_name).first()
    if level is None:
        raise DomainError(
            f"Role {role_slug!r} has no level {level_name!r}.",
            fields={"level": [f"Unknown level for role {role_slug!r}."]},
        )
    return level


router = SimpleRouter()
router.register("compensation-bands", BandViewSet, basename="compensation-band")
urlpatterns = router.urls
