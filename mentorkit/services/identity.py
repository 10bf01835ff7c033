"""Who a participant is across cycles: one :class:`Person` per program, linked from each of
their enrollments (a :class:`Participant` row per cycle).

A person is found by their key: their e-mail, or the program's ``enrollment.match_on``
answer (a staff id). Their name and e-mail are those they last signed up with; what they
answered stays with each year's enrollment, except the answers the confidentiality policy
calls the person's own (whom they let see their sensitive answers), which hold for every
year of theirs as soon as they change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.storage.models import Participant, Person, ProgramRecord, now


def key_of(program: Program, email: str, answers: dict[str, Any]) -> str:
    """What identifies a person across sign-ups: the e-mail, or the ``match_on`` answer."""
    match_on = program.config.enrollment.match_on
    return email if match_on == "email" else str(answers.get(match_on))


def person_fields(program: Program) -> tuple[str, ...]:
    policy = program.confidentiality
    with component_hook(policy, "confidentiality policy"):
        return tuple(policy.person_fields())


def own_answers(program: Program, answers: dict[str, Any],
                fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The answers among ``answers`` that are the person's own (see :func:`person_fields`)."""
    names = person_fields(program) if fields is None else fields
    return {name: answers[name] for name in names if name in answers}


def person_of(record: ProgramRecord, key: str, email: str, name: str) -> Person:
    """The program's person with ``key``, made if new."""
    person = Person.get_or_none((Person.program == record) & (Person.key == key))
    if person is None:
        person = Person.create(program=record, key=key, email=email, name=name)
    return person


def take_in(program: Program, enrollment: Participant,
            fields: tuple[str, ...] | None = None) -> None:
    """After ``enrollment`` was signed up (or corrected): its person carries the name and
    e-mail it gives, and its own answers (consent) hold for every year of theirs."""
    person = enrollment.person
    if person is None:
        return
    changed = False
    if (person.name, person.email) != (enrollment.name, enrollment.email):
        person.name, person.email, changed = enrollment.name, enrollment.email, True
    own = own_answers(program, enrollment.answers, fields)
    if own and own != {k: person.consent.get(k) for k in own}:
        person.consent = {**person.consent, **own}
        changed = True
        apply_own_answers(person, exclude=enrollment.id)
    if changed:
        person.updated_at = now()
        person.save()


def apply_own_answers(person: Person, exclude: int | None = None) -> int:
    """Write the person's own answers (consent) into every enrollment of theirs; returns how
    many changed."""
    changed = 0
    for enrollment in Participant.select().where(Participant.person == person):
        if enrollment.id == exclude:
            continue
        merged = {**enrollment.answers, **person.consent}
        if merged != enrollment.answers:
            enrollment.answers = merged
            enrollment.updated_at = now()
            enrollment.save()
            changed += 1
    return changed
