"""Correcting one enrollment by hand, between imports: one answer, or a late sign-up admitted
by the coordinator's decision.

An answer is checked exactly as an import checks it (type, choices, the program's own words
for values) and the command never repeats it: a corrected pronoun or out-ness is nobody's to
read in a terminal's scroll-back. The audit log says who corrected which field of whom, never
the value. A name or an e-mail is who the person is, so their identity follows
(``identity.take_in``); so does their consent, for every year of theirs.
"""

from __future__ import annotations

from mentorkit.config.models import REQUIRED_FIELDS, SIDES_FIELD
from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services import eligibility, identity, membership
from mentorkit.services.cells import Unquoted, convert
from mentorkit.services.lookup import find_participant, open_cycle, to_person
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, database, now


class CorrectionError(MentorkitError, ValueError):
    """A corrected value the program cannot take (a wrong type, not one of the choices)."""


def correct(program: Program, ref: str, field_name: str, raw: str) -> Participant:
    """Set ``ref``'s answer to intake field ``field_name`` from ``raw`` (typed as in an
    export; empty clears an optional answer); returns the enrollment."""
    open_cycle(program)  # a closed cycle's records no longer change
    field = program.config.field(field_name)
    if field is None:
        known = ", ".join(f.name for f in program.config.intake)
        raise NotFoundError(f"{program.key} has no intake field {field_name!r} (its fields: "
                            f"{known})")
    person = find_participant(program, ref)
    value = _value(field, raw)
    if field.name == "email" and Participant.get_or_none(
            (Participant.cycle == person.cycle) & (Participant.email == value)
            & (Participant.id != person.id)):
        raise CorrectionError("that e-mail is already another participant's in this cycle")
    if field.name == "role" and program.config.role(value) is None:
        raise CorrectionError(f"no role {value!r} in {program.key}")
    with database.atomic():
        answers = dict(person.answers)
        if value is None:
            answers.pop(field.name, None)
        else:
            answers[field.name] = value
        person.answers = answers
        if field.name in REQUIRED_FIELDS:
            setattr(person, field.name, value)
        if field.name == SIDES_FIELD and value:
            person.sides = sorted(value)
        person.updated_at = now()
        person.save()
        identity.take_in(program, person)
        audit.record("participant.correct", person.email, program=program.key,
                     field=field.name)
        membership.retell(program, person.id)  # a group's why rests on answers as they are
    return person


def _value(field, raw: str):
    """The typed value, or the reason it cannot be, never quoting a sensitive answer."""
    if not raw.strip():
        if field.required:
            raise CorrectionError(f"{field.name} is required: it cannot be left empty")
        return None
    try:
        return convert(field, raw)
    except ValueError as error:
        if field.sensitive and not isinstance(error, Unquoted):
            raise CorrectionError(f"{field.name}: not a valid {field.type} (the answer is "
                                  "confidential: not shown)") from None
        raise CorrectionError(f"{field.name}: {error}") from None


def admit(program: Program, ref: str, reason: str) -> Participant:
    """Admit ``ref``'s late sign-up by the coordinator's decision: the deadline no longer
    counts against them (every other rule still does); the reason is kept."""
    open_cycle(program)  # a closed cycle's records no longer change
    if not reason.strip():
        raise CorrectionError("say why the late sign-up is admitted (--reason): the decision "
                              "is kept for the program's records")
    person = find_participant(program, ref)
    deadline = program.config.cycle.signup_deadline
    if deadline is None or person.signed_up_on is None or person.signed_up_on <= deadline:
        when = (f"signed up on {person.signed_up_on}, by the deadline {deadline}"
                if deadline and person.signed_up_on else
                "has no sign-up date after a deadline" if deadline else
                f"is in a program without a sign-up deadline ({program.key})")
        raise CorrectionError(f"{person.name} {when}: there is no late sign-up to admit "
                              f"(`mentorkit eligibility {program.key}` says what else holds "
                              "them back)")
    with database.atomic():
        person.admitted = reason.strip()
        person.updated_at = now()
        person.save()
        audit.record("participant.admit", person.email, program=program.key,
                     reason=reason.strip())
        _judge_again(program, person)
    return person


def _judge_again(program: Program, person: Participant) -> None:
    """The admitted person checked again at once, as `mentorkit eligibility` would: a
    `match run` straight after takes them (it left them out, named nowhere, before)."""
    seen = to_person(person)
    eligibility.apply(program, [eligibility.Verdict(
        person, seen, eligibility.reasons_against(program, seen, admitted=True))])
