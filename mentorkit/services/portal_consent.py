"""Whom a member lets see them, on their own page: the choices of the program's consent field
(the policy's ``person_fields``), each said in plain words for this program: what that
audience may see of the member with the box ticked, and without it. Worked out with the very
:class:`Viewer` every output is built from, for the member as they would be after choosing,
so the words cannot promise less than a roster or an export shows (peer circles asks nothing
confidential, yet ticking "everyone taking part" puts a member on the roster all
participants may read)."""

from __future__ import annotations

import attrs

from mentorkit.config.models import SIDES_FIELD, SIGNED_UP_FIELD
from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Person
from mentorkit.services.identity import person_fields
from mentorkit.services.lookup import to_person
from mentorkit.storage.models import Participant
from mentorkit.views.audience import Viewer

AUDIENCE_WORDS = {"group": "the other members of my group",
                  "participants": "everyone taking part in the program",
                  "administrator": "the program's administrators"}
BASICS = {"name": "name", "role": "role", "email": "e-mail"}  # the fields every view holds
# what a sign-up records that is not an answer of the member's to list: the basics, the
# sides they signed up on (their role says it), and when the survey tool stamped the form
NOT_ANSWERS = frozenset({*BASICS, SIDES_FIELD, SIGNED_UP_FIELD})
WHO = {Audience.GROUP: "the other members of your group",
       Audience.PARTICIPANTS: "everyone taking part in the program"}


@attrs.frozen
class ConsentChoice:
    field: str
    value: str
    words: str
    chosen: bool
    means: str  # what ticking it does, for this program; "" where it is not worked out


@attrs.frozen
class Consent:
    """Whom the member lets see their sensitive answers (the policy's own fields)."""

    sensitive: tuple[str, ...]  # the labels of the answers it governs
    choices: tuple[ConsentChoice, ...]
    # where the program asks no consent: what each audience sees of the member, in words
    seen_by: tuple[str, ...] = ()


def consent(program: Program, participant: Participant) -> Consent:
    chosen = []
    person = to_person(participant)
    for name in person_fields(program):
        spec = program.config.field(name)
        if spec is None:
            continue
        current = participant.answers.get(name) or []
        current = current if isinstance(current, list) else [current]
        chosen += [ConsentChoice(name, value, AUDIENCE_WORDS.get(value, value),
                                 value in current, means(program, person, name, value))
                   for value in spec.choices]
    sensitive = tuple(f.label or f.name for f in program.config.intake if f.sensitive)
    seen_by = () if chosen else tuple(
        f"{WHO[audience].capitalize()} {'see' if audience is Audience.GROUP else 'sees'} "
        f"{_said(seen(program, person, audience))}." for audience in WHO)
    return Consent(sensitive, tuple(chosen), seen_by)


def means(program: Program, person: Person, field: str, value: str) -> str:
    """What ticking ``value`` of consent ``field`` lets its audience see of ``person``,
    against what it sees without it. Said for a group and all participants only (an
    administrator's view of sensitive answers is asked for and audited, not worked out
    here)."""
    audience = next((a for a in WHO if a.value == value), None)
    if audience is None:
        return ""
    current = set(person.value(field) or [])
    ticked = seen(program, _consenting(person, field, current | {value}), audience)
    unticked = seen(program, _consenting(person, field, current - {value}), audience)
    who = WHO[audience]
    if ticked == unticked:
        return (f"Whether or not you tick this, {who} see {_said(ticked)}." if ticked else
                f"Whether or not you tick this, {who} do not see you.")
    if unticked is None:
        return (f"Ticking this lets {who} see {_said(ticked)}. Without it, they do not see "
                "that you take part.")
    added = [label for label in ticked.answers if label not in unticked.answers]
    if ticked is None or ticked.basics != unticked.basics or not added:
        return f"Ticking this lets {who} see {_said(ticked)}. Without it, they see " \
               f"{_said(unticked)}."
    return (f"{who.capitalize()} always see {_said(unticked)}. Ticking this lets them also "
            f"see your answers to: {', '.join(added)}.")


def _consenting(person: Person, field: str, values: set[str]) -> Person:
    return attrs.evolve(person, answers={**person.answers, field: sorted(values)})


@attrs.frozen
class Seen:
    basics: tuple[str, ...]  # of name, role, e-mail
    answers: tuple[str, ...]  # the questions' labels, quoted


def seen(program: Program, person: Person, audience: Audience) -> Seen | None:
    """What ``audience`` may see of ``person``: which of their name, role and e-mail, and
    the questions whose answers (never the answers); None: it may not see them at all."""
    viewer = Viewer(program, audience,
                    members=[person.id] if audience is Audience.GROUP else None)
    if not viewer.includes(person):
        return None
    return Seen(tuple(word for name, word in BASICS.items() if viewer.shows(name)),
                tuple(f'"{viewer.label(f.name)}"' for f in program.config.intake
                      if f.name not in NOT_ANSWERS and viewer.may_see(f.name, person)))


def _said(found: Seen | None) -> str:
    """"your name, role and e-mail, and your answers to: ..." """
    if found is None:
        return "nothing of you"
    told = f"your {_listed(list(found.basics))}" if found.basics else "that you take part"
    return f"{told}, and your answers to: {', '.join(found.answers)}" if found.answers else told


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
