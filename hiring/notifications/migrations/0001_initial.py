"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("hiring", "0007_offers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("approval_requested", "Approval requested"),
                                    ("approver_reminder", "Approval reminder"),
                                    ("escalation", "Offer escalation"),
                                    ("breach", "Two-business-day breach"),
                                    ("scorecard_reminder", "Scorecard reminder"),
                                    ("stalled_digest", "Stalled applications digest"),
                                    ("offer_returned", "Offer sent back to draft"),
                                    ("offer_approved", "Offer approved"),
                                ],
                                max_length=24,
                            ),
                        ),
                        ("subject_type", models.CharField(max_length=16)),
                        ("subject_id", models.BigIntegerField()),
                        ("sequence", models.BigIntegerField(default=0)),
                        ("title", models.CharField(max_length=200)),
                        ("body", models.TextField(blank=True)),
                        ("url", models.CharField(max_length=500)),
                        ("created_at", models.DateTimeField()),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "email_status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to be sent"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Gave up"),
                                ],
                                default="pending",
                                max_length=8,
                            ),
                        ),
                        ("email_attempts", models.PositiveSmallIntegerField(default=0)),
                        ("email_next_attempt_at", models.DateTimeField()),
                        ("email_sent_at", models.DateTimeField(blank=True, null=True)),
                        ("email_error", models.CharField(blank=True, max_length=300)),
                        (
                            "recipient",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["recipient", "-created_at"], name="notification_inbox_idx"
                            ),
                            models.Index(
                                condition=models.Q(("email_status__in", ["pending", "sending"])),
                                fields=["email_next_attempt_at"],
                                name="notification_outbox_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=(
                                    "subject_type",
                                    "subject_id",
                                    "kind",
                                    "sequence",
                                    "recipient",
                                ),
                                name="notification_claim_unique",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
