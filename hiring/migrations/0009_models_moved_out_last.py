"""State only: the models moved between apps keep their tables and every row.

The layout change (one folder per idea) moved models out of the `hiring` app; each keeps its
table (`db_table`) and its indexes and constraints, so the database is not touched here.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_interviews_decisions_relations"),
        ("hiring", "0008_models_moved_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name="Interview",
                ),
                migrations.DeleteModel(
                    name="Note",
                ),
                migrations.DeleteModel(
                    name="Notification",
                ),
                migrations.DeleteModel(
                    name="Offer",
                ),
                migrations.DeleteModel(
                    name="OfferChange",
                ),
                migrations.DeleteModel(
                    name="Requisition",
                ),
                migrations.DeleteModel(
                    name="Stage",
                ),
                migrations.DeleteModel(
                    name="StageChange",
                ),
                migrations.DeleteModel(
                    name="StepApprover",
                ),
                migrations.DeleteModel(
                    name="UsedApprovalLink",
                ),
            ],
        ),
    ]
