"""The core confidentiality policy: sensitive fields only to audiences a person consented to."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import Audience, ConfidentialityPolicy
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem


@attrs.frozen
class ConsentParams:
    consent_field: str = "share_with"  # a `choices` field listing audiences the person allows
    administrators_see_sensitive: bool = True


class ConsentByAudience(ConfidentialityPolicy):
    """Sensitive fields reach an audience only with the participant's consent."""

    name = "consent-by-audience"
    Params = ConsentParams

    def problems(self) -> Iterable[Problem]:
        if not any(field.sensitive for field in self.program.intake):
            return
        field = self.program.field(self.params.consent_field)
        if field is None or field.type != "choices":
            yield Problem("consent_field", "sensitive fields need a `choices` intake field "
                          f"named {self.params.consent_field!r} listing the audiences")
            return
        unknown = set(field.choices) - {a.value for a in Audience}
        if unknown:
            yield Problem("consent_field", f"choices must be audiences, not {sorted(unknown)}")

    def describe(self) -> list[str]:
        sensitive = [f.name for f in self.program.intake if f.sensitive]
        if not sensitive:
            listed = (f" A participants' roster lists only those who listed participants in "
                      f"{self.params.consent_field!r}."
                      if self.program.field(self.params.consent_field) else "")
            return ["No intake field is marked sensitive." + listed]
        admin = ("Administrators see them on request (--show-sensitive, audited)"
                 if self.params.administrators_see_sensitive else
                 "Administrators too need consent")
        return [f"Sensitive fields ({', '.join(sensitive)}) are shown to an audience only if the "
                f"participant listed it in {self.params.consent_field!r}. {admin}.",
                "A participants' roster lists only those who consented to all participants; "
                "public reports carry no personal data."]

    def person_fields(self) -> list[str]:
        """Whom a person trusts is theirs, not one year's: the consent field."""
        return [self.params.consent_field] if self.program.field(
            self.params.consent_field) else []

    def _consent(self, person: Person) -> list[str] | None:
        """The audiences the person consented to; None where the program asks no consent."""
        if self.program.field(self.params.consent_field) is None:
            return None
        return person.value(self.params.consent_field) or []

    def may_list(self, person: Person, audience: Audience) -> bool:
        consent = self._consent(person)
        return consent is None or audience is not Audience.PARTICIPANTS or (
            audience.value in consent)

    def may_see(self, field: str, person: Person, audience: Audience) -> bool:
        if audience is Audience.PUBLIC:
            return False
        if field == self.params.consent_field:  # whom one trusts is one's own business
            return audience is Audience.ADMINISTRATOR
        spec = self.program.field(field)
        if spec is None or not spec.sensitive:
            return True
        if audience is Audience.ADMINISTRATOR and self.params.administrators_see_sensitive:
            return True
        consent = person.value(self.params.consent_field) or []
        return audience.value in consent


@hookimpl
def register_confidentiality_policies(register):
    register(ConsentByAudience)
