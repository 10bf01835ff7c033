"""What every response of the participants' page carries, and what every request is
checked for: headers (a strict Content-Security-Policy: no script at all, styles and images
from this server only; no framing, no referrer, no caching of personal pages), the session
cookie's attributes, and the limit on failed links per client."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from urllib.parse import unquote_to_bytes

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cache-Control": "no-store",
}
HSTS = "max-age=31536000"
COOKIE = "mentorkit_page"


FORM = "application/x-www-form-urlencoded"  # what the page's own forms send
UTF8 = ("utf-8", "utf8", "us-ascii")


def readable(mimetype: str, charset: str | None, body: bytes) -> bool:
    """Whether a form's body is text the page can read: UTF-8 (a declared charset of none
    else), also once percent-decoded. A Latin-1 "caf%E9" would otherwise be stored as
    typed, or fail the CSRF check as a form without its token (it had one)."""
    if charset is not None and charset.lower() not in UTF8:
        return False
    if mimetype != FORM:
        return True
    try:
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cookie_options(secure: bool, hours: int, path: str = "/") -> dict:
    """The session cookie: not readable by script, not sent on cross-site requests other
    than following a link (Lax: the link in a letter opens the page), HTTPS-only behind
    TLS, sent only to the page's own addresses (``path``: under a proxy's prefix, not to
    the other applications of the same host), and gone when the session would end
    anyway."""
    return {"httponly": True, "samesite": "Lax", "secure": secure, "path": path,
            "max_age": hours * 3600}


class FailureLimit:
    """At most ``limit`` failed links per client in ``window`` seconds; after that the
    client is refused (429) until its oldest failure leaves the window. Kept in memory, for
    the one server process (`mentorkit serve` runs one, with threads)."""

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str, moment: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= moment - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def retry_after(self, client: str) -> int:
        """Seconds until a blocked client may try again (its oldest failure leaves the
        window): the 429's Retry-After."""
        with self._lock:
            moment = time.monotonic()
            failures = self._recent(client, moment)
            return max(1, math.ceil(failures[0] + self.window - moment)) if failures else 1

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())
            if len(self._failures) > 10_000:  # forget quiet clients, bounded memory
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]
