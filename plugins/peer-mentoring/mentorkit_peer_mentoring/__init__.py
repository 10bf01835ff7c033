"""mentorkit-peer-mentoring: what the peer mentoring program needs beyond the core. Its matcher
selects the top applicants of each year by score, pairs a 3rd- and a 4th-year peer mentor with
a faculty mentor and that mentor's cohort of students, and keeps the MD/PhD students and their
peer mentors as a separate track; its cadence rule checks that texts, calls and e-mails are
answered in time; its confidentiality policy holds peer mentors to the program's Disclosure and
Confidentiality Statement and the scenarios they refer on. The program file is
``program_configs/peer-mentoring.toml``."""

from mentorkit import hookimpl

__version__ = "0.1.0"

# The components load when mentorkit builds its registry, not when its command line starts.


@hookimpl
def register_matchers(register):
    from mentorkit_peer_mentoring.cohorts import Cohorts

    register(Cohorts)


@hookimpl
def register_cadence_rules(register):
    from mentorkit_peer_mentoring.reply_time import ReplyWithin

    register(ReplyWithin)


@hookimpl
def register_confidentiality_policies(register):
    from mentorkit_peer_mentoring.disclosure import PeerDisclosure

    register(PeerDisclosure)
