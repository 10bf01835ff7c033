"""The plain-language summary of every rule of a program (``mentorkit programs show``)."""

from __future__ import annotations

from mentorkit.config.models import SIDES_FIELD, SIGNED_UP_FIELD
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program


def summarize(program: Program, for_members: bool = False) -> list[str]:
    """Every rule of the program in plain words, section by section. ``for_members``: as
    members and the public read it in a report, without what only the file's editor needs
    (the program's key, each rule's component, each question's key and type, the source
    document's file name, commands)."""
    lines = [*_identity(program, for_members), *_cycle(program),
             *_people(program, for_members), *_components(program, for_members),
             *_tracking(program), *_privacy(program),
             *_goals_and_resources(program, for_members)]
    if not for_members:
        return lines
    from mentorkit.services.letters import for_members as in_members_words

    return [in_members_words(program, line) for line in lines]


def _identity(program: Program, for_members: bool = False) -> list[str]:
    info = program.config.program
    lines = [info.name if for_members else f"{info.name} [{info.key}]"]
    if info.description:
        lines += ["", *info.description.strip().splitlines()]
    if info.institutions:
        lines.append(f"Institutions: {', '.join(info.institutions)}")
    if info.contact:
        lines.append(f"Contact: {info.contact}")
    if info.source and not for_members:
        lines.append(f"Source document: {info.source}")
    return lines


def _cycle(program: Program) -> list[str]:
    cycle = program.config.cycle
    lines = ["", f"Cycle {cycle.label}: {cycle.academic_year_start} to {cycle.academic_year_end}"]
    if cycle.signup_deadline:
        lines.append(f"  Sign-up deadline: {cycle.signup_deadline}")
    if cycle.match_by:
        lines.append(f"  Matches made by: {cycle.match_by}")
    lines += [f"  Event: {e.name} on {e.date}" + (f" ({e.description})" if e.description else "")
              for e in cycle.events]
    lines += [f"  Term: {t.name}, {t.start} to {t.end}" for t in cycle.terms]
    lines.append("  Participants may opt in to continue with their group next cycle."
                 if cycle.continuation else "  Groups end with the cycle.")
    lines.append("  At year end everyone who was in a group goes on into the next cycle's pool."
                 if cycle.carry == "everyone" else "  At year end only continuing groups go on "
                 "into the next cycle; anyone else takes part again by signing up again.")
    for rule in cycle.advance:
        lines.append(f"  At year end {rule.field} goes up by {rule.by}"
                     + (f"; past {rule.last} a person has finished and leaves the program."
                        if rule.last is not None else "."))
    return lines


def _people(program: Program, for_members: bool = False) -> list[str]:
    config = program.config
    lines = ["", "Roles:"]
    lines += [f"  {r.label} (signs up as {' or '.join(r.sides)})" if for_members else
              f"  {r.key}: {r.label} (signs up as {' or '.join(r.sides)})" for r in config.roles]
    if for_members:  # the questions as asked, and which answers are confidential
        return [*lines, "", "Asked at sign-up:", *(
            f"  {f.label or f.name}" + (" (confidential)" if f.sensitive else "")
            for f in config.intake if f.name not in (SIDES_FIELD, SIGNED_UP_FIELD)
            and set(f.shown_to) - {"administrator"})]  # not a committee's own scores
    lines += ["", "Intake fields:"]
    for field in config.intake:
        flags = [flag for flag, on in (("required", field.required),
                                       ("SENSITIVE", field.sensitive),
                                       ("multi-line", field.multiline),
                                       ("in the introductions", field.introduce)) if on]
        choices = f" [{', '.join(field.choices)}]" if field.choices else ""
        named = (f"{field.label} [{field.name}]" if field.label and field.label != field.name
                 else field.name)  # the question as people read it, and its key in the file
        lines.append(f"  {named} ({field.type}{', ' + ', '.join(flags) if flags else ''})"
                     f"{choices}")
    submitted = config.enrollment.submitted_column or "the export's own timestamp"
    lines.append(f"  A person is known by their {config.enrollment.match_on}; of several "
                 f"sign-ups, the latest (by {submitted}) wins.")
    return lines


def _components(program: Program, for_members: bool = False) -> list[str]:
    from mentorkit.services.letters import plain_words  # a field by its label, not its key

    lines: list[str] = []
    sections = (("Eligibility", program.eligibility), ("Matching", (program.matcher,)),
                ("Cadence", program.cadence), ("Confidentiality", (program.confidentiality,)))
    for title, components in sections:
        lines += ["", f"{title}:"]
        if not components:
            lines.append("  (no rule)")
        for component in components:
            with component_hook(component, "description"):
                described = component.describe()
            described = [plain_words(program, line) for line in described]
            lines.append(f"  - {described[0]}" + ("" if for_members else
                                                  f"  [{component.name}]"))
            lines += [f"    {line}" for line in described[1:]]
    return lines


def _tracking(program: Program) -> list[str]:
    track = program.config.tracking
    lines: list[str] = []
    if track.purposes:
        lines += ["", "Each relationship records the purposes it serves: "
                  + ", ".join(track.purposes)
                  + (f" (starting from the members' {track.purposes_field!r})"
                     if track.purposes_field else "")]
    if track.activities:
        lines += ["", "Activities tracked per participant:"]
        lines += [f"  - {a.name} ({a.kind}{', ' + ', '.join(a.roles) if a.roles else ''}"
                  f"{', ' + str(a.date) if a.date else ''}{', required' if a.required else ''})"
                  for a in track.activities]
    return lines


def _privacy(program: Program) -> list[str]:
    privacy = program.config.privacy
    lines = ["", "Private notes: seen by their author and the group; administrators see a note "
                 "only when it is referred."]
    if privacy.disclosure:
        lines.append(f"  Disclosure and confidentiality statement: {privacy.disclosure}")
    if privacy.referral_scenarios:
        lines.append(f"  Refer to {privacy.refer_to} instead of handling among peers:")
        lines += [f"    - {s.key}: {s.description}" for s in privacy.referral_scenarios]
    if privacy.retention_days:
        lines.append(f"  Personal data is purged {privacy.retention_days} days after a cycle "
                     "ends; anonymised counts are kept.")
    return lines


def _goals_and_resources(program: Program, for_members: bool = False) -> list[str]:
    config = program.config
    goals = config.goals
    lines = ["", f"Goals when a group forms: {goals.count} {goals.title} per mentee, reviewed "
                 f"{goals.review}"]
    lines += [f"  - {prompt}" for prompt in goals.prompts]
    kinds = sorted({r.kind for r in config.resources})
    lines += ["", f"Resources: {len(config.resources)}"
              + (f" ({', '.join(kinds)})" if kinds else "")
              + (f"; list them with `mentorkit programs resources {config.key}`"
                 if kinds and not for_members else "")]
    return lines
