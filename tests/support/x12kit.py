"""Shared helpers for the X12 tests: the corpus, claims to write, generated files, the pyx12 oracle.

The corpus of real peers' files lives in the shared folder (see ``support.shared``): a test that
reads it calls ``corpus_dir()`` (skipped without it, failed under CI), or is marked
``@pytest.mark.shared("corpus/x12")`` when its parameters come from ``corpus_files()``. Tests that
only need "an 837P" or "an 835" use ``simulated_exchange``: the project's own writer and simulator.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path
from typing import Any

from otbill.clearinghouse import EdiFile, FolderTransport
from otbill.clearinghouse.simulator.folder import simulate
from otbill.domain.claim import Claim
from otbill.x12.write_837p import Submission, write_837p
from support.claimkit import clean_claim_data, make_claim
from support.shared import require_shared, shared_path

__all__ = ["corpus_dir", "corpus_files", "demo_claims", "pyx12_errors", "simulated_exchange"]

CORPUS = "corpus/x12"


def corpus_dir() -> Path:
    """The X12 corpus; the calling test is skipped without it (failed when CI is set)."""
    return require_shared(CORPUS)


def corpus_files(folder: str | None = None) -> list[Path]:
    """Corpus files to parametrize over, read at collection time.

    Without the corpus this is one placeholder path, so each parametrized test still appears once
    and its ``shared`` mark skips it (or fails it under CI) instead of pytest's silent empty set.
    """
    root = shared_path(CORPUS)
    if not root.is_dir():
        return [root / (folder or "") / "missing"]
    folders = [root / folder] if folder else [p for p in root.iterdir() if p.is_dir()]
    files = sorted(f for d in folders if d.name != "LICENSES" for f in d.iterdir() if f.is_file())
    assert files, f"no corpus files under {folders}"
    return files


def _errors(node: Any, out: list[str]) -> list[str]:
    if isinstance(node, dict):
        for err in node.get("errors", []):
            where = node.get("seg_id") or node.get("trn_set_id") or node.get("fic") or "ISA"
            out.append(f"{where} line {node.get('cur_line')}: {err.get('err_str')}")
        for value in node.values():
            _errors(value, out)
    elif isinstance(node, list):
        for value in node:
            _errors(value, out)
    return out


def pyx12_errors(text: str) -> list[str]:
    """Every error pyx12's 5010 validator reports for ``text`` (empty list: valid)."""
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    report = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(text), None, None, None, report
    )
    errors = _errors(json.loads(report.getvalue() or "{}"), [])
    if not ok and not errors:
        errors.append("pyx12 returned invalid without an error list")
    return errors


def demo_claims() -> list[Claim]:
    """A small clinic day: Medicare, a commercial child claim, a corrected claim, a telehealth one."""
    first = clean_claim_data()
    child = clean_claim_data()
    child.update(
        claim_id="CLM-0002",
        payer={"profile": "commercial-in-network", "payer_id": "87726", "name": "Acme Health"},
        prior_authorization=None,
        subscriber={
            "first_name": "Tom",
            "last_name": "Lee",
            "dob": "1975-03-04",
            "sex": "M",
            "member_id": "ACM123456",
            "relationship": "child",
            "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"},
        },
    )
    child["patient"].update(dob="2015-06-01", first_name="Mia")
    child["lines"].append(
        {
            "date": "2025-02-14",
            "code": "97110",
            "units": 1,
            "modifiers": ["GO", "59"],
            "charge": "45.50",
            "dx_pointers": [2, 1],
        }
    )
    corrected = clean_claim_data()
    corrected.update(claim_id="CLM-0003", frequency_code="7", original_claim_number="ICN998877")
    tele = clean_claim_data()
    tele.update(
        claim_id="CLM-0004", place_of_service="10", telehealth=True, referring_provider=None
    )
    tele["lines"][0]["modifiers"] = ["GO", "95"]
    other = clean_claim_data()
    other["claim_id"] = "CLM-0005"
    other["billing_provider"] = {
        "name": "Second Clinic",
        "npi": "1679576722",
        "tax_id": "741234568",
        "address": {"line1": "5 Elm St", "city": "Dallas", "state": "TX", "zip": "752010001"},
    }
    return [make_claim(c) for c in (first, child, corrected, tele, other)]


def simulated_exchange(folder: Path) -> dict[str, Path]:
    """An 837P of ``demo_claims()`` and the simulator's 999, 277CA and 835 for it, keyed by kind."""
    created = dt.datetime(2025, 3, 1, 9, 30)
    text = write_837p(demo_claims(), Submission(created=created))
    FolderTransport(folder).send([EdiFile("demo.837", text.encode())])
    simulate(folder)  # answers into inbox/, moves the 837 to outbox/processed/
    answered = folder / "outbox" / "processed" / "demo.837"
    files = {"837": answered, **{p.suffix[1:]: p for p in (folder / "inbox").iterdir()}}
    assert set(files) == {"837", "999", "277", "835"}, sorted(files)
    return files
