"""Build ``src/otbill/codes/data/carc_rarc_dates.csv``: every CARC and RARC with its status in the
current lists and its start and stop (deactivation) dates.

Usage::

    python scripts/build_carc_rarc_dates.py CARC_LIST RARC_LIST DATED_LIST > src/otbill/codes/data/carc_rarc_dates.csv

``CARC_LIST`` and ``RARC_LIST`` are the X12 Claim Adjustment Reason Code and Remittance Advice
Remark Code lists as published (x12.org/codes; columns ``code``, ``description``, ``status``
current or deactivated), ``DATED_LIST`` the combined list with dates (columns ``type``, ``code``,
``start_date``, ``last_modified``, ``stop_date``). Only codes, statuses and dates are written:
the descriptions are X12's text and otbill words codes its own way (``codes/carc.py``,
``codes/rarc.py``). A code of the current lists missing from the dated list gets empty dates.
"""

from __future__ import annotations

import csv
import sys


def main(carc_list: str, rarc_list: str, dated_list: str) -> None:
    with open(dated_list, newline="", encoding="utf-8") as f:
        dates = {(r["type"], r["code"]): r for r in csv.DictReader(f)}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["type", "code", "status", "start_date", "stop_date"])
    for kind, path in (("CARC", carc_list), ("RARC", rarc_list)):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            dated = dates.get((kind, r["code"]), {})
            out.writerow([kind, r["code"], r["status"].strip(), dated.get("start_date", ""),
                          dated.get("stop_date", "")])  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:4])
