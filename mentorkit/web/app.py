"""The participants' page as a Flask application: who is asking (the session a personal link
opened), the checks every request passes (the session, then for a form its CSRF token), the
headers every response carries, and plain error pages: no traceback reaches a browser.

Flask, because peewee is synchronous: a WSGI application served by threads (Waitress, see
:mod:`mentorkit.web.server`) runs each request on one connection, in one transaction per
write, exactly as the command line does; an asynchronous framework would only push the same
blocking calls into a thread pool.
"""

from __future__ import annotations

import logging

import attrs
from flask import Flask, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from mentorkit.services import portal, serving
from mentorkit.services.errors import EXPECTED, NotFoundError
from mentorkit.web.pages import audit_refusal, page
from mentorkit.web.security import HEADERS, HSTS, FailureLimit

log = logging.getLogger("mentorkit.web")
MAX_BODY = 64 * 1024  # no form of the page comes near it; the server refuses more unread


@attrs.frozen
class Settings:
    """How the page is served: its public address (for the links in letters and what the
    server says it serves), and whether a reverse proxy in front of it may be believed about
    the client's address and scheme (X-Forwarded-For, -Proto, -Host, -Prefix)."""

    base_url: str = ""
    trust_proxy: bool = False
    failure_limit: int = 10
    failure_window: float = 900.0


def create_app(settings: Settings | None = None) -> Flask:
    """The application, on the database the caller opened (``open_database``)."""
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, SETTINGS=settings,
                      TEMPLATES_AUTO_RELOAD=False)
    app.jinja_env.autoescape = True
    app.extensions["failures"] = FailureLimit(settings.failure_limit, settings.failure_window)
    if settings.trust_proxy:  # only when told: anyone can send these headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)
    app.before_request(_connect)
    app.teardown_request(_disconnect)
    app.after_request(_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotFoundError, _not_found)
    for expected in EXPECTED:
        app.register_error_handler(expected, _refused)
    app.register_error_handler(Exception, _unexpected)
    from mentorkit.web import routes, routes_group

    routes.register(app)
    routes_group.register(app)
    return app


def _connect() -> None:
    serving.begin_request()


def _disconnect(error) -> None:
    serving.end_request(failed=error is not None)


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def _message(title: str, text: str, status: int):
    """A plain page saying what happened, under the program's name where it is known."""
    known = getattr(g, "program", None)
    return page("message.html.j2", status, title=title, text=text,
                signed_in=getattr(g, "visit", None) is not None,
                program=known.config.program if known is not None else None)


HEADINGS = {400: "This form could not be read", 401: "This link or session no longer works",
            403: "This was refused", 404: "There is no such page",
            405: "This page cannot be used that way", 413: "That is too long to send",
            429: "Too many attempts: try again in a few minutes"}  # not the HTTP phrases


AUDITED = {400: "a form that could not be read", 405: "a page used the wrong way",
           413: "too long to send"}  # 401, 403 and 429 are audited where they are decided


def _http_error(error: HTTPException):
    words = {400: "Please go back, reload the page and try again.",
             401: "Open your personal link again.",
             403: "Please go back, reload the page and try again.",
             404: "Please check the address, or go back to your page.",
             405: "Please use the page's own buttons and links.",
             413: "Please shorten it and try again.",
             429: "Too many tries from here. Please wait a while, or ask your program's "
                  "coordinator for a new link."}
    if error.code in AUDITED:
        audit_refusal(AUDITED[error.code])
    body, status = _message(HEADINGS.get(error.code or 500, "This did not work"),
                            words.get(error.code or 500, error.name), error.code or 500)
    kept = [(name, value) for name, value in error.get_headers()  # Allow, Retry-After
            if name.lower() != "content-type"]
    return body, status, kept


def _not_found(error: NotFoundError):
    me = getattr(g, "me", None)
    if isinstance(error, portal.NotYours) and error.what != "group" and me is not None:
        portal.refused(g.program, me, error.what)  # a group's refusal was logged already
    return _message("There is no such page", str(error) if isinstance(error, portal.NotYours)
                    else "There is no such page.", 404)


def _refused(error: Exception):
    """A form the services refused (a date in the future, an empty note): said plainly,
    nothing stored (its transaction rolled back), audited by the kind of refusal (its
    message may quote what the member typed)."""
    audit_refusal(f"a form that could not be stored ({type(error).__name__})")
    return _message("Not saved", str(error), 400)  # the services' words, for the member


def _unexpected(error: Exception):
    log.error("unexpected error on %s: %s", request.path, type(error).__name__)
    return _message("Something went wrong", "Nothing was changed. Please try again later.",
                    500)
