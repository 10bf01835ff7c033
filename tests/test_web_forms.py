"""The participants' page's forms beyond the basics (tests/test_web.py): a message that waits
for an answer and its answer, as ``meetings log --awaiting-reply`` and ``--reply-to`` log
them, so the program's reply-time rule judges them alike."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from mentorkit.storage.models import Group, Meeting, Participant
from tests.portal import BASE, CSRF, LINK, audited, csrf_of, site  # noqa: F401

BOTH_DATABASES = True
PEERS = "peer-mentoring"
NOW = re.compile(r'name="when" type="datetime-local" value="([^"]+)"')


@pytest.fixture
def peers(run):
    """Peer mentoring matched (its reply-within rule), every member's link issued; the
    application, and its active groups."""
    from mentorkit.web.app import Settings, create_app
    from tests.conftest import matched_program

    matched_program(run, PEERS, select=True)
    out = run("participants", "links", PEERS, "--base-url", BASE).output
    tokens = {m.group(1): m.group(3) for m in LINK.finditer(out)}
    app = create_app(Settings(base_url=BASE))
    app.testing = False
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    return app, tokens, groups


def signed_in(app, tokens, group):
    person = group.current_memberships()[0].participant
    client = app.test_client()
    assert client.get(f"/start/{tokens[person.email]}").status_code == 303
    return client


def hours_ago(page: str, hours: int) -> str:
    """A time ``hours`` before the page's own "now" (in the zone the page reads)."""
    now = dt.datetime.fromisoformat(NOW.search(page).group(1))
    return f"{now - dt.timedelta(hours=hours):%Y-%m-%dT%H:%M}"


def reply_rule(run, label: str) -> dict:
    rows = json.loads(run("cadence", "status", PEERS, "--json").output)
    row = next(r for r in rows if r["group"] == label)
    return next(f for f in row["findings"] if f["rule"] == "reply-within")


def test_a_message_waiting_and_its_answer_feed_the_reply_time_rule(peers, run):
    app, tokens, groups = peers
    label = groups[0].label
    client = signed_in(app, tokens, groups[0])
    page = client.get(f"/groups/{label}").get_data(as_text=True)
    assert "It waits for an answer" in page and "Waiting for an answer" not in page
    csrf = CSRF.search(page).group(1)
    sent = client.post(f"/groups/{label}/meetings", data={
        "csrf": csrf, "when": hours_ago(page, 10), "kind": "text", "awaits": "yes"})
    assert sent.status_code == 303
    assert reply_rule(run, label)["standing"] == "due soon"
    listed = json.loads(run("meetings", "list", PEERS, label, "--json").output)
    assert [(c["kind"], c["awaiting_reply"]) for c in listed] == [("text", True)]
    page = client.get(f"/groups/{label}").get_data(as_text=True)
    waiting = page.split('id="waiting"', 1)[1].split("</ul>", 1)[0]
    assert "A text of" in waiting and "Log the answer" in waiting
    message = Meeting.get()
    answered = client.post(f"/groups/{label}/answers/{message.id}", data={
        "csrf": csrf, "when": hours_ago(page, 1), "kind": "text"})
    assert answered.status_code == 303 and "done=answer" in answered.headers["Location"]
    assert reply_rule(run, label)["standing"] == "on track"
    listed = json.loads(run("meetings", "list", PEERS, label, "--json").output)
    assert listed[-1]["reply_to"] == listed[0]["number"]  # as `meetings log --reply-to`
    assert 'id="waiting"' not in client.get(f"/groups/{label}").get_data(as_text=True)
    again = client.post(f"/groups/{label}/answers/{message.id}", data={
        "csrf": csrf, "when": hours_ago(page, 1), "kind": "email"})
    assert again.status_code == 400 and Meeting.select().count() == 2
    assert audited("page.refused")[-1].detail["why"] == (
        "a form that could not be stored (FormError)")


def test_another_groups_message_cannot_be_answered(peers, run):
    app, tokens, groups = peers
    mine, theirs = groups[0].label, groups[1].label
    run("meetings", "log", PEERS, theirs, "--when", "2026-11-02 09:00", "--kind", "text",
        "--awaiting-reply")
    message = Meeting.get()
    client = signed_in(app, tokens, groups[0])
    page = client.get(f"/groups/{mine}").get_data(as_text=True)
    assert 'id="waiting"' not in page  # not this group's
    csrf = CSRF.search(page).group(1)
    for target in (message.id, 999999, "x"):
        refused = client.post(f"/groups/{mine}/answers/{target}", data={
            "csrf": csrf, "when": "2026-11-02T10:00", "kind": "text"})
        assert refused.status_code == 404
    assert Meeting.select().count() == 1
    assert [e.detail["asked"] for e in audited("page.refused")] == ["message"] * 3
    assert reply_rule(run, theirs)["standing"] == "overdue"  # still unanswered


def test_only_a_message_waits_for_an_answer(peers):
    app, tokens, groups = peers
    label = groups[0].label
    client = signed_in(app, tokens, groups[0])
    page = client.get(f"/groups/{label}").get_data(as_text=True)
    refused = client.post(f"/groups/{label}/meetings", data={
        "csrf": CSRF.search(page).group(1), "when": hours_ago(page, 2), "kind": "in-person",
        "awaits": "yes"})
    assert refused.status_code == 400 and Meeting.select().count() == 0


def test_a_refused_meeting_comes_back_filled_in_with_why_beside_the_field(site):
    """A time in the future, or 2000 minutes: the form again, as sent (escaped), the reason
    beside its field, status 400; nothing stored, the refusal audited without the note."""
    client = site.browser(site.member())
    label = site.groups[0].label
    csrf = csrf_of(client)
    note = "<script>alert(1)</script> we talked about housing"
    for data, field in (({"when": "2099-01-01T10:00", "minutes": "45"}, "when"),
                        ({"when": "2026-11-02T10:00", "minutes": "2000"}, "minutes")):
        response = client.post(f"/groups/{label}/meetings", data={
            "csrf": csrf, "kind": "phone", "note": note, **data})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "<script>alert(1)" not in page
        form = page.split('id="log"', 1)[1].split("</form>", 1)[0]
        assert ">&lt;script&gt;alert(1)&lt;/script&gt; we talked about housing</textarea>" in form
        assert f'value="{data["when"]}"' in form and f'value="{data["minutes"]}"' in form
        assert 'value="phone" checked' in form
        error = re.search(r'<span class="error" id="([a-z]+)-error">', form)
        assert error and error.group(1) == field
        assert f'aria-describedby="{field}-error"' in form
    assert Meeting.select().count() == 0
    assert [e.detail["why"] for e in audited("page.refused")] == [
        "a form that could not be stored (MeetingError)",
        "a form that could not be stored (FormError)"]
    assert "housing" not in json.dumps([e.detail for e in audited("page.refused")])


def program_site(run, key: str):
    """A shipped program matched, its links issued: a client signed in as a member of its
    first active group, and that member."""
    from mentorkit.web.app import Settings, create_app
    from tests.conftest import matched_program

    matched_program(run, key)
    out = run("participants", "links", key, "--base-url", BASE).output
    tokens = {m.group(1): m.group(3) for m in LINK.finditer(out)}
    app = create_app(Settings(base_url=BASE))
    app.testing = False
    group = Group.select().where(Group.status == "active").order_by(Group.label).first()
    person = group.current_memberships()[0].participant
    client = app.test_client()
    assert client.get(f"/start/{tokens[person.email]}").status_code == 303
    return client, person


def test_the_sharing_page_says_what_each_choice_does_where_nothing_is_confidential(run):
    """Peer circles asks nothing confidential, yet "everyone taking part" puts a member on
    the roster all participants read: the page says so, with the questions they see."""
    client, _ = program_site(run, "peer-circles")
    page = client.get("/privacy").get_data(as_text=True).replace("&#34;", '"')
    group = re.search(r'id="share_with-group-means">([^<]+)<', page).group(1)
    everyone = re.search(r'id="share_with-participants-means">([^<]+)<', page).group(1)
    assert group.startswith("Whether or not you tick this, the other members of your group see "
                            "your name, role and e-mail, and your answers to: ")
    assert '"Home institution"' in group
    assert everyone == ("Ticking this lets everyone taking part in the program see your "
                        "name, role and e-mail. Without it, they do not see that you take "
                        "part.")  # no answer: what is said in a circle stays in it
    assert '"Who may see my answers"' not in page  # whom one trusts is one's own business
    assert "asks nothing confidential" in page
    assert '"Submitted"' not in group and '"I would like to be a"' not in group  # no answers
    home = client.get("/").get_data(as_text=True)
    assert "Who may see you and your answers" in home and "confidential" not in home


def test_a_sharing_choice_not_offered_is_refused_and_audited_not_saved(run):
    """The residency offers no choice: a posted one is refused (400), audited, not saved."""
    client, person = program_site(run, "im-residency")
    page = client.get("/privacy").get_data(as_text=True)
    assert "<form method=\"post\">" not in page
    # it says what each audience sees, as the exports show it: the group the well-being
    # answer, everyone taking part not
    shown = page.replace("&#34;", '"')
    group = re.search(r"<li>The other members of your group see ([^<]+)</li>", shown).group(1)
    everyone = re.search(r"<li>Everyone taking part in the program sees ([^<]+)</li>",
                         shown).group(1)
    assert '"Well-being is a priority for me"' in group
    assert "your name, role and e-mail" in everyone
    assert '"Well-being is a priority for me"' not in everyone
    refused = client.post("/privacy", data={"csrf": CSRF.search(page).group(1),
                                             "share_with": "public"})
    assert refused.status_code == 400
    assert not audited("consent.change")
    assert [e.detail["why"] for e in audited("page.refused")] == [
        "a form that could not be stored (FormError)"]
    assert "share_with" not in Participant.get_by_id(person.id).answers


def test_where_answers_are_confidential_the_choice_names_the_ones_it_shares(site):
    page = site.browser(site.member()).get("/privacy").get_data(as_text=True)
    group = re.search(r'id="share_with-group-means">([^<]+)<', page).group(1).replace(
        "&#34;", '"')
    assert group.startswith("The other members of your group always see your name, role and "
                            "e-mail, and your answers to: ")
    assert group.endswith('Ticking this lets them also see your answers to: "I identify as '
                          'LGBTQ", "Pronouns", "Out as a professional".')


def test_a_form_not_in_utf8_is_refused_as_unreadable_before_its_token_is_checked(site):
    """Percent-encoded Latin-1 ("caf%E9"), a body declared ISO-8859-1, raw bytes that are no
    UTF-8: 400 "could not be read", audited so, nothing stored; not "a form without its
    session's token" (it had one). UTF-8 is stored as typed."""
    from mentorkit.storage.models import Note

    client = site.browser(site.member())
    label = site.groups[0].label
    csrf = csrf_of(client).encode()
    form = "application/x-www-form-urlencoded"
    for body, kind in ((b"csrf=" + csrf + b"&body=caf%E9", form),
                       (b"csrf=" + csrf + b"&body=caf%E9", f"{form}; charset=iso-8859-1"),
                       (b"csrf=" + csrf + b"&body=caf\xe9", form),
                       (b"csrf=" + csrf + b"&body%FF=cafe", form)):
        response = client.post(f"/groups/{label}/notes", data=body, content_type=kind)
        assert response.status_code == 400, body
        assert "This form could not be read" in response.get_data(as_text=True)
    assert Note.select().count() == 0
    assert [e.detail["why"] for e in audited("page.refused")] == [
        "a form that could not be read"] * 4
    written = client.post(f"/groups/{label}/notes", content_type=form,
                          data=b"csrf=" + csrf + b"&body=caf%C3%A9+%E2%9C%93")
    assert written.status_code == 303
    from mentorkit.services.sealing import unseal

    assert unseal(Note.get().body) == "café ✓"
