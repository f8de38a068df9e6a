"""``otbill x12``: read any supported X12 file as JSON, write claims as an 837P.

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
    help="Read and write X12 EDI (837P, 835, 999, 277CA).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"otbill: error: {message}\n")
    raise typer.Exit(2)


def _head(document: dict[str, Any]) -> str:
    """The first line(s) of the summary of a 999, a 277CA or an 837P read as JSON-ready data."""
    kind = document["transaction"]
    if kind == "999":
        sets = [s for g in document["groups"] for s in g["sets"]]
        accepted = sum(s["status"] in ("A", "E") for s in sets)
        return f"999: {len(sets)} transaction set(s), {accepted} accepted"
    if kind == "277CA":
        claims = document["claims"]
        rejected = [c for c in claims if c["outcome"] == "rejected"]
        return f"277CA: {len(claims)} claim(s), {len(rejected)} rejected" + "".join(
            f"\n  {c['patient_control_number']}: {c['reason']}" for c in rejected
        )
    return f"837P: {len(document['claims'])} claim(s)"


def _read_summary(file: Path) -> tuple[str, list[dict[str, Any]]]:
    """The summary's head and the findings. An 835 is counted from the reader's own records:
    turning 10,000 claims into JSON-ready data only to count them took twice the read itself."""
    from otbill.x12.dispatch import read_any, transaction_kind

    if transaction_kind(file) == "835":
        from otbill.x12.read_835 import read_835

        result = read_835(file)
        claims = sum(len(r.claims) for r in result.remittances)
        head = f"835: {len(result.remittances)} payment(s), {claims} claim(s)"
        return head, [f.as_json() for f in result.findings]
    document = read_any(file)
    return _head(document), document["findings"]


def _summary(head: str, findings: list[dict[str, Any]]) -> str:
    lines = [head] + [
        f"  {f['severity']}: segment {f['position']} {f['segment']} "
        f"{f['element'] or ''}: {f['message']}"
        for f in findings
    ]
    return "\n".join(lines)


@app.command("read")
def read_command(
    file: Annotated[Path, typer.Argument(help="an 837P, 835, 999 or 277CA file")],
    as_json: Annotated[bool, typer.Option("--json", help="print the transaction as JSON")] = False,
) -> None:
    """Read an X12 file: exit 0 when clean, 1 with error findings, 2 when unreadable."""
    from otbill.x12.dispatch import read_any

    try:
        if as_json:
            document = read_any(file)
            findings = document["findings"]
            text = json.dumps(document, indent=2, ensure_ascii=False)
        else:
            head, findings = _read_summary(file)
            text = _summary(head, findings)
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror}")
    except X12Error as exc:
        _fail(f"{file}: {exc}")
    typer.echo(text)
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
    typer.echo(f"wrote {len(claims)} claim(s) to {output}")
