"""Issue 14's open balances one level up (migration 0034): ``open_balance_day`` equals the realized
ledger's open claim lines summed per payer, patient, therapist and day after any postings and
reversals, on SQLite and PostgreSQL; a drifted row is named; a downgrade and upgrade with rows
keeps the agings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from otbill.domain.money import to_cents
from otbill.services.ledger import balances
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from otbill.storage.repositories.owner_open import open_day_mismatches
from support.clinickit import Ids, another_clinic, insert_claim, seed_clinic
from support.ledgerkit import post_ops

ON = dt.date(2025, 3, 1)
SERVED = dt.date(2025, 2, 14)  # insert_claim's date of service
LIMITS = [dt.date(2025, 3, 1), dt.date(2025, 1, 1)]

_OP = st.tuples(
    st.sampled_from(["charge", "payment", "patient_payment", "adjustment", "transfer", "reverse"]),
    st.integers(min_value=0, max_value=3),  # which line (of two claims, two lines each)
    st.integers(min_value=1, max_value=20_000),  # cents
    st.integers(min_value=0, max_value=50),  # which posting to reverse
)


def _run(db: Database, ids: Ids, lines: list[int], ops: list, tag: str) -> None:  # type: ignore[type-arg]
    post_ops(db, (ids.clinic, ids.biller), lines, ops, tag, ON)


def _claims(db: Database, ids: Ids, tag: str) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Two claims of the same patient, payer and day; each claim's second line by the COTA.
    Returns line id -> (claim, therapist) and the line ids."""
    owner: dict[int, tuple[int, int]] = {}
    for n in (1, 2):
        claim, lines = insert_claim(db, ids, f"{tag}-{n}")
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE claim_line SET rendering_provider_id = :p WHERE id = :i"),
                {"p": ids.cota, "i": lines[1]},
            )
        owner.update({lines[0]: (claim, ids.otr), lines[1]: (claim, ids.cota)})
    return owner, list(owner)


def _truth(db: Database, ids: Ids, owner: dict[int, tuple[int, int]]) -> dict[int, tuple[int, ...]]:
    """Therapist -> (insurance, patient cents, claims) of the open lines, from ``realize``."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    claims: dict[int, set[int]] = defaultdict(set)
    with db.unit_of_work(ids.clinic) as uow:
        for line, b in balances(uow).by_line.items():
            if line not in owner:
                continue
            ins, pat = to_cents(b.payer_balance), to_cents(b.patient_balance)
            if ins + pat > 0:
                claim, therapist = owner[line]
                sums[therapist][0] += ins
                sums[therapist][1] += pat
                claims[therapist].add(claim)
    return {t: (s[0], s[1], len(claims[t])) for t, s in sums.items()}


def _kept(db: Database, ids: Ids) -> dict[int, tuple[int, ...]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT provider_id, payer_id, patient_id, date_of_service, insurance_cents, "
                 "patient_cents, claims FROM open_balance_day WHERE clinic_id = :c"),
            {"c": ids.clinic},
        )  # fmt: skip
        out = {}
        for provider, payer, patient, day, *cents in rows:
            assert (payer, patient, str(day)) == (ids.medicare, ids.patient, str(SERVED))
            out[provider] = tuple(cents)
        return out


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_OP, min_size=1, max_size=14))
def test_kept_open_days_equal_the_realized_ledger(db: Database, ops: list) -> None:  # type: ignore[type-arg]
    ids = another_clinic(db)
    owner, lines = _claims(db, ids, "S")
    charges = [("charge", i, 9000, 0) for i in range(4)]
    _run(db, ids, lines, [*charges, *ops], "S")
    assert _kept(db, ids) == _truth(db, ids, owner)
    with db.unit_of_work(ids.clinic) as uow:
        assert open_day_mismatches(uow.session, ids.clinic) == []


def test_a_drifted_row_is_named(db: Database) -> None:
    ids = seed_clinic(db)
    _owner, lines = _claims(db, ids, "D")
    _run(db, ids, lines, [("charge", 0, 9000, 0)], "d")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE open_balance_day SET insurance_cents = 1"))
    with db.unit_of_work(ids.clinic) as uow:
        assert open_day_mismatches(uow.session, ids.clinic) == [
            f"payer {ids.medicare}, patient {ids.patient}, therapist {ids.otr}, {SERVED}: kept "
            "open (insurance, patient cents, claims) (1, 0, 1), the claim lines' (9000, 0, 1)"
        ]


def test_the_agings_survive_a_downgrade_and_upgrade_with_rows(db: Database) -> None:
    ids = seed_clinic(db)
    owner, lines = _claims(db, ids, "U")
    ops = [("charge", i, 9000, 0) for i in range(4)]
    ops += [("payment", 0, 9000, 0), ("transfer", 1, 1000, 0), ("payment", 2, 12000, 0)]
    _run(db, ids, lines, ops, "u")
    with db.unit_of_work(ids.clinic) as uow:
        before = sorted(uow.owner_reports.open_line_balances(LIMITS))
    # line 0 settled, line 1 open (8000 + 1000), line 2 overpaid (-3000: not open), line 3 open
    assert before == [(ids.medicare, ids.patient, ids.cota, 1, 17000, 1000, 2)]
    assert _kept(db, ids) == _truth(db, ids, owner)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0033")
    assert current_revision(db.engine) == "0033"
    upgrade(db.engine)  # the backfill, from the kept line balances
    assert current_revision(db.engine) == head_revision()
    with db.unit_of_work(ids.clinic) as uow:
        assert sorted(uow.owner_reports.open_line_balances(LIMITS)) == before
        assert open_day_mismatches(uow.session, ids.clinic) == []
