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
