"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0007_offers"),
        ("assessments", "0003_scorecard_flags_invites"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Decision",
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
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("advance", "Advance to offer"),
                                    ("reject", "Reject"),
                                    ("hold", "Hold"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                blank=True, help_text="Rejection reason", max_length=120
                            ),
                        ),
                        ("comment", models.TextField(blank=True)),
                        ("decided_at", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "db_table": "hiring_decision",
                        "ordering": ["-decided_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Interview",
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
                        ("round_name", models.CharField(max_length=120)),
                        ("starts_at", models.DateTimeField()),
                        ("duration_minutes", models.PositiveSmallIntegerField(default=60)),
                        ("ends_at", models.DateTimeField(editable=False)),
                        (
                            "location",
                            models.CharField(
                                blank=True, help_text="Video link or room", max_length=300
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("scheduled", "Scheduled"), ("cancelled", "Cancelled")],
                                default="scheduled",
                                max_length=10,
                            ),
                        ),
                        (
                            "ical_uid",
                            models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
                        ),
                        ("sequence", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "hiring_interview",
                        "ordering": ["starts_at", "id"],
                    },
                ),
            ],
        ),
    ]
