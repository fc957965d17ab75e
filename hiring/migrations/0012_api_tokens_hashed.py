"""API tokens are stored hashed (django-rest-knox): the plain keys of DRF's token table are
hashed into knox's, then that table is dropped, so no key can be read back by anyone.

Clients keep working: `Authorization: Token <key>` with the same key.
"""

from django.db import migrations
from knox.crypto import hash_token
from knox.settings import CONSTANTS

OLD_TABLE = "authtoken_token"


def hash_old_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    for key, user_id in rows:
        AuthToken.objects.create(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=None,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0011_audit_actor_kept_append_only"),
        ("knox", "0009_extend_authtoken_field"),
    ]
    operations = [migrations.RunPython(hash_old_tokens, migrations.RunPython.noop)]
