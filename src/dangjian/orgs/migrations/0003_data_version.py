"""A data version counter for cached figures (core.datacache): one row, bumped by
triggers on every write to the tables the dashboard and stats figures read. Plain SQL,
not a model, so that nothing in Django writes it but the triggers."""

import secrets

from django.db import migrations

# As in dangjian.core.datacache when this migration was written (a migration keeps its
# own copy); a later change to the list needs a new migration.
VERSION_TABLE = "dangjian_data_version"
WATCHED_TABLES = (
    "orgs_organization",
    "orgs_department",
    "orgs_committeeseat",
    "people_person",
    "people_statusperiod",
    "people_membership",
    "development_developmentstep",
    "meetings_meeting",
    "dues_duesbill",
    "dues_duespayment",
)

PG_FUNCTION = "dangjian_bump_data_version"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    run = schema_editor.execute
    run(f"CREATE TABLE {VERSION_TABLE} (id integer PRIMARY KEY, n bigint NOT NULL)")
    # A random start: a cache that outlives the database (Redis) never mistakes a new
    # database's versions for the old one's.
    run(f"INSERT INTO {VERSION_TABLE} (id, n) VALUES (1, {secrets.randbits(48)})")
    bump = f"UPDATE {VERSION_TABLE} SET n = n + 1 WHERE id = 1"
    if connection.vendor == "postgresql":
        run(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {bump}; RETURN NULL; END $$"
        )
        for table in WATCHED_TABLES:
            # Once per statement, not per row: a bulk insert bumps the counter once.
            run(
                f"CREATE TRIGGER dv_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
    else:  # SQLite has row triggers only
        for table in WATCHED_TABLES:
            for op in ("INSERT", "UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER dv_{table}_{op.lower()} AFTER {op} ON {table} "
                    f"BEGIN {bump}; END"
                )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    run = schema_editor.execute
    if connection.vendor == "postgresql":
        for table in WATCHED_TABLES:
            run(f"DROP TRIGGER IF EXISTS dv_{table} ON {table}")
        run(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for table in WATCHED_TABLES:
            for op in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS dv_{table}_{op}")
    run(f"DROP TABLE {VERSION_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_initial"),
        ("people", "0001_initial"),
        ("development", "0001_initial"),
        ("meetings", "0001_initial"),
        ("dues", "0002_duessettings"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
