"""Service activities and problems bump their hospitals' data versions, so the
`service.*` figures are cached per hospital like the others (orgs 0004_unit_versions):
both count under their organisation's unit. Volunteers, photos, visits and posts are
not in any figure."""

from importlib import import_module

from django.db import migrations

units = import_module("dangjian.orgs.migrations.0004_unit_versions")

TABLES = ("service_serviceactivity", "service_problem")


def forwards(apps, schema_editor):
    run = schema_editor.execute
    by_org = {table: [("org", "organization_id")] for table in TABLES}
    if schema_editor.connection.vendor == "postgresql":
        units.postgresql_triggers(run, by_org, with_truncate_function=False)
    else:
        units.sqlite_triggers(run, by_org)


def backwards(apps, schema_editor):
    run = schema_editor.execute
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in TABLES:
        for op in ("insert", "update", "delete", *(["truncate"] if postgresql else [])):
            run(f"DROP TRIGGER IF EXISTS uv_{table}_{op}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            run(f"DROP FUNCTION IF EXISTS uv_{table}()")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0005_task_decision_versions"),
        ("service", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
