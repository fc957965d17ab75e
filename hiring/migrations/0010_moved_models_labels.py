"""Rows that name a moved model by its app label follow it to its new app.

Content types (admin history, permissions) and audit entries (`object_type`, e.g.
"hiring.Offer") are relabelled, so an offer's audit history reads as one after the move.
The label changes; what each row records does not. Where the new label has a row already
(a partial `migrate` made it), the old row's permission grants and admin history move to it
before the old row is deleted.
"""

from django.conf import settings
from django.db import migrations

MOVED = {
    "pipeline": ["Requisition", "Stage", "Tag", "Candidate", "Application", "StageChange", "Note"],
    "assessments": ["Interview", "Decision"],
    "offers": [
        "OfferClock",
        "Offer",
        "OfferChange",
        "ApprovalTemplateStep",
        "ApprovalStep",
        "StepApprover",
        "UsedApprovalLink",
    ],
    "notifications": ["Notification"],
}


def relabel(apps, schema_editor, *, backwards=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("hiring", "AuditEntry")
    for app_label, names in MOVED.items():
        old, new = ("hiring", app_label) if not backwards else (app_label, "hiring")
        for name in names:
            model = name.lower()
            stale = ContentType.objects.filter(app_label=old, model=model).first()
            if stale is not None:
                current = ContentType.objects.filter(app_label=new, model=model).first()
                if current is None:
                    ContentType.objects.filter(pk=stale.pk).update(app_label=new)
                else:
                    merge_content_type(apps, stale, current)
            AuditEntry.objects.filter(object_type=f"{old}.{name}").update(
                object_type=f"{new}.{name}"
            )


def merge_content_type(apps, stale, current):
    """Both labels have a row: a partial `migrate` (`migrate pipeline`, `migrate assessments`)
    ran post_migrate, which made the new label's row and its permissions, before this ran.

    What points at the old row moves to the new one before the old row goes, so its deletion
    cascades to nothing: the permissions granted to groups and users on the old row are
    granted on the new row's permissions of the same codename (or move there), and admin
    history (`django_admin_log`) keeps its content type."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    grants = [
        apps.get_model("auth", "Group").permissions.through,
        apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through,
    ]
    for permission in Permission.objects.filter(content_type=stale):
        twin = Permission.objects.filter(content_type=current, codename=permission.codename).first()
        if twin is None:
            Permission.objects.filter(pk=permission.pk).update(content_type=current)
            continue
        for grant in grants:
            owner = next(
                field.attname
                for field in grant._meta.concrete_fields
                if field.is_relation and field.name != "permission"
            )
            granted = set(grant.objects.filter(permission=twin).values_list(owner, flat=True))
            grant.objects.bulk_create(
                grant(**{owner: pk, "permission_id": twin.pk})
                for pk in grant.objects.filter(permission=permission).values_list(owner, flat=True)
                if pk not in granted
            )
        permission.delete()  # its grants are the twin's now
    for relation in ContentType._meta.related_objects:
        if relation.related_model is not Permission and not relation.many_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: stale}).update(
                **{relation.field.name: current}
            )
    stale.delete()


def relabel_backwards(apps, schema_editor):
    relabel(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0009_models_moved_out_last"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("pipeline", "0001_initial"),
        ("offers", "0002_relations"),
        ("notifications", "0001_initial"),
        ("assessments", "0005_interviews_decisions_relations"),
    ]
    operations = [migrations.RunPython(relabel, relabel_backwards)]
