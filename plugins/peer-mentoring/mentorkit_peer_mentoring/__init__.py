"""mentorkit-peer-mentoring: what the peer mentoring program needs beyond the core. Its matcher
selects the top applicants of each year by score, pairs a 3rd- and a 4th-year peer mentor with
a faculty mentor and that mentor's cohort of students, and keeps the MD/PhD students and their
peer mentors as a separate track; its cadence rule checks that texts, calls and e-mails are
answered in time; its confidentiality policy holds peer mentors to the program's Disclosure and
Confidentiality Statement and the scenarios they refer on. The program file is
``program_configs/peer-mentoring.toml``."""

from mentorkit import hookimpl
from mentorkit_peer_mentoring.cohorts import Cohorts
from mentorkit_peer_mentoring.disclosure import PeerDisclosure
from mentorkit_peer_mentoring.reply_time import ReplyWithin

__version__ = "0.1.0"


@hookimpl
def register_matchers(register):
    register(Cohorts)


@hookimpl
def register_cadence_rules(register):
    register(ReplyWithin)


@hookimpl
def register_confidentiality_policies(register):
    register(PeerDisclosure)
