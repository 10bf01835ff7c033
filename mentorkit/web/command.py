"""``mentorkit serve``: the participants' own page, a small web server on this database.

Declared here, in the web layer, and registered by the command line by name like its own
command groups: the command line itself imports no web code, and the web stack (Flask,
Waitress) is imported only when ``serve`` runs, so every other command starts as fast as
before.
"""

from __future__ import annotations

import click

BASE_URL_ENV = "MENTORKIT_BASE_URL"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (a reverse proxy in front terminates TLS).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--base-url", envvar=BASE_URL_ENV, metavar="URL",
              help=f"The page's public address, as participants reach it (the links in "
                   f"letters start with it) [env: {BASE_URL_ENV}].")
@click.option("--trust-proxy", is_flag=True,
              help="Believe X-Forwarded-For/-Proto/-Host/-Prefix from one reverse proxy in "
                   "front (only then is a request seen as HTTPS, and cookies marked Secure).")
@click.option("--one-cpu/--any-cpu", default=True, show_default=True,
              help="Keep the server's threads on one CPU (Linux): Python runs one thread "
                   "at a time, and handing it between CPUs doubles what a busy moment "
                   "costs.")
@click.option("--check", is_flag=True,
              help="Open the database, build the application, bind the port, print where it "
                   "would serve, and stop.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, base_url: str | None,
          trust_proxy: bool, one_cpu: bool, check: bool) -> None:
    """Serve the participants' own page from this database: each member opens their
    personal link (`mentorkit participants links`, or in `notify intro` with a base URL)
    and sees their group, logs meetings, answers check-ins, writes notes, asks for a change.
    Stops cleanly on Ctrl-C or SIGTERM."""
    from mentorkit.services.database import open_database
    from mentorkit.web.app import Settings
    from mentorkit.web.server import bound_address, keep_to_one_cpu, make_server, run

    if base_url and not base_url.startswith(("http://", "https://")):
        raise click.BadParameter("give the full address, e.g. https://mentoring.example.edu",
                                 param_hint="--base-url")
    open_database(ctx.obj.db_target)
    # before the server starts its threads (they keep the CPUs they were started with); not
    # for --check, which serves nothing (and may run inside another program's process)
    cpu = keep_to_one_cpu() if one_cpu and not check else None
    server = make_server(Settings(base_url=base_url or "", trust_proxy=trust_proxy), host, port)
    where = "http://{}:{}".format(*bound_address(server))
    click.echo(f"Serving the participants' page on {where}"
               + (f" (public address {base_url})" if base_url else "")
               + ("; trusting one reverse proxy's X-Forwarded-* headers" if trust_proxy else "")
               + (f"; its threads on CPU {cpu}" if cpu is not None else "") + ".")
    if check:
        server.close()
        return
    click.echo("Press Ctrl-C to stop.")
    run(server, lambda: click.echo("Stopped."))


def register(cli: click.Group) -> None:
    cli.add_command(serve)
