"""What a request to the participants' page refused before any service ran leaves in the
audit log, beside a refused link (:func:`mentorkit.services.links.refused`): a link turned
away because its client failed too often, a session cookie that proves no one any more.
Each names the program and member where the link or session is still known, never the
token or the cookie."""

from __future__ import annotations

import datetime as dt

from mentorkit.services.links import digest, refused, stored_session, why_not
from mentorkit.storage.models import ParticipantLink, now


def refuse_blocked(token: str, client: str) -> None:
    """A link turned away because its client failed too often (429): logged, with the
    link's program and member when it is a real one (one read by digest, as opening it
    costs), so a coordinator sees a member shut out by someone else's guesses."""
    link = (ParticipantLink.get_or_none(ParticipantLink.digest == digest(token))
            if token and len(token) <= 200 else None)
    why = "too many failed links from this address"
    if link is None:
        refused(why, client)
    else:
        refused(why, client, link.participant.program.key, member=link.participant.email)


def refuse_session(sid: str, client: str, path: str) -> None:
    """A session cookie that proves no one (401): logged with why, and with the program
    and member where the session is still known (its member withdrew, the cycle closed,
    the session expired); a signed-out session or one of a revoked or replaced link is
    gone, and logged as such."""
    session = stored_session(sid)
    if session is None:
        refused("session ended or unknown", client, path=path)
        return
    why = "session expired" if session.expires_at < now() else why_not(
        session.link, dt.date.today())
    person = session.link.participant
    refused(f"session: {why}", client, person.program.key, member=person.email, path=path)
