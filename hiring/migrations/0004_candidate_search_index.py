from django.db import migrations

# Candidate search on PostgreSQL: full-text match on search_document (name, e-mail, tags,
# note text). SQLite has no such index; the search there is a plain substring match.
CREATE = (
    "CREATE INDEX IF NOT EXISTS candidate_search_fts_idx ON hiring_candidate "
    "USING gin (to_tsvector('simple', search_document))"
)
DROP = "DROP INDEX IF EXISTS candidate_search_fts_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("hiring", "0003_pipeline")]
    operations = [migrations.RunPython(create, drop)]
