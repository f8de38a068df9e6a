"""What-if re-pricing: 2024 -> 2025 on Medicare (conversion factor alone when no 2024 RVUs),
a payer's proposed rates, a payer-mix shift; each change per payer, code and month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from otbill.domain.charges import Fee
from otbill.services.money.tariffs import ContractRates, PfsTables
from otbill.services.views.what_if import Scenario, last_twelve_months, reprice, what_if
from otbill.storage import Database
from support.clinickit import insert_claim, seed_clinic

FIRST, END = dt.date(2024, 4, 1), dt.date(2025, 4, 1)
PAYERS = {1: ("Medicare Part B", "medicare"), 2: ("Acme Health", "commercial-in-network")}
DAY = dt.date(2025, 2, 14)
ROWS = [  # payer, date, place, the day's lines (code, units, assistant), claims
    (1, DAY, "11", (("97530", 2, False), ("97530", 2, False)), 1),
    (2, DAY, "11", (("97530", 2, False),), 1),
    (2, dt.date(2025, 3, 3), "11", (("97110", 1, False),), 1),
]
CONTRACTS = ContractRates(
    [
        Fee(None, "97530", dt.date(2024, 1, 1), 9000, 3000),
        Fee(None, "97110", dt.date(2024, 1, 1), 8000, 2500),
    ]
)


def test_window_is_the_last_twelve_whole_months() -> None:
    assert last_twelve_months(dt.date(2025, 4, 1)) == (FIRST, END)


def test_2024_to_2025_is_the_conversion_factor_cut(tmp_path: Path) -> None:
    result = reprice(
        ROWS, PAYERS, CONTRACTS, PfsTables([tmp_path]), Scenario("year", 2024, 2025), FIRST, END
    )
    medicare = next(r for r in result.by_payer if r.label == "Medicare Part B")
    # one day of 97530 x 2 twice: a full unit and three reduced ones (MPPR)
    assert medicare.before == Decimal("111.52")  # 35.62 + 3 x 25.30 at 33.2875
    assert medicare.after == Decimal("108.35")  # 34.61 + 3 x 24.58 at 32.3465
    assert medicare.percent == Decimal("-2.84")
    acme = next(r for r in result.by_payer if r.label == "Acme Health")
    assert acme.change == 0 and acme.before == Decimal("85.00")  # 2 x 30.00 + 25.00
    assert any("2025 RVUs price both years" in n for n in result.notes)
    assert [m.label for m in result.by_month] == ["2025-02", "2025-03"]
    assert (result.visits, result.lines) == (3, 4)


def test_proposed_rates_for_one_payer(tmp_path: Path) -> None:
    scenario = Scenario("rates", payer_id=2, rates={"97530": Decimal("33.00")})
    result = reprice(ROWS, PAYERS, CONTRACTS, PfsTables([tmp_path]), scenario, FIRST, END)
    by_code = {r.label: r for r in result.by_code}
    assert by_code["97530"].change == Decimal("6.00")  # 2 units x 3.00, Acme's line only
    assert by_code["97110"].change == 0
    assert "Acme Health at its proposed rates" in result.title


def test_payer_mix_moves_visits(tmp_path: Path) -> None:
    scenario = Scenario("mix", payer_id=2, to_payer_id=1, share=Decimal("0.5"))
    result = reprice(ROWS, PAYERS, CONTRACTS, PfsTables([tmp_path]), scenario, FIRST, END)
    acme = next(r for r in result.by_payer if r.label == "Acme Health")
    assert acme.after == acme.before / 2
    medicare = next(r for r in result.by_payer if r.label == "Medicare Part B")
    # half of the 97530 x 2 day (34.61 + 24.58) and half of a 97110 unit (28.79)
    assert medicare.change == Decimal("43.99")


def test_what_if_on_the_database(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    insert_claim(db, ids, "W1")
    with db.unit_of_work(ids.clinic) as uow:
        result = what_if(uow, [tmp_path], Scenario("year", 2024, 2025), FIRST, END)
    assert result.total.before == Decimal("111.52")
    assert result.total.change == Decimal("-3.17")
