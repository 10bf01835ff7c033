"""One of the member's groups: who is in it, what the program expects and what was logged,
logging a meeting, the check-ins, the private notes, asking for a change. Every route finds
the group among the member's own first (:func:`portal.my_group`): another group's label is
"not found", whatever is typed."""

from __future__ import annotations

import datetime as dt

import attrs
from flask import Flask, g, redirect, request, url_for

from mentorkit.services import lifecycle, meetings, portal, portal_actions, portal_replies
from mentorkit.web.pages import audit_refusal, member_page, page

KIND_WORDS = {"in-person": "In person", "video": "Video call", "phone": "Phone call",
              "text": "Text messages", "email": "E-mail",
              "absence-notice": "Telling the group I cannot come"}
MESSAGE_WORDS = {"text": "A text", "phone": "A phone message", "email": "An e-mail"}


def _group(label: str):
    return portal.my_group(g.program, g.me, label)


def _common(group, **more) -> dict:
    return {"program": g.program.config.program, "group": group, "csrf": g.visit.csrf,
            "done": request.args.get("done"), **more}


@member_page
def group_page(label: str):
    return _group_view(_group(label))


def _group_view(group, status: int = 200, failed=None, sent=None):
    """The group's page; after a form was refused (``failed``: a FieldError, and on which
    form), with what was sent filled in again and the reason beside its field."""
    zone = portal.zone_of(g.program, g.me)  # the member's own, where the program asks it
    moment = dt.datetime.now(zone.zone)
    return page("group.html.j2", status, **_common(
        group, members=portal.member_lines(g.program, group, g.me.id),
        cadence=portal.cadence_lines(g.program, group, moment, g.me.name),
        logged=portal.meeting_lines(g.program, group, zone.zone)[:10], zone=zone.words,
        counted_in=(g.program.config.cycle.timezone
                    if zone.zone != g.program.config.cycle.zone else ""),
        check_ins=portal.check_ins(g.program, g.me, group, moment.date()),
        kinds=[(k, KIND_WORDS.get(k, k)) for k in meetings.KINDS], kind_words=KIND_WORDS,
        now=f"{moment:%Y-%m-%dT%H:%M}", waiting=portal_replies.waiting(group, zone.zone),
        answerable=portal_replies.ANSWERABLE, message_words=MESSAGE_WORDS,
        failed=failed, sent=sent))


@attrs.frozen
class Failed:
    form: str  # "log", or the id of the message whose answer was refused
    field: str
    message: str


def _not_saved(group, error: portal_actions.FieldError, form: str):
    """A refused form shown again, filled in as sent (the page is not cached: going back
    would lose it), with why; audited by the kind of refusal, never what was typed."""
    audit_refusal(f"a form that could not be stored ({error.kind})")
    return _group_view(group, 400, Failed(form, error.field, str(error)), request.form)


@member_page
def log_meeting(label: str):
    group = _group(label)
    form = request.form
    try:
        portal_actions.log_meeting(g.program, g.me, group, form.get("when", ""),
                                   form.get("kind", ""), form.getlist("attendee"),
                                   form.get("minutes", ""), form.get("note", ""),
                                   awaits=bool(form.get("awaits")))
    except portal_actions.FieldError as error:
        return _not_saved(group, error, "log")
    return redirect(url_for("group_page", label=group.label, done="meeting"), code=303)


@member_page
def log_answer(label: str, message: str):
    """The answer to one of the group's messages waiting for one."""
    group = _group(label)
    try:
        portal_replies.log_answer(g.program, g.me, group, message,
                                  request.form.get("when", ""), request.form.get("kind", ""))
    except portal_actions.FieldError as error:
        return _not_saved(group, error, message)
    return redirect(url_for("group_page", label=group.label, done="answer"), code=303)


@member_page
def check_in(label: str, name: str, relationship: str):
    group = _group(label)
    today = lifecycle.today_in(g.program)
    found = next((c for c in portal.check_ins(g.program, g.me, group, today)
                  if c.assessment.name == name and str(c.relationship_id) == relationship),
                 None)
    if found is None:
        raise portal.NotYours("check-in")
    if request.method == "POST":
        portal_actions.answer_check_in(g.program, g.me, group, name, relationship,
                                       request.form, today)
        return redirect(url_for("group_page", label=group.label, done="check-in"), code=303)
    return page("check_in.html.j2", **_common(group, check_in=found))


@member_page
def notes(label: str):
    group = _group(label)
    if request.method == "POST":
        portal_actions.write_note(g.program, g.me, group, request.form.get("body", ""),
                                  request.form.get("refer") or None)
        # to the group's page, not its notes: a read logged the moment after a note was
        # written would tell the log who wrote it
        return redirect(url_for("group_page", label=group.label, done="note"), code=303)
    members = portal.member_lines(g.program, group, g.me.id)  # the group's view of them
    return page("notes.html.j2", **_common(
        group, notes=portal_actions.read_notes(g.program, g.me, group), me=g.me,
        names={m.email: m.name for m in members if m.email},
        scenarios=g.program.config.privacy.referral_scenarios,
        refer_to=g.program.config.privacy.refer_to))


@member_page
def refer(label: str, note: str):
    group = _group(label)
    portal_actions.refer_note(g.program, g.me, group, note, request.form.get("scenario", ""))
    return redirect(url_for("notes", label=group.label, done="referred"), code=303)


@member_page
def change(label: str):
    group = _group(label)
    if request.method == "POST":
        portal_actions.request_change(g.program, g.me, group)
        return redirect(url_for("home", done="change"), code=303)
    others = [m for m in portal.member_lines(g.program, group, g.me.id) if not m.is_me]
    return page("change.html.j2", **_common(group, others=others))


def register(app: Flask) -> None:
    app.add_url_rule("/groups/<label>", "group_page", group_page, methods=["GET"])
    app.add_url_rule("/groups/<label>/meetings", "log_meeting", log_meeting, methods=["POST"])
    app.add_url_rule("/groups/<label>/answers/<message>", "log_answer", log_answer,
                     methods=["POST"])
    app.add_url_rule("/groups/<label>/check-ins/<name>/<relationship>", "check_in", check_in,
                     methods=["GET", "POST"])
    app.add_url_rule("/groups/<label>/notes", "notes", notes, methods=["GET", "POST"])
    app.add_url_rule("/groups/<label>/notes/<note>/refer", "refer", refer, methods=["POST"])
    app.add_url_rule("/groups/<label>/change", "change", change, methods=["GET", "POST"])
