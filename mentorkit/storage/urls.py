"""Server URLs fit to print: no password, in any of the forms a URL can carry one.

A database or mail server URL may hold credentials in its user part
(``postgresql://user:secret@host/db``), in query parameters (``?password=``, ``passfile=``,
``sslpassword=``), or in libpq's ``key=value`` form; a password may hold ``@``, ``:`` or
``/`` that were not percent-encoded. Everything here works on the text as typed, without
parsing it first, because a URL that does not parse must still be printable.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

HIDDEN = "***"
# a parameter whose name says it holds a secret: password, passfile, sslpassword, ...key, token
SECRET_PARAM = re.compile(r"(?i)((?:^|[?&;\s])[\w.-]*(?:pass|pwd|secret|token|key)[\w.-]*"
                          r"\s*=\s*)('[^']*'|[^&;\s]*)")


def _split_user(text: str) -> tuple[str, str, str, str] | None:
    """(scheme, user, password or "", host part) of a URL with a user part, else None."""
    if "://" not in text:
        return None
    scheme, rest = text.split("://", 1)
    if "@" not in rest:
        return None
    userinfo, host = rest.rsplit("@", 1)  # a password may hold an unencoded @
    user, _, password = userinfo.partition(":")
    return scheme, user, password, host


def without_credentials(text: str) -> str:
    """``text`` (a URL, a path, or a libpq connection string) with every password and
    secret parameter replaced by ``***``."""
    text = SECRET_PARAM.sub(lambda m: m.group(1) + HIDDEN, str(text))
    parts = _split_user(text)
    if parts is None:
        return text
    scheme, user, password, host = parts
    return f"{scheme}://{user}{':' + HIDDEN if password else ''}@{host}"


def secrets_in(text: str) -> list[str]:
    """The secrets ``text`` holds, as typed and percent-decoded, longest first: to remove
    from a message that might quote them (a driver's error)."""
    found = [m.group(2).strip("'") for m in SECRET_PARAM.finditer(str(text))]
    parts = _split_user(SECRET_PARAM.sub("", str(text)))
    if parts is not None and parts[2]:
        found.append(parts[2])
    found += [unquote(secret) for secret in found]
    return sorted({s for s in found if s}, key=len, reverse=True)


def scrubbed(message: str, text: str) -> str:
    """``message`` with every secret of ``text`` (a URL) replaced by ``***``."""
    for secret in secrets_in(text):
        message = message.replace(secret, HIDDEN)
    return message
