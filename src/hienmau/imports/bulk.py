"""Inserting many rows fast: plain tuples into the table, COPY on PostgreSQL and
executemany on SQLite, without building a model instance per row.

Django's bulk_create spends most of a 100.000-row import building and preparing model
instances (docs/architecture.md §6: ≈ 24.000 rows/s against ≈ 90.000 for COPY). Rows here are
dicts of field names; fields left out take their default. Values are converted the way
the backend stores them (UUIDs as hex on SQLite, dates and datetimes through the
backend's own adapters).
"""

import datetime
import decimal
import os
import uuid

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

_CHUNK = 5000


def _converter(field):
    ops = connection.ops
    if connection.vendor == "postgresql":
        return None  # psycopg adapts UUID, date, datetime and Decimal itself
    if isinstance(field, models.UUIDField):
        return lambda v: v.hex if isinstance(v, uuid.UUID) else v
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat() if isinstance(v, datetime.date) else v
    if isinstance(field, models.DecimalField):
        return lambda v: str(v) if isinstance(v, decimal.Decimal) else v
    return None


def _default(field, now):
    """(value, is it the same for every row): auto_now fields take the insert's time."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now, True
    if field.default is uuid.uuid4:
        return random_uuids(), False
    if field.default is NOT_PROVIDED:
        return (None if field.null else ""), True
    if callable(field.default):
        return field.default, False
    return field.default, True


def random_uuids(batch: int = 4096):
    """A function giving version 4 UUIDs as 32 hex digits, from one read of the system's
    random source per `batch`: uuid.uuid4() per row cost an import of 100.000 donors
    and their registrations a second. Both databases take the hex form."""
    pending = []

    def next_uuid() -> str:
        if not pending:
            raw = os.urandom(16 * batch).hex()
            pending.extend(f"{raw[i:i + 12]}4{raw[i + 13:i + 16]}{_VARIANT[raw[i + 16]]}"
                           f"{raw[i + 17:i + 32]}" for i in range(0, 32 * batch, 32))
        return pending.pop()

    return next_uuid


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def reserve_ids(model, count: int) -> list[int]:
    """`count` primary keys for rows about to be inserted with `insert`, so that rows
    referring to them can be built at once (COPY returns no ids). Call it inside the
    transaction that inserts them: on SQLite (transactions begin IMMEDIATE, settings.py)
    that holds the write lock, so nobody else takes the ids after the largest one; on
    PostgreSQL the sequence hands them out."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids on SQLite needs the inserting transaction")
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM "
                       f"{connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        # AUTOINCREMENT never reuses an id, even of a deleted last row.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(largest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def insert(model, rows: list[dict]) -> None:
    """Insert `rows` ({field name: value}) into `model`'s table, in chunks. Every row
    gives the same fields (as its attribute name, `home_id`, or its name, `home`), foreign
    keys as ids; the primary key is written when the rows give it (`reserve_ids`)."""
    if not rows:
        return
    now = datetime.datetime.now(datetime.UTC)
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields
              if not f.primary_key or pk.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # wrap_database_errors: the driver's errors become Django's (IntegrityError…), as
    # through the ORM, even from COPY on the raw cursor.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for records in _records(rows, fields, now):
                    for record in records:
                        copy.write_row(record)
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        for records in _records(rows, fields, now):
            cursor.executemany(sql, records)


def _records(rows: list[dict], fields, now):
    """The rows as tuples of stored values, a chunk at a time. Built column by column,
    one comprehension per field: a loop over the fields for every row cost a
    100.000-row import near three seconds."""
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        yield list(zip(*(_column(chunk, f, now) for f in fields), strict=True))


def _column(rows: list[dict], field, now) -> list:
    """`field`'s value in every row, as the backend stores it."""
    convert = _converter(field)
    key = next((k for k in (field.attname, field.name) if k in rows[0]), None)
    if key is None:
        default, constant = _default(field, now)
        if constant:
            return [_converted(default, convert)] * len(rows)
        return [_converted(default(), convert) for _row in rows]
    values = [row[key] for row in rows]
    if convert is None:
        return values
    memo = {}  # the same value (the insert's timestamp, a date) converted once
    return [None if value is None else memo[value] if value in memo
            else memo.setdefault(value, convert(value)) for value in values]


def _converted(value, convert):
    return convert(value) if convert and value is not None else value


def ids_where_in(model, column: str, values, *, not_blank: bool = False) -> list[tuple]:
    """[(value, id)] of the rows whose `column` holds one of `values`, in plain SQL (one
    array parameter on PostgreSQL): 100.000 identity numbers go through the ORM's lookup
    preparation in seconds. `not_blank` names the condition of a partial index on
    `column` (NOT column = ''), without which SQLite scans the table instead of using it."""
    values, found = list(values), []
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(column).column)
    also = f" AND NOT ({column} = '')" if not_blank else ""
    with connection.cursor() as cursor:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start:start + _CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} = ANY(%s)"
                               f"{also}", [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})"
                               f"{also}", chunk)
            found.extend(cursor.fetchall())
    return found


def in_ids(queryset, ids, field: str = "pk", chunk: int = _CHUNK):
    """The rows of `queryset` whose `field` (the primary key or a foreign key) is in
    `ids`, a chunk at a time. The ids go into the SQL as literal integers: as parameters
    of `pk__in`, 100.000 of them cost the ORM's lookup preparation a second and a half."""
    ids = sorted({int(pk) for pk in ids})
    model = queryset.model
    target = model._meta.pk if field == "pk" else model._meta.get_field(field)
    column = f"{connection.ops.quote_name(model._meta.db_table)}." \
             f"{connection.ops.quote_name(target.column)}"
    for start in range(0, len(ids), chunk):
        literal = ", ".join(map(str, ids[start:start + chunk]))  # integers: nothing to quote
        yield from queryset.extra(where=[f"{column} IN ({literal})"])
