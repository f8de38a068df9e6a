"""Build the curated OT subset of CMS NCCI PTP and MUE data shipped in ``otbill/codes/data``.

Usage: ``python scripts/build_curated_refdata.py [SHARED_REFDATA_DIR] [--out DIR]``
(default input: ``$OTBILL_SHARED_DIR/refdata`` or ``/work/shared/refdata``; default output:
``src/otbill/codes/data``).

Why: the scrubber needs NCCI/MUE facts out of the box, but the full CMS tables are large and are
imported per site (``otbill refdata import``). We ship only the edits whose *both* codes are in
the OT catalog (therapy list of shared/refdata/SOURCES.md), active and deleted, with their
deletion dates and modifier indicators, plus the MUEs of those codes. No CPT descriptors: the
PTP rationale is CMS's text. Rebuild whenever a newer CMS release is available.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import replace
from pathlib import Path

from otbill.refdata.fee_schedule import iter_pprrvu_file
from otbill.refdata.mue import MueLimit, iter_mue_file
from otbill.refdata.ncci import PtpEdit, iter_ptp_file
from otbill.refdata.normalized import render_normalized

PTP_FILE = "ncci_ptp/ccipra-v301r0_practitioner_ptp_therapy_subset.txt"
PTP_ADDITIONS = "ncci_ptp/ccipra-v302r0_practitioner_ptp_therapy_additions_vs_v301r0.txt"
MUE_FILE = "ncci_mue/MCR_MUE_PractitionerServices_Eff_07-01-2024_therapy_subset.csv"
# (source file, curated file, release, effective date used, note)
RVU_FILES = [
    (
        "mpfs/PPRRVU2025_Oct_therapy_subset.csv",
        "mpfs_rvu_ot_2025.csv",
        "RVU25D",
        "2025-01-01",
        "October release; therapy RVUs identical to the January release (RVU25A, compared code by code), "
        "so used from 2025-01-01",
    ),
    (
        "mpfs/PPRRVU2026_Jul_nonQPP_therapy_subset.csv",
        "mpfs_rvu_ot_2026.csv",
        "RVU26C",
        "2026-01-01",
        "July release, non-QP; no January 2026 file was available, so used from 2026-01-01 "
        "until a clinic imports the current release",
    ),
]

# Therapy code list of shared/refdata/SOURCES.md (inclusive ranges).
_RANGES = [
    (97010, 97039),
    (97110, 97172),
    (97129, 97130),
    (97530, 97546),
    (97550, 97552),
    (97597, 97610),
    (97750, 97750),
    (97755, 97755),
    (97760, 97763),
    (92507, 92507),
    (92523, 92523),
    (92526, 92526),
    (92610, 92610),
    (98975, 98981),
    (98000, 98016),
]
CATALOG = frozenset({f"{n}" for lo, hi in _RANGES for n in range(lo, hi + 1)} | {"G0283"})


def _in_catalog(edit: PtpEdit) -> bool:
    return edit.column1 in CATALOG and edit.column2 in CATALOG


def build_ptp(src: Path) -> tuple[list[PtpEdit], int]:
    """v30.1 edits among catalog codes, plus v30.2 additions among catalog codes.

    The v30.2 additions carry no dates in the source; they are active in v30.2 and absent from
    v30.1, so their effective date is 2024-07-01 (DERIVED from the two releases).
    """
    edits = [e for e in iter_ptp_file(src / PTP_FILE) if _in_catalog(e)]
    additions = [
        replace(e, effective=e.effective or dt.date(2024, 7, 1))
        for e in iter_ptp_file(src / PTP_ADDITIONS)
        if _in_catalog(e)
    ]
    edits.extend(additions)
    edits.sort(key=lambda e: (e.column1, e.column2, e.deleted or dt.date.max))
    return edits, len(additions)


def build_mue(src: Path) -> list[MueLimit]:
    return sorted(
        (m for m in iter_mue_file(src / MUE_FILE) if m.code in CATALOG), key=lambda m: m.code
    )


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("OTBILL_SHARED_DIR", "/work/shared")) / "refdata"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", type=Path, default=shared)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "src/otbill/codes/data"
    )
    args = parser.parse_args(argv)
    edits, added = build_ptp(args.src)
    ptp_meta = {
        "kind": "ncci-ptp",
        "source": "CMS Medicare NCCI PTP edits, practitioner table, ccipra-v301r0 (f1-f4), via "
        "shared/refdata/ncci_ptp (see otbill/codes/data/SOURCES.md, section NCCI PTP)",
        "release": "v30.1" + (f" + {added} v30.2 additions" if added else ""),
        "effective": "2024-04-01",
        "subset": "edits whose column 1 and column 2 codes are both OT catalog codes; "
        f"v30.2 additions with both codes in the catalog: {added}",
    }
    text, rows = render_normalized("ncci-ptp", edits, ptp_meta)
    (args.out / "ncci_ptp_ot.csv").write_text(text, encoding="utf-8")
    print(f"ncci_ptp_ot.csv: {rows} edits ({added} from v30.2)")
    mue_meta = {
        "kind": "mue",
        "source": "CMS Medicare NCCI MUE, practitioner services, "
        "MCR_MUE_PractitionerServices_Eff_07-01-2024, via shared/refdata/ncci_mue",
        "release": "2024Q3",
        "effective": "2024-07-01",
        "subset": "OT catalog codes only",
    }
    text, rows = render_normalized("mue", build_mue(args.src), mue_meta)
    (args.out / "mue_ot.csv").write_text(text, encoding="utf-8")
    print(f"mue_ot.csv: {rows} codes")
    for source, name, release, effective, note in RVU_FILES:
        rvus = [r for r in iter_pprrvu_file(args.src / source) if r.hcpcs in CATALOG]
        meta = {
            "kind": "rvu",
            "source": f"CMS National Physician Fee Schedule Relative Value File {release}, "
            f"via shared/refdata/{source}; descriptors dropped (AMA copyright)",
            "release": release,
            "effective": effective,
            "note": note,
        }
        text, rows = render_normalized("rvu", rvus, meta)
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{name}: {rows} codes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
