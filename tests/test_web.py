"""The participants' page over HTTP (Flask's test client): every route, and every refusal.
What a member does there reaches the coordinator's commands exactly as theirs would."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from mentorkit.storage.models import (
    AssessmentResponse,
    Meeting,
    Membership,
    Note,
    PageSession,
    Participant,
    ParticipantLink,
)
from tests.portal import CSRF, LINK, PROGRAM, audited, csrf_of, issue_links, site  # noqa: F401

BOTH_DATABASES = True


def test_a_link_opens_a_session_and_leaves_the_address(site):
    person = site.member()
    client = site.app.test_client()
    response = client.get(f"/start/{site.tokens[person.email]}")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert site.tokens[person.email] not in cookie
    home = client.get("/").get_data(as_text=True)
    assert person.name in home and site.groups[0].label in home
    assert audited("page.open")[-1].actor == person.email


def test_the_cookie_is_secure_behind_tls_only_when_the_proxy_is_trusted(site):
    from mentorkit.web.app import Settings, create_app

    person = site.member()
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https"}
    plain = site.app.test_client().get(f"/start/{site.tokens[person.email]}",
                                       headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in plain.headers["Set-Cookie"]  # anyone can send that header
    trusting = create_app(Settings(trust_proxy=True)).test_client()
    response = trusting.get(f"/start/{site.tokens[person.email]}", environ_base=forwarded,
                            headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_every_page_carries_a_strict_policy_and_no_script(site):
    client = site.browser(site.member())
    label = site.groups[0].label
    for path in ("/", "/privacy", "/withdraw", f"/groups/{label}", f"/groups/{label}/notes",
                 f"/groups/{label}/change", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "<script" not in response.get_data(as_text=True).lower(), path
    css = client.get("/static/page.css")
    assert css.status_code == 200 and "max-width" in css.get_data(as_text=True)


def test_unknown_replaced_revoked_and_expired_links_are_refused_alike(site, run):
    person, other = site.member(), site.member(position=1)
    client = site.app.test_client()
    unknown = client.get("/start/not-a-real-token-at-all")
    assert unknown.status_code == 404
    old = site.tokens[person.email]
    issue_links(run, person.email)  # re-issued: the old link is dead
    replaced = client.get(f"/start/{old}")
    assert replaced.status_code == 404
    assert replaced.get_data(as_text=True) == unknown.get_data(as_text=True)
    ParticipantLink.update(expires_on=dt.date(2026, 1, 1)).where(
        ParticipantLink.participant == other.id).execute()
    assert client.get(f"/start/{site.tokens[other.email]}").status_code == 404
    assert len(audited("link.refused")) == 3
    assert all(e.detail["why"] for e in audited("link.refused"))


def test_failed_links_are_limited_per_client(site):
    client = site.app.test_client()
    for i in range(10):
        assert client.get(f"/start/guess{i}").status_code == 404
    good = site.tokens[site.member().email]
    assert client.get(f"/start/{good}").status_code == 429  # even a right one, for a while
    elsewhere = site.app.test_client().get(f"/start/{good}",
                                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 303


def test_revoking_ends_the_link_and_its_sessions_at_once(site, run):
    person = site.member()
    client = site.browser(person)
    run("participants", "links", PROGRAM, "--revoke", person.email)
    assert client.get("/").status_code == 401
    assert client.get(f"/start/{site.tokens[person.email]}").status_code == 404
    assert PageSession.select().count() == 0


def test_pages_need_a_session(site):
    client = site.app.test_client()
    label = site.groups[0].label
    for method, path in (("get", "/"), ("get", f"/groups/{label}"), ("post", "/privacy"),
                         ("post", f"/groups/{label}/meetings"), ("post", "/withdraw")):
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert "Open your personal link again" in response.get_data(as_text=True)


def test_another_groups_pages_are_not_found_like_no_group(site):
    person = site.member(0)
    client = site.browser(person)
    csrf = csrf_of(client)
    other = site.groups[1].label
    nowhere = client.get("/groups/no-such-group")
    for method, path in (("get", f"/groups/{other}"), ("get", f"/groups/{other}/notes"),
                         ("get", f"/groups/{other}/change"),
                         ("get", f"/groups/{other}/check-ins/mid-year/1")):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert response.get_data(as_text=True) == nowhere.get_data(as_text=True)
    for path in (f"/groups/{other}/meetings", f"/groups/{other}/notes",
                 f"/groups/{other}/change", f"/groups/{other}/notes/1/refer"):
        assert client.post(path, data={"csrf": csrf, "body": "x", "when": "2026-11-01",
                                       "kind": "video"}).status_code == 404
    assert Meeting.select().count() == 0 and Note.select().count() == 0
    assert site.groups[1].label not in json.dumps([e.detail for e in audited("page.refused")])
    assert all(e.actor == person.email for e in audited("page.refused"))


def test_a_form_without_its_sessions_token_is_refused_and_audited(site):
    person, other = site.member(0, 0), site.member(1, 0)
    client, stranger = site.browser(person), site.browser(other)
    label = site.groups[0].label
    data = {"when": "2026-11-01 18:00", "kind": "video"}
    assert client.post(f"/groups/{label}/meetings", data=data).status_code == 403
    assert client.post(f"/groups/{label}/meetings",
                       data={**data, "csrf": csrf_of(stranger)}).status_code == 403
    assert Meeting.select().count() == 0
    assert [e.detail["why"] for e in audited("page.refused")] == [
        "a form without its session's token"] * 2
    # where it went, as a first step only: never a group's label a member typed or guessed
    assert [e.detail["path"] for e in audited("page.refused")] == ["/groups/…"] * 2


def test_a_meeting_logged_on_the_page_is_the_one_cadence_sees(site, run):
    person = site.member()
    label = site.groups[0].label
    before = run("cadence", "status", PROGRAM, "--json").output
    client = site.browser(person)
    others = [str(m.participant_id) for m in site.groups[0].current_memberships()
              if m.participant_id != person.id]
    response = client.post(f"/groups/{label}/meetings", data={
        "csrf": csrf_of(client), "when": "2026-11-02T18:00", "kind": "in-person",
        "attendee": others, "minutes": "45", "note": "we talked about <b>boards</b>"})
    assert response.status_code == 303 and "done=meeting" in response.headers["Location"]
    meeting = Meeting.get()
    assert meeting.logged_by == person.email and meeting.duration_minutes == 45
    assert set(meeting.attendees) == {person.id, *map(int, others)}
    listed = run("meetings", "list", PROGRAM, label, "--json").output
    assert "2026-11-02 18:00" in listed and "in-person" in listed
    assert run("cadence", "status", PROGRAM, "--json").output != before
    # the meeting carries a note: the log names no member as its writer (the meeting is
    # logged as by "a member", its note as written by one); the note itself is theirs
    assert audited("meeting.log")[-1].actor == "a member (participant page)"
    assert audited("note.write")[-1].actor == "a member (participant page)"
    assert person.email not in json.dumps([e.detail for e in audited("meeting.log")
                                           + audited("note.write")])
    assert Note.get().author == person.email
    page = client.get(f"/groups/{label}").get_data(as_text=True)
    assert "02 Nov 2026 18:00" in page


def test_a_meeting_the_services_refuse_is_a_plain_page_and_stores_nothing(site):
    client = site.browser(site.member())
    label = site.groups[0].label
    csrf = csrf_of(client)
    for data in ({"when": "2099-01-01 10:00", "kind": "video"},
                 {"when": "someday", "kind": "video"},
                 {"when": "2026-11-02 10:00", "kind": "carrier-pigeon"},
                 {"when": "2026-11-02 10:00", "kind": "video", "minutes": "lots"},
                 {"when": "2026-11-02 10:00", "kind": "video", "attendee": "999999"}):
        response = client.post(f"/groups/{label}/meetings", data={"csrf": csrf, **data})
        assert response.status_code in (400, 404), data
        assert "Traceback" not in response.get_data(as_text=True)
    assert Meeting.select().count() == 0


def test_a_check_in_is_stored_against_that_relationship(site, run):
    person = site.member()
    group = site.groups[0]
    client = site.browser(person)
    page = client.get(f"/groups/{group.label}").get_data(as_text=True)
    assert "Mid-year" in page or "mid-year" in page
    from mentorkit.services.relationships import of_person

    relationship = of_person(group, person)[0]
    path = f"/groups/{group.label}/check-ins/mid-year/{relationship.id}"
    form = client.get(path).get_data(as_text=True)
    assert 'type="radio"' in form
    csrf = csrf_of(client, path)
    assert client.post(path, data={"csrf": csrf, "satisfaction": "9"}).status_code == 400
    assert client.post(path, data={"csrf": csrf}).status_code == 400
    assert AssessmentResponse.select().count() == 0
    assert client.post(path, data={"csrf": csrf, "satisfaction": "4"}).status_code == 303
    response = AssessmentResponse.get()
    assert (response.participant_id, response.relationship_id) == (person.id, relationship.id)
    assert response.answers == {"satisfaction": 4}
    listed = json.loads(run("assessments", "list", PROGRAM, "--json").output)
    assert next(a for a in listed if a["name"] == "mid-year")["responses"] == 1
    assert client.post(path, data={"csrf": csrf, "satisfaction": "5"}).status_code == 303
    assert AssessmentResponse.select().count() == 1  # answered again: replaced
    theirs = [r for r in of_person(site.groups[1], site.member(1))]
    stranger = f"/groups/{group.label}/check-ins/mid-year/{theirs[0].id}"
    assert client.post(stranger, data={"csrf": csrf, "satisfaction": "1"}).status_code == 404


def test_notes_are_the_groups_and_referred_by_a_member(site, run):
    person = site.member()
    label = site.groups[0].label
    client = site.browser(person)
    csrf = csrf_of(client)
    hostile = "<script>alert('x')</script> I am struggling"
    written = client.post(f"/groups/{label}/notes", data={"csrf": csrf, "body": hostile})
    # back to the group's page: a read logged the moment after the write would name the writer
    assert written.status_code == 303 and written.headers["Location"].endswith(
        f"/groups/{label}?done=note")
    assert not audited("note.read")
    assert client.post(f"/groups/{label}/notes", data={"csrf": csrf,
                                                       "body": "  "}).status_code == 400
    shown = client.get(f"/groups/{label}/notes").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in shown and "<script>alert" not in shown
    admin = run("notes", "list", PROGRAM, label).output
    assert "struggling" not in admin and "1 private note not shown" in admin
    assert audited("note.write")[-1].actor == "a member (participant page)"
    assert person.email in [e.actor for e in audited("note.read")]
    note = Note.get()
    assert client.post(f"/groups/{label}/notes/{note.id}/refer",
                       data={"csrf": csrf, "scenario": "no-such"}).status_code == 400
    assert client.post(f"/groups/{label}/notes/{note.id}/refer",
                       data={"csrf": csrf, "scenario": "safety"}).status_code == 303
    assert "struggling" in run("notes", "list", PROGRAM, label).output
    assert "referred" in run("match", "flags", PROGRAM, label).output


def test_consent_changes_at_once_everywhere(site, run):
    person, other = site.member(0, 0), site.member(0, 1)
    label = site.groups[0].label
    client, theirs = site.browser(person), site.browser(other)
    client.post("/privacy", data={"csrf": csrf_of(client), "share_with": ["group"]})
    pronouns = Participant.get_by_id(person.id).answers["pronouns"]
    assert pronouns in theirs.get(f"/groups/{label}").get_data(as_text=True)
    exported = run("participants", "export", PROGRAM, "--audience", "group", "--group", label,
                   "--format", "json").output
    assert pronouns in exported
    client.post("/privacy", data={"csrf": csrf_of(client)})  # nothing ticked: no one
    assert Participant.get_by_id(person.id).answers["share_with"] == []
    assert Participant.get_by_id(person.id).person.consent["share_with"] == []
    assert pronouns not in theirs.get(f"/groups/{label}").get_data(as_text=True)
    bad = client.post("/privacy", data={"csrf": csrf_of(client), "share_with": ["public"]})
    assert bad.status_code == 400
    assert audited("consent.change")[-1].actor == person.email


def test_a_change_requested_on_the_page_reaches_the_coordinator(site, run):
    person = site.member()
    label = site.groups[0].label
    client = site.browser(person)
    assert "no reason" in client.get(f"/groups/{label}/change").get_data(as_text=True)
    response = client.post(f"/groups/{label}/change", data={"csrf": csrf_of(client)})
    assert response.status_code == 303
    assert "change" in run("match", "flags", PROGRAM, label, "--all").output
    assert audited("match.change")[-1].actor == person.email
    assert client.get(f"/groups/{label}").status_code == 404  # not theirs any more
    assert "not in a group" in client.get("/").get_data(as_text=True)


def test_withdrawing_closes_the_page_at_once(site, run):
    person = site.member()
    client = site.browser(person)
    response = client.post("/withdraw", data={"csrf": csrf_of(client)})
    assert response.status_code == 200 and "left the program" in response.get_data(as_text=True)
    assert Participant.get_by_id(person.id).status == "withdrawn"
    assert "withdrew" in run("match", "flags", PROGRAM, site.groups[0].label, "--all").output
    again = site.app.test_client()
    again.set_cookie("mentorkit_page", "stale")
    assert client.get("/").status_code == 401
    assert again.get(f"/start/{site.tokens[person.email]}").status_code == 404


def test_signing_out_ends_the_session(site):
    client = site.browser(site.member())
    assert client.post("/sign-out", data={"csrf": csrf_of(client)}).status_code == 200
    assert client.get("/").status_code == 401


def test_an_unexpected_error_is_a_plain_page(site, monkeypatch):
    from mentorkit.services import portal

    client = site.browser(site.member())
    monkeypatch.setattr(portal, "my_groups", lambda *a: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Nothing was changed" in text and "ZeroDivision" not in text and "Trace" not in text


def test_intro_letters_carry_a_working_link_when_a_base_url_is_set(site, run, tmp_path):
    out = tmp_path / "intro"
    run("notify", PROGRAM, "intro", "--base-url", "http://page.test", "--out", out)
    letters = sorted(out.glob("*.eml"))
    text = letters[0].read_text()
    import re

    token = re.search(r"http://page\.test/start/([\w-]+)", text.replace("=\n", "")).group(1)
    assert site.app.test_client().get(f"/start/{token}").status_code == 303
    plain = tmp_path / "plain"
    run("notify", PROGRAM, "intro", "--out", plain)
    assert "/start/" not in sorted(plain.glob("*.eml"))[0].read_text()


def test_participants_links_letters_are_owner_only_and_all_or_nothing(site, run, tmp_path):
    import stat

    out = tmp_path / "links"
    table = run("participants", "links", PROGRAM, "--base-url", "http://page.test",
                "--out", out).output
    letters = sorted(out.iterdir())
    assert letters and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in letters)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all("@" not in p.name for p in letters) and "link-" in table
    text = letters[0].read_text()
    token = text.split("/start/")[1].split()[0]
    assert site.app.test_client().get(f"/start/{token}").status_code == 303
    digests = [link.digest for link in ParticipantLink.select().order_by(ParticipantLink.id)]
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / letters[1].name).mkdir()  # one letter cannot be written
    run("participants", "links", PROGRAM, "--base-url", "http://page.test", "--out", blocked,
        expect=1)
    assert [link.digest for link in ParticipantLink.select().order_by(ParticipantLink.id)
            ] == digests  # no link replaced
    assert site.app.test_client().get(f"/start/{token}").status_code == 303


def test_participants_links_mistakes_are_usage_errors(site, run):
    assert "--base-url" in run("participants", "links", PROGRAM, expect=2).output
    assert "goes alone" in run("participants", "links", PROGRAM, "a@x.org", "--revoke",
                               "b@x.org", expect=2).output
    assert "no participant" in run("participants", "links", PROGRAM, "--revoke",
                                   "nobody@x.org", expect=2).output
    assert audited("link.revoke") == []  # nothing was revoked


def test_one_who_joins_later_reads_only_the_notes_written_since(site, run):
    """What the members confided before someone joined is not the newcomer's to read (nor to
    refer): a member sees the notes written since their membership began."""
    writer, newcomer = site.member(0, 0), site.member(1, 0)
    label = site.groups[0].label
    client = site.browser(writer)
    client.post(f"/groups/{label}/notes", data={"csrf": csrf_of(client),
                                                 "body": "before you came"})
    earlier = Note.get()
    # written the same day, before the newcomer was accepted into the group: a day is not
    # enough to tell, the moment of acceptance is
    Note.update(created_at=dt.datetime(2026, 12, 6, 9, 0)).where(Note.id == earlier.id).execute()
    Membership.create(group=site.groups[0], participant=newcomer, role=newcomer.role,
                      joined_at=dt.datetime(2026, 12, 6),
                      join={"reason": "test", "accepted_at": "2026-12-06 14:00:00"})
    theirs = site.browser(newcomer)
    client.post(f"/groups/{label}/notes", data={"csrf": csrf_of(client), "body": "after"})
    shown = theirs.get(f"/groups/{label}/notes").get_data(as_text=True)
    assert "after" in shown and "before you came" not in shown
    assert f"by {writer.name}" in shown and writer.email not in shown  # a name, as met
    refused = theirs.post(f"/groups/{label}/notes/{earlier.id}/refer",
                          data={"csrf": csrf_of(theirs), "scenario": "safety"})
    assert refused.status_code == 404 and Note.get_by_id(earlier.id).referred is False
    assert "before you came" in client.get(f"/groups/{label}/notes").get_data(as_text=True)


def test_an_id_too_large_to_be_one_is_not_found_not_an_error(site):
    client = site.browser(site.member())
    label = site.groups[0].label
    huge = "9" * 30
    refer = client.post(f"/groups/{label}/notes/{huge}/refer",
                        data={"csrf": csrf_of(client), "scenario": "safety"})
    assert refer.status_code == 404
    logged = client.post(f"/groups/{label}/meetings", data={
        "csrf": csrf_of(client), "when": "2026-11-02T18:00", "kind": "video",
        "attendee": [huge]})
    assert logged.status_code == 404
    assert audited("page.refused")


def test_a_reason_on_an_answer_no_longer_shared_is_no_longer_told(site, run):
    """'same out-ness' rests on answers the members share with their group: once one of them
    stops sharing it, the group's why (its letters, match show, the report) no longer says
    it, or the others could tell that member's answer from their own."""
    from mentorkit.storage.models import Group

    group = next(g for g in Group.select().where(Group.status == "active")
                 if any("out-ness" in reason for reason in g.explanation))
    person = group.current_memberships()[0].participant
    client = site.browser(person)
    client.post("/privacy", data={"csrf": csrf_of(client)})  # shared with no one now
    told = Group.get_by_id(group.id)
    assert not any("out-ness" in reason for reason in told.explanation), told.explanation
    assert "out-ness" not in run("match", "show", PROGRAM, "--json").output.split(
        f'"{group.label}"', 1)[1].split('"group"', 1)[0]


def _logged() -> str:
    """Every audit entry, as text: what must never hold a token, a cookie or a note."""
    from mentorkit.storage.models import AuditEntry

    return json.dumps([[e.actor, e.action, e.target, e.detail] for e in AuditEntry.select()])


def test_refused_links_are_logged_with_their_program_and_reason(site, run):
    """A link this database knows is refused with its program and why (so `audit
    --program` shows it); only an unknown one (a guess, or a replaced link's, whose digest
    is gone) says no more than that."""
    revoked, expired, withdrawn = (site.member(0, 0), site.member(0, 1), site.member(1, 0))
    client = site.app.test_client()
    run("participants", "links", PROGRAM, "--revoke", revoked.email)
    ParticipantLink.update(expires_on=dt.date(2026, 1, 1)).where(
        ParticipantLink.participant == expired.id).execute()
    run("participants", "withdraw", PROGRAM, withdrawn.email)
    for person in (revoked, expired, withdrawn):
        assert client.get(f"/start/{site.tokens[person.email]}").status_code == 404
    assert client.get("/start/not-a-real-token-at-all").status_code == 404
    found = [(e.target, e.detail["why"], e.detail.get("member"))
             for e in audited("link.refused")]
    assert found == [(PROGRAM, "revoked", revoked.email), (PROGRAM, "expired", expired.email),
                     (PROGRAM, "member withdrawn", withdrawn.email), ("", "unknown link", None)]
    shown = run("audit", "--program", PROGRAM, "--action", "link.refused", "--json").output
    assert len(json.loads(shown)) == 3
    assert not any(token in _logged() for token in site.tokens.values())


def test_a_client_turned_away_is_logged_and_told_when_to_retry(site):
    client = site.app.test_client()
    for i in range(10):
        client.get(f"/start/guess{i}")
    good = site.member()
    refused = client.get(f"/start/{site.tokens[good.email]}")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    last = audited("link.refused")[-1]
    assert last.detail["why"] == "too many failed links from this address"
    assert (last.target, last.detail["member"]) == (PROGRAM, good.email)  # a member shut out
    assert site.tokens[good.email] not in _logged()


def test_a_dead_session_is_logged(site, run):
    person, other = site.member(0, 0), site.member(1, 0)
    withdrawn, revoked = site.browser(person), site.browser(other)
    run("participants", "withdraw", PROGRAM, person.email)  # at the command line
    run("participants", "links", PROGRAM, "--revoke", other.email)
    assert withdrawn.get("/").status_code == 401
    assert revoked.get(f"/groups/{site.groups[1].label}").status_code == 401
    assert site.app.test_client().get("/").status_code == 401  # no cookie: nothing tried
    found = [(e.target, e.detail["why"], e.detail["path"]) for e in audited("link.refused")]
    assert found == [(PROGRAM, "session: member withdrawn", "/"),
                     ("", "session ended or unknown", "/groups/…")]  # the label not kept


def test_forms_refused_are_logged_without_what_was_typed(site):
    person = site.member()
    client = site.browser(person)
    label = site.groups[0].label
    csrf = csrf_of(client)
    secret = "my-own-words-xyzzy"
    for data in ({"when": "2099-01-01 10:00", "kind": "video", "note": secret},
                 {"when": "2026-11-02 10:00", "kind": secret}):
        assert client.post(f"/groups/{label}/meetings",
                           data={"csrf": csrf, **data}).status_code == 400
    assert client.post(f"/groups/{label}/notes",
                       data={"csrf": csrf, "body": "  "}).status_code == 400
    assert client.post(f"/groups/{label}/notes",
                       data={"csrf": csrf, "body": secret * 5000}).status_code == 413
    assert client.delete("/privacy").status_code == 405
    assert site.app.test_client().post(f"/start/{site.tokens[person.email]}"
                                       ).status_code == 405
    found = [(e.actor, e.detail["why"], e.detail["path"])
             for e in audited("page.refused") + audited("link.refused")]
    stored = "a form that could not be stored"
    assert found == [(person.email, f"{stored} (MeetingError)", "/groups/…"),
                     (person.email, f"{stored} (FormError)", "/groups/…"),  # the page's check
                     (person.email, f"{stored} (FormError)", "/groups/…"),
                     (person.email, "too long to send", "/groups/…"),
                     (person.email, "a page used the wrong way", "/privacy"),
                     (found[-1][0], "a page used the wrong way", "/start/…")]
    assert secret not in _logged() and site.tokens[person.email] not in _logged()


def test_behind_a_proxys_prefix_the_cookie_is_for_the_prefix_only(site):
    """Served under /mentoring by a trusted proxy, the session cookie goes to the page's
    own addresses, not to every application of the host; signing out clears that one."""
    from mentorkit.web.app import Settings, create_app

    app = create_app(Settings(trust_proxy=True))
    client = app.test_client(use_cookies=False)  # it would match paths without the prefix
    prefix = {"X-Forwarded-Prefix": "/mentoring"}
    opened = client.get(f"/start/{site.tokens[site.member().email]}", headers=prefix)
    assert opened.headers["Location"] == "/mentoring/"
    assert "Path=/mentoring;" in opened.headers["Set-Cookie"]
    sent = {**prefix, "Cookie": opened.headers["Set-Cookie"].split(";")[0]}
    page = client.get("/", headers=sent).get_data(as_text=True)
    out = client.post("/sign-out", headers=sent, data={"csrf": CSRF.search(page).group(1)})
    assert out.headers["Set-Cookie"].endswith("Path=/mentoring")
    plain = site.app.test_client().get(f"/start/{site.tokens[site.member(1).email]}")
    assert "Path=/;" in plain.headers["Set-Cookie"]


def test_no_link_is_issued_that_would_open_no_page(site, run):
    """A withdrawn member named is refused (exit 1, saying why), not handed a dead link;
    issuing for everyone skips anyone such, with a warning; one in no current group gets a
    link (their page says so) and a warning."""
    gone, stray, moved = site.member(0, 0), site.member(1, 0), site.member(2, 0)
    run("participants", "withdraw", PROGRAM, gone.email)
    before = ParticipantLink.get(ParticipantLink.participant == gone.id).digest
    refused = run("participants", "links", PROGRAM, gone.email, "--base-url", "http://page.test",
                  expect=1).output
    assert "has withdrawn" in refused and gone.name in refused and "/start/" not in refused
    assert ParticipantLink.get(ParticipantLink.participant == gone.id).digest == before
    Participant.update(status="withdrawn").where(Participant.id == stray.id).execute()
    everyone = run("participants", "links", PROGRAM, "--base-url", "http://page.test")
    assert stray.email not in everyone.stdout and gone.email not in everyone.stdout
    assert f"{stray.name} ({stray.email}) has withdrawn" in everyone.stderr
    run("match", "change", PROGRAM, moved.email)
    named = run("participants", "links", PROGRAM, moved.email, "--base-url", "http://page.test")
    assert "not in a current group" in named.stderr and moved.email in named.stdout


def test_the_meeting_form_says_which_time_zone_it_reads(site):
    """Where the program asks no member's zone, the form and the list of meetings say the
    program's, in words."""
    client = site.browser(site.member())
    page = client.get(f"/groups/{site.groups[0].label}").get_data(as_text=True)
    assert "times in America/New_York, the program&#39;s time zone" in page
    assert "follow the program" not in page  # said only where the member's zone differs


def test_a_member_far_away_logs_in_their_own_time_zone(run):
    """Peer circles asks each peer's zone: one in Los Angeles sees the form in Los Angeles
    time, and a meeting at 12:00 there is stored as that instant (15:00 in New York)."""
    from mentorkit.storage.models import Group
    from mentorkit.web.app import Settings, create_app
    from tests.conftest import matched_program

    matched_program(run, "peer-circles")
    out = run("participants", "links", "peer-circles", "--base-url", "http://page.test").output
    tokens = {m.group(1): m.group(3) for m in LINK.finditer(out)}
    far = next(m.participant for g in Group.select().where(Group.status == "active")
               for m in g.current_memberships()
               if m.participant.answers.get("time_zone") == "America/Los_Angeles")
    group = next(m.group for m in far.memberships if m.group.status == "active")
    client = create_app(Settings(base_url="http://page.test")).test_client()
    assert client.get(f"/start/{tokens[far.email]}").status_code == 303
    page = client.get(f"/groups/{group.label}").get_data(as_text=True)
    assert "times in your own time zone, America/Los_Angeles" in page
    assert "follow the program's time zone, America/New_York" in page  # what counts
    shown = re.search(r'name="when" type="datetime-local" value="([^"]+)"', page).group(1)
    here = dt.datetime.now(ZoneInfo("America/Los_Angeles"))
    assert abs(dt.datetime.fromisoformat(shown) - here.replace(tzinfo=None)
               ) < dt.timedelta(minutes=2)  # the form's "now" is theirs
    day = (here - dt.timedelta(days=1)).date()
    client.post(f"/groups/{group.label}/meetings", data={
        "csrf": CSRF.search(page).group(1), "when": f"{day}T12:00", "kind": "video"})
    stored = Meeting.get().occurred_at.replace(tzinfo=dt.UTC)
    assert stored == dt.datetime(day.year, day.month, day.day, 12, 0,
                                 tzinfo=ZoneInfo("America/Los_Angeles"))
    assert f"{day:%d %b %Y} 12:00" in client.get(f"/groups/{group.label}").get_data(
        as_text=True)


def test_what_was_logged_is_said_in_the_forms_words(site):
    client = site.browser(site.member())
    label = site.groups[0].label
    client.post(f"/groups/{label}/meetings", data={
        "csrf": csrf_of(client), "when": "2026-11-02T18:00", "kind": "absence-notice"})
    page = client.get(f"/groups/{label}").get_data(as_text=True)
    logged = page.split("Logged so far", 1)[1].split("</ul>", 1)[0]
    assert "Telling the group I cannot come" in logged and "absence-notice" not in logged


def test_error_pages_have_plain_headings_and_the_programs_name(site):
    client = site.app.test_client()
    client.set_cookie("mentorkit_page", "stale")
    ended = client.get("/").get_data(as_text=True)
    assert "<h1>This link or session no longer works</h1>" in ended
    assert "Unauthorized" not in ended
    for i in range(10):
        client.get(f"/start/guess{i}")
    busy = client.get("/start/guess").get_data(as_text=True)
    assert "Too many attempts: try again in a few minutes" in busy
    assert "Too Many Requests" not in busy
    member = site.browser(site.member(), REMOTE_ADDR="10.9.9.9")  # not the one refused
    lost = member.get(f"/groups/{site.groups[1].label}").get_data(as_text=True)
    name = Participant.get_by_id(site.member().id).program.config_toml.split(
        'name = "', 1)[1].split('"', 1)[0]
    assert f'<p class="program">{name}</p>' in lost.replace("&#39;", "'")
    assert "Your mentoring program" not in lost


def test_a_cadence_finding_is_told_to_the_member_as_the_cli_gives_it(site, run):
    """The first-meeting rule says why the group must meet apart ("... could not attend
    the Fall Networking Event"), as `cadence status` does, with the reader as "you"."""
    rows = json.loads(run("cadence", "status", PROGRAM, "--json").output)
    why = next((row, f) for row in rows for f in row["findings"]
               if "could not attend" in f["message"])
    group = next(g for g in site.groups if g.label == why[0]["group"])
    absent = next(m.participant for m in group.current_memberships()
                  if m.participant.name in why[1]["message"])
    client = site.browser(absent)
    page = client.get(f"/groups/{group.label}").get_data(as_text=True)
    assert "you could not attend the Fall Networking Event" in page


def test_a_rule_is_told_to_members_without_commands_or_field_names(run):
    """The residency's purposes rule is written for the coordinator (`mentorkit match
    purposes`, the field 'purposes'); a member's page says it in the member's words."""
    from mentorkit.storage.models import Group
    from mentorkit.web.app import Settings, create_app
    from tests.conftest import matched_program

    matched_program(run, "im-residency")
    out = run("participants", "links", "im-residency", "--base-url", "http://page.test").output
    tokens = {m.group(1): m.group(3) for m in LINK.finditer(out)}
    group = Group.select().where(Group.status == "active").first()
    person = group.current_memberships()[0].participant
    client = create_app(Settings(base_url="http://page.test")).test_client()
    assert client.get(f"/start/{tokens[person.email]}").status_code == 303
    page = client.get(f"/groups/{group.label}").get_data(as_text=True)
    told = page.split("What the program asks of you", 1)[1].split("Logged so far", 1)[0]
    assert "purposes it serves" in told
    assert "mentorkit" not in told and "&#39;purposes&#39;" not in told
    from mentorkit.services.portal import for_members
    from mentorkit.services.serving import program

    said = ("Each relationship records the purposes it serves within 30 days of starting; a "
            "group starts with those its members chose in 'purposes'; `mentorkit match "
            "purposes` records them.")  # the rule's words before it had members' own
    assert for_members(program("im-residency"), said) == (
        "Each relationship records the purposes it serves within 30 days of starting; a "
        "group starts with those its members chose when they signed up (\"What the mentee "
        "wants from mentoring\"); the program's coordinator records them.")


def test_what_is_due_says_no_due_date_that_has_not_come(site):
    """An overdue rule names what is due next and by when; it never says that the next
    date, still ahead, "was due"."""
    client = site.browser(site.member())
    page = client.get(f"/groups/{site.groups[0].label}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    today = dt.date(2026, 12, 6)  # the tests' day
    for said in re.findall(r"it was due by (\d{1,2} \w+ \d{4})", text):
        assert dt.datetime.strptime(said, "%d %B %Y").date() < today, said
    assert not re.search(r"by \d{4}-\d{2}-\d{2} \([^)]*\), by ", text)  # "by" twice
