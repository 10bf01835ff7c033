"""Recording who did what: every status change, match acceptance and import is logged."""

from __future__ import annotations

import getpass
import os
from typing import Any

from mentorkit.storage.models import AuditEntry

ACTOR_ENV = "MENTORKIT_ACTOR"


def current_actor() -> str:
    try:
        return os.environ.get(ACTOR_ENV) or getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


def record(action: str, target: str = "", **detail: Any) -> None:
    AuditEntry.create(actor=current_actor(), action=action, target=target, detail=detail)
