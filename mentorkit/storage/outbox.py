"""The ledger of messages handed to a mail server, so that none is sent twice.

A message is recorded as *sending* (committed) before it is handed to the server, and as
*sent* in the step that learns the server accepted it; a server that refuses it outright
removes the record. Each of these steps waits out a busy database (another coordinator's
long transaction) for up to :data:`PATIENCE` seconds rather than fail, because failing after
the server accepted a message would lose the record of a delivered message.

What SMTP itself cannot tell: when the connection dies after the message was handed over and
before the server's reply arrived, the message may or may not have been delivered. It stays
*sending*; a later run does not send it again unless asked, and names it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, ProgramRecord, SentMessage, database, now

SENDING, SENT = "sending", "sent"
PATIENCE = 600.0  # seconds a busy database is waited for before recording gives up
BUSY_STATES = {"55P03", "40001", "40P01"}  # PostgreSQL: lock not available, serialization
T = TypeVar("T")


class BusyDatabase(MentorkitError):
    """The database stayed busy (locked by another process) for longer than mentorkit waits."""


@attrs.frozen
class Entry:
    """What the ledger holds about one message."""

    message_id: str
    kind: str
    status: str


def _busy(error: Exception) -> bool:
    """Whether ``error`` means another connection holds a lock (worth waiting for)."""
    said = str(error).lower()
    state = getattr(error.__cause__ or error, "sqlstate", None)
    return "locked" in said or "busy" in said or state in BUSY_STATES


def patiently(step: Callable[[], T], patience: float | None = None) -> T:
    """``step`` (one transaction), tried again while the database is busy, for up to
    ``patience`` seconds (:data:`PATIENCE`); then :class:`BusyDatabase`."""
    deadline = time.monotonic() + (PATIENCE if patience is None else patience)
    pause = 0.05
    while True:
        try:
            return step()
        except pw.OperationalError as error:
            if not _busy(error):
                raise
            if time.monotonic() >= deadline:
                raise BusyDatabase("the database stayed locked by another process for "
                                   f"{PATIENCE if patience is None else patience:g} "
                                   "seconds") from None
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def entries(message_ids: list[str]) -> dict[str, Entry]:
    """The ledger's entries for these Message-IDs."""
    query = SentMessage.select().where(SentMessage.message_id.in_(message_ids))
    return {row.message_id: Entry(row.message_id, row.kind, row.status) for row in query}


def sending(program: ProgramRecord, message_id: str, kind: str, person_id: int,
            also: list[str] | tuple[str, ...] = ()) -> None:
    """Before the message is handed over: it is being sent (committed at once), and with it
    the letters it stands for too (``also``: their Message-IDs)."""
    def step() -> None:
        with database.atomic():
            for mid in (message_id, *also):
                row = SentMessage.get_or_none(SentMessage.message_id == mid)
                if row is None:
                    SentMessage.create(program=program, message_id=mid, kind=kind,
                                       status=SENDING, participant=Participant.get_or_none(
                                           Participant.id == person_id))
                else:  # sent again on request, after it was left uncertain
                    row.status, row.sent_at = SENDING, now()
                    row.save()
    patiently(step)


def sent(program: ProgramRecord, message_id: str, recipient: str, kind: str,
         event: str, also: list[str] | tuple[str, ...] = ()) -> None:
    """The server accepted the message: recorded as sent (with the letters it stands for
    too), with its audit entry, at once."""
    def step() -> None:
        with database.atomic():
            SentMessage.update(status=SENT, sent_at=now()).where(
                SentMessage.message_id.in_([message_id, *also])).execute()
            audit.record("mail.sent", recipient, program=program.key, kind=kind, event=event,
                         message_id=message_id)
    patiently(step)


def refused(message_id: str, also: list[str] | tuple[str, ...] = ()) -> None:
    """The server refused the message (it was not delivered): no longer in the ledger (nor
    the letters it stood for), so a later run sends it."""
    def step() -> None:
        with database.atomic():
            SentMessage.delete().where(SentMessage.message_id.in_([message_id, *also])
                                       & (SentMessage.status == SENDING)).execute()
    patiently(step)
