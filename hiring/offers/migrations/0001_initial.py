"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

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
                    name="ApprovalStep",
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
                        ("round", models.PositiveSmallIntegerField()),
                        ("position", models.PositiveSmallIntegerField()),
                        ("name", models.CharField(max_length=80)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("hiring_manager", "The requisition's hiring manager"),
                                    ("finance", "Finance/HR approvers"),
                                    ("exception", "Compensation-exception approvers"),
                                    ("people", "Named people"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("required_approvals", models.PositiveSmallIntegerField(default=1)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("waiting", "Waiting for an earlier step"),
                                    ("pending", "Pending"),
                                    ("approved", "Approved"),
                                    ("rejected", "Rejected"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="waiting",
                                max_length=10,
                            ),
                        ),
                        ("activated_at", models.DateTimeField(blank=True, null=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("wait_business_hours", models.FloatField(blank=True, null=True)),
                        ("next_reminder_at", models.DateTimeField(blank=True, null=True)),
                        ("reminders_sent", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "hiring_approvalstep",
                        "ordering": ["offer", "round", "position", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Offer",
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
                        ("revision", models.PositiveSmallIntegerField(default=1)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("pending", "Pending approval"),
                                    ("approved", "Approved"),
                                    ("sent", "Sent"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("rescinded", "Rescinded"),
                                    ("expired", "Expired"),
                                    ("superseded", "Superseded"),
                                ],
                                default="draft",
                                max_length=10,
                            ),
                        ),
                        ("base_salary", models.PositiveIntegerField()),
                        ("target_bonus", models.PositiveIntegerField(default=0)),
                        ("currency", models.CharField(default="USD", max_length=3)),
                        ("start_date", models.DateField()),
                        ("expires_on", models.DateField()),
                        ("notes", models.TextField(blank=True, help_text="Notes for approvers")),
                        (
                            "justification",
                            models.TextField(
                                blank=True, help_text="Why an out-of-band offer is right"
                            ),
                        ),
                        ("band_result", models.CharField(blank=True, max_length=10)),
                        ("approval_round", models.PositiveSmallIntegerField(default=0)),
                        ("returned_reason", models.TextField(blank=True)),
                        ("sent_on", models.DateField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("responded_at", models.DateTimeField(blank=True, null=True)),
                        ("response_note", models.CharField(blank=True, max_length=200)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "hiring_offer",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="OfferChange",
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
                            "from_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("draft", "Draft"),
                                    ("pending", "Pending approval"),
                                    ("approved", "Approved"),
                                    ("sent", "Sent"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("rescinded", "Rescinded"),
                                    ("expired", "Expired"),
                                    ("superseded", "Superseded"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("pending", "Pending approval"),
                                    ("approved", "Approved"),
                                    ("sent", "Sent"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("rescinded", "Rescinded"),
                                    ("expired", "Expired"),
                                    ("superseded", "Superseded"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("reason", models.TextField(blank=True)),
                        ("at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "hiring_offerchange",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="OfferClock",
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
                        ("cycle", models.PositiveIntegerField(default=1)),
                        ("started_at", models.DateTimeField()),
                        ("escalate_at", models.DateTimeField()),
                        ("due_at", models.DateTimeField()),
                        ("next_alert_at", models.DateTimeField(blank=True, null=True)),
                        ("stopped_at", models.DateTimeField(blank=True, null=True)),
                        ("stop_reason", models.CharField(blank=True, max_length=40)),
                        ("business_hours_to_send", models.FloatField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "hiring_offerclock",
                    },
                ),
                migrations.CreateModel(
                    name="StepApprover",
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
                        ("decision", models.CharField(blank=True, max_length=10)),
                        ("comment", models.TextField(blank=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "hiring_stepapprover",
                        "ordering": ["step", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="UsedApprovalLink",
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
                        ("nonce", models.CharField(max_length=40, unique=True)),
                        ("used_at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "hiring_usedapprovallink",
                    },
                ),
                migrations.CreateModel(
                    name="ApprovalTemplateStep",
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
                        ("position", models.PositiveSmallIntegerField()),
                        ("name", models.CharField(max_length=80)),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("hiring_manager", "The requisition's hiring manager"),
                                    ("finance", "Finance/HR approvers"),
                                    ("exception", "Compensation-exception approvers"),
                                    ("people", "Named people"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "required_approvals",
                            models.PositiveSmallIntegerField(default=1, help_text="N of the M"),
                        ),
                        (
                            "parallel_with_previous",
                            models.BooleanField(
                                default=False,
                                help_text="Runs at the same time as the step before it",
                            ),
                        ),
                        (
                            "people",
                            models.ManyToManyField(
                                blank=True,
                                db_table="hiring_approvaltemplatestep_people",
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_approvaltemplatestep",
                        "ordering": ["requisition", "position"],
                    },
                ),
            ],
        ),
    ]
