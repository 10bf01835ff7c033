"""The adversarial probe of issue 22, as tests, on SQLite and (with MENTORKIT_TEST_PG) on
PostgreSQL: who the tool believes is acting, notes at rest, tokens, mail against a busy
database and a lost connection, URLs that hold passwords, paths that are not the user's own
files, hostile program files. Each test failed on the code before issue 22."""

from __future__ import annotations

import os
import pwd
import re
import smtplib
import sqlite3
import stat
import threading
import time

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from mentorkit.cli import cli
from mentorkit.kernel.program import load_program
from mentorkit.services import sealing
from mentorkit.services.mail import message_id
from mentorkit.services.smtp import MailError, send
from mentorkit.storage.files import FileSet
from mentorkit.storage.models import (
    AuditEntry,
    Group,
    MemberToken,
    Note,
    Participant,
    SentMessage,
    database,
)
from tests.conftest import CONFIGS, EXAMPLES, matched_program, on_postgres
from tests.test_confidentiality import given, issue_token, raw_note_bodies, setup_program
from tests.test_mail import (  # noqa: F401 - the mail server's fixtures
    PASSWORD,
    URL_PASSWORD,
    certificate,
    free_port,
    letters_for,
    server_context,
    smtp,
)

BOTH_DATABASES = True
P = "lgbtq-triads"
ME = pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture
def program(run, tmp_path):
    """The LGBTQ program matched, with a meeting: (groups, members of the first group)."""
    _, groups, members, _ = setup_program(run, tmp_path)
    return groups, members


# --- identity --------------------------------------------------------------------------------

def test_an_actor_named_in_the_environment_is_a_claim_not_an_identity(run, program,
                                                                    monkeypatch):
    """MENTORKIT_ACTOR=<a member> let the administrator refer the member's note, read it,
    write notes "by" the member, and be logged as the member."""
    groups, members = program
    label, member = groups[0].label, members[0].email
    given(monkeypatch, issue_token(run, label, member))
    run("notes", "add", P, label, "--body", "only for my group", "--as", member)
    note = Note.get(Note.author == member)
    monkeypatch.delenv("MENTORKIT_MEMBER_TOKEN")
    monkeypatch.setenv("MENTORKIT_ACTOR", member)
    before = AuditEntry.select().count()

    refused = run("notes", "refer", P, str(note.id), "safety", expect=1).output
    assert "not one you wrote" in refused
    assert not Note.get_by_id(note.id).referred
    assert "only for my group" not in run("notes", "list", P, label).output
    run("notes", "add", P, label, "--body", "written by whom?")
    written = Note.get(Note.body == "written by whom?")
    assert written.author == f"{ME} (administrator)" and written.author != member
    run("meetings", "log", P, label, "--when", "2026-11-03", "--note", "and this one?")
    assert Note.get(Note.body == "and this one?").author == f"{ME} (administrator)"

    entries = list(AuditEntry.select().where(AuditEntry.id > before))
    assert entries and {e.actor for e in entries} == {ME}
    assert all(e.detail.get("claimed") == member for e in entries)
    writes = [e for e in AuditEntry.select() if e.action == "note.write"]
    assert writes and all(set(e.detail) <= {"program", "by", "referred", "claimed"}
                          for e in writes)  # no note id, no author to aim at
    assert {e.detail["by"] for e in writes} == {"member", "administrator"}


def test_the_account_is_read_from_the_system_not_from_user_variables(run, program,
                                                                    monkeypatch):
    groups, members = program
    for variable in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, members[0].email)
    run("notes", "add", P, groups[0].label, "--body", "who wrote this")
    assert Note.get(Note.body == "who wrote this").author == f"{ME} (administrator)"
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().actor == ME


def test_a_members_token_is_never_taken_from_the_command_line(run, program, db_path):
    """`--token T` is visible to every local user in `ps`."""
    groups, members = program
    label, member = groups[0].label, members[0].email
    run("notes", "add", P, label, "--body", "exam stress")
    token = issue_token(run, label, member)
    typed = run("notes", "list", P, label, "--as", member, "--token", token, expect=2).output
    assert "ps" in typed and "exam stress" not in typed and "have a new one issued" in typed
    piped = CliRunner().invoke(cli, ["notes", "list", P, label, "--as", member],
                               input=f"{token}\n", env={"MENTORKIT_DB": str(db_path)})
    assert piped.exit_code == 0 and "exam stress" in piped.output
    assert token not in piped.output


# --- notes at rest ---------------------------------------------------------------------------

def test_notes_written_before_a_key_are_encrypted_by_notes_encrypt(run, program, db_path,
                                                                  monkeypatch):
    groups, members = program
    label = groups[0].label
    run("notes", "add", P, label, "--body", "plain words before the key")
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", sealing.new_key())
    done = run("notes", "encrypt", P).output
    assert "2 notes in plain text encrypted" in done  # the meeting's and this one
    assert all(body.startswith(sealing.PREFIX) for body in raw_note_bodies(db_path))
    assert not any("plain words" in body for body in raw_note_bodies(db_path))
    given(monkeypatch, issue_token(run, label, members[0].email))
    shown = run("notes", "list", P, label, "--as", members[0].email).output
    assert "plain words before the key" in shown and "we met" in shown
    run("notes", "add", P, label, "--body", "and after")  # the key opens them all
    again = run("notes", "encrypt", P).output
    assert "0 notes in plain text encrypted" in again and "3 already encrypted" in again
    assert AuditEntry.select().where(AuditEntry.action == "note.encrypt").count() == 2


def test_key_rotation_moves_every_note_or_none(run, program, db_path, monkeypatch):
    groups, members = program
    label = groups[0].label
    old, new = sealing.new_key(), sealing.new_key()
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", old)
    run("notes", "encrypt", P)
    run("notes", "add", P, label, "--body", "under the old key")
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", new)
    before = raw_note_bodies(db_path)
    refused = run("notes", "encrypt", P, expect=1).output
    assert "MENTORKIT_NOTES_OLD_KEY" in refused and raw_note_bodies(db_path) == before

    stray = Note.select().order_by(Note.id).first()  # a note under a third key
    Note.update(body=sealing.PREFIX + Fernet(Fernet.generate_key()).encrypt(b"x").decode()
                ).where(Note.id == stray.id).execute()
    before = raw_note_bodies(db_path)
    monkeypatch.setenv("MENTORKIT_NOTES_OLD_KEY", old)
    refused = run("notes", "encrypt", P, expect=1).output
    assert "opens with neither" in refused and raw_note_bodies(db_path) == before
    stray.save()  # as it was

    calls = []
    original = sealing._resealed

    def fails_on_the_second(note, *keys):
        calls.append(note.id)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return original(note, *keys)

    before = raw_note_bodies(db_path)
    with monkeypatch.context() as patched:
        patched.setattr(sealing, "_resealed", fails_on_the_second)
        with pytest.raises(RuntimeError):
            run("notes", "encrypt", P)
    assert raw_note_bodies(db_path) == before  # the first note's new body was rolled back

    assert "2 moved from the old key" in run("notes", "encrypt", P).output
    monkeypatch.delenv("MENTORKIT_NOTES_OLD_KEY")
    given(monkeypatch, issue_token(run, label, members[0].email))
    assert "under the old key" in run("notes", "list", P, label, "--as", members[0].email).output
    run("notes", "add", P, label, "--body", "under the new key")  # one key for all notes


# --- tokens ----------------------------------------------------------------------------------

def test_token_letters_are_named_by_ids_and_issued_all_or_none(run, program, tmp_path,
                                                               monkeypatch):
    """An address with / made its letter fail after every digest had been replaced."""
    groups, members = program
    label = groups[0].label
    Participant.update(email="a/b@x.org").where(Participant.id == members[1].id).execute()
    old = issue_token(run, label, members[0].email)
    folder = tmp_path / "letters"
    written = run("notes", "tokens", P, label, "--out", folder).output
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{label}-{m.id}.txt" for m in members)
    assert "a/b@x.org" in written  # the table says whose letter is which file
    assert all(stat.S_IMODE((folder / n).stat().st_mode) == 0o600 for n in names)
    letter = (folder / f"{label}-{members[0].id}.txt").read_text()
    new = re.search(r"notes of .*: (\S+)\n", letter).group(1)
    given(monkeypatch, old)
    run("notes", "list", P, label, "--as", members[0].email, expect=1)  # replaced
    given(monkeypatch, new)
    run("notes", "list", P, label, "--as", members[0].email)

    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / f"{label}-{members[2].id}.txt").mkdir()  # one letter cannot be written
    digests = [t.digest for t in MemberToken.select().order_by(MemberToken.id)]
    failed = run("notes", "tokens", P, label, "--out", blocked, expect=1).output
    assert "it is a folder" in failed
    assert [t.digest for t in MemberToken.select().order_by(MemberToken.id)] == digests
    assert sorted(p.name for p in blocked.iterdir()) == [f"{label}-{members[2].id}.txt"]
    run("notes", "list", P, label, "--as", members[0].email)  # the token still works
    assert not (tmp_path / "never").exists()
    run("notes", "tokens", P, label, "--out", tmp_path / "never" / "x", expect=1)

    letters = {p.name: p.read_text() for p in folder.iterdir()}
    place = FileSet.place

    def placed_then_the_commit_fails(files):
        place(files)
        raise RuntimeError("the database connection was lost")

    with monkeypatch.context() as patched:
        patched.setattr(FileSet, "place", placed_then_the_commit_fails)
        with pytest.raises(RuntimeError):
            run("notes", "tokens", P, label, "--out", folder)
    assert {p.name: p.read_text() for p in folder.iterdir()} == letters  # the earlier ones
    assert [t.digest for t in MemberToken.select().order_by(MemberToken.id)] == digests
    run("notes", "list", P, label, "--as", members[0].email)


# --- mail ------------------------------------------------------------------------------------

def hold_write_lock(db_path, seconds: float) -> threading.Thread:
    """Another process's long transaction: the write lock held for ``seconds`` from now."""
    held = threading.Event()

    def hold() -> None:
        if on_postgres(db_path):
            import psycopg

            with psycopg.connect(str(db_path)) as connection:
                connection.execute("LOCK TABLE sent_message, audit_log IN EXCLUSIVE MODE")
                held.set()
                time.sleep(seconds)
            return
        connection = sqlite3.connect(db_path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return thread


@pytest.fixture
def mail_server(request):
    """test_mail's STARTTLS server with AUTH: (handler, URL)."""
    return request.getfixturevalue("smtp")


@pytest.fixture
def im_program(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    return load_program(CONFIGS / "im-residency.toml")


def test_a_message_accepted_while_the_database_is_locked_is_recorded_once(
        im_program, mail_server, db_path):
    """Accepted by the server while another process held the write lock for longer than the
    busy timeout: delivered, not recorded ("failed unexpectedly"), sent again by the re-run."""
    handler, url = mail_server
    letters = letters_for(Participant.select().order_by(Participant.id).limit(2))
    if not on_postgres(db_path):
        database.obj.timeout = 0.05  # the busy timeout, far shorter than the lock is held
    holders = []
    receive = handler.handle_DATA

    async def accept_then_lock(server, session, envelope):
        answer = await receive(server, session, envelope)
        holders.append(hold_write_lock(db_path, 1.5))  # before the client hears "250"
        return answer

    handler.handle_DATA = accept_then_lock
    report = send(im_program, letters, url)
    for holder in holders:
        holder.join()
    assert (report.sent, len(handler.received), len(holders)) == (2, 2, 2)
    assert {m.status for m in SentMessage.select()} == {"sent"}
    assert AuditEntry.select().where(AuditEntry.action == "mail.sent").count() == 2
    again = send(im_program, letters, url)
    assert (again.sent, again.already_sent, len(handler.received)) == (0, 2, 2)


def lose_the_reply_to(letter_index: int, monkeypatch) -> None:
    """The connection dies after the server accepted message ``letter_index``, before its
    reply reached mentorkit."""
    original, calls = smtplib.SMTP.send_message, []

    def send_message(self, message, *args, **kwargs):
        calls.append(message["Message-ID"])
        answer = original(self, message, *args, **kwargs)
        if len(calls) == letter_index + 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return answer

    monkeypatch.setattr(smtplib.SMTP, "send_message", send_message)


def test_a_message_whose_acceptance_was_lost_is_named_and_not_sent_twice(
        im_program, mail_server, monkeypatch):
    handler, url = mail_server
    letters = letters_for(Participant.select().order_by(Participant.id).limit(3))
    with monkeypatch.context() as patched:
        lose_the_reply_to(1, patched)
        with pytest.raises(MailError, match="may or may not have been delivered") as failure:
            send(im_program, letters, url)
    assert letters[1].recipient in str(failure.value) and PASSWORD not in str(failure.value)
    assert len(handler.received) == 2  # the server has it
    status = {m.message_id: m.status for m in SentMessage.select()}
    assert status == {message_id(im_program.key, letters[0]): "sent",
                      message_id(im_program.key, letters[1]): "sending"}

    again = send(im_program, letters, url)
    assert (again.sent, again.already_sent, again.resent) == (1, 1, False)
    assert [u.recipient for u in again.uncertain] == [letters[1].recipient]
    assert len(handler.received) == 3  # the third only
    resent = send(im_program, letters, url, resend_uncertain=True)
    assert (resent.sent, resent.resent, len(handler.received)) == (1, True, 4)
    assert {m.status for m in SentMessage.select()} == {"sent"}
    assert send(im_program, letters, url, resend_uncertain=True).sent == 0


def test_the_command_line_names_messages_that_may_have_been_delivered(run, mail_server,
                                                                     monkeypatch):
    handler, url = mail_server
    matched_program(run, "im-residency")
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)
    with monkeypatch.context() as patched:
        lose_the_reply_to(0, patched)
        failed = run("notify", "im-residency", "intro", "--send", expect=1).output
    assert "may or may not have been delivered" in failed and URL_PASSWORD not in failed
    rerun = run("notify", "im-residency", "intro", "--send")
    assert "1 message may or may not have been delivered" in rerun.stderr
    assert "--resend-uncertain" in rerun.stderr
    resent = run("notify", "im-residency", "intro", "--send", "--resend-uncertain")
    assert "may arrive twice" in resent.stderr and "Sent 1 intro" in resent.output
    assert len({m["Message-ID"] for _, m, _ in handler.received}) == len(handler.received) - 1
    run("notify", "im-residency", "intro", "--resend-uncertain", expect=2)


@pytest.mark.parametrize("url", ["smtp://u:secretpw@[127.0.0.1:587", "smtp://u:p@h]:587",
                                 "smtp://u:secretpw@host:port", "smtps://h:70000"])
def test_an_smtp_url_that_does_not_parse_is_a_usage_error(run, url, monkeypatch):
    matched_program(run, "im-residency")
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)
    failed = run("notify", "im-residency", "intro", "--send", expect=2).output
    assert "MENTORKIT_SMTP_URL" in failed and "secretpw" not in failed
    assert "unexpectedly" not in failed


# --- URLs and paths --------------------------------------------------------------------------

@pytest.mark.parametrize("form", [
    "postgresql://u:secretpw@127.0.0.1:{port}/db",
    "postgresql://u@127.0.0.1:{port}/db?password=secretpw",
    "postgresql://u@127.0.0.1:{port}/db?sslmode=disable&password=secretpw",
    "postgresql://u@127.0.0.1:{port}/db?passfile=/home/secretpw&sslpassword=secretpw",
    "postgresql://u:secret@pw@127.0.0.1:{port}/db",
    "postgres://u:secretpw@127.0.0.1:{port}/db?connect_timeout=2",
])
def test_no_error_prints_a_database_password(run, form):
    output = run("--db", form.format(port=free_port()), "programs", "list", expect=1).output
    assert "secretpw" not in output and "pw@" not in output and "cannot open database" in output


@pytest.mark.parametrize("url", ["postgresql://u:secretpw@[127.0.0.1/db",
                                 "postgresql://u:secretpw@h]ost/db",
                                 "postgresql://u:secretpw@host:port/db",
                                 "postgresql://u@host:99999/db?password=secretpw"])
def test_a_database_url_that_does_not_parse_is_a_usage_error(run, url, tmp_path):
    output = run("--db", url, "programs", "list", expect=2).output
    assert "--db (or MENTORKIT_DB)" in output and "secretpw" not in output
    copied = run("db", "copy", url, tmp_path / "copy.db", expect=2).output
    assert "SOURCE" in copied and "secretpw" not in copied


def test_db_refuses_a_dangling_symbolic_link(run, tmp_path):
    (tmp_path / "link.db").symlink_to(tmp_path / "elsewhere.db")
    output = run("--db", tmp_path / "link.db", "programs", "list", expect=1).output
    assert "symbolic link" in output and not (tmp_path / "elsewhere.db").exists()


def other_users_file(path) -> bool:
    """``path``, made a file that belongs to another user (needs root)."""
    path.write_text("someone else's")
    path.chmod(0o666)  # world-writable: the probe's case
    try:
        os.chown(path, 65534, 65534)
    except PermissionError:
        return False
    return True


OUT_COMMANDS = {
    "export": lambda target: ["participants", "export", P, "--audience", "administrator",
                              "--out", target],
    "report": lambda target: ["report", P, "--out", target],
    "calendar": lambda target: ["cadence", "calendar", P, "--out", target],
}


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
@pytest.mark.parametrize("kind", ["hard link", "pipe", "another user's"])
def test_out_refuses_what_is_not_the_users_own_file(run, program, tmp_path, command, kind):
    target = tmp_path / "target"
    reader = None
    if kind == "hard link":
        (tmp_path / "linked").write_text("the other name's content")
        os.link(tmp_path / "linked", target)
    elif kind == "pipe":
        os.mkfifo(target)
        reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # so the old code did not hang
    elif not other_users_file(target):
        pytest.skip("making another user's file needs root")
    exports = AuditEntry.select().where(AuditEntry.action == "export").count()
    output = run(*OUT_COMMANDS[command](target), expect=1).output
    assert f"cannot write {target}" in output
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == exports
    if kind == "hard link":
        assert (tmp_path / "linked").read_text() == "the other name's content"
    elif kind == "pipe":
        assert os.read(reader, 100) == b""
        os.close(reader)
    elif kind == "another user's":
        assert target.read_text() == "someone else's"


def test_out_to_a_special_file_is_a_clean_error(run, program):
    exports = AuditEntry.select().where(AuditEntry.action == "export")
    before = exports.count()
    output = run(*OUT_COMMANDS["export"]("/proc/self/mem"), expect=1).output
    assert "cannot write /proc/self/mem" in output and "unexpectedly" not in output
    output = run(*OUT_COMMANDS["export"]("/dev/null"), expect=1).output
    assert "not a regular file" in output
    assert exports.count() == before  # an export that was not written is not in the log


def test_a_folder_of_messages_is_written_all_or_none(run, program, tmp_path):
    groups, members = program
    folder = tmp_path / "intro"
    run("notify", P, "intro", "--out", folder)
    written = {p.name: p.read_bytes() for p in folder.iterdir()}
    for path in folder.iterdir():
        path.unlink()
    (tmp_path / "elsewhere").write_text("keep me")
    blocked = sorted(written)[len(written) // 2]
    os.link(tmp_path / "elsewhere", folder / blocked)
    output = run("notify", P, "intro", "--out", folder, expect=1).output
    assert "hard link" in output
    assert [p.name for p in folder.iterdir()] == [blocked]  # nothing else was left
    assert (tmp_path / "elsewhere").read_text() == "keep me"
    (folder / blocked).unlink()
    run("notify", P, "intro", "--out", folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(written)
    del groups, members


# --- hostile program files -------------------------------------------------------------------

def program_file(tmp_path, old: str, new: str, name: str = "hostile.toml"):
    text = (CONFIGS / "lgbtq-triads.toml").read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("old, new, problem", [
    ("academic_year_end = 2027-06-30", "academic_year_end = 9999-06-30",
     "cycle.academic_year_end: expected a date from 1900 to 2200, not 9999-06-30"),
    ("academic_year_start = 2026-07-01", "academic_year_start = 0001-07-01",
     "cycle.academic_year_start: expected a date from 1900 to 2200"),
    ('key = "lgbtq-triads"', 'key = "' + "a" * 5000 + '"',
     "program.key: expected at most 64 lowercase letters"),
    ('key = "student"', 'key = "stu dent"', "roles[0].key: expected at most 64 letters"),
    ('[[intake]]\nname = "email"\n', '[[intake]]\nname = "email"\nsensitive = true\n',
     "intake[1].sensitive: the email cannot be sensitive"),
    ('[[intake]]\nname = "email"\n', '[[intake]]\nname = "email"\nshown_to = ["administrator"]\n',
     "intake[1].shown_to: the email is always shown to group"),
    ('[[intake]]\nname = "name"\n', '[[intake]]\nname = "name"\nsensitive = true\n',
     "intake[0].sensitive: the name cannot be sensitive"),
])
def test_a_hostile_program_file_is_refused_with_its_key_path(run, tmp_path, old, new, problem):
    path = program_file(tmp_path, old, new)
    output = run("programs", "validate", path, expect=1).output
    assert problem in output and "unexpectedly" not in output
    run("programs", "add", path, expect=1)


def test_a_year_far_away_never_reaches_a_calendar_or_a_close(run, program, tmp_path):
    path = program_file(tmp_path, 'date = 2026-10-20', 'date = 9999-10-20')
    output = run("programs", "add", path, expect=1).output
    assert "cycle.events[0].date: expected a date from 1900 to 2200" in output
    run("cadence", "calendar", P, "--out", tmp_path / "cal.ics")
    run("cycles", "close", P, "--yes")


def test_a_key_too_long_for_a_file_name_is_an_unknown_program(run, db_path):
    output = run("programs", "show", "k" * 5000, expect=2).output
    assert "no program" in output and "unexpectedly" not in output
    run("participants", "list", "k" * 5000, expect=2)
    if on_postgres(db_path):
        assert Group.select().count() == 0
    else:  # refused before any database was made
        assert not db_path.exists()
