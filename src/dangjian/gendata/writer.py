"""Raw bulk inserts for the generator: rows are plain tuples with their primary keys
chosen here, written with `executemany` on SQLite and `COPY … FROM STDIN` on PostgreSQL.
Much faster than building model instances for millions of rows; nothing validates, so
the generator itself keeps every constraint.

Columns a table gets from its model's defaults (auto_now, `default=`, NULL) are filled
once per table, not per row.
"""

import datetime as dt
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from dangjian.core.datacache import bump_every_unit

BATCH = 5000


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def _pg_value(value):
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def _run_queued_checks(cursor) -> None:
    """Run the deferred checks queued so far (the ORM's, for the root organisation): ALTER
    TABLE refuses a table with pending trigger events."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Table:
    """One table: `columns` are the attnames each row gives, in order; every other
    concrete column takes its model default (or NULL, or now for auto_now fields)."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.model = model
        self.table = model._meta.db_table
        now = timezone.now()
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = ["id", *columns]
        missing = [name for name in columns if name not in fields]
        if missing:
            raise ValueError(f"{self.table}: no column {missing}")
        self.tail: list = []
        self.tail_columns: list[str] = []
        for name, field in fields.items():
            if name in self.columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.default is not NOT_PROVIDED or field.null or field.empty_strings_allowed:
                value = field.get_default()  # the default, NULL or ""
            else:
                raise ValueError(f"{self.table}.{name} needs a value")
            self.tail_columns.append(field.column)
            self.tail.append(value)
        self.db_columns = [fields[name].column for name in self.columns] + self.tail_columns
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
            self._next = (cursor.fetchone()[0] or 0) + 1
        self.rows: list[tuple] = []
        self.count = 0

    def next_id(self) -> int:
        pk = self._next
        self._next += 1
        return pk

    def add(self, *values) -> int:
        """Queue one row (values in `columns` order); returns its new primary key."""
        pk = self.next_id()
        self.rows.append((pk, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        names = ", ".join(connection.ops.quote_name(c) for c in self.db_columns)
        table = connection.ops.quote_name(self.table)
        raw = connection.connection  # the DB-API connection inside Django's transaction
        if connection.vendor == "postgresql":
            tail = [_pg_value(v) for v in self.tail]
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([*(_pg_value(v) for v in row), *tail])
        else:
            tail = tuple(_sqlite_value(v) for v in self.tail)
            marks = ", ".join("?" * len(self.db_columns))
            cursor = raw.cursor()
            try:
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    (tuple(_sqlite_value(v) for v in row) + tail for row in rows),
                )
            finally:
                cursor.close()


class Writer:
    """All the tables of one generation; `finish()` flushes them in creation order and
    moves PostgreSQL's sequences past the ids chosen here.

    On PostgreSQL a table is prepared for a bulk load when it is first written, all in the
    caller's transaction, the way pg_restore loads data before indexes and constraints:
    - its foreign keys are dropped. Django's are DEFERRABLE INITIALLY DEFERRED: kept,
      each of a province's fifty million rows queues a check to run at COMMIT (gigabytes
      of queued events, a third of the time);
    - its indexes other than primary keys and unique ones are dropped: kept, each insert
      updates up to eight B-trees that outgrow shared memory at a province's size;
    - its data-version triggers are disabled (they would read memberships through an
      index just dropped); every unit gets a new version at the end instead.
    `finish()` builds the indexes, adds the keys back with the same definitions (each key
    checked once over its table in one join) and enables the triggers. Until the commit
    the tables are locked against other writers, which a bulk load can afford."""

    def __init__(self):
        self.tables: list[Table] = []
        self.restore: list[str] = []  # statements that undo the preparation, in order
        self.disabled_triggers = False

    def table(self, model, columns: list[str]) -> Table:
        table = Table(model, columns)
        if connection.vendor == "postgresql" and all(t.table != table.table for t in self.tables):
            self._prepare_for_load(table.table)
        self.tables.append(table)
        return table

    def _prepare_for_load(self, table: str) -> None:
        name = _quote(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
                [table],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY c.relname",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND tgname LIKE 'uv\\_%%' AND tgenabled <> 'D' ORDER BY tgname",
                [table],
            )
            triggers = [trigger for (trigger,) in cursor.fetchall()]
            _run_queued_checks(cursor)
            for key, _definition in keys:
                cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {_quote(key)}")
            for index, _definition in indexes:
                cursor.execute(f"DROP INDEX {_quote(index)}")
            for trigger in triggers:
                cursor.execute(f"ALTER TABLE {name} DISABLE TRIGGER {_quote(trigger)}")
        self.restore += [definition for _index, definition in indexes]
        self.restore += [f"ALTER TABLE {name} ADD CONSTRAINT {_quote(k)} {d}" for k, d in keys]
        self.restore += [f"ALTER TABLE {name} ENABLE TRIGGER {_quote(t)}" for t in triggers]
        self.disabled_triggers |= bool(triggers)

    def _restore(self) -> None:
        if not self.restore:  # SQLite, or nothing prepared
            return
        with connection.cursor() as cursor:
            _run_queued_checks(cursor)
            for statement in self.restore:
                cursor.execute(statement)
        if self.disabled_triggers:
            bump_every_unit()
        self.restore, self.disabled_triggers = [], False

    def loaded_tables(self) -> list[str]:
        return list(dict.fromkeys(table.table for table in self.tables))

    def flush(self) -> None:
        for table in self.tables:
            table.flush()

    def finish(self) -> dict[str, int]:
        self.flush()
        self._restore()
        if connection.vendor == "postgresql":
            sql = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables])
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        counts: dict[str, int] = {}
        for table in self.tables:
            counts[table.model._meta.label] = counts.get(table.model._meta.label, 0) + table.count
        return counts
