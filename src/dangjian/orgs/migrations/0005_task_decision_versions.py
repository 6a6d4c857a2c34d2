"""The task ledger and the 三重一大 register bump their hospitals' data versions too, so
their figures (tasks.*, decisions.*) are cached per hospital like the others (issue 15).

Attribution, as in 0004_unit_versions:
- a task: its responsible organisation's unit;
- a major matter: its organisation's unit;
- an expert consultation or an opinion solicitation: its matter's organisation's unit.

0004's trigger writers know organisations, people and meetings as sources; a matter is
new, so this migration adds that one source kind to a copy of its `unit_selects` and
otherwise uses 0004's writers unchanged.
"""

from importlib import import_module

from django.db import migrations

units = import_module("dangjian.orgs.migrations.0004_unit_versions")

TASKS = "tasks_worktask"
MATTERS = "decisions_majormatter"
BY_MATTER = ("decisions_expertconsultation", "decisions_opinionsolicitation")


def matter_selects(ids) -> str:
    return (
        f"SELECT substr(o.path, 1, {units.UNIT_CHARS}) AS u FROM orgs_organization o "
        f"WHERE o.id IN (SELECT m.organization_id FROM {MATTERS} m WHERE m.id IN {ids('matter_id')})"
    )


def sqlite_by_matter(run, table):
    for op, refs in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
        selects = " UNION ".join(matter_selects(lambda col, r=ref: f"({r}.{col})") for ref in refs)
        run(
            f"CREATE TRIGGER uv_{table}_{op.lower()} AFTER {op} ON {table} "
            f"BEGIN {units.upsert('sqlite', selects)}; END"
        )


def postgresql_by_matter(run, table):
    def of(rows):
        return matter_selects(lambda col: f"(SELECT r.{col} FROM {rows} r)")

    upsert = units.upsert
    run(
        f"CREATE FUNCTION uv_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'INSERT' THEN {upsert('postgresql', of('new_rows'))}; "
        f"ELSIF TG_OP = 'DELETE' THEN {upsert('postgresql', of('old_rows'))}; "
        f"ELSE {upsert('postgresql', of('new_rows') + ' UNION ' + of('old_rows'))}; "
        f"END IF; RETURN NULL; END $$"
    )
    for op, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        run(
            f"CREATE TRIGGER uv_{table}_{op.lower()} AFTER {op} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION uv_{table}()"
        )
    run(
        f"CREATE TRIGGER uv_{table}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION dangjian_bump_all_units()"
    )


def forwards(apps, schema_editor):
    run = schema_editor.execute
    by_org = {TASKS: [("org", "responsible_org_id")], MATTERS: [("org", "organization_id")]}
    if schema_editor.connection.vendor == "postgresql":
        units.postgresql_triggers(run, by_org, with_truncate_function=False)
        for table in BY_MATTER:
            postgresql_by_matter(run, table)
    else:
        units.sqlite_triggers(run, by_org)
        for table in BY_MATTER:
            sqlite_by_matter(run, table)


def backwards(apps, schema_editor):
    run = schema_editor.execute
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in (TASKS, MATTERS, *BY_MATTER):
        for op in ("insert", "update", "delete", *(["truncate"] if postgresql else [])):
            run(f"DROP TRIGGER IF EXISTS uv_{table}_{op}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            run(f"DROP FUNCTION IF EXISTS uv_{table}()")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_unit_versions"),
        ("tasks", "0001_initial"),
        ("decisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
