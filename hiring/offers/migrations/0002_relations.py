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
        ("assessments", "0005_interviews_decisions_relations"),
        ("compensation", "0001_initial"),
        ("offers", "0001_initial"),
        ("pipeline", "0001_initial"),
        ("roles", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AddField(
                    model_name="approvaltemplatestep",
                    name="requisition",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approval_template",
                        to="pipeline.requisition",
                    ),
                ),
                migrations.AddField(
                    model_name="offer",
                    name="application",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offers",
                        to="pipeline.application",
                    ),
                ),
                migrations.AddField(
                    model_name="offer",
                    name="band",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="compensation.band",
                    ),
                ),
                migrations.AddField(
                    model_name="offer",
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
                    model_name="offer",
                    name="level",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="roles.rolelevel",
                    ),
                ),
                migrations.AddField(
                    model_name="offer",
                    name="supersedes",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="revisions",
                        to="offers.offer",
                    ),
                ),
                migrations.AddField(
                    model_name="approvalstep",
                    name="offer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="offers.offer",
                    ),
                ),
                migrations.AddField(
                    model_name="offerchange",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="offerchange",
                    name="offer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="offers.offer",
                    ),
                ),
                migrations.AddField(
                    model_name="offerclock",
                    name="application",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offer_clock",
                        to="pipeline.application",
                    ),
                ),
                migrations.AddField(
                    model_name="offerclock",
                    name="decision",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="assessments.decision",
                    ),
                ),
                migrations.AddField(
                    model_name="stepapprover",
                    name="step",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approvers",
                        to="offers.approvalstep",
                    ),
                ),
                migrations.AddField(
                    model_name="stepapprover",
                    name="user",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddField(
                    model_name="usedapprovallink",
                    name="user",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AddConstraint(
                    model_name="approvaltemplatestep",
                    constraint=models.UniqueConstraint(
                        fields=("requisition", "position"), name="approval_template_position"
                    ),
                ),
                migrations.AddIndex(
                    model_name="offer",
                    index=models.Index(
                        fields=["status", "expires_on"], name="offer_status_expiry_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="offer",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(
                            ("status__in", ("draft", "pending", "approved", "sent"))
                        ),
                        fields=("application",),
                        name="offer_one_live_per_application",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="offer",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("base_salary__gt", 0)),
                        name="offer_base_salary_positive",
                    ),
                ),
                migrations.AddIndex(
                    model_name="approvalstep",
                    index=models.Index(
                        condition=models.Q(("status", "pending")),
                        fields=["next_reminder_at"],
                        name="approvalstep_reminder_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="approvalstep",
                    index=models.Index(fields=["decided_at"], name="approvalstep_decided_idx"),
                ),
                migrations.AddIndex(
                    model_name="offerclock",
                    index=models.Index(
                        condition=models.Q(("next_alert_at__isnull", False)),
                        fields=["next_alert_at"],
                        name="offerclock_alert_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="offerclock",
                    index=models.Index(
                        condition=models.Q(("stopped_at__isnull", True)),
                        fields=["due_at"],
                        name="offerclock_running_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="offerclock",
                    index=models.Index(
                        fields=["stop_reason", "stopped_at"], name="offerclock_stopped_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="stepapprover",
                    index=models.Index(fields=["user", "decision"], name="step_approver_mine_idx"),
                ),
                migrations.AddConstraint(
                    model_name="stepapprover",
                    constraint=models.UniqueConstraint(
                        fields=("step", "user"), name="step_approver_unique"
                    ),
                ),
            ],
        ),
    ]
