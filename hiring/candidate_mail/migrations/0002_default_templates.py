"""The default texts (rules.DEFAULTS): one per kind, plain and neutral; admins edit them."""

from django.db import migrations


def add_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    from hiring.candidate_mail.rules import DEFAULTS

    EmailTemplate = apps.get_model("candidate_mail", "EmailTemplate")
    for kind, (name, subject, body) in DEFAULTS.items():
        if not EmailTemplate.objects.filter(kind=kind).exists():
            EmailTemplate.objects.create(kind=kind, name=name, subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("candidate_mail", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
