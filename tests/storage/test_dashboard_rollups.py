"""Migration 0033's dashboard rollups: after any status changes, claim changes, postings,
reversals and denials the dashboard's figures read from the kept day rows equal the ones
worked out from the operations (and the rows equal the sources summed afresh); a drifted row is named; the tables go
down and up with rows present, and an upgraded clinic's dashboard shows the same figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from otbill.domain.money import to_cents
from otbill.services.ledger import balances, post, reverse
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database, UnitOfWork
from otbill.storage.migrate import current_revision, head_revision, upgrade
from otbill.storage.repositories.dashboard_summary import rollup_mismatches
from otbill.storage.tables import (
    ClaimRow,
    ClaimVisitRow,
    DenialRow,
    RemittanceRow,
    ServiceLineRow,
    VisitRow,
)
from support.clinickit import Ids, insert_claim, seed_clinic
from support.ledgerkit import ledger_entry
from support.migrationkit import downgrade_to
from support.remitkit import make_835, paid_claim, submitted_claim

ON = dt.date(2025, 3, 1)
FIRST, END = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
_KINDS = ["charge", "payment", "patient_payment", "adjustment", "transfer", "reverse"]
_OP = st.tuples(
    st.sampled_from(
        [
            *_KINDS,
            "charge",
            "ready",
            "held",
            "denial",
            "status",
            "recharge",
            "remit",
            "seen",
            "bill",
            "unline",
        ]
    ),
    st.integers(min_value=0, max_value=2),  # which claim
    st.integers(min_value=0, max_value=1),  # which line
    st.integers(min_value=1, max_value=20_000),  # cents
    st.integers(min_value=0, max_value=50),  # which posting to reverse, which denial code
)
_CODES = [("CO", "50"), ("CO", "197"), ("PR", "1")]
_STATUSES = ["submitted", "paid", "denied", "appealed", "closed"]


@dataclass
class _Claim:
    id: int
    day: dt.date
    payer: int
    lines: list[int]
    visits: int
    first_status: str | None = None
    paid: list[int] = field(default_factory=lambda: [0, 0])  # payer, patient cents (net)
    has_payment: bool = False
    denials: set[tuple[str, str]] = field(default_factory=set)
    status: str = "approved"
    decided: bool = False
    charge: int = 15_000


def _claims(db: Database, ids: Ids, tag: str) -> list[_Claim]:
    """Three claims on different days and payers, with one to three visits each."""
    out = []
    for i in range(3):
        claim_id, lines = insert_claim(db, ids, f"{tag}-{i}")
        day, payer = dt.date(2025, 2, 10 + i), (ids.medicare, ids.commercial)[i % 2]
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            row = uow.session.get(ClaimRow, claim_id)  # through the ORM: the rollups follow
            assert row is not None
            row.date_of_service, row.payer_id = day, payer
            for _ in range(i + 1):
                visit = uow.records.add(VisitRow(clinic_id=ids.clinic, patient_id=ids.patient,
                                                 provider_id=ids.otr, date=day,
                                                 place_of_service="11"))  # fmt: skip
                uow.flush()
                uow.records.add(ClaimVisitRow(claim_id=claim_id, visit_id=visit.id))
        out.append(_Claim(claim_id, day, payer, lines, i + 1))
    return out


@dataclass
class _Visits:
    """Visits seen with a service line, and which of them a claim bills or lost its line."""

    lines: dict[int, int] = field(default_factory=dict)  # visit -> its service line
    billed: set[int] = field(default_factory=set)

    def unbilled(self) -> int:
        return len(set(self.lines) - self.billed)


def _visit_op(
    uow: UnitOfWork, ids: Ids, claim: _Claim, op: str, pick: int, visits: _Visits
) -> None:
    if op == "seen":  # a visit with one service line, no claim yet
        visit = uow.records.add(VisitRow(clinic_id=ids.clinic, patient_id=ids.patient,
                                         provider_id=ids.otr, date=claim.day,
                                         place_of_service="11"))  # fmt: skip
        uow.flush()
        line = uow.records.add(ServiceLineRow(clinic_id=ids.clinic, visit_id=visit.id, position=1,
                                              code="97530", minutes=30, units=2))  # fmt: skip
        uow.flush()
        visits.lines[visit.id] = line.id
    elif visits.lines:
        visit = sorted(visits.lines)[pick % len(visits.lines)]
        if op == "bill" and visit not in visits.billed:
            uow.records.add(ClaimVisitRow(claim_id=claim.id, visit_id=visit))
            visits.billed.add(visit)
            claim.visits += 1  # billed on it: counted with its visits if it is paid
        elif op == "unline":  # the therapist took the code out: nothing to bill
            uow.visits.remove_line(visits.lines.pop(visit))


def _apply(
    db: Database,
    ids: Ids,
    claims: list[_Claim],
    ops: list,
    tag: str,
    visits: _Visits | None = None,  # type: ignore[type-arg]
) -> None:
    """Run the operations, one unit of work each, noting in ``claims`` what they should do."""
    made: list[tuple[int, _Claim, str, int]] = []  # posting id, claim, op, cents
    visits = visits if visits is not None else _Visits()
    for n, (op, which, line, cents, pick) in enumerate(ops):
        claim = claims[which]
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            if op in ("seen", "bill", "unline"):
                _visit_op(uow, ids, claim, op, pick, visits)
            elif op in ("ready", "held"):
                uow.claims.add_status_change(claim.id, "draft", op, "scrubbed", ids.biller)
                claim.first_status = claim.first_status or op
            elif op == "status":
                claim.status = _STATUSES[pick % len(_STATUSES)]
                uow.claims.change(claim.id, status=claim.status)
            elif op == "recharge":
                claim.charge = cents
                uow.claims.change(claim.id, total_charge_cents=cents)
            elif op == "remit":  # an 835's payment: the payer decided the claim
                remit = uow.records.add(RemittanceRow(payer_id=claim.payer, trace_number=f"{tag}-{n}",
                                                      paid_on=ON, total_cents=cents))  # fmt: skip
                uow.flush()
                entry = replace(ledger_entry(f"{tag}:{n}", "payment", claim.lines[line], cents),
                                remittance_id=remit.id)  # fmt: skip
                made.append((post(uow, entry, ON)[0], claim, "payment", cents))
                claim.paid[0] += cents
                claim.has_payment = claim.decided = True
            elif op == "denial":
                group, carc = _CODES[pick % len(_CODES)]
                uow.records.add(DenialRow(claim_id=claim.id, claim_line_id=claim.lines[line],
                                          group_code=group, carc=carc, denied_on=ON))  # fmt: skip
                claim.denials.add((group, carc))
            elif op == "reverse":
                if made:
                    posting, owner, kind, amount = made.pop(pick % len(made))
                    reverse(uow, posting, f"{tag}:rev:{posting}", ON)
                    if "payment" in kind:
                        owner.paid[kind == "patient_payment"] -= amount
            else:
                posting, _ = post(uow, ledger_entry(f"{tag}:{n}", op, claim.lines[line], cents), ON)
                made.append((posting, claim, op, cents))
                if "payment" in op:
                    claim.paid[op == "patient_payment"] += cents
                    claim.has_payment = True


def _want(db: Database, ids: Ids, claims: list[_Claim]) -> dict[str, object]:
    first: dict[tuple[dt.date, str], int] = defaultdict(int)
    money: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    causes: dict[tuple[dt.date, str, str], int] = defaultdict(int)
    owed = []
    statuses: dict[str, tuple[int, int]] = {}
    payers: dict[int, tuple[int, int]] = {}
    decided: dict[tuple[dt.date, int], tuple[int, int]] = {}
    for c in claims:
        n, cents = statuses.get(c.status, (0, 0))
        statuses[c.status] = (n + 1, cents + c.charge)
        if c.decided:
            decided[(c.day, c.payer)] = (1, int(bool(c.denials)))
        n, cents = payers.get(c.payer, (0, 0))
        payers[c.payer] = (n + 1, cents + c.charge)
        if c.first_status:
            first[(c.day, "ready" if c.first_status == "ready" else "not ready")] += 1
        if c.has_payment:
            money[c.payer] = [
                a + b for a, b in zip(money[c.payer], [*c.paid, c.visits], strict=True)
            ]
        for group, carc in c.denials:
            causes[(c.day, group, carc)] += 1
        with db.unit_of_work(ids.clinic) as uow:
            by_line = balances(uow, claim_id=c.id).by_line.values()
        insurance = sum(to_cents(b.payer_balance) for b in by_line)
        patient = sum(to_cents(b.patient_balance) for b in by_line)
        if insurance + patient > 0:
            owed.append((c.day, insurance, patient, 1))
    return {
        "first": {k: n for k, n in first.items()},
        "payments": {p: (a, b) for p, (a, b, _) in money.items()},
        "visits": {p: n for p, (_, _, n) in money.items()},
        "open": sorted(owed),
        "causes": dict(causes),
        "statuses": statuses,
        "payers": payers,
        "decided": decided,
    }


def _have(db: Database, ids: Ids) -> dict[str, object]:
    with db.unit_of_work(ids.clinic) as uow:
        r = uow.reports
        return {
            "first": {(d, s): n for d, s, n in r.first_scrubs(FIRST, END) if n},
            "payments": r.payments_by_payer(FIRST, END),
            "visits": r.paid_visits_by_payer(FIRST, END),
            "open": sorted(r.open_balances()),
            "causes": {(d, g, c): n for d, g, c, n in r.denial_causes(FIRST, END)},
            "statuses": {s: (n, cents) for s, n, cents in r.claims_by_status()},
            "payers": {p: (n, cents) for p, n, cents in r.claims_by_payer(FIRST, END)},
            "decided": {(d, p): (n, m) for d, p, n, m in r.decided_claims(FIRST, END)},
        }


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_OP, min_size=1, max_size=16))
def test_rollups_equal_the_figures_worked_out_from_the_writes(db: Database, ops: list) -> None:  # type: ignore[type-arg]
    db._n = getattr(db, "_n", 0) + 1  # type: ignore[attr-defined]
    tag = f"D{db._n}"  # type: ignore[attr-defined]
    ids = seed_clinic(db, tag, db._n)  # type: ignore[attr-defined]  # a clinic per example
    claims, visits = _claims(db, ids, tag), _Visits()
    _apply(db, ids, claims, [("charge", i, 0, 9000, 0) for i in range(3)] + ops, tag, visits)
    assert _have(db, ids) == _want(db, ids, claims)
    with db.unit_of_work(ids.clinic) as uow:
        assert sum(n for _, n in uow.reports.unbilled_visits()) == visits.unbilled()
    with db.unit_of_work(ids.clinic) as uow:
        assert rollup_mismatches(uow.session, ids.clinic) == []


def test_a_drifted_rollup_is_named(db: Database) -> None:
    ids = seed_clinic(db)
    claims = _claims(db, ids, "C")
    _apply(db, ids, claims, [("ready", 0, 0, 0, 0), ("charge", 0, 0, 9000, 0),
                             ("payment", 0, 0, 4000, 0)], "d")  # fmt: skip
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE dashboard_day SET payer_paid_cents = 1"))
    with db.unit_of_work(ids.clinic) as uow:
        [problem] = rollup_mismatches(uow.session, ids.clinic)
    assert problem.startswith(f"dashboard_day {{'clinic_id': {ids.clinic}, 'date_of_service': ")
    assert "'payer_paid_cents': 1," in problem and "'payer_paid_cents': 4000," in problem


def test_rollups_down_and_up_with_rows_present(db: Database) -> None:
    ids = seed_clinic(db)
    claims = _claims(db, ids, "M")
    ops = [("held", 0, 0, 0, 0), ("ready", 1, 0, 0, 0), ("charge", 0, 0, 9000, 0),
           ("charge", 1, 1, 7000, 0), ("payment", 0, 0, 5000, 0), ("transfer", 0, 0, 1000, 0),
           ("patient_payment", 1, 1, 2000, 0), ("denial", 1, 1, 0, 1), ("denial", 1, 0, 0, 1),
           ("adjustment", 1, 1, 5000, 0), ("remit", 1, 0, 1000, 0), ("seen", 0, 0, 0, 0),
           ("seen", 1, 0, 0, 0), ("bill", 1, 0, 0, 0)]  # fmt: skip
    _apply(db, ids, claims, ops, "m")
    before = _have(db, ids)
    with db.unit_of_work(ids.clinic) as uow:
        assert sum(n for _, n in uow.reports.unbilled_visits()) == 1
    assert before == _want(db, ids, claims)
    assert before["causes"] == {(claims[1].day, "CO", "197"): 1}
    downgrade_to(db, "0032")
    assert current_revision(db.engine) == "0032"
    tables = set(inspect(db.engine).get_table_names())
    assert not tables & {"dashboard_day", "denial_cause_day", "claim_month", "unbilled_visit"}
    upgrade(db.engine)  # the backfill, from the sources
    assert current_revision(db.engine) == head_revision()
    assert _have(db, ids) == before
    with db.unit_of_work(ids.clinic) as uow:
        assert rollup_mismatches(uow.session, ids.clinic) == []
        assert sum(n for _, n in uow.reports.unbilled_visits()) == 1


def test_an_835_posted_leaves_the_rollups_equal_to_the_sources(db: Database) -> None:
    """The remittance path (batched postings, status changes, denials) keeps them too."""
    ids = seed_clinic(db)
    for number in ("P1", "P2", "D1"):
        submitted_claim(db, ids, number)
    denied = "CLP*D1*4*150*0*0*MB*ICND1*11*1\nCAS*CO*197*150\nMOA***N130"
    body = "\n".join((paid_claim("P1"), paid_claim("P2"), denied))
    post_remittance(db, ids.clinic, ids.biller, make_835(body, "192"), name="a.835",
                    today=dt.date(2025, 3, 10), any_payee=True)  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow:
        assert rollup_mismatches(uow.session, ids.clinic) == []
        decided = uow.reports.decided_claims(FIRST, END)
        causes = uow.reports.denial_causes(FIRST, END)
    assert [(n, denials) for _, _, n, denials in decided] == [(3, 1)]
    assert [(g, c, n) for _, g, c, n in causes] == [("CO", "197", 1)]
