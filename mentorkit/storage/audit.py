"""Recording who did what: every status change, match acceptance and import is logged.

Who acted is what can be proven, not what the environment says. The command line acts as
the administrator it runs as: the operating-system account of the process, read from the
operating system (not from ``$USER`` or ``$LOGNAME``, which any caller sets). A group member
acts only by proving membership with their token, and the service that checked the token
records the member in the entry's detail. ``MENTORKIT_ACTOR`` (a coordinator's name on a
shared service account) is recorded too, as what it is: a claim, in the detail's
``claimed``, never as the actor, and never as anyone's authorship.

On the participants' page (``mentorkit serve``) a member proves who they are with their
personal link, and the web layer runs their request inside :func:`as_member`: its entries
then name the proven member as the actor, with the server's account in the detail
(``server``). A note a member writes is still not attributed to them in the log
(``unattributed``): the log says a member wrote on the group, not who confides what.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from mentorkit.storage import bulk
from mentorkit.storage.models import AuditEntry

ACTOR_ENV = "MENTORKIT_ACTOR"
CLAIM_LENGTH = 200
ADMINISTRATOR = "administrator"
PAGE = "participant page"
_member: ContextVar[str | None] = ContextVar("mentorkit_proven_member", default=None)


@contextlib.contextmanager
def as_member(email: str) -> Iterator[None]:
    """Act as ``email``, a member the caller has proven (the web layer, by their link)."""
    token = _member.set(email)
    try:
        yield
    finally:
        _member.reset(token)


def member() -> str | None:
    """The proven member this request acts as, or None: the administrator."""
    return _member.get()


def actor() -> str:
    """Who is acting: the proven member, else the operating-system account."""
    return _member.get() or administrator()


def author() -> str:
    """Who a note written now is by: the proven member, else the administrator's account,
    marked as such (:func:`admin_author`)."""
    return _member.get() or admin_author()


def administrator() -> str:
    """The operating-system account running this process."""
    try:
        import pwd
    except ImportError:  # Windows: the account the process runs as
        try:
            return os.getlogin()
        except OSError:
            return "unknown"
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a container's user with no name
        return f"uid {os.geteuid()}"


def admin_author() -> str:
    """How a note written at the command line names its author: the account, marked as an
    administrator's (an e-mail address holds no space, so it can never be a member's)."""
    return f"{administrator()} ({ADMINISTRATOR})"


def claimed() -> str | None:
    """What ``MENTORKIT_ACTOR`` says, as printable text, or None: unproven."""
    value = "".join(c for c in os.environ.get(ACTOR_ENV, "")
                    if not unicodedata.category(c).startswith("C")).strip()
    return value[:CLAIM_LENGTH] or None


def record(action: str, target: str = "", *, unattributed: bool = False,
           **detail: Any) -> None:
    """An entry by the administrator running this process, or by the proven member (see
    :func:`as_member`; with ``unattributed``, by "a member" without saying which); a claimed
    name goes in the detail as ``claimed``."""
    if (claim := claimed()) is not None:
        detail["claimed"] = claim
    who = administrator()
    if (proven := _member.get()) is not None:
        detail["server"], detail["via"] = who, PAGE
        who = f"a member ({PAGE})" if unattributed else proven
    AuditEntry.create(actor=who, action=action, target=target, detail=detail)


def record_many(action: str, entries: list[tuple[str, dict[str, Any]]]) -> None:
    """One entry per (target, detail), as :func:`record` writes each, inserted in bulk (a
    proposal for thousands of people accepted at once)."""
    actor, claim = administrator(), claimed()
    rows = [{"actor": actor, "action": action, "target": target,
             "detail": {**detail, "claimed": claim} if claim is not None else detail}
            for target, detail in entries]
    bulk.insert(AuditEntry, rows)


def about_program(target: str, detail: dict | None, key: str) -> bool:
    """Whether an entry (its target and detail) is about program ``key``: the program itself,
    one of its groups (``key-003``), or anything recorded with ``program=key``."""
    return (target == key or target.startswith(f"{key}-")
            or (detail or {}).get("program") == key)
