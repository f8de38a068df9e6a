"""``otbill post``, ``otbill ack``, ``otbill submit``, ``otbill clearinghouse simulate``.

Thin: parse options, open the database (migrating an empty one), call a service, print. Bad input
(an unreadable or unbalanced file, an unknown user) is one line on stderr naming the file and the
segment, exit status 2. Mount::

    app.command("post")(edi.post_command)
    app.command("ack")(edi.ack_command)
    app.command("submit")(edi.submit_command)
    app.command("export-837")(edi.export_837_command)
    app.add_typer(edi.clearinghouse_app, name="clearinghouse")
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otbill import clock
from otbill.cli.acting import User, acting_in
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date
from otbill.cli.setup import setup_of
from otbill.errors import OtbillError

if TYPE_CHECKING:
    pass

__all__ = [
    "ack_command",
    "clearinghouse_app",
    "export_837_command",
    "post_command",
    "submit_command",
]

clearinghouse_app = typer.Typer(help="The offline clearinghouse simulator.", no_args_is_help=True)


def _print(data: dict[str, Any], text: str, as_json: bool) -> None:
    print(json.dumps(data, indent=2, default=str) if as_json else text)


def _apply_file(
    ctx: typer.Context,
    service: Any,
    file: Path,
    where: tuple[str | None, str | None, str],
    as_json: bool,
) -> None:
    """Run a file-applying service (post an 835, apply a 999/277CA) and print its report;
    ``where`` is (database URL, clinic code, user). An unreadable or refused file is one line on
    stderr and exit status 2."""
    db, clinic_id, actor = acting_in(ctx, *where)
    try:
        report = service(db, clinic_id, actor, file.read_bytes(), name=file.name)
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror}")
    except OtbillError as exc:
        fail(_located(file, exc))
    _print(report.as_json(), report.summary(), as_json)


def post_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An 835 remittance file.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    user: User = "biller",
    as_json: AsJson = False,
    any_payee: Annotated[
        bool,
        typer.Option(
            "--any-payee",
            help="Post even when the 835 pays another payee (N1*PE/REF*TJ): test corpora only.",
        ),
    ] = False,
) -> None:
    """Post an 835: match claims, post payments and adjustments, open denials (once).

    An 835 whose payee (N1*PE NPI or tax ID, REF*TJ) is not the clinic is refused, exit 2."""
    from functools import partial

    from otbill.services.remittances.post import post_remittance

    service = partial(post_remittance, any_payee=any_payee, progress=_waiting_note(file.name))
    _apply_file(ctx, service, file, (database_url, clinic, user), as_json)


def _waiting_note(name: str) -> Any:
    """A progress callback that says once, on stderr, that the posting waits for the database."""
    said: list[str] = []

    def note(_done: int, _total: int, text: str) -> None:
        if text and not said:
            said.append(text)
            print(f"{name}: {text}...", file=sys.stderr)

    return note


def _located(file: Path, exc: Exception) -> str:
    text = str(exc)
    return text if text.startswith(file.name) else f"{file.name}: {text}"


def ack_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A 999 or 277CA acknowledgement file.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    user: User = "biller",
    as_json: AsJson = False,
) -> None:
    """Apply a 999 or 277CA: rejected claims return to the biller's queue with the reason."""
    from otbill.services.exchange.acknowledgements import apply_acknowledgement

    _apply_file(ctx, apply_acknowledgement, file, (database_url, clinic, user), as_json)


def _transport(folder: Path | None, sftp: str | None, key: Path | None, known: Path | None) -> Any:
    from otbill.clearinghouse import FolderTransport
    from otbill.clearinghouse.sftp import SftpTransport

    if (folder is None) == (sftp is None):
        fail("give exactly one of --folder DIR or --sftp USER@HOST[:PORT]")
    if folder is not None:
        return FolderTransport(folder)
    assert sftp is not None
    if key is None or known is None or "@" not in sftp:
        fail("--sftp USER@HOST[:PORT] needs --key FILE and --known-hosts FILE")
    user, _, host = sftp.partition("@")
    host, _, port = host.partition(":")
    return SftpTransport(
        host,
        user,
        key,
        known,
        port=int(port) if port.isascii() and port.isdigit() and len(port) <= 5 else 22,
    )


def submit_command(
    ctx: typer.Context,
    folder: Annotated[Path | None, typer.Option(help="Folder drop (outbox/inbox).")] = None,
    sftp: Annotated[str | None, typer.Option(help="SFTP server, USER@HOST[:PORT].")] = None,
    key: Annotated[Path | None, typer.Option(help="SFTP private key file.")] = None,
    known_hosts: Annotated[Path | None, typer.Option(help="Trusted host keys.")] = None,
    today: Annotated[
        str | None, typer.Option(help="Scrub and date the 837P as of this date.")
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
    user: User = "biller",
    as_json: AsJson = False,
) -> None:
    """Re-scrub the approved claims, write 837P files per payer, mark submitted, send them
    (through the submission outbox: files an earlier run left unsent go first)."""
    from otbill.services.claims.submit import submit_and_send

    transport = _transport(folder, sftp, key, known_hosts)
    on = parse_date(today, "--today") or clock.today()
    db, clinic_id, actor = acting_in(ctx, database_url, clinic, user)
    setup = setup_of(ctx)
    run = setup.scrub_context(on)
    try:
        with clock.as_of(on):  # the 837 dated ``on``
            report = submit_and_send(db, clinic_id, actor, transport, run, setup.rules())
    except OtbillError as exc:
        fail(f"submit: {exc}")
    _print(report.as_json(), report.summary(), as_json)
    if report.not_sent:
        raise typer.Exit(1)


def export_837_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The 837P file to write.")],
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Write the approved claims as one 837P file (nothing is marked submitted)."""
    from otbill.services.claims.submit import load_claims
    from otbill.x12.write_837p import write_837p

    setup = setup_of(ctx)
    db = setup.database(database_url)
    with db.unit_of_work(setup.clinic_id(db, clinic)) as uow:
        claims = load_claims(uow, uow.claims.by_status("approved"))
    try:
        output.write_text(write_837p(claims))
    except OtbillError as exc:
        fail(str(exc))
    print(f"{len(claims)} approved claim(s) written to {output}")


@clearinghouse_app.command("simulate")
def simulate_command(
    folder: Annotated[Path, typer.Option(help="The folder drop otbill submits to.")],
) -> None:
    """Answer each 837 in FOLDER/outbox with a 999, a 277CA and an 835 in FOLDER/inbox."""
    from otbill.clearinghouse.simulator.folder import simulate

    try:
        print(simulate(folder).summary())
    except (OSError, OtbillError) as exc:
        fail(f"{folder}: {exc}")
