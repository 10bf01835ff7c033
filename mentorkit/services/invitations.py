"""Assessment invitations: one letter per person and relationship, never before the assessment
opens.

A mentor of three residents is in three relationships and is asked about each, in its own
letter: "how is it going with Ana?", with the relationship's code, which the survey's export
brings back so the answer is filed against that relationship and no other. Where the group as
a whole is the relationship (a cohort, a circle) the letter asks about the group.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mentorkit.config.followup import Assessment
from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.services import relationships
from mentorkit.services.cadence import history
from mentorkit.services.letters import closing
from mentorkit.services.lookup import current_cycle, groups
from mentorkit.services.mail import Letter
from mentorkit.storage.models import Group, Relationship
from mentorkit.views.audience import PersonView, Viewer


def _members(program: Program, group: Group) -> list[PersonView]:
    """The group's current members as the group itself may see them."""
    seen = history(group)
    viewer = Viewer(program, Audience.GROUP, members=[m.id for m in seen.members])
    return viewer.people(seen.members)


def _link(url: str, code: str) -> str:
    """The survey's address with the relationship's code in it, so the export brings it
    back (a hidden field named ``relationship`` in most survey tools)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("relationship", code)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _about(relationship: Relationship, reader: int, names: dict[int, str]) -> str:
    if relationship.first_id is None:
        return f"your group {relationship.group.label}"
    other = relationship.second_id if relationship.first_id == reader else relationship.first_id
    return f"your mentoring relationship with {names.get(other, 'your match')}"


def _letter(program: Program, assessment: Assessment, person: PersonView,
            relationship: Relationship, about: str) -> Letter:
    info, code = program.config.program, relationships.code(relationship)
    asks = f"if it asks which relationship you answer about, give this code: {code}."
    where = ([f"Answer here: {_link(assessment.url, code)}", f"(The link carries your answer "
              f"to the right relationship; {asks})"] if assessment.url else
             [f"The program will send you the survey's link; {asks}"])
    lines = [f"Dear {person.name},", "",
             f"{info.name} asks how it is going. {assessment.title}, about {about}:", ""]
    lines += [f"{i}. {q.text} ({q.low} to {q.high})"
              for i, q in enumerate(assessment.questions, start=1)]
    lines += ["", *where, "",
              "Your answers are read by the program's administrators only, never by the "
              "people you answer about.", "", *closing(program)]
    return Letter("assessment", f"{current_cycle(program).label}/{assessment.name}/{code}",
                  person.id, person.email, person.name,
                  f"{info.name}: {assessment.title} ({about})", "\n".join(lines) + "\n")


def invitations(program: Program, assessment: Assessment) -> list[Letter]:
    """The invitation to ``assessment`` for every member it asks, once per relationship of
    theirs in every active group."""
    letters = []
    for group in groups(program, ["active"]):
        relationships.sync(program, group, dt.date.today())  # a group from before 0.2
        members = _members(program, group)
        names = {m.id: m.name for m in members}
        rows = {m.participant_id: m.participant for m in group.current_memberships()}
        for person in members:
            if assessment.roles and person.role not in assessment.roles:
                continue
            for relationship in relationships.of_person(group, rows[person.id]):
                letters.append(_letter(program, assessment, person, relationship,
                                       _about(relationship, person.id, names)))
    return letters
