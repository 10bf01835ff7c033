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


def about_program(target: str, detail: dict | None, key: str) -> bool:
    """Whether an entry (its target and detail) is about program ``key``: the program itself,
    one of its groups (``key-003``), or anything recorded with ``program=key``."""
    return (target == key or target.startswith(f"{key}-")
            or (detail or {}).get("program") == key)
