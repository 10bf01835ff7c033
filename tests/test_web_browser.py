"""The participants' page as people use it: Debian's Chromium, driven by Playwright (no
browser download: ``executable_path``), on a phone-sized window, against the real server
(Waitress) on this test's database. A member opens their link, logs a meeting, answers a
check-in, writes and reads a note, refers it, changes their consent and asks for a change;
every page they see passes axe-core's WCAG 2.1 AA rules and fits 360 px. Then the attacks:
another group's address, a replayed or expired link, a form without its CSRF token, script
in a name and in a note.

``MENTORKIT_SCREENSHOT=1`` writes the group page's screenshot to docs/participant-page.png
(the README's); otherwise it goes to the test's own folder.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from mentorkit.storage.models import AssessmentResponse, Meeting, Note, Participant, ParticipantLink
from mentorkit.web.app import Settings
from mentorkit.web.server import bound_address, make_server
from tests.browser import CHROMIUM, FLAGS, needs_chromium
from tests.conftest import ROOT
from tests.portal import PROGRAM, audited, issue_links, matched

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'

pytestmark = needs_chromium


@pytest.fixture
def server(run, tmp_path):
    """The program matched, links issued, and the real server on a free port."""
    matched(run, tmp_path)
    tokens = issue_links(run)
    httpd = make_server(Settings(base_url="http://127.0.0.1"), "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    host, port = bound_address(httpd)
    yield f"http://{host}:{port}", tokens
    httpd.close()
    thread.join(timeout=5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[f for f in FLAGS if f != "--headless"])
        yield chromium
        chromium.close()


def phone(browser, audit: bool = False):
    """A phone-sized page; ``audit``: one axe may be injected into (CSP bypassed for the
    test's own script only; the page itself runs none)."""
    return browser.new_context(viewport=PHONE, bypass_csp=audit,
                               java_script_enabled=True).new_page()


def check_accessible(page) -> None:
    """axe-core's WCAG 2.1 A and AA rules pass, and nothing is wider than the phone."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations.map(v => [v.id, v.nodes.length, "
                          "v.nodes[0].html]))", WCAG)
    assert found == [], f"{page.url}: {found}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def member(group_index: int = 0, position: int = 0) -> Participant:
    from mentorkit.storage.models import Group

    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    return [m.participant for m in groups[group_index].current_memberships()][position]


def test_a_member_on_a_phone_does_each_thing(server, browser, tmp_path, run):
    base, tokens = server
    me = member()
    label = me.memberships.get().group.label
    page = phone(browser, audit=True)
    page.goto(f"{base}/start/{tokens[me.email]}")
    assert page.url == f"{base}/" and tokens[me.email] not in page.url
    check_accessible(page)
    page.click(f"a[href='/groups/{label}']")
    assert page.locator("h1").inner_text() == f"Group {label}"
    check_accessible(page)
    shot = ROOT / "docs" / "participant-page.png" if os.environ.get(
        "MENTORKIT_SCREENSHOT") else tmp_path / "participant-page.png"
    page.screenshot(path=str(shot), full_page=True)
    # log a meeting
    page.fill("#when", "2026-11-03T17:30")
    page.check("#kind-video")
    page.fill("#minutes", "40")
    page.click("text=Log it")
    assert "Your meeting is logged" in page.inner_text("[role=status]")
    assert Meeting.get().logged_by == me.email
    assert "2026-11-03 17:30" in run("meetings", "list", PROGRAM, label).output
    # answer the mid-year check-in
    page.click("a[href*='/check-ins/mid-year/']")
    check_accessible(page)
    for question in page.locator("fieldset").all():
        question.locator("input[type=radio]").last.check()
    page.click("text=Send my answers")
    assert "your answers are saved" in page.inner_text("[role=status]")
    assert AssessmentResponse.get().participant_id == me.id
    # write a note, read it, refer it
    page.click("text=Your group's private notes")
    check_accessible(page)
    page.fill("#body", "Exams are heavy this month.")
    page.click("text=Save the note")
    assert "Your note is saved" in page.inner_text("[role=status]")  # back on the group
    page.click("text=Your group's private notes")
    assert "Exams are heavy this month." in page.inner_text("article.note")
    check_accessible(page)
    page.select_option("article.note select", "safety")
    page.click("article.note button")
    assert "The note is referred" in page.inner_text("[role=status]")
    assert Note.get().referred
    # whom they let see their answers
    page.click("text=Who sees my answers")
    check_accessible(page)
    page.uncheck("#share_with-participants") if page.is_checked(
        "#share_with-participants") else None
    page.check("#share_with-group")
    page.click("text=Save")
    assert "applies everywhere" in page.inner_text("[role=status]")
    assert Participant.get_by_id(me.id).person.consent["share_with"] == ["group"]
    # ask for a change of match
    page.goto(f"{base}/groups/{label}/change")
    check_accessible(page)
    page.click("text=Yes, ask for a change")
    assert "request for a change is sent" in page.inner_text("[role=status]")
    assert "change" in run("match", "flags", PROGRAM, label, "--all").output
    page.goto(f"{base}/withdraw")
    check_accessible(page)


def test_the_attacks_fail_in_a_real_browser(server, browser, run):
    base, tokens = server
    me, stranger = member(0, 0), member(1, 0)
    mine = me.memberships.get().group.label
    theirs = stranger.memberships.get().group.label
    # script in a name and in a note stays text
    Participant.update(name=HOSTILE).where(Participant.id == member(0, 1).id).execute()
    Note.create(group=me.memberships.get().group, author=member(0, 1).email,
                body="<script>document.body.dataset.pwned=2</script>")
    page = phone(browser)
    page.goto(f"{base}/start/{tokens[me.email]}")
    for path in (f"/groups/{mine}", f"/groups/{mine}/notes"):
        page.goto(base + path)
        assert page.evaluate("document.body.dataset.pwned") is None
        assert page.locator("main img").count() == 0
    page.goto(f"{base}/groups/{mine}")
    assert HOSTILE in page.inner_text("ul.members")  # shown as the text it is
    # another group's address
    response = page.goto(f"{base}/groups/{theirs}")
    assert response.status == 404 and stranger.name not in page.content()
    # a form without its CSRF token
    page.goto(f"{base}/groups/{mine}")
    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    page.fill("#when", "2026-11-03T17:30")
    with page.expect_navigation():
        page.click("text=Log it")
    assert "This was refused" in page.content() and Meeting.select().count() == 0
    # a replayed link (re-issued since) and an expired one
    old = tokens[stranger.email]
    issue_links(run, stranger.email)
    fresh = phone(browser)
    assert fresh.goto(f"{base}/start/{old}").status == 404
    assert "does not open a page" in fresh.content()
    other = member(1, 1)
    ParticipantLink.update(expires_on=dt.date(2026, 1, 1)).where(
        ParticipantLink.participant == other.id).execute()
    assert fresh.goto(f"{base}/start/{tokens[other.email]}").status == 404
    assert [e.detail["why"] for e in audited("link.refused")] == ["unknown link", "expired"]
