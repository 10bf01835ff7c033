"""Option types shared by the commands, so a mistyped value is the same usage error (exit 2)
everywhere, with the same words."""

from __future__ import annotations

import datetime as dt
import difflib

import click

from mentorkit.kernel.concerns import Audience


class When(click.ParamType):
    """A date or a date and time, checked here; the program's time zone is applied later
    (``meetings.parse_when``), so the value stays text."""

    name = "DATE[ TIME]"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("T", " "))
        except ValueError:
            self.fail(f"{value!r} is not a date or time (YYYY-MM-DD or 'YYYY-MM-DD HH:MM')",
                      param, ctx)
        if not 1900 <= moment.year <= 2200:
            self.fail(f"{value!r} is not a plausible date (years 1900 to 2200)", param, ctx)
        return text


WHEN = When()
DAY = click.DateTime(["%Y-%m-%d"])

# Audiences may be named in the singular or the plural; each has one canonical name.
AUDIENCE_ALIASES = {"administrators": "administrator", "admin": "administrator",
                    "participant": "participants", "groups": "group"}


class AudienceChoice(click.Choice):
    def __init__(self) -> None:
        super().__init__([a.value for a in Audience])

    def convert(self, value, param, ctx):
        text = str(value).strip().lower()
        text = AUDIENCE_ALIASES.get(text, text)
        if text in self.choices:
            return text
        close = difflib.get_close_matches(text, list(self.choices), n=1)
        self.fail(f"{value!r} is not an audience" + (f"; did you mean {close[0]!r}?" if close
                                                      else "") + " (" + ", ".join(self.choices)
                  + ")", param, ctx)
