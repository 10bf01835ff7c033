"""The participants' own page: each participant's personal link for one cycle, and the
sessions a link opens in a browser.

Neither table holds a secret: a link's token and a session's id are random values handed to
the participant (in a letter, in a cookie); only their SHA-256 digests are stored, so the
database alone opens no one's page.
"""

from __future__ import annotations

import peewee as pw

from mentorkit.storage.base import BaseModel, now
from mentorkit.storage.records import Participant


class ParticipantLink(BaseModel):
    """A participant's personal link for their cycle (a :class:`Participant` is one cycle's
    enrollment): one at a time; issuing a new one replaces it. It works until ``expires_on``
    (the cycle's end) unless revoked."""

    participant = pw.ForeignKeyField(Participant, unique=True, backref="links",
                                     on_delete="CASCADE")
    digest = pw.CharField(max_length=64, unique=True)
    expires_on = pw.DateField()
    issued_by = pw.TextField(default="")
    issued_at = pw.DateTimeField(default=now)
    revoked_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "participant_link"


class PageSession(BaseModel):
    """A browser's session on the page, opened by a link: the cookie holds a random id
    (stored as its digest), and each form carries the session's CSRF token. Ended when the
    link is revoked or replaced (the link's row goes), and after ``expires_at``."""

    link = pw.ForeignKeyField(ParticipantLink, backref="sessions", on_delete="CASCADE")
    digest = pw.CharField(max_length=64, unique=True)
    csrf = pw.CharField(max_length=64)
    created_at = pw.DateTimeField(default=now)
    expires_at = pw.DateTimeField()

    class Meta:
        table_name = "page_session"
