"""CMS reference tables for claim scrubbing and pricing: NCCI PTP, MUE, PFS RVUs, GPCIs.

Pure readers of CMS's own file layouts (``ncci``, ``mue``, ``fee_schedule``), a versioned store
of imported releases with a fallback to the curated OT subset shipped in ``otbill/codes/data``
(``store``), and the ``otbill refdata`` CLI (``cli``). Sources and release semantics are named
in each module; the shipped data is described in ``otbill/codes/data/SOURCES.md``.
"""

from __future__ import annotations

from otbill.refdata.fee_schedule import FeeSchedule, Gpci, RvuRow, allowed_amount, conversion_factor
from otbill.refdata.formats import RefdataFormatError, infer_release
from otbill.refdata.mue import MueLimit, MueTable, read_mue
from otbill.refdata.ncci import PtpEdit, PtpTable, read_ptp
from otbill.refdata.store import (
    ImportResult,
    import_file,
    list_imported,
    load_fee_schedule,
    load_gpci,
    load_mue,
    load_ncci_ptp,
    load_rvu,
)

__all__ = [
    "FeeSchedule",
    "Gpci",
    "ImportResult",
    "MueLimit",
    "MueTable",
    "PtpEdit",
    "PtpTable",
    "RefdataFormatError",
    "RvuRow",
    "allowed_amount",
    "conversion_factor",
    "import_file",
    "infer_release",
    "list_imported",
    "load_fee_schedule",
    "load_gpci",
    "load_mue",
    "load_ncci_ptp",
    "load_rvu",
    "read_mue",
    "read_ptp",
]
