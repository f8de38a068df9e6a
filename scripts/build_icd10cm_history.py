"""Build ``src/otbill/codes/data/icd10cm_history.csv``: how older ICD-10-CM releases differ.

Usage::

    python scripts/build_icd10cm_history.py RELEASE=FILE [RELEASE=FILE ...] --current FILE

where each FILE is a CDC/NCHS ICD-10-CM code file and RELEASE its id as listed in
``otbill.codes.icd10cm.RELEASES`` (for example ``2021-01``). ``FILE,+ADDENDA`` applies CDC's
order-file addenda (``icd10cm_order_addenda_*.txt``: ``Add:``/``Delete:`` lines with the valid
flag) to the file's codes and ``FILE,-ADDENDA`` undoes them, for a release whose own file is
missing but whose neighbour and addenda are at hand (several steps may follow, in order).
Three layouts of code file are read:

* the *order* file (``icd10cm-order-*.txt``: order number, code, ``1`` when the code is valid for
  HIPAA transactions, descriptions);
* the *code list* (``code-list-*.txt``: one code a line, chapters and blocks included), whose
  billable codes are its leaves (no longer code below them);
* an R data file holding one CDC order file as a data frame, one row per code with its "valid
  for HIPAA" flag: ``icd10cmYYYY.RData`` of the ``icd.data`` package (columns ``code`` and
  ``billable``) or ``icd10cm.rda`` of the ``icd10us`` package (``icd10cm_code`` and
  ``valid_billing_code``); read with the PyPI package ``rdata`` (install it for the build only;
  otbill does not depend on it).

Where the files came from (all CDC/NCHS public-domain releases; the code around them is
MIT-licensed (``simple-icd-10-cm``) or GPL-3 (``icd.data``), and only the public data are read):

* ``2015-10``, ``2016-10``, ``2017-10``, ``2018-10`` (FY2016-FY2019):
  ``data/icd10cm2016.RData`` ... ``data/icd10cm2019.RData`` of the GitHub repository
  ``jackwasey/icd.data`` (R package icd.data 1.1.2) at commit
  ``290910688facd5ce03afcbdbb57ebb8705ff9a88``, parsed by that package from CMS's
  ``icd10cm_order_2016.txt`` ... ``icd10cm_order_2019.txt``;
* ``2021-01``: ``icd10cm-order-Jan-2021.txt`` in simple-icd-10-cm 1.0.5;
* ``2021-10``, ``2022-10``, ``2023-10``, ``2024-10`` (FY2022-FY2025): CDC's order files
  ``icd10cm-order-2022.txt`` ... ``icd10cm-order-2025.txt``, from the zips CDC published
  (``2022/Code Descriptions zip.zip``, ``2023/icd10-Order-CodeFiles2023.zip``,
  ``2024/icd10cm-CodesDescriptions-2024.zip``, ``2025/ICD10-CM Code Descriptions 2025.zip``)
  as kept in the GitHub repository ``dewittpe/medicalcoder`` (commit
  ``4e48bdcbf113b7116ed0278fa3f3a15fb682c4a1``) under
  ``data-raw/icd/icd10/ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/ICD10CM/``;
* addenda (CDC's, from the same medicalcoder folder): ``2020/icd10cm_order_addenda_2020.txt``
  (FY2019 to FY2020), ``2021/icd10cm_order_addenda_2021.txt`` (FY2020 to FY2021, October
  2020), ``2022/icd10cm_order_addenda_2022.txt`` (October 2021 to April 2022) and
  ``icd10cm-order-addenda-2024.txt`` in ``2024/icd10cm-CodesDescriptions-2024.zip`` (April
  2023 to FY2024, undone to get April 2023);
* current (``--current``): ``code-list-April-2026.txt`` in simple-icd-10-cm 1.5.0 (installed).

The shipped CSV was built with (FILEs as named above, oldest first)::

    A=icd10cm2019.RData,+icd10cm_order_addenda_2020.txt
    python scripts/build_icd10cm_history.py 2015-10=icd10cm2016.RData \
        2016-10=icd10cm2017.RData 2017-10=icd10cm2018.RData 2018-10=icd10cm2019.RData \
        2019-10=$A 2020-10=$A,+icd10cm_order_addenda_2021.txt \
        2021-01=icd10cm-order-Jan-2021.txt 2021-10=icd10cm-order-2022.txt \
        2022-04=icd10cm-order-2022.txt,+icd10cm_order_addenda_2022.txt \
        2022-10=icd10cm-order-2023.txt \
        2023-04=icd10cm-order-2024.txt,-icd10cm-order-addenda-2024.txt \
        2023-10=icd10cm-order-2024.txt 2024-10=icd10cm-order-2025.txt \
        --current code-list-April-2026.txt

The output has one row per code whose billability differs between an older release and the
current one: ``release,change,code`` with ``change`` = ``added_later`` (billable now, not then) or
``billable_then`` (billable then, not now: deleted since, or split into more specific codes).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/otbill/codes/data/icd10cm_history.csv"


def billable_codes(path: Path) -> set[str]:
    """The codes valid on a claim in one CDC file (order file, code list, icd.data R file)."""
    if path.suffix.lower() in {".rdata", ".rda"}:
        return _r_billable(path)
    lines = path.read_text(encoding="latin-1").splitlines()
    if lines and len(lines[0]) > 14 and lines[0][:5].isdigit():  # the fixed-width order file
        return {line[6:13].strip() for line in lines if line[14:15] == "1"}
    codes = sorted(
        c for c in (line.strip() for line in lines) if c and "-" not in c and not c.isdigit()
    )
    return {c for c, after in zip(codes, [*codes[1:], ""], strict=True) if not after.startswith(c)}


#: (code column, flag column) of the R data frames read: icd.data's, then icd10us's.
_R_COLUMNS = (("code", "billable"), ("icd10cm_code", "valid_billing_code"))


def _r_billable(path: Path) -> set[str]:
    """The billable codes of an R data frame made from one CDC order file."""
    import warnings

    import rdata  # type: ignore[import-not-found]  # build-time only

    with warnings.catch_warnings():  # its R classes (icd10cm, icd10) have no Python constructor
        warnings.simplefilter("ignore")
        (frame,) = rdata.read_rda(path, default_encoding="latin1").values()
    code, flag = next(pair for pair in _R_COLUMNS if set(pair) <= set(frame.columns))
    return {str(c) for c, b in zip(frame[code], frame[flag], strict=True) if b == 1}


def apply_addenda(codes: set[str], path: Path, *, backwards: bool = False) -> set[str]:
    """The billable codes after (or, ``backwards``, before) a CDC order-file addenda.

    Its lines ``Add:    1 CODE ...`` and ``Delete: 1 CODE ...`` carry the order file's "valid
    for HIPAA" flag; a code turned into a header is deleted with 1 and added with 0.
    """
    added: set[str] = set()
    deleted: set[str] = set()
    for line in path.read_text(encoding="latin-1").splitlines():
        kind, _, rest = line.partition(":")
        fields = rest.split()
        if kind in {"Add", "Delete"} and len(fields) >= 2 and fields[0] == "1":
            (added if kind == "Add" else deleted).add(fields[1])
    if backwards:
        added, deleted = deleted, added
    missing = deleted - codes
    if missing or added & codes:
        raise SystemExit(f"{path}: does not apply to this list ({len(missing)} deletions absent)")
    return (codes - deleted) | added


def release_codes(spec: str) -> set[str]:
    """``FILE`` or ``FILE,+ADDENDA,-ADDENDA...``: a code file, then addenda applied forward
    (``+``) or undone (``-``), in order."""
    file, *steps = spec.split(",")
    codes = billable_codes(Path(file))
    for step in steps:
        codes = apply_addenda(codes, Path(step[1:]), backwards=step.startswith("-"))
    return codes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("releases", nargs="+", help="RELEASE=FILE[,+ADDENDA|,-ADDENDA...]")
    parser.add_argument("--current", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    current = billable_codes(args.current)
    rows: list[tuple[str, str, str]] = []
    for spec in args.releases:
        release, _, files = spec.partition("=")
        then = release_codes(files)
        rows += [(release, "added_later", c) for c in sorted(current - then)]
        rows += [(release, "billable_then", c) for c in sorted(then - current)]
        print(f"{release}: {len(then)} billable; {len(current - then)} added since, "
              f"{len(then - current)} no longer billable", file=sys.stderr)  # fmt: skip
    with args.out.open("w", newline="", encoding="ascii") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["release", "change", "code"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
