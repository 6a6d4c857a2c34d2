"""Data versions per hospital instead of one for the whole database (issue 15).

`dangjian_unit_version` has a row per *unit*: a hospital's subtree, named by its path
prefix of two steps (`Organization.hospital_path`, `substr(path, 1, 8)`), or an
organisation above the hospitals, named by its own path. Triggers on every table the
cached figures read bump the units a written row belongs to, whatever writes it, so a
write in one hospital leaves every other hospital's cached figures valid, and writers in
different hospitals no longer queue on one counter row.

The attribution of a row to its units is written here, once, as SQL (a migration keeps
its own copy; a later change needs a new migration):
- an organisation: its own path's prefix;
- a row with an organisation (a meeting, a bill, a membership, a seat, a department's
  hospital): that organisation's unit;
- a row of a person (a status period, a payment, a bill, a person): the units of every
  organisation the person belongs or belonged to (their current one and their
  memberships), since their figures are counted where they were on each day;
- an attendance: its meeting's organisation.
An update bumps the units of the row before and after it (a move or a transfer changes
two hospitals).

SQLite has row triggers only; PostgreSQL gets one trigger per statement with its
transition tables, so a bulk insert bumps each unit once.
"""

from importlib import import_module

from django.db import migrations

VERSION_TABLE = "dangjian_unit_version"
OLD_TABLE = "dangjian_data_version"
UNIT_CHARS = 8  # Organization.steplen * 2
# Not a small number: a cache that outlives the database (Redis) never mistakes a new
# database's versions for an old one's.
START = {
    "sqlite": "abs(random()) % 281474976710656",
    "postgresql": "floor(random() * 281474976710656)::bigint",
}

# Per table: where its rows' units come from ("path", "org", "person", "meeting", column).
SOURCES = {
    "orgs_organization": [("path", "path")],
    "orgs_department": [("org", "hospital_id")],
    "orgs_committeeseat": [("org", "organization_id"), ("person", "person_id")],
    "people_person": [("org", "organization_id"), ("person", "id")],
    "people_statusperiod": [("person", "person_id")],
    "people_membership": [("org", "organization_id")],
    "development_developmentstep": [("org", "organization_id")],
    "meetings_meeting": [("org", "organization_id")],
    "meetings_attendance": [("meeting", "meeting_id")],
    "dues_duesbill": [("org", "organization_id"), ("person", "person_id")],
    "dues_duespayment": [("person", "person_id")],
}


def unit_selects(sources, ids, path) -> str:
    """A UNION of selects yielding the column `u`: the units of some rows. `ids(col)` is
    an SQL list of those rows' values of `col`; `path` a select of their paths."""
    unit = f"substr(o.path, 1, {UNIT_CHARS})"
    parts = []
    for kind, col in sources:
        if kind == "path":
            parts.append(f"SELECT substr(x.path, 1, {UNIT_CHARS}) AS u FROM {path} x")
        elif kind == "org":
            parts.append(f"SELECT {unit} AS u FROM orgs_organization o WHERE o.id IN {ids(col)}")
        elif kind == "meeting":
            parts.append(
                f"SELECT {unit} AS u FROM orgs_organization o WHERE o.id IN "
                f"(SELECT m.organization_id FROM meetings_meeting m WHERE m.id IN {ids(col)})"
            )
        else:  # person
            parts.append(
                f"SELECT {unit} AS u FROM orgs_organization o WHERE o.id IN "
                f"(SELECT p.organization_id FROM people_person p WHERE p.id IN {ids(col)} "
                f"UNION SELECT m.organization_id FROM people_membership m "
                f"WHERE m.person_id IN {ids(col)})"
            )
    return " UNION ".join(parts)


def upsert(vendor: str, selects: str) -> str:
    return (
        f"INSERT INTO {VERSION_TABLE} (unit, n) SELECT u, {START[vendor]} "
        f"FROM (SELECT DISTINCT u FROM ({selects}) a) s WHERE u IS NOT NULL ORDER BY u "
        f"ON CONFLICT (unit) DO UPDATE SET n = {VERSION_TABLE}.n + 1"
    )


def sqlite_triggers(run, tables=SOURCES):
    for table, sources in tables.items():
        for op, refs in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
            selects = " UNION ".join(
                unit_selects(
                    sources,
                    ids=lambda col, r=ref: f"({r}.{col})",
                    path=f"(SELECT {ref}.path AS path)",
                )
                for ref in refs
            )
            run(
                f"CREATE TRIGGER uv_{table}_{op.lower()} AFTER {op} ON {table} "
                f"BEGIN {upsert('sqlite', selects)}; END"
            )


def postgresql_triggers(run, tables=SOURCES, with_truncate_function=True):
    if with_truncate_function:
        run(
            "CREATE FUNCTION dangjian_bump_all_units() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN UPDATE {VERSION_TABLE} SET n = n + 1; RETURN NULL; END $$"
        )
    for table, sources in tables.items():

        def of(rows, sources=sources):
            return unit_selects(
                sources, ids=lambda col: f"(SELECT r.{col} FROM {rows} r)", path=rows
            )

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


OLD_WATCHED = [t for t in SOURCES if t != "meetings_attendance"]


def drop_old_counter(connection, run):
    if connection.vendor == "postgresql":
        for table in OLD_WATCHED:
            run(f"DROP TRIGGER IF EXISTS dv_{table} ON {table}")
        run("DROP FUNCTION IF EXISTS dangjian_bump_data_version()")
    else:
        for table in OLD_WATCHED:
            for op in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS dv_{table}_{op}")
    run(f"DROP TABLE IF EXISTS {OLD_TABLE}")


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    run = schema_editor.execute
    drop_old_counter(connection, run)
    run(f"CREATE TABLE {VERSION_TABLE} (unit varchar(255) PRIMARY KEY, n bigint NOT NULL)")
    # Every existing unit gets its row now: the figures read versions, never write them.
    run(
        f"INSERT INTO {VERSION_TABLE} (unit, n) SELECT DISTINCT substr(path, 1, {UNIT_CHARS}), "
        f"{START[connection.vendor]} FROM orgs_organization"
    )
    if connection.vendor == "postgresql":
        postgresql_triggers(run)
    else:
        sqlite_triggers(run)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    run = schema_editor.execute
    for table in SOURCES:
        if connection.vendor == "postgresql":
            for op in ("insert", "update", "delete", "truncate"):
                run(f"DROP TRIGGER IF EXISTS uv_{table}_{op} ON {table}")
            run(f"DROP FUNCTION IF EXISTS uv_{table}()")
        else:
            for op in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS uv_{table}_{op}")
    if connection.vendor == "postgresql":
        run("DROP FUNCTION IF EXISTS dangjian_bump_all_units()")
    run(f"DROP TABLE {VERSION_TABLE}")
    import_module("dangjian.orgs.migrations.0003_data_version").forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_data_version"),
        ("people", "0001_initial"),
        ("development", "0002_public_notice"),
        ("meetings", "0002_resolution_tally"),
        ("dues", "0003_bill_paid_on_time"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
