"""What every page of the participants' site shares: rendering a template, the client's
address, and the check that a page is the proven member's."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, g, render_template, request

from mentorkit.services import links, portal, portal_refusals, serving
from mentorkit.web.security import COOKIE, readable


def page(template: str, status: int = 200, **context):
    return render_template(template, **context), status


def client() -> str:
    return request.remote_addr or "unknown"


def cookie_path() -> str:
    """Where the page is served from: ``/``, or the prefix a trusted proxy says it serves
    the page under (X-Forwarded-Prefix)."""
    return request.script_root or "/"


PLACES = ("start", "groups", "privacy", "withdraw", "sign-out", "static")


def shown_path(path: str) -> str:
    """Where a refused request went, for the audit log: the page's own first step only,
    never what follows (a link's token, a label or id typed into the address)."""
    first, _, rest = path.strip("/").partition("/")
    if first and first not in PLACES:
        return "another address"
    return f"/{first}" + ("/…" if rest else "")


def audit_refusal(why: str) -> None:
    """A refused request in the audit log: as the member where their session proves them
    (the request may have been refused before its page checked it, as a 405 is), else as
    the client's address. The reason is the page's own words, never what was sent."""
    visit = getattr(g, "visit", None)
    if visit is None:
        visit = links.visit(request.cookies.get(COOKIE))
    if visit is not None:
        serving.refused(visit, why, shown_path(request.path))
    else:
        links.refused(why, client(), path=shown_path(request.path))


def member_page(view: Callable) -> Callable:
    """A page for the proven member only: their session checked again on every request
    (a revoked link or a withdrawn member is signed out at once), every form's body read as
    UTF-8 (else refused as unreadable, before its token is looked for in it), and its CSRF
    token compared with the session's; a refusal is audited."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        sid = request.cookies.get(COOKIE)
        g.visit = links.visit(sid)
        if g.visit is None:
            if sid:  # a browser without any cookie has attempted nothing yet
                portal_refusals.refuse_session(sid, client(), shown_path(request.path))
            abort(401)
        if request.method == "POST" and not readable(
                request.mimetype, request.mimetype_params.get("charset"),
                request.get_data(cache=True)):  # kept: the form is parsed from it after
            abort(400)  # audited as "a form that could not be read" (app._http_error)
        if request.method == "POST" and not links.same_csrf(g.visit, request.form.get("csrf")):
            serving.refused(g.visit, "a form without its session's token",
                            shown_path(request.path))
            abort(403)
        g.program = serving.program(g.visit.program_key)
        g.me = g.visit.participant or portal.me(g.program, g.visit.participant_id)
        return view(*args, **kwargs)
    return wrapper
