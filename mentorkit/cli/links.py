"""``mentorkit participants links``: each member's personal link to the participants' own
page (``mentorkit serve``), issued, re-issued or revoked."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, say, warn
from mentorkit.cli.params import json_option, program_argument

links_service = lazy("mentorkit.services.links")

BASE_URL_ENV = "MENTORKIT_BASE_URL"


@click.command("links")
@program_argument
@click.argument("people", nargs=-1, metavar="[PERSON]...")
@click.option("--base-url", envvar=BASE_URL_ENV, metavar="URL",
              help=f"The page's public address (as `serve --base-url`) [env: {BASE_URL_ENV}].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one owner-only letter per member into this folder, to hand over; "
                   "default: print the links.")
@click.option("--revoke", "revoke", metavar="PERSON",
              help="End PERSON's link and every session it opened, at once.")
@json_option
def links(program, people: tuple[str, ...], base_url: str | None, out: Path | None,
          revoke: str | None, as_json: bool) -> None:
    """Issue a new personal link to every member of PROGRAM's active groups (or to each
    PERSON named, by e-mail or id), for this cycle: it opens their own page until the cycle
    ends. A member's earlier link, and its sessions, stop working. Only a digest is stored;
    the issue is audited. No one gets a link that would open no page: a PERSON named who
    has withdrawn (or is not enrolled) is refused, and when issuing for everyone, skipped
    with a warning. With --out, every letter is written and every link replaced, or
    (if one letter cannot be written) nothing is."""
    if revoke is not None:
        if people or out:
            raise click.UsageError("--revoke PERSON goes alone")
        name = links_service.revoke(program, revoke)
        done(as_json, {"revoked": revoke}, f"{name}'s link no longer opens their page.")
        return
    if not base_url or not base_url.startswith(("http://", "https://")):
        raise click.UsageError(f"--base-url (or {BASE_URL_ENV}) must give the page's public "
                               "address, e.g. https://mentoring.example.edu")
    refs = list(people) or None
    if out is None:  # printed before the new digests are committed: a closed pipe keeps all
        links_service.issue(program, refs, lambda issued: emit(
            [{"email": i.email, "link": links_service.page_address(base_url, i.token)}
             for i in issued], ("email", "link"), as_json), warn)
        return
    issued = links_service.issue_letters(program, base_url, out, refs, warn)
    emit([{"email": i.email, "file": links_service.link_letter(program, base_url, i)[0]}
          for i in issued], ("email", "file"), as_json)
    if not as_json:
        say(f"Wrote {len(issued)} link letter(s) to {out}.")


def register(cli: click.Group) -> None:
    cli.commands["participants"].add_command(links)
