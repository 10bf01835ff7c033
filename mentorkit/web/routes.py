"""The member's own pages: opening a personal link, the home page listing their groups, whom
they let see their sensitive answers, withdrawing, signing out."""

from __future__ import annotations

from flask import Flask, current_app, g, make_response, redirect, request, url_for
from werkzeug.exceptions import TooManyRequests

from mentorkit.services import (
    lifecycle,
    links,
    portal,
    portal_actions,
    portal_consent,
    portal_refusals,
)
from mentorkit.web.pages import client, cookie_path, member_page, page
from mentorkit.web.security import COOKIE, cookie_options


def start(token: str):
    """A personal link: a session for its member, and on to an address without the token
    (it leaves the address bar and the history). Failures are limited per client."""
    failures = current_app.extensions["failures"]
    if failures.blocked(client()):
        portal_refusals.refuse_blocked(token, client())
        raise TooManyRequests(retry_after=failures.retry_after(client()))
    try:
        sid, _visit = links.open_session(token, client())
    except links.LinkRefused as error:
        failures.failed(client())
        return page("message.html.j2", 404, title="This link does not open a page",
                    text=str(error), signed_in=False)
    response = make_response(redirect(url_for("home"), code=303))
    response.set_cookie(COOKIE, sid, **cookie_options(request.is_secure, links.SESSION_HOURS,
                                                      cookie_path()))
    return response


@member_page
def home():
    groups = portal.my_groups(g.me)
    sensitive = any(field.sensitive for field in g.program.config.intake)
    return page("home.html.j2", program=g.program.config.program, me=g.me,
                role=portal.role_label(g.program, g.me.role), groups=groups, sensitive=sensitive,
                cycle=g.program.config.cycle, csrf=g.visit.csrf, done=request.args.get("done"))


@member_page
def privacy():
    if request.method == "POST":
        chosen = {name: request.form.getlist(name) for name in request.form
                  if name != "csrf"}
        portal_actions.set_consent(g.program, g.me, chosen)
        return redirect(url_for("privacy", done="saved"), code=303)
    return page("privacy.html.j2", program=g.program.config.program,
                consent=portal_consent.consent(g.program, g.me), csrf=g.visit.csrf,
                done=request.args.get("done"))


@member_page
def withdraw():
    if request.method == "POST":
        portal_actions.withdraw(g.program, g.me)
        response = make_response(page("message.html.j2", 200, title="You have left the program",
                                      text="Thank you for taking part. The program's "
                                           "coordinator has been told. This page is now "
                                           "closed to you.", signed_in=False))
        response.delete_cookie(COOKIE, path=cookie_path())
        return response
    return page("withdraw.html.j2", program=g.program.config.program, csrf=g.visit.csrf,
                today=lifecycle.today_in(g.program))


@member_page
def sign_out():
    links.end_session(request.cookies.get(COOKIE))
    response = make_response(page("message.html.j2", 200, title="Signed out",
                                  text="To come back, open your personal link again.",
                                  signed_in=False))
    response.delete_cookie(COOKIE, path=cookie_path())
    return response


def register(app: Flask) -> None:
    app.add_url_rule("/start/<path:token>", "start", start, methods=["GET"])
    app.add_url_rule("/", "home", home, methods=["GET"])
    app.add_url_rule("/privacy", "privacy", privacy, methods=["GET", "POST"])
    app.add_url_rule("/withdraw", "withdraw", withdraw, methods=["GET", "POST"])
    app.add_url_rule("/sign-out", "sign_out", sign_out, methods=["POST"])
