"""Members' tokens: a random secret per member, handed over by the administrator, that proves
membership when reading or writing the group's notes. Only a SHA-256 digest is stored, and a
wrong e-mail, a wrong token and a non-member all get the same refusal, so a typo or a guess
proves nothing; issuing and refusing are audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

import attrs

from mentorkit.kernel.program import Program
from mentorkit.services import written
from mentorkit.services.lookup import find_group, groups, members
from mentorkit.services.sealing import NoteError
from mentorkit.storage import audit
from mentorkit.storage.files import all_or_none
from mentorkit.storage.models import Group, MemberToken, Participant, database


def _digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


@attrs.frozen
class IssuedToken:
    group: str
    person_id: int
    name: str
    email: str
    token: str


def issue_tokens(program: Program, label: str | None = None,
                 hand_over: Callable[[list[IssuedToken]], None] | None = None
                 ) -> list[IssuedToken]:
    """A new token for every current member of ``label`` (or of every active group), each
    replacing that member's earlier token. ``hand_over`` gets them inside the transaction
    that stores their digests: if it fails (a letter that cannot be written), no token is
    replaced, so no member is left with a dead token and no new one. Audited, with whom
    each was issued for."""
    chosen = [find_group(program, label)] if label else groups(program, ["active"])
    issued = []
    tokens: dict[int, str] = {}  # one per person: a mentor in two groups uses it for both
    with database.atomic():
        for group in chosen:
            for person in members(group):
                if person.id not in tokens:
                    tokens[person.id] = secrets.token_urlsafe(18)
                    MemberToken.delete().where(MemberToken.participant == person).execute()
                    MemberToken.create(participant=person, digest=_digest(tokens[person.id]),
                                       issued_by=audit.administrator())
                issued.append(IssuedToken(group.label, person.id, person.name, person.email,
                                          tokens[person.id]))
            audit.record("note.tokens", group.label, program=program.key,
                         members=[i.email for i in issued if i.group == group.label])
        if hand_over is not None:
            hand_over(issued)
    return issued


def issue_token_letters(program: Program, label: str | None, folder: Path) -> list[IssuedToken]:
    """:func:`issue_tokens`, handed over as one owner-only letter per member and group in
    ``folder``: every letter is written and every token replaced, or nothing is."""
    with all_or_none(folder) as files:
        def write(issued: list[IssuedToken]) -> None:
            for item in issued:
                files.add(*token_letter(program, item))
            files.place()  # before the digests are committed

        issued = issue_tokens(program, label, write)
    written.record(program, [Path(folder) / token_letter(program, i)[0] for i in issued],
                   "token letter")
    return issued


def token_letter(program: Program, issued: IssuedToken) -> tuple[str, str]:
    """The file name (from ids, never from an address) and text that hand one member their
    token."""
    return (f"{issued.group}-{issued.person_id}.txt",
            f"To: {issued.email}\n\nDear {issued.name},\n\nYour token for the private notes "
            f"of {issued.group} in {program.config.program.name}: {issued.token}\n"
            "Keep it to yourself: it lets whoever holds it read your group's notes.\n")


def verify_member(program: Program, group: Group, email: str, token: str | None) -> Participant:
    """The current member of ``group`` with this e-mail, proved by their token."""
    refused = NoteError(f"cannot confirm {email!r} as a member of {group.label}: check the "
                        "e-mail and the member's token (from `mentorkit notes tokens`)")
    if not token:
        raise refused
    member = next((p for p in members(group)
                   if p.email == email.strip().lower()), None)
    stored = MemberToken.get_or_none(MemberToken.participant == member) if member else None
    # compare a digest even when there is no member, so timing does not tell them apart
    expected = stored.digest if stored else _digest(secrets.token_urlsafe(18))
    if not hmac.compare_digest(expected, _digest(token)) or stored is None:
        audit.record("note.refused", group.label, program=program.key)
        raise refused
    return member
