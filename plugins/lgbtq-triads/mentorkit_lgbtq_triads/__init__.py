"""mentorkit-lgbtq-triads: what the LGBTQ mentoring program's triads need beyond the core. Its
matcher forms groups of one student, one trainee and one faculty member, falling back to pairs
(and saying why) when numbers or a mentor's preference for a pair do not allow a triad; its
cadence rule follows the first meeting of a group with a member who cannot come to the
networking event. The program file is ``program_configs/lgbtq-triads.toml``."""

from mentorkit import hookimpl
from mentorkit_lgbtq_triads.first_meeting import FirstMeeting
from mentorkit_lgbtq_triads.triads import Triads

__version__ = "0.1.0"


@hookimpl
def register_matchers(register):
    register(Triads)


@hookimpl
def register_cadence_rules(register):
    register(FirstMeeting)
