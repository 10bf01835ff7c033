"""mentorkit-lgbtq-triads: what the LGBTQ mentoring program's triads need beyond the core. Its
matcher forms groups of one student, one trainee and one faculty member, falling back to pairs
(and saying why) when numbers or a mentor's preference for a pair do not allow a triad; its
cadence rule follows the first meeting of a group with a member who cannot come to the
networking event. The program file is ``program_configs/lgbtq-triads.toml``."""

from mentorkit import hookimpl

__version__ = "0.1.0"

# The components load when mentorkit builds its registry, not when its command line starts.


@hookimpl
def register_matchers(register):
    from mentorkit_lgbtq_triads.triads import Triads

    register(Triads)


@hookimpl
def register_cadence_rules(register):
    from mentorkit_lgbtq_triads.first_meeting import FirstMeeting

    register(FirstMeeting)
