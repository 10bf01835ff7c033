"""Relationship assessments: importing the survey tool's responses, and each group's results.

A program declares its assessments in TOML (``[[assessments]]``: mid-year, end of year, each a
few questions on a scale). The invitation is a message like any other (``notify``); people
answer in the institution's survey tool, and its export is imported here with the same rules
as sign-ups (bad rows reported by line, good rows imported, rejects kept owner-only), from the
day the assessment opens. Responses are for administrators only: the results name no one, and
a group is flagged where a member answered below a question's ``flag_below``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import attrs

from mentorkit.config.followup import Assessment, Question
from mentorkit.kernel.errors import NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services import batch, flags, relationships, written
from mentorkit.services.lookup import active_memberships, current_cycle, participants
from mentorkit.services.opening import ANSWER_LATER, opens_check
from mentorkit.services.sheets import ImportFileError, RowError, read_rows, write_rejects
from mentorkit.storage import audit
from mentorkit.storage.models import (
    AssessmentResponse,
    Flag,
    Group,
    Membership,
    Participant,
    Relationship,
    database,
)

EMAIL_HEADERS = ("email", "e-mail", "email address", "e-mail address", "recipientemail")
DATE_HEADERS = ("submitted", "submitted on", "date", "enddate", "completed")


@attrs.define
class AssessmentImport:
    added: int = 0
    replaced: int = 0
    errors: list[RowError] = attrs.field(factory=list)
    rejected_rows: int = 0
    rejects_file: Path | None = None


@attrs.frozen
class GroupResult:
    """One group's answers to one assessment, named by no one."""

    group: str
    assessment: str
    asked: int  # current members the assessment asks
    answered: int
    means: dict[str, float]  # question name -> mean answer
    flags: tuple[str, ...]  # why the coordinator should look


def assessment_of(program: Program, name: str) -> Assessment:
    found = program.config.assessment(name)
    if found is None:
        known = ", ".join(a.name for a in program.config.assessments) or "none"
        raise NotFoundError(f"{program.key} has no assessment {name!r} (it has: {known})")
    return found


def _column(headers: list[str], *candidates: str) -> str | None:
    folded = {h.casefold(): h for h in headers}
    return next((folded[c.casefold()] for c in candidates if c and c.casefold() in folded), None)


def _answer(question: Question, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or not question.low <= value <= question.high:
        # the cell is not quoted: a free-text answer in the wrong column may be anything
        raise ValueError(f"is not a whole number from {question.low} to {question.high}")
    return value


RELATIONSHIP_HEADERS = ("relationship", "relationship code", "code", "about")


def _relationships_of(program: Program, participant: Participant) -> list[Relationship]:
    """Every relationship the person had in their cycle, the current ones first: a response
    may come about one that has ended since (the end of a year, a change of match)."""
    for place in active_memberships(participant):
        relationships.sync(program, place.group, dt.date.today())  # a group from before 0.2
    found = (Relationship.select().join(Group).switch(Relationship)
             .where(((Relationship.first == participant) | (Relationship.second == participant)
                     | (Relationship.first.is_null() & Group.id.in_(
                         Membership.select(Membership.group).where(
                             (Membership.participant == participant) & ~Membership.pending))))
                    & (Group.cycle == participant.cycle_id))
             .order_by(Relationship.ended_on.is_null(False), Relationship.id))
    return list(found)


def _which(program, person, raw: str, line: int, column: str | None):
    """The relationship a response is about: the code the invitation gave, or the person's
    only current one (or only one at all); (relationship, None) or (None, the row's error)."""
    mine = _relationships_of(program, person)
    if not mine:
        return None, RowError(line, column or "", "in no mentoring relationship this cycle: "
                                                  "the assessment is about one")
    if raw.strip():
        text = raw.strip().upper().removeprefix(relationships.CODE_PREFIX)
        chosen = next((r for r in mine if text.isdigit() and r.id == int(text)), None)
        if chosen is None:
            return None, RowError(line, column or "", "the relationship code is not one of this "
                                  "person's (theirs: " + ", ".join(
                                      f"{relationships.code(r)}" for r in mine) + ")")
        return chosen, None
    current = [r for r in mine if r.ended_on is None] or mine
    if len(current) == 1:
        return current[0], None
    listed = "; ".join(f"{relationships.code(r)}: {relationships.describe(r)}"
                       for r in current)
    return None, RowError(line, column or "", f"this person has {len(current)} relationships "
                          f"({listed}): the response must say which, in a 'relationship' "
                          "column holding the code from the invitation")


def import_responses(program: Program, name: str, path: Path) -> AssessmentImport:
    """Import ``name``'s responses from a survey export; a person's new response replaces
    their earlier one."""
    assessment = assessment_of(program, name)
    opens_check(program, assessment, ANSWER_LATER)  # a closed year's program file is past it
    headers, rows = read_rows(path)
    email_field = program.config.field("email")
    email_column = _column(headers, email_field.header if email_field else "", *EMAIL_HEADERS)
    if email_column is None:
        raise ImportFileError(f"{path}: no e-mail column (looked for "
                              f"{', '.join(EMAIL_HEADERS)}; the file has: {', '.join(headers)})")
    questions = [(q, _column(headers, q.header, q.name)) for q in assessment.questions]
    if not any(column for _, column in questions):
        raise ImportFileError(f"{path}: no column answers any question of {name} (expected "
                              f"{', '.join(repr(q.header) for q in assessment.questions)})")
    date_column = _column(headers, *DATE_HEADERS)
    about_column = _column(headers, *RELATIONSHIP_HEADERS)
    report, rejected = AssessmentImport(), []
    with database.atomic():
        people = {p.email.lower(): p for p in participants(program)}
        seen: set[int] = set()
        for line, cells in rows:
            row = dict(zip(headers, cells, strict=False))
            errors, response = _parse(program, assessment, row, line,
                                      (email_column, about_column, date_column), questions,
                                      people, seen)
            if errors:
                report.errors += errors
                rejected.append((line, row, errors))
                continue
            _store(name, report, **response)
            _flag_low(assessment, response["relationship"].group, response["answers"])
        audit.record("assessment.import", program.key, assessment=name, file=str(path),
                     added=report.added, replaced=report.replaced, rejected=len(rejected))
    report.rejected_rows = len(rejected)
    if rejected:
        report.rejects_file = write_rejects(path, headers, rejected, set())
        written.record(program, [report.rejects_file], "rejects")
    return report


def _parse(program, assessment, row, line, columns, questions, people, seen):
    email_column, about_column, date_column = columns
    email = (row.get(email_column) or "").strip().lower()
    person = people.get(email)
    if person is None:
        # the cell is not quoted: a free-text answer in the wrong column may be anything
        return [RowError(line, email_column, "no participant of this cycle has this e-mail "
                         "address" if email else "the e-mail is empty")], None
    relationship, error = _which(program, person, row.get(about_column) or "" if about_column
                                 else "", line, about_column or email_column)
    if error is not None:
        return [error], None
    if (person.id, relationship.id) in seen:
        return [RowError(line, email_column, "a second response from the same person about "
                                             "the same relationship in this file; the first is "
                                             "kept")], None
    answers, errors = {}, []
    for question, column in questions:
        raw = (row.get(column) or "") if column else ""
        if raw.strip():
            try:
                answers[question.name] = _answer(question, raw)
            except ValueError as error:
                errors.append(RowError(line, column, str(error)))
    if not answers and not errors:
        errors.append(RowError(line, "", "no question answered"))
    submitted = None
    if date_column and (text := (row.get(date_column) or "").strip()):
        try:
            submitted = dt.date.fromisoformat(text[:10])
        except ValueError:
            errors.append(RowError(line, date_column, "not a date (YYYY-MM-DD)"))
    if errors:
        return errors, None
    seen.add((person.id, relationship.id))
    return [], {"person": person, "relationship": relationship, "answers": answers,
                "submitted": submitted}


def _flag_low(assessment: Assessment, group: Group, answers: dict) -> None:
    """A member's answer below a question's ``flag_below`` flags the group (naming no one),
    once: the coordinator sees it with the group's other flags and resolves it."""
    for question in assessment.questions:
        value = answers.get(question.name)
        if value is None or question.flag_below is None or value >= question.flag_below:
            continue
        text = (f"{assessment.title}: a member answered below {question.flag_below:g} on "
                f"{question.name}")
        if not group.flags.where(Flag.open() & (Flag.text == text)).exists():
            flags.raise_flag(group, text)


def _store(name, report, person, relationship, answers, submitted) -> None:
    earlier = AssessmentResponse.get_or_none(
        (AssessmentResponse.participant == person) & (AssessmentResponse.assessment == name)
        & ((AssessmentResponse.relationship == relationship)
           | AssessmentResponse.relationship.is_null()))
    if earlier is not None:
        earlier.delete_instance()
        report.replaced += 1
    else:
        report.added += 1
    AssessmentResponse.create(participant=person, group=relationship.group,
                              relationship=relationship, assessment=name, answers=answers,
                              submitted_on=submitted)


def results(program: Program, groups: list | None = None,
            places: dict | None = None) -> dict[str, list[GroupResult]]:
    """Per group label, its results for each assessment it has responses to, in the order
    the program declares them (``groups``: of the cycle's, with their ``places``, where the
    caller read them)."""
    if groups is None:
        groups = batch.groups(current_cycle(program), ("active", "completed"))
    else:
        groups = [g for g in groups if g.status in ("active", "completed")]
    responses = defaultdict(list)
    for ids in batch.scopes(groups):
        for group, assessment, answers in batch.raw(
                AssessmentResponse.select(AssessmentResponse.group, AssessmentResponse.assessment,
                                          AssessmentResponse.answers)
                .where(AssessmentResponse.group.in_(ids)).order_by(AssessmentResponse.id)):
            responses[(group, assessment)].append(batch.loaded(answers))
    found: dict[str, list[GroupResult]] = {}
    places = batch.places(groups) if places is None else places
    for group in groups:
        members = places[group.id]
        for assessment in program.config.assessments:
            answered = responses.get((group.id, assessment.name))
            if not answered:
                continue
            asked = sum(1 for m in members if not assessment.roles
                        or m.role in assessment.roles)
            found.setdefault(group.label, []).append(
                _result(group.label, assessment, max(asked, len(answered)), answered))
    return found


def _result(label: str, assessment: Assessment, asked: int, answered: list[dict]):
    means, flags = {}, []
    for question in assessment.questions:
        values = [a[question.name] for a in answered if question.name in a]
        if not values:
            continue
        means[question.name] = round(sum(values) / len(values), 2)
        low = [v for v in values if question.flag_below is not None and v < question.flag_below]
        if low:
            who = "a member" if len(low) == 1 else f"{len(low)} members"
            flags.append(f"{question.name}: {who} answered below {question.flag_below:g} "
                         f"(lowest {min(low)} of {question.high})")
    return GroupResult(label, assessment.name, asked, len(answered), means, tuple(flags))


@attrs.frozen
class AssessmentRow:
    name: str
    title: str
    opens: str
    questions: tuple[str, ...]
    responses: int


def listing(program: Program) -> list[AssessmentRow]:
    """The program's assessments, their questions, and how many responses are in."""
    cycle = current_cycle(program)  # this year's responses, not every year's
    return [AssessmentRow(a.name, a.title, str(a.opens or ""),
                          tuple(f"{q.name}: {q.text} ({q.low}-{q.high})" for q in a.questions),
                          AssessmentResponse.select().join(Participant).where(
                              (Participant.cycle == cycle)
                              & (AssessmentResponse.assessment == a.name)).count())
            for a in program.config.assessments]
