"""E-mail addresses as RFC 5321/5322 and RFC 6531 (internationalized mail) define them, checked
by email-validator (no DNS lookup: a sign-up export is checked offline), and normalized into
the one form a person is known by.

Most addresses of a large export are plain ASCII dot-atoms: those are checked by one regular
expression that accepts a subset of what the library accepts, so a 50,000-row import does not
pay the library's cost per row; everything else (``josé.núñez@...``, ``王.芳@...``, an address
the expression refuses) goes to the library, loaded on first use.
"""

from __future__ import annotations

import re
import unicodedata

MAX_EMAIL = 254  # RFC 5321's limit for a forward path
MAX_LOCAL = 64  # and for the part before the @
# RFC 5322's dot-atom local part, a dotted domain of letters, digits and hyphens
PLAIN = re.compile(r"^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
                   r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})$")
# Domains no mail goes to (RFC 6761), as email-validator refuses them
SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def normalized_email(text: str) -> str:
    """The address as a person is known by it: NFC, lowercase, the domain in Unicode.
    Raises ValueError with a reason that does not repeat the address."""
    if len(text) > MAX_EMAIL:
        raise ValueError(f"is {len(text):,} characters long, too long for an e-mail address")
    plain = PLAIN.match(text)  # most addresses: one match, no library
    if plain is not None and plain.end(1) <= MAX_LOCAL and (
            plain.group(2).lower() not in SPECIAL_USE):
        return text.lower()
    text = text.strip()
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as error:
        raise ValueError(f"is not an e-mail address ({_unquoted(str(error), text)})") from None
    return unicodedata.normalize("NFC", found.normalized).lower()


def _unquoted(reason: str, text: str) -> str:
    """The library's reason without the address or its parts (it is a person's data)."""
    local, _, domain = text.rpartition("@")
    for part in sorted({text, local, domain} - {""}, key=len, reverse=True):
        if len(part) > 1:
            reason = reason.replace(part, "…")
    return reason.rstrip(".")


def needs_smtputf8(address: str) -> bool:
    """Whether mail to ``address`` needs the SMTPUTF8 extension (RFC 6531): a non-ASCII local
    part (a non-ASCII domain alone could go as IDNA, but smtplib sends it as given)."""
    return not address.isascii()
