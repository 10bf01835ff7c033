"""mentorkit-peer-circles: what peer mentoring circles need beyond the core. Its matcher forms
circles of peers within a size range, at one career stage, mixing institutions (at most
``max_per_institution`` of one per circle) and sharing topics; its confidentiality policy keeps
what is said in a circle in it. The program file is ``program_configs/peer-circles.toml``."""

from mentorkit import hookimpl

__version__ = "0.1.0"

# The components load when mentorkit builds its registry, not when its command line starts.


@hookimpl
def register_matchers(register):
    from mentorkit_peer_circles.circles import Circles

    register(Circles)


@hookimpl
def register_confidentiality_policies(register):
    from mentorkit_peer_circles.confidence import CircleConfidence

    register(CircleConfidence)
