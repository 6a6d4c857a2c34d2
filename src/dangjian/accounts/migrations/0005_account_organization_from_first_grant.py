"""Existing accounts belong to the organisation of their first role."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    first = RoleGrant.objects.filter(user=OuterRef("pk")).order_by("pk").values("organization")[:1]
    User.objects.filter(organization__isnull=True).update(organization=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_account_organization_admin_roles_security_policy")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
