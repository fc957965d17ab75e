from django.db import migrations

# Sorting the candidate list (/candidates/?sort=...) at 100,000 applications. Without these
# every sort but the default one read and sorted the whole table: ~280 ms of SQL per page.
# With them PostgreSQL walks an index in the sort's order and stops after a page (~2 ms).
# They are raw SQL, not Meta.indexes, as migration 0004's index is: plain b-trees that
# SQLite builds too, kept out of the model state that hiring/models.py owns.
INDEXES = [
    # "Days in stage" (sort=days, -days): ORDER BY entered_stage_at, id, and its keyset.
    ("application_days_idx", "hiring_application (entered_stage_at, id)"),
    # "Name" (sort=name, -name): ORDER BY candidate.name, then application id.
    ("candidate_name_idx", "hiring_candidate (name)"),
    # "Requisition" (sort=requisition): ORDER BY requisition.title, then application id;
    # also the requisition filter's options, in title order.
    ("requisition_title_idx", "hiring_requisition (title)"),
]


class Migration(migrations.Migration):
    dependencies = [("hiring", "0005_interviews_decisions")]
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES
    ]
