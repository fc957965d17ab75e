"""An approver's act on a step is a vote (the debrief's decision is another idea), and every
change of an approval step's status is kept as a row.

- StepApprover.decision -> vote, decided_at -> voted_at; ApprovalStep.decided_at -> closed_at.
  Columns are renamed in place (ALTER TABLE ... RENAME COLUMN on PostgreSQL and SQLite), so
  every row keeps its value. The two indexes on them are dropped before the rename and made
  again after it, under their names for the new columns: both tables are small, and this
  reads the same on both databases (SQLite cannot rename an index).
- ApprovalStepChange: the history of a step's status (from, to, actor, reason, time).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0002_relations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="stepapprover", name="step_approver_mine_idx"),
        migrations.RemoveIndex(model_name="approvalstep", name="approvalstep_decided_idx"),
        migrations.RenameField(model_name="stepapprover", old_name="decision", new_name="vote"),
        migrations.RenameField(
            model_name="stepapprover", old_name="decided_at", new_name="voted_at"
        ),
        migrations.RenameField(
            model_name="approvalstep", old_name="decided_at", new_name="closed_at"
        ),
        migrations.AddIndex(
            model_name="stepapprover",
            index=models.Index(fields=["user", "vote"], name="step_approver_mine_idx"),
        ),
        migrations.AddIndex(
            model_name="approvalstep",
            index=models.Index(fields=["closed_at"], name="approvalstep_closed_idx"),
        ),
        migrations.CreateModel(
            name="ApprovalStepChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for an earlier step"),
                            ("pending", "Pending"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for an earlier step"),
                            ("pending", "Pending"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=10,
                    ),
                ),
                ("reason", models.TextField(blank=True)),
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
                    "step",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="offers.approvalstep",
                    ),
                ),
            ],
            options={
                "db_table": "hiring_approvalstepchange",
                "ordering": ["at", "id"],
            },
        ),
    ]
