"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import hiring.pipeline.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("hiring", "0007_offers"),
        ("roles", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Tag",
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
                        ("name", models.CharField(max_length=40, unique=True)),
                    ],
                    options={
                        "db_table": "hiring_tag",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Candidate",
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
                        ("name", models.CharField(max_length=200)),
                        ("email", models.EmailField(max_length=254)),
                        ("phone", models.CharField(blank=True, max_length=40)),
                        ("location", models.CharField(blank=True, max_length=120)),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("inbound", "Inbound application"),
                                    ("referral", "Referral"),
                                    ("sourced", "Sourced"),
                                    ("agency", "Agency"),
                                    ("event", "Event"),
                                    ("other", "Other"),
                                ],
                                default="inbound",
                                max_length=10,
                            ),
                        ),
                        ("portfolio_url", models.URLField(blank=True)),
                        ("github_url", models.URLField(blank=True)),
                        ("case_study_urls", models.JSONField(blank=True, default=list)),
                        ("shipped_systems", models.TextField(blank=True)),
                        ("degrees", models.TextField(blank=True)),
                        ("schools", models.TextField(blank=True)),
                        ("certifications", models.TextField(blank=True)),
                        (
                            "resume",
                            models.FileField(
                                blank=True, upload_to=hiring.pipeline.models.resume_upload_path
                            ),
                        ),
                        ("resume_name", models.CharField(blank=True, max_length=200)),
                        ("resume_content_type", models.CharField(blank=True, max_length=100)),
                        ("search_document", models.TextField(blank=True, default="")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "duplicate_of",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="duplicates",
                                to="pipeline.candidate",
                            ),
                        ),
                        (
                            "merged_into",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="merged",
                                to="pipeline.candidate",
                            ),
                        ),
                        (
                            "tags",
                            models.ManyToManyField(
                                blank=True,
                                db_table="hiring_candidate_tags",
                                related_name="candidates",
                                to="pipeline.tag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_candidate",
                        "ordering": ["name", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Application",
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
                        ("entered_stage_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "Active"),
                                    ("hired", "Hired"),
                                    ("rejected", "Rejected"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="active",
                                max_length=10,
                            ),
                        ),
                        ("end_reason", models.CharField(blank=True, max_length=120)),
                        ("next_step", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="owned_applications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "candidate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="applications",
                                to="pipeline.candidate",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_application",
                        "ordering": ["-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Note",
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
                        ("body", models.TextField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "application",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="pipeline.application",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_note",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Requisition",
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
                        ("title", models.CharField(max_length=200)),
                        ("headcount", models.PositiveSmallIntegerField(default=1)),
                        ("location", models.CharField(blank=True, max_length=120)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("on_hold", "On hold"),
                                    ("filled", "Filled"),
                                    ("closed", "Closed"),
                                ],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("opened_on", models.DateField()),
                        ("pedigree_blind", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "hiring_manager",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="managed_requisitions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "level",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="roles.rolelevel",
                            ),
                        ),
                        (
                            "recruiter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="recruited_requisitions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "role",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="roles.roleprofile",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_requisition",
                        "ordering": ["-opened_on", "-id"],
                    },
                ),
                migrations.AddField(
                    model_name="application",
                    name="requisition",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="pipeline.requisition",
                    ),
                ),
                migrations.CreateModel(
                    name="Stage",
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
                        ("name", models.CharField(max_length=60)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("applied", "Applied"),
                                    ("screen", "Recruiter screen"),
                                    ("interview", "Structured interview"),
                                    ("debrief", "Debrief"),
                                    ("offer", "Offer"),
                                    ("hired", "Hired"),
                                    ("custom", "Custom"),
                                ],
                                default="custom",
                                max_length=10,
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        (
                            "requisition",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="stages",
                                to="pipeline.requisition",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_stage",
                        "ordering": ["requisition", "position"],
                    },
                ),
                migrations.AddField(
                    model_name="application",
                    name="stage",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="pipeline.stage",
                    ),
                ),
                migrations.CreateModel(
                    name="StageChange",
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
                        ("from_status", models.CharField(blank=True, max_length=10)),
                        ("to_status", models.CharField(max_length=10)),
                        ("reason", models.CharField(blank=True, max_length=200)),
                        ("at", models.DateTimeField()),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="stage_changes",
                                to="pipeline.application",
                            ),
                        ),
                        (
                            "from_stage",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="pipeline.stage",
                            ),
                        ),
                        (
                            "to_stage",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="pipeline.stage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hiring_stagechange",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="stage",
                    constraint=models.UniqueConstraint(
                        fields=("requisition", "name"), name="stage_name_unique"
                    ),
                ),
                migrations.AddIndex(
                    model_name="application",
                    index=models.Index(
                        fields=["requisition", "status", "stage"], name="application_board_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="application",
                    index=models.Index(
                        fields=["status", "entered_stage_at"], name="application_stale_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="application",
                    index=models.Index(
                        fields=["-created_at", "-id"], name="application_recent_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="application",
                    constraint=models.UniqueConstraint(
                        fields=("candidate", "requisition"),
                        name="application_candidate_requisition",
                    ),
                ),
                migrations.AddIndex(
                    model_name="candidate",
                    index=models.Index(fields=["email"], name="candidate_email_idx"),
                ),
            ],
        ),
    ]
