"""``otbill x12``: read any supported X12 file as JSON, check it, write claims as an 837P.

``check`` prints only the findings: for 270/271/276/277/278 the guide's tables (loops, required
segments, code lists, envelopes), for 837P/835/999/277CA what their readers find, and for any
other kind (837I, 4010 files) the envelopes alone, said so.

Exit status: 0 when the file was read without error findings, 1 when it was read but has error
findings (a broken count, a claim that could not be built, an unbalanced remittance), 2 when it
could not be read at all (one line on stderr naming the segment).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from otbill.x12.findings import X12Error

__all__ = ["app"]

app = typer.Typer(
    name="x12",
    help="Read, check and write X12 EDI (837P, 835, 999, 277CA, 270/271, 276/277, 278).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"otbill: error: {message}\n")
    raise typer.Exit(2)


def _read_summary(file: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The summary's lines and the findings (see :mod:`otbill.cli.x12_summary`)."""
    from otbill.cli.x12_summary import summary_835, summary_document
    from otbill.x12.dispatch import read_any, transaction_kind

    if transaction_kind(file) == "835":
        from otbill.x12.read_835 import read_835

        result = read_835(file)
        return summary_835(result), [f.as_json() for f in result.findings]
    document = read_any(file)
    return summary_document(document), document["findings"]


@app.command("read")
def read_command(
    file: Annotated[
        Path, typer.Argument(help="an 837P, 835, 999, 277CA, 270, 271, 276, 277 or 278 file")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print the transaction as JSON")] = False,
) -> None:
    """Read an X12 file: what it pays or claims, and its findings; exit 0 when clean, 1 with
    error findings, 2 when unreadable."""
    from otbill.x12.dispatch import read_any

    try:
        if as_json:
            document = read_any(file)
            findings = document["findings"]
            text = json.dumps(document, indent=2, ensure_ascii=False)
        else:
            from otbill.cli.x12_summary import findings_text

            lines, findings = _read_summary(file)
            text = "\n".join([*lines, *findings_text(findings)])
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror}")
    except X12Error as exc:
        _fail(f"{file}: {exc}")
    typer.echo(text)
    if any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


def _check(file: Path) -> tuple[str, list[dict[str, Any]]]:
    """What was checked, and the findings."""
    from otbill.x12.dispatch import GUIDED, SUPPORTED, check_envelope, read_any, transaction_kind

    kind = transaction_kind(file)
    if kind in GUIDED:
        from otbill.x12.guide_rules import validate

        findings = validate(file, kind if kind != "278" else None)  # 278: BHT02 picks the table
        return f"{kind}: checked against the guide's tables", [f.as_json() for f in findings]
    if kind in SUPPORTED:
        return f"{kind}: read in full", read_any(file)["findings"]
    envelope = [f.as_json() for f in check_envelope(file)]
    return f"{kind}: only the envelopes checked (otbill does not read this kind)", envelope


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="an X12 file of any kind")],
    as_json: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
) -> None:
    """Check an X12 file and print only its findings; exit 0 when clean, 1 with error findings,
    2 when unreadable."""
    try:
        what, findings = _check(file)
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror}")
    except X12Error as exc:
        _fail(f"{file}: {exc}")
    if as_json:
        typer.echo(json.dumps({"checked": what, "findings": findings}, indent=2))
    else:
        from otbill.cli.x12_summary import findings_text

        typer.echo("\n".join([what, *findings_text(findings)]))
    if any(f["severity"] == "error" for f in findings):
        raise typer.Exit(1)


@app.command("837")
def write_command(
    claims_file: Annotated[Path, typer.Argument(help="otbill claim JSON: one claim or a list")],
    output: Annotated[Path, typer.Option("-o", "--output", help="the 837P file to write")],
    sender: Annotated[str, typer.Option(help="submitter ID (ISA06, GS02, 1000A)")] = "OTBILL",
    receiver: Annotated[
        str, typer.Option(help="receiver ID (ISA08, GS03, 1000B)")
    ] = "CLEARINGHOUSE",
    control_number: Annotated[int, typer.Option(help="interchange control number")] = 1,
    test: Annotated[
        bool, typer.Option("--test", help="mark the interchange as test (ISA15=T)")
    ] = False,
) -> None:
    """Write claims as an 837P; refuses (exit 2) when any claim is invalid or cannot be written."""
    from otbill.domain.claim import Claim
    from otbill.domain.claim_json import ClaimFileError, parse_claims
    from otbill.x12.write_837p import Submission, write_837p

    try:
        items = parse_claims(claims_file.read_bytes())
    except OSError as exc:
        _fail(f"{claims_file}: cannot read: {exc.strerror}")
    except ClaimFileError as exc:
        _fail(f"{claims_file}: {exc}")
    claims = [item for item in items if isinstance(item, Claim)]
    if len(claims) < len(items):
        bad = [item for item in items if not isinstance(item, Claim)]
        _fail(f"{claims_file}: {bad[0]}" + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
    usage = "T" if test else "P"
    submission = Submission(
        sender, receiver, sender, receiver, control_number=control_number, usage=usage
    )
    try:
        text = write_837p(claims, submission)
    except X12Error as exc:
        _fail(f"{claims_file}: {exc}")
    output.write_text(text, encoding="ascii")
    from otbill.cli.x12_summary import count

    typer.echo(f"wrote {count(len(claims), 'claim')} to {output}")
