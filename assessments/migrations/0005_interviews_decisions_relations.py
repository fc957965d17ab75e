"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_interviews_decisions_moved_in"),
        ("pipeline", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AddField(
                    model_name="decision",
                    name="application",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="pipeline.application",
                    ),
                ),
                migrations.AddField(
                    model_name="decision",
                    name="decided_by",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="interview",
                    name="application",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interviews",
                        to="pipeline.application",
                    ),
                ),
                migrations.AddField(
                    model_name="interview",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="interview",
                    name="interviewers",
                    field=models.ManyToManyField(
                        db_table="hiring_interview_interviewers",
                        related_name="interviews",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="interviewinvite",
                    name="interview",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invites",
                        to="assessments.interview",
                    ),
                ),
                migrations.AlterField(
                    model_name="interviewquestion",
                    name="interview",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="assessments.interview",
                    ),
                ),
                migrations.AlterField(
                    model_name="scorecard",
                    name="interview",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scorecards",
                        to="assessments.interview",
                    ),
                ),
                migrations.AddIndex(
                    model_name="decision",
                    index=models.Index(
                        fields=["application", "-decided_at"], name="decision_latest_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="interview",
                    index=models.Index(fields=["status", "ends_at"], name="interview_ended_idx"),
                ),
            ],
        ),
    ]
