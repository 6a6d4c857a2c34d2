"""Where dues were collected, and the dues collected per organisation and month.

- `DuesPayment.organization`: the payer's organisation when they paid. Existing payments
  take the organisation of a bill they settled (where the month was billed), else the
  payer's current one.
- `DuesMonthTotal.collected` (a column since 0004): payments by organisation and month
  of `paid_on`, kept by triggers on dues_duespayment as 0004 keeps the bills' counts.
- The payments' data-version triggers (orgs 0004) count the payment's organisation too.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

ROLLUP = "dues_duesmonthtotal"
PAYMENTS = "dues_duespayment"
MONTH = {
    "sqlite": "date({ref}.paid_on, 'start of month')",
    "postgresql": "date_trunc('month', {ref}.paid_on)::date",
}


def collected(vendor: str, ref: str, sign: str = "") -> str:
    month = MONTH[vendor].format(ref=ref)
    return (
        f"{ref}.organization_id AS organization_id, {month} AS month, "
        f"{sign}{ref}.total AS collected"
    )


def upsert(select: str) -> str:
    return (
        f"INSERT INTO {ROLLUP} (organization_id, month, due, on_time, collected) "
        f"SELECT organization_id, month, 0, 0, sum(collected) FROM ({select}) x WHERE true "
        f"GROUP BY organization_id, month ORDER BY organization_id, month "
        f"ON CONFLICT (organization_id, month) DO UPDATE SET "
        f"collected = {ROLLUP}.collected + excluded.collected"
    )


def backfill(apps, schema_editor):
    run = schema_editor.execute
    run(
        f"UPDATE {PAYMENTS} SET organization_id = COALESCE("
        f"(SELECT min(b.organization_id) FROM dues_duesbill b WHERE b.paid_by_id = {PAYMENTS}.id), "
        f"(SELECT p.organization_id FROM people_person p WHERE p.id = {PAYMENTS}.person_id))"
    )


def rollup(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    run(upsert(f"SELECT {collected(vendor, 'p')} FROM {PAYMENTS} p"))
    if vendor == "postgresql":
        new = f"SELECT {collected(vendor, 'r')} FROM new_rows r"
        old = f"SELECT {collected(vendor, 'r', '-')} FROM old_rows r"
        run(
            f"CREATE FUNCTION {ROLLUP}_collect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {upsert(new)}; "
            f"ELSIF TG_OP = 'DELETE' THEN {upsert(old)}; "
            f"ELSE {upsert(new + ' UNION ALL ' + old)}; END IF; RETURN NULL; END $$"
        )
        for op, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            run(
                f"CREATE TRIGGER {ROLLUP}_collect_{op.lower()} AFTER {op} ON {PAYMENTS} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {ROLLUP}_collect()"
            )
        # TRUNCATE of the payments (tests, restores): no payment is left to count.
        run(
            f"CREATE FUNCTION {ROLLUP}_uncollect() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN UPDATE {ROLLUP} SET collected = 0; RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER {ROLLUP}_collect_truncate AFTER TRUNCATE ON {PAYMENTS} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {ROLLUP}_uncollect()"
        )
    else:
        new = f"SELECT {collected(vendor, 'NEW')}"
        old = f"SELECT {collected(vendor, 'OLD', '-')}"
        for op, select in (
            ("INSERT", new),
            ("UPDATE", new + " UNION ALL " + old),
            ("DELETE", old),
        ):
            run(
                f"CREATE TRIGGER {ROLLUP}_collect_{op.lower()} AFTER {op} ON {PAYMENTS} "
                f"BEGIN {upsert(select)}; END"
            )


def payment_versions(apps, schema_editor):
    """The payments' version triggers again, with the payment's organisation as a source."""
    units = import_module("dangjian.orgs.migrations.0004_unit_versions")
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    for op in ("insert", "update", "delete"):
        run(
            f"DROP TRIGGER IF EXISTS uv_{PAYMENTS}_{op}"
            + (f" ON {PAYMENTS}" if vendor == "postgresql" else "")
        )
    if vendor == "postgresql":
        run(f"DROP TRIGGER IF EXISTS uv_{PAYMENTS}_truncate ON {PAYMENTS}")
        run(f"DROP FUNCTION IF EXISTS uv_{PAYMENTS}()")
    sources = {PAYMENTS: [("org", "organization_id"), ("person", "person_id")]}
    if vendor == "postgresql":
        units.postgresql_triggers(run, sources, with_truncate_function=False)
    else:
        units.sqlite_triggers(run, sources)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    for op in ("insert", "update", "delete", "truncate"):
        if vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {ROLLUP}_collect_{op} ON {PAYMENTS}")
        else:
            run(f"DROP TRIGGER IF EXISTS {ROLLUP}_collect_{op}")
    if vendor == "postgresql":
        run(f"DROP FUNCTION IF EXISTS {ROLLUP}_collect()")
        run(f"DROP FUNCTION IF EXISTS {ROLLUP}_uncollect()")


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0005_history_indexes"),
        ("orgs", "0004_unit_versions"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="duespayment",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dues_payments",
                to="orgs.organization",
                verbose_name="收缴组织",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="duespayment",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dues_payments",
                to="orgs.organization",
                verbose_name="收缴组织",
            ),
        ),
        migrations.RunPython(rollup, backwards),
        migrations.RunPython(payment_versions, migrations.RunPython.noop),
    ]
