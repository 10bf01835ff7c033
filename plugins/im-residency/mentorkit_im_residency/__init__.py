"""mentorkit-im-residency: what the internal-medicine residency program's one-to-one shape needs
beyond the core. Its matcher pairs each resident with one faculty mentor, a mentor taking up to
``capacity`` (best total fit, or stable); its cadence rule follows the purposes each
relationship serves (academic support, professional development, well-being). The program file
is ``program_configs/im-residency.toml``; any program may use these components."""

from mentorkit import hookimpl

__version__ = "0.1.0"

# The components load when mentorkit builds its registry, not when its command line starts.


@hookimpl
def register_matchers(register):
    from mentorkit_im_residency.one_to_one import OneToOne

    register(OneToOne)


@hookimpl
def register_cadence_rules(register):
    from mentorkit_im_residency.purposes import PurposesRecorded

    register(PurposesRecorded)
