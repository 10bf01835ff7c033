"""Many rows into one table with one prepared statement (the driver's ``executemany``).

peewee's ``insert_many`` writes the SQL text of every row, a placeholder and a bound value
object per cell, which for thousands of rows (a proposal's relationships and audit entries,
the letters a notify wrote) costs more than the database's own work. Here the statement is
written once and run over the rows; each value still goes through its field's ``db_value``
(JSON, dates), and a field a row leaves out gets its default, as peewee would give it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import peewee as pw

from mentorkit.storage.models import database


def insert(model: type[pw.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (field name -> value, every row naming the same fields) into
    ``model``'s table; the number inserted. A callable default (``now``) is called once for
    the whole batch: the rows were made together."""
    rows = list(rows)
    if not rows:
        return 0
    named = list(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):  # a default is given once for all
        raise ValueError(f"bulk.insert into {model.__name__}: every row names the same fields")
    fields = [model._meta.fields[name] for name in named]
    defaulted = [f for f in model._meta.sorted_fields
                 if f.name not in named and not isinstance(f, pw.AutoField)
                 and f.default is not None]
    defaults = tuple(_stored(f, f.default() if callable(f.default) else f.default)
                     for f in defaulted)
    columns = ", ".join(f'"{f.column_name}"' for f in fields + defaulted)
    sql = (f'INSERT INTO "{model._meta.table_name}" ({columns}) '
           f'VALUES ({", ".join([database.param] * (len(fields) + len(defaulted)))})')
    values = [tuple(_stored(f, row[f.name]) for f in fields) + defaults for row in rows]
    # one transaction (outside one, each row would commit alone); the driver's errors as
    # peewee's (IntegrityError, OperationalError), as insert_many raises them
    with database.atomic(), pw.__exception_wrapper__:
        database.cursor().executemany(sql, values)
    return len(values)


def _stored(field: pw.Field, value: Any) -> Any:
    """``value`` as the database stores it: the field's own conversion, and on SQLite dates
    and times as the text sqlite3's (deprecated) default adapters would write."""
    if isinstance(value, pw.Model):
        value = value.get_id()
    value = field.db_value(value)
    if isinstance(value, dt.date) and isinstance(database.obj, pw.SqliteDatabase):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value
