"""The core's one model: the audit log every service writes to."""

import pgtrigger
from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One row per consequential change; rows are never updated or deleted.

    Append-only in the database too: on PostgreSQL a trigger refuses UPDATE and DELETE. The
    one exception is erasing a candidate's personal data, which may redact `object_repr`,
    `before` and `after` (hiring.audit.audit_redact) and nothing else. `actor_username`
    keeps who did it even if the account is later renamed; accounts with history are
    deactivated, never deleted (PROTECT).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The audit page filtered to one object: "history of this offer".
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit entries are append-only")

    @property
    def who(self) -> str:
        return self.actor_username or "system"
