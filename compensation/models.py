"""Compensation bands: total cash per role level, kept by effective date."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Band(models.Model):
    level = models.ForeignKey("roles.RoleLevel", on_delete=models.PROTECT, related_name="bands")
    low = models.PositiveIntegerField()
    high = models.PositiveIntegerField()
    open_ended = models.BooleanField(default=False, help_text="The high figure is a floor (500K+).")
    currency = models.CharField(max_length=3, default="USD")
    effective_date = models.DateField()
    market_tension = models.TextField()
    scope = models.TextField(blank=True)

    class Meta:
        ordering = ["level__role__position", "level__position", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "currency", "effective_date"], name="band_level_date_unique"
            ),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="band_low_lt_high"),
        ]
        indexes = [
            # The band check: "the band in force today for this level", newest first.
            models.Index(fields=["level", "-effective_date"], name="band_level_effective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.low}-{self.high} {self.currency} from {self.effective_date}"
