"""Personal links to the participants' own page, and the browser sessions they open.

Each member of an active group gets one link for the cycle: a long random token (256 bits,
``secrets``) in an address the coordinator sends them. Only the token's SHA-256 digest is
stored, so neither the database nor the coordinator can open a member's page afterwards
(issuing a new link, which is audited and kills the old one, is the only way, and it shows).
A link works until the cycle ends, until it is revoked or replaced, and only while its member
takes part: a withdrawn member's link, and every session it opened, stop at once, since each
request checks again. Opening a link starts a session (a second random id, kept in an
HttpOnly cookie, stored as a digest) and the web layer sends the browser on to an address
without the token. Every refusal is audited and gives the same answer, whatever the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import find_participant, open_cycle
from mentorkit.services.portal_holders import CLOSED_STATUSES, with_pages
from mentorkit.storage import audit
from mentorkit.storage.files import all_or_none
from mentorkit.storage.models import (
    Cycle,
    PageSession,
    Participant,
    ParticipantLink,
    ProgramRecord,
    database,
    now,
)
from mentorkit.storage.prepared import Prepared

PAGE_LINK = "[your personal link]"  # its place in a letter, until the letter goes
TOKEN_BYTES = 32  # 256 bits: 43 characters in an address
SESSION_HOURS = 12


class LinkRefused(MentorkitError):
    """A link or session that does not open a page (unknown, replaced, revoked, expired, or
    its member no longer takes part): one answer for every reason."""

    def __init__(self) -> None:
        super().__init__("This link does not open a page (any more). Ask your program's "
                         "coordinator for a new one.")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def page_address(base_url: str, token: str) -> str:
    """The address a member opens: the server's base URL and their token."""
    return f"{base_url.rstrip('/')}/start/{token}"


@attrs.frozen
class IssuedLink:
    person_id: int
    name: str
    email: str
    token: str
    expires_on: dt.date


def issue(program: Program, refs: list[str] | None = None,
          hand_over: Callable[[list[IssuedLink]], None] | None = None,
          warn: Callable[[str], None] = lambda _text: None,
          skip: bool = False) -> list[IssuedLink]:
    """A new link for every member of an active group (or for ``refs``), replacing the
    earlier one (whose sessions end). ``hand_over`` gets them inside the transaction that
    stores their digests: if it fails, no link is replaced. No one gets a link that would
    open no page (a withdrawn member): one named is refused (or with ``skip``, skipped),
    and anyone skipped is told to ``warn``."""
    cycle = open_cycle(program)
    issued = []
    with database.atomic():
        for person in with_pages(program, refs, warn, skip):
            token = secrets.token_urlsafe(TOKEN_BYTES)
            _drop(person)
            ParticipantLink.create(participant=person, digest=digest(token),
                                   expires_on=cycle.ends_on, issued_by=audit.administrator())
            issued.append(IssuedLink(person.id, person.name, person.email, token,
                                     cycle.ends_on))
        audit.record("link.issue", program.key, program=program.key,
                     members=[i.email for i in issued])
        if hand_over is not None:
            hand_over(issued)
    return issued


def _drop(person: Participant) -> int:
    """Remove the person's link and its sessions; returns how many links went."""
    links = ParticipantLink.select(ParticipantLink.id).where(
        ParticipantLink.participant == person)
    PageSession.delete().where(PageSession.link.in_(links)).execute()
    return ParticipantLink.delete().where(ParticipantLink.participant == person).execute()


def with_links(program: Program, letters: list, base_url: str) -> list:
    """``letters`` (:class:`~mentorkit.services.mail.Letter`) with each member's personal
    link in its place: a new link for each member a letter goes to (one per person, however
    many groups), issued now, so only letters about to go carry a live one."""
    needing = sorted({letter.person_id for letter in letters if PAGE_LINK in letter.text})
    if not needing:
        return letters
    issued = {i.person_id: i for i in issue(program, [str(i) for i in needing], skip=True)}
    return [attrs.evolve(letter, text=letter.text.replace(
        PAGE_LINK, page_address(base_url, issued[letter.person_id].token)))
            if letter.person_id in issued else letter for letter in letters]


def issue_letters(program: Program, base_url: str, folder: Path,
                  refs: list[str] | None = None,
                  warn: Callable[[str], None] = lambda _text: None) -> list[IssuedLink]:
    """:func:`issue`, handed over as one owner-only letter per member in ``folder``: every
    letter is written and every link replaced, or nothing is."""
    with all_or_none(folder) as files:
        def write(issued: list[IssuedLink]) -> None:
            for item in issued:
                files.add(*link_letter(program, base_url, item))
            files.place()  # before the digests are committed

        return issue(program, refs, write, warn)


def link_letter(program: Program, base_url: str, issued: IssuedLink) -> tuple[str, str]:
    """The file name (from the id, never from an address) and text of one member's link."""
    name = program.config.program.name
    return (f"link-{issued.person_id}.txt",
            f"To: {issued.email}\n\nDear {issued.name},\n\nYour own page in {name}, where you "
            f"see your group, log your meetings, answer check-ins and ask for a change: "
            f"{page_address(base_url, issued.token)}\nIt works until {issued.expires_on}. "
            "Keep it to yourself: whoever holds it acts as you on that page.\n")


def revoke(program: Program, ref: str) -> str:
    """End a participant's link and every session it opened, at once; returns their name.
    The link's digest is kept, marked revoked, so a later attempt with it is logged as what
    it is (a revoked link of this program), not as a stranger's guess."""
    person = find_participant(program, ref)
    with database.atomic():
        theirs = ParticipantLink.select(ParticipantLink.id).where(
            ParticipantLink.participant == person)
        PageSession.delete().where(PageSession.link.in_(theirs)).execute()
        gone = ParticipantLink.update(revoked_at=now()).where(
            (ParticipantLink.participant == person)
            & ParticipantLink.revoked_at.is_null()).execute()
        audit.record("link.revoke", program.key, program=program.key, member=person.email,
                     had_link=bool(gone))
    return person.name


@attrs.frozen
class Visit:
    """A proven member on the page: whose link, which program, the session's CSRF token."""

    participant_id: int
    email: str
    program_key: str
    csrf: str
    participant: Participant | None = attrs.field(default=None, eq=False, repr=False)


def why_not(link: ParticipantLink, today: dt.date) -> str | None:
    """Why a known link opens no page today, in the audit log's words; None if it does."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_on < today:
        return "expired"
    person = link.participant
    if person.status in CLOSED_STATUSES:
        return f"member {person.status}"
    if person.cycle.status != "open":
        return "cycle closed"
    return None


def _usable(link: ParticipantLink | None, today: dt.date) -> Participant | None:
    if link is None or why_not(link, today) is not None:
        return None
    return link.participant


def _joined():
    """A session's link, member, cycle and program in one query (every request asks)."""
    # of the cycle and the program, only what is checked: not their program files, which
    # every request would read and decode
    return (PageSession.select(PageSession, ParticipantLink, Participant, Cycle.id,
                               Cycle.status, ProgramRecord.id, ProgramRecord.key)
            .join(ParticipantLink).join(Participant).join(Cycle, on=Participant.cycle == Cycle.id)
            .switch(Participant).join(ProgramRecord, on=Participant.program == ProgramRecord.id))


_SESSION = Prepared(lambda sid_digest: _joined().where(PageSession.digest == sid_digest), 1)


def refused(why: str, client: str = "", program: str = "", **detail) -> None:
    """A request refused before anyone was proven (a link, a session cookie, a form): in
    the log with the reason, the client's address and, where the link was known, its
    program and member, so `mentorkit audit --program` shows it. Never the token, the
    cookie, or anything typed."""
    if program:
        detail["program"] = program
    with database.atomic():
        audit.record("link.refused", program, why=why, client=client, **detail)


def _refuse(why: str, client: str, link: ParticipantLink | None = None) -> LinkRefused:
    if link is None:
        refused(why, client)
    else:
        refused(why, client, link.participant.program.key, member=link.participant.email)
    return LinkRefused()


def open_session(token: str, client: str = "") -> tuple[str, Visit]:
    """A new session for the member whose link ``token`` is; returns the session id (for
    the cookie) and the visit. Raises :class:`LinkRefused` (audited: a link this database
    knows with its program and reason; a replaced link's digest is gone, so it is an
    unknown link like any guess)."""
    if not token or len(token) > 200:
        raise _refuse("malformed link", client)
    link = ParticipantLink.get_or_none(ParticipantLink.digest == digest(token))
    if link is None:
        raise _refuse("unknown link", client)
    why = why_not(link, dt.date.today())
    if why is not None:
        raise _refuse(why, client, link)
    person = link.participant
    sid, csrf = secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES)
    with database.atomic():
        PageSession.delete().where((PageSession.link == link)
                                   & (PageSession.expires_at < now())).execute()
        PageSession.create(link=link, digest=digest(sid), csrf=csrf,
                           expires_at=now() + dt.timedelta(hours=SESSION_HOURS))
        with audit.as_member(person.email):
            audit.record("page.open", person.program.key, program=person.program.key)
    return sid, Visit(person.id, person.email, person.program.key, csrf)


def stored_session(sid: str | None) -> PageSession | None:
    """The stored session a cookie's id names (with its link, member, cycle and program),
    whether or not it still proves anyone; None for no id or one too long to be one."""
    if not sid or len(sid) > 200:
        return None
    return _SESSION.first(digest(sid))


def visit(sid: str | None) -> Visit | None:
    """The visit a session cookie proves, checked again now (a revoked link, a withdrawn
    member, an expired session: None)."""
    session = stored_session(sid)
    if session is None or session.expires_at < now():
        return None
    person = _usable(session.link, dt.date.today())
    if person is None:
        return None
    return Visit(person.id, person.email, person.program.key, session.csrf, person)


def same_csrf(visit_: Visit, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(visit_.csrf.encode(), given.encode())


def end_session(sid: str | None) -> None:
    """Sign out: the session's cookie opens nothing any more."""
    if sid:
        with database.atomic():
            PageSession.delete().where(PageSession.digest == digest(sid)).execute()
