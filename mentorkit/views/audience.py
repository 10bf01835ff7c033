"""Audience views: what one audience may see of a program's people, as types.

Every output of mentorkit (a table, ``--json``, an export, a reminder, a calendar) is made for
one audience: the administrator running the command, the members of one group, all the
program's participants, or the public. A :class:`Viewer` is made for exactly one audience and
is the only way a person's answers reach an output: it builds :class:`PersonView` objects that
hold only what that audience may see of each person. A withheld value never enters a view, so
nothing is scrubbed afterwards, and free text written for an audience (a note, an explanation)
is shown to it as written.

Who may see a field of a person:

- the public sees no personal data at all, only counts;
- an intake field's ``shown_to`` lists the audiences that may see it at all (application and
  interview scores: administrators only);
- a ``sensitive`` field reaches an audience only where the program's confidentiality policy
  allows it (by default: where the person consented to that audience);
- administrators see a sensitive field only when the command asks for it (``--show-sensitive``)
  and the policy allows it; every such request is written to the audit log.

Who may be seen at all: administrators see everyone; the members of a group see their group;
all participants see the people taking part (selected, matched, completed) who let them (the
policy's ``may_list``: in a program only LGBTQ people join, being listed says it), never who
applied, was found ineligible or was not selected, nor any status, reason or score.

Name, e-mail and role are intake fields too, and their ``shown_to`` applies the same way:
administrators and a group's members always see them (the program file is refused
otherwise), and a program may keep them from all participants. Without the name, all
participants see no one; without the e-mail or role, a view holds None for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Person, Reason
from mentorkit.storage import audit

# Who all participants may know is in the program: never an applicant, an ineligible or an
# unselected person (another participant must not learn why someone is not in it).
TAKING_PART = frozenset({"selected", "matched", "completed"})
CONFIDENTIAL_REASON = "a rule on a confidential answer ({fields})"
CONFIDENTIAL_CRITERION = "a criterion on confidential answers"
# How a reason names an earlier cycle's group: "Ana and Bo were together in x-004 in 2026-2027
# too". The administrators decide on history; who was grouped with whom before is not the new
# group's to read (a circle learns two of its members shared one last year), and the reason
# goes when that year is purged (services.erasure).
TOGETHER_BEFORE = "{people} were together in {group} in {cycle} too"


def names_an_earlier_group(reason: str, cycle: str | None = None) -> bool:
    """Whether ``reason`` says who was together in an earlier group (in ``cycle``, if
    given)."""
    return " were together in " in reason and (cycle is None or f" in {cycle} too" in reason)


class VisibleAnswers(Mapping[str, Any]):
    """A person's answers as one audience may see them; made only by a :class:`Viewer`."""

    __slots__ = ("_answers",)

    def __init__(self, answers: Mapping[str, Any], _made_by: Viewer) -> None:
        if not isinstance(_made_by, Viewer):
            raise TypeError("VisibleAnswers are made by a Viewer")
        self._answers = dict(answers)

    def __getitem__(self, key: str) -> Any:
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)

    def __repr__(self) -> str:
        return f"VisibleAnswers({self._answers!r})"


@attrs.frozen
class PersonView:
    """One person as one audience may see them. ``status`` is None for audiences that may not
    know it (only administrators do)."""

    id: int
    name: str
    email: str | None  # None: this audience may not see e-mails (the field's shown_to)
    role: str | None
    status: str | None
    answers: VisibleAnswers


class Viewer:
    """What one audience may see of one program's people.

    :param audience: who reads the output.
    :param show_sensitive: administrators only: the command asked to see sensitive answers
        (the policy still decides per person). Use :meth:`administrator` so it is audited.
    :param members: for the group audience, the ids of the group's current members: the
        only people that audience may see.
    """

    def __init__(self, program: Program, audience: Audience, *, show_sensitive: bool = False,
                 members: Iterable[int] | None = None) -> None:
        self.program = program
        self.audience = Audience(audience)
        if show_sensitive and self.audience is not Audience.ADMINISTRATOR:
            raise ValueError("only an administrator's view can ask for sensitive answers")
        if (members is None) != (self.audience is not Audience.GROUP):
            raise ValueError("a group's view needs its members, and only a group's view")
        self.show_sensitive = show_sensitive
        self.members = frozenset(members or ())
        self._fields = {field.name: field for field in program.config.intake}
        self._criteria: tuple[str, ...] | None = None  # see _sensitive_criteria

    @classmethod
    def administrator(cls, program: Program, show_sensitive: bool = False,
                      purpose: str = "") -> Viewer:
        """The administrator's view; asking for sensitive answers is audited (who, when, for
        which command), as REDCap logs identified exports."""
        if show_sensitive:
            audit.record("sensitive.read", program.key, purpose=purpose,
                         fields=sorted(f.name for f in program.config.intake if f.sensitive))
        return cls(program, Audience.ADMINISTRATOR, show_sensitive=show_sensitive)

    @property
    def sensitive_fields(self) -> list[str]:
        return [name for name, field in self._fields.items() if field.sensitive]

    def shows(self, field: str) -> bool:
        """Whether this audience sees intake ``field`` of anyone at all (its ``shown_to``):
        how name, e-mail and role, which every view holds, are kept from an audience."""
        spec = self._fields.get(field)
        return self.audience is not Audience.PUBLIC and (
            spec is None or self.audience.value in spec.shown_to)

    def includes(self, person: Person) -> bool:
        """Whether this audience may know ``person`` is in the program at all."""
        if self.audience is Audience.ADMINISTRATOR:
            return True
        if self.audience is Audience.GROUP:
            return person.id in self.members
        if self.audience is Audience.PARTICIPANTS:
            if person.status not in TAKING_PART or not self.shows("name"):
                return False
            policy = self.program.confidentiality
            with component_hook(policy, "confidentiality policy"):
                return bool(policy.may_list(person, self.audience))
        return False

    def may_see(self, field: str, person: Person) -> bool:
        """Whether this audience may see ``person``'s answer to intake ``field``."""
        if self.audience is Audience.PUBLIC or not self.includes(person):
            return False
        return self._may_see_included(field, person)

    def _may_see_included(self, field: str, person: Person) -> bool:
        """:meth:`may_see` for a person this audience includes (asked once, not per field)."""
        spec = self._fields.get(field)
        if spec is None:  # an answer the program no longer asks for: nobody's business
            return self.audience is Audience.ADMINISTRATOR
        if self.audience.value not in spec.shown_to:
            return False
        if self.audience is Audience.ADMINISTRATOR:
            if not spec.sensitive:
                return True  # administrators run the program on its ordinary answers
            if not self.show_sensitive:
                return False  # least privilege: sensitive answers only when asked for
        policy = self.program.confidentiality  # it may withhold more (its consent field)
        with component_hook(policy, "confidentiality policy"):
            return bool(policy.may_see(field, person, self.audience))

    def answers(self, person: Person, fields: Iterable[str] | None = None) -> VisibleAnswers:
        """The answers this audience may see (of ``fields`` only, when given)."""
        if self.audience is Audience.PUBLIC or not self.includes(person):
            return VisibleAnswers({}, self)
        given = person.answers.items() if fields is None else (
            (field, person.answers[field]) for field in fields if field in person.answers)
        return VisibleAnswers({field: value for field, value in given
                               if self._may_see_included(field, person)}, self)

    def person(self, person: Person, fields: Iterable[str] | None = None) -> PersonView:
        """``person`` as this audience sees them (with the answers to ``fields`` only, when
        given: a letter that shows two answers need not check twenty)."""
        if not self.includes(person):
            raise PermissionError(f"the {self.audience} audience may not see this person")
        status = person.status if self.audience is Audience.ADMINISTRATOR else None
        return PersonView(person.id, person.name,
                          person.email if self.shows("email") else None,
                          person.role if self.shows("role") else None, status,
                          self.answers(person, fields))

    def people(self, persons: Iterable[Person],
               fields: Iterable[str] | None = None) -> list[PersonView]:
        """The views of those of ``persons`` this audience may see, in the given order."""
        fields = tuple(fields) if fields is not None else None
        return [self.person(p, fields) for p in persons if self.includes(p)]

    def why(self, said: Iterable[str]) -> list[str]:
        """A group's reasons (its matcher's words) as this audience may read them. A reason
        on a criterion of a sensitive answer ("same out-ness") was written for the group,
        whose members shared those answers with each other; an administrator who has not
        asked for sensitive answers reads "a criterion on confidential answers" instead:
        with one member's answer known, "same" would tell the other's. Who was together in
        an earlier group is for the administrators only."""
        said = list(said)
        if self.audience is not Audience.ADMINISTRATOR:
            return [reason for reason in said if not names_an_earlier_group(reason)]
        if self.show_sensitive:
            return said
        labels = self._sensitive_criteria()
        if not labels:
            return said
        return [CONFIDENTIAL_CRITERION if any(label in reason for label in labels) else reason
                for reason in said]

    def _sensitive_criteria(self) -> tuple[str, ...]:
        """The words a matcher's reasons give for criteria on sensitive fields: each
        criterion's label, and the field's name and label."""
        if self._criteria is not None:  # asked once per view, not once per group
            return self._criteria
        params = getattr(self.program.matcher, "params", None)
        found = []
        for rule in getattr(params, "criteria", ()):
            field = self._fields.get(getattr(rule, "field", ""))
            if field is not None and field.sensitive:
                found += [w for w in (getattr(rule, "label", ""), field.name, field.label) if w]
        self._criteria = tuple(found)
        return self._criteria

    def reason(self, reason: Reason, person: Person) -> str:
        """An eligibility reason as this audience may read it: as written when it rests only
        on answers the audience may see, else naming the confidential fields, not the text
        (which quotes or implies the answer)."""
        hidden = sorted(f for f in reason.fields if not self.may_see(f, person))
        if not hidden:
            return reason.message
        return CONFIDENTIAL_REASON.format(fields=", ".join(
            f'"{self.label(name)}"' for name in hidden))

    def label(self, name: str) -> str:
        """A field as its question says it (the form's words, not the program's key)."""
        field = self.program.config.field(name)
        return (field.label or name) if field is not None else name
