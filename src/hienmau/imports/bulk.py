"""Inserting many rows fast: plain tuples into the table, COPY on PostgreSQL and
executemany on SQLite, without building a model instance per row.

Django's bulk_create spends most of a 100.000-row import building and preparing model
instances (ARCHITECTURE.md: ≈ 24.000 rows/s against ≈ 90.000 for COPY). Rows here are
dicts of field names; fields left out take their default. Values are converted the way
the backend stores them (UUIDs as hex on SQLite, dates and datetimes through the
backend's own adapters).
"""

import datetime
import decimal
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
    if field.default is NOT_PROVIDED:
        return (None if field.null else ""), True
    if callable(field.default):
        return field.default, False
    return field.default, True


def insert(model, rows: list[dict]) -> None:
    """Insert `rows` ({field name: value}) into `model`'s table, in chunks."""
    if not rows:
        return
    now = datetime.datetime.now(datetime.UTC)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    plan = []
    for f in fields:
        default, constant = _default(f, now)
        convert = _converter(f)
        if constant and convert and default not in (None, ""):
            default = convert(default)  # once, not once per row
        plan.append((f.attname, f.name, default, constant, convert))
    memo = {}  # the same value (a timestamp, a unit's id) converted once

    def values(row):
        out = []
        for attname, name, default, constant, convert in plan:
            if attname in row:
                value = row[attname]
            elif name in row:
                value = row[name]
            else:
                out.append(default if constant else _converted(default(), convert))
                continue
            if isinstance(value, models.Model):
                value = value.pk
            if convert is None or value is None:
                out.append(value)
            elif isinstance(value, datetime.datetime):
                if value not in memo:
                    memo[value] = convert(value)
                out.append(memo[value])
            else:
                out.append(convert(value))
        return out

    table = connection.ops.quote_name(model._meta.db_table)
    # wrap_database_errors: the driver's errors become Django's (IntegrityError…), as
    # through the ORM, even from COPY on the raw cursor.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        for start in range(0, len(rows), _CHUNK):
            cursor.executemany(sql, [values(row) for row in rows[start:start + _CHUNK]])


def _converted(value, convert):
    return convert(value) if convert and value is not None else value


def ids_by_code(model, codes) -> dict:
    """{code: id} for rows just inserted (COPY returns no ids), in plain SQL: preparing
    100.000 UUID parameters through the ORM costs seconds."""
    codes, found = list(codes), {}
    code_field = model._meta.get_field("code")
    convert = _converter(code_field)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(codes), _CHUNK):
            chunk = codes[start:start + _CHUNK]
            params = [convert(c) for c in chunk] if convert else chunk
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT code, id FROM {table} WHERE code IN ({marks})", params)
            for code, pk in cursor.fetchall():
                found[code if isinstance(code, uuid.UUID) else uuid.UUID(code)] = pk
    return found


def ids_where_in(model, column: str, values) -> list[tuple]:
    """[(value, id)] of the rows whose `column` holds one of `values`, in plain SQL (one
    array parameter on PostgreSQL): 100.000 identity numbers go through the ORM's lookup
    preparation in seconds."""
    values, found = list(values), []
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(column).column)
    with connection.cursor() as cursor:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start:start + _CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} = ANY(%s)",
                               [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})",
                               chunk)
            found.extend(cursor.fetchall())
    return found
