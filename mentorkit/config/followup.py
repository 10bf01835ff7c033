"""What a program follows through its year, as the program file states it: the purposes and
activities it tracks, private notes and retention, the goals mentees set, the resources it
lists and the assessments it asks groups to fill in."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

ResourceKind = Literal["article", "blog", "book", "journal", "podcast", "website", "wellness",
                       "local"]


@attrs.frozen
class Resource:
    """An entry of the program's resource list for participants."""

    title: str
    kind: ResourceKind
    note: str = ""
    url: str = ""


SMART_PROMPTS = [
    "Specific: what exactly will you achieve?",
    "Measurable: how will you and your mentor know it is done?",
    "Action-oriented: what will you do, step by step?",
    "Realistic: is it within reach this term, with the time you have?",
    "Timely: by which date?",
]


@attrs.frozen
class GoalTemplate:
    """The goals a mentee sets when a group forms (SMART, after the resource guide), and when
    the group reviews them."""

    title: str = "SMART goals"
    prompts: list[str] = attrs.field(factory=lambda: list(SMART_PROMPTS))
    count: int = 3  # goals per mentee
    review: str = "at every meeting"


ActivityKind = Literal["training", "workshop", "survey", "focus-group", "other"]


@attrs.frozen
class Activity:
    """Something participants of some roles attend or fill in (training, a survey)."""

    name: str
    kind: ActivityKind = "other"
    roles: list[str] = attrs.field(factory=list)  # empty: everyone
    date: dt.date | None = None
    required: bool = True


@attrs.frozen
class TrackingConfig:
    """What the program follows besides meetings: the purposes each relationship serves, and
    activities (training, surveys) per participant."""

    purposes: list[str] = attrs.field(factory=list)
    purposes_field: str = ""  # a choices field: a group starts with its members' purposes
    activities: list[Activity] = attrs.field(factory=list)


@attrs.frozen
class Scenario:
    """A situation peers must refer to faculty or administrators rather than handle."""

    key: str
    description: str


@attrs.frozen
class PrivacyConfig:
    """Private notes, referral, and how long personal data is kept."""

    disclosure: str = ""  # the program's disclosure and confidentiality statement (or link)
    referral_scenarios: list[Scenario] = attrs.field(factory=list)
    refer_to: str = "program administrators"
    retention_days: int = 0  # after a cycle ends; 0 keeps data until purged by hand


@attrs.frozen
class Question:
    """One question of an assessment, answered on a scale from ``low`` to ``high``."""

    name: str
    text: str
    low: int = 1
    high: int = 5
    column: str = ""  # the survey export's header for it; default: the text, then the name
    # a group is flagged for the coordinator when a member answers below this (satisfaction)
    flag_below: float | None = None

    @property
    def header(self) -> str:
        return self.column or self.text or self.name


@attrs.frozen
class Assessment:
    """A relationship assessment the program asks its groups' members to fill in (mid-year,
    end of year): the invitation is sent by ``notify``, the survey tool's export of responses
    imported by ``assessments import``. Responses are for administrators only."""

    name: str
    title: str
    questions: list[Question]
    opens: dt.date | None = None  # when the invitation goes out
    url: str = ""  # where the survey is answered, given in the invitation
    roles: list[str] = attrs.field(factory=list)  # who is asked; empty: every member
