"""What every table shares: the database they live in, JSON kept as text, the time of day."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import peewee as pw

database = pw.DatabaseProxy()


# The stored form of a JSON column: keys sorted, dates as text. One encoder, made once (json.dumps
# with options makes one per call, which a 50,000-row import feels).
encode_json = json.JSONEncoder(sort_keys=True, default=str).encode


class JSONText(pw.TextField):
    def db_value(self, value: Any) -> str | None:
        return None if value is None else encode_json(value)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class DateTimeField(pw.DateTimeField):
    """A date and time, read with ``fromisoformat``: peewee tries ``strptime`` with one format
    after another, ten times slower, which a year of meetings read at once feels. A value it
    does not read (or a driver's own datetime) goes the usual way."""

    def python_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        return super().python_value(value)


class DateField(pw.DateField):
    """A date, read with ``fromisoformat`` (see :class:`DateTimeField`)."""

    def python_value(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return super().python_value(value)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    description = pw.TextField()
    applied_at = pw.DateTimeField(default=now)
