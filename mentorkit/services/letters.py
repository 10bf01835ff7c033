"""What the letters to participants share: how they name people and roles, say why a group
was formed in the reader's words, count things, and close.

A letter is read by a participant, not by the program's administrators: no internal field
names (a field is named by its label), no administrator's bookkeeping ("pinned by an
administrator"), and numbers in words that agree with them ("1 meeting", "3 meetings").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mentorkit.kernel.program import Program
from mentorkit.views.audience import PersonView, names_an_earlier_group
from mentorkit.views.words import listing, plural, possessive

__all__ = ["closing", "field_label", "for_members", "introduced", "listing", "member_lines",
           "plain_words", "plural", "possessive", "reasons", "role_label"]

# what a matcher says for the administrator's eyes only
ADMINISTRATIVE = ("pinned by an administrator",)


def role_label(program: Program, key: str | None) -> str:
    role = program.config.role(key) if key else None
    return role.label if role else (key or "")


def field_label(program: Program, name: str) -> str:
    field = program.config.field(name)
    return (field.label or name.replace("_", " ")) if field else name.replace("_", " ")


def reasons(program: Program, said: Iterable[str]) -> list[str]:
    """A matcher's reasons as a participant reads them: each once, fields by their labels
    ("career_stage: early career" -> "Career stage: early career"), without what only the
    administrators need to know."""
    found: list[str] = []
    for reason in said:
        if any(reason.startswith(note) for note in ADMINISTRATIVE) or \
                names_an_earlier_group(reason):  # others' earlier groups: not theirs to read
            continue
        reason = plain_words(program, reason)
        if reason not in found:
            found.append(reason)
    return found


def plain_words(program: Program, text: str) -> str:
    """``text`` with each intake field's name (``learning_community``) replaced by its
    label, as a participant knows the question."""
    for field in program.config.intake:
        if field.name in text and ("_" in field.name or text.startswith(f"{field.name}:")):
            label = field_label(program, field.name)
            text = re.sub(rf"(?<![\w]){re.escape(field.name)}(?![\w])", label, text)
    return text[:1].upper() + text[1:] if text[:1].islower() and ":" in text[:40] else text


def introduced(program: Program) -> list[str]:
    """The intake fields a letter shows about each member (``introduce = true``), in the
    program's order."""
    return [field.name for field in program.config.intake if field.introduce]


def member_lines(program: Program, member: PersonView, fields: Sequence[str]) -> list[str]:
    """One member as their group sees them: name and role, then how to reach them and each
    introduced answer they share with the group (a view holds only those)."""
    role = role_label(program, member.role)
    lines = [f"- {member.name}" + (f", {role}" if role else "")]
    if member.email:
        lines.append(f"  E-mail: {member.email}")
    for name in fields:
        value = member.answers.get(name)
        if value in (None, "", []):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else (
            ("yes" if value else "no") if isinstance(value, bool) else str(value))
        lines.append(f"  {field_label(program, name)}: {shown}")
    return lines


def closing(program: Program) -> list[str]:
    contact = program.config.program.contact
    return [f"Questions: write to {contact}."] if contact else []


COMMAND = re.compile(r"`mentorkit [^`]*`")


def for_members(program: Program, text: str) -> str:
    """A rule's words (written for the coordinator) as a member may read them: no command
    ("`mentorkit match purposes` records them": the program's coordinator does) and no
    internal field name ("chose in 'purposes'": when they signed up, by the question's
    own words). A rule has no wording of its own for members; until it has, this."""
    text = COMMAND.sub("the program's coordinator", text)
    for spec in program.config.intake:
        quoted = f"'{spec.name}'"
        if quoted in text:
            label = f'"{spec.label}"' if spec.label else "the sign-up form"
            text = text.replace(f"in {quoted}", f"when they signed up ({label})")
            text = text.replace(quoted, label)
    return text
