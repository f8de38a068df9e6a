"""Medicare tables from CMS's own files: PPRRVU 2025 (RVU25D) and the 2025 GPCIs imported with
``refdata.store.import_file`` (as ``otbill refdata import`` does), priced for a locality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from otbill.domain.charges import Fee
from otbill.domain.pricing import DayLine
from otbill.refdata.store import import_file
from otbill.services.money.tariffs import ContractRates, PfsTables, is_assistant_line
from support.shared import require_shared

DAY = dt.date(2025, 6, 2)


@pytest.mark.shared("refdata")
def test_austin_locality_from_the_imported_cms_files(tmp_path: Path) -> None:
    mpfs = require_shared("refdata") / "mpfs"
    import_file(
        "rvu", mpfs / "PPRRVU2025_Oct_therapy_subset.csv", dest_dir=tmp_path,
        effective=dt.date(2025, 1, 1), release="RVU25D",
    )  # fmt: skip
    import_file(
        "gpci", mpfs / "GPCI2025.csv", dest_dir=tmp_path, effective=dt.date(2025, 1, 1),
        release="GPCI2025",
    )  # fmt: skip
    tariff = PfsTables([tmp_path], locality="04412-31").on(DAY)  # TX, Austin
    assert tariff is not None and "locality 04412-31 (AUSTIN)" in tariff.label
    first, second = tariff.price([DayLine("97530", 1), DayLine("97530", 1)], facility=False)
    assert first is not None and second is not None
    # (0.44 x 1 + 0.62 x 1.046 + 0.01 x 0.914) x 32.3465 = 35.5055...
    assert first.allowed == Decimal("35.51")
    # the second unit with half its PE: (0.44 + 0.31 x 1.046 + 0.00914) x 32.3465 = 25.0178...
    assert second.allowed == Decimal("25.02")
    national = PfsTables([tmp_path]).on(DAY)
    assert national is not None and "national" in national.label


def test_no_tables_before_2025_without_an_import(tmp_path: Path) -> None:
    assert PfsTables([tmp_path]).on(dt.date(2024, 6, 3)) is None
    assert PfsTables([tmp_path]).on(dt.date(2025, 1, 2)) is not None  # the shipped OT subset


def test_contract_rates_payer_first_then_clinic_default() -> None:
    rates = ContractRates(
        [
            Fee(None, "97530", dt.date(2024, 1, 1), 9000, 3000),
            Fee(7, "97530", dt.date(2025, 1, 1), 9000, 3500),
        ]
    )
    assert rates.per_unit(7, "97530", dt.date(2024, 12, 31)) == Decimal("30.00")
    assert rates.per_unit(7, "97530", dt.date(2025, 1, 1)) == Decimal("35.00")
    assert rates.per_unit(8, "97110", DAY) is None
    assert rates.with_rates(7, {"97530": Decimal("40")}).per_unit(7, "97530", DAY) == Decimal(
        "40.00"
    )


def test_assistant_lines() -> None:
    assert is_assistant_line("GO,CO", False) and is_assistant_line("GP,CQ", False)
    assert is_assistant_line("GO", True) and not is_assistant_line("GO,59", False)
