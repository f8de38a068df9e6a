"""CMS reference tables for claim scrubbing and pricing: NCCI PTP, MUE, PFS RVUs, GPCIs.

Pure readers of CMS's own file layouts (``ncci``, ``mue``, ``fee_schedule``), a versioned store
of imported releases with a fallback to the curated OT subset shipped in ``otbill/codes/data``
(``store``), and the releases in force by date of service (``dated``). Sources and release
semantics are named in each module; the shipped data is described in
``otbill/codes/data/SOURCES.md``.

The names below are imported from their modules on first use, not when the package is imported:
a command that never reads a table (``otbill units``) never pays for the readers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otbill.refdata.fee_schedule import (
        FeeSchedule,
        Gpci,
        RvuRow,
        allowed_amount,
        conversion_factor,
    )
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

_HOMES = {
    "fee_schedule": ("FeeSchedule", "Gpci", "RvuRow", "allowed_amount", "conversion_factor"),
    "formats": ("RefdataFormatError", "infer_release"),
    "mue": ("MueLimit", "MueTable", "read_mue"),
    "ncci": ("PtpEdit", "PtpTable", "read_ptp"),
    "store": (
        "ImportResult",
        "import_file",
        "list_imported",
        "load_fee_schedule",
        "load_gpci",
        "load_mue",
        "load_ncci_ptp",
        "load_rvu",
    ),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'otbill.refdata' has no attribute {name!r}")
    return getattr(importlib.import_module(f"otbill.refdata.{module}"), name)
