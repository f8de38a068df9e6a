"""Shared helpers for the X12 tests: the corpus location, claims to write, and the pyx12 oracle.

The corpus lives outside the project (``../shared/corpus/x12``, or ``$OTBILL_SHARED_DIR``); when
it is missing the corpus tests fail, never skip, so a broken checkout cannot pass silently.
"""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path
from typing import Any

from claimkit import clean_claim_data, make_claim
from otbill.domain.claim import Claim


def corpus_dir() -> Path:
    shared = os.environ.get("OTBILL_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    path = base / "corpus" / "x12"
    assert path.is_dir(), f"the X12 corpus is missing: {path}"
    return path


def corpus_files(folder: str | None = None) -> list[Path]:
    root = corpus_dir()
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
