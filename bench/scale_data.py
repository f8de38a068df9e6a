"""The data of bench/scale.py: 200 clinics and 10,000,000 claim lines, generated inside PostgreSQL.

Clinics, their users, payers and therapists are made through the services (a login needs a real
password hash and audit chain); everything counted in millions is written by ``INSERT … SELECT``
over ``generate_series`` from a small plan table (one row per clinic: its claim and patient id
ranges, payers, therapists, biller), so the load takes minutes, not the hours the ORM would.
Foreign-key triggers are off while loading (``session_replication_role = replica``: the rows are
consistent by construction) and the big tables' secondary indexes are dropped and rebuilt once.

What each claim gets: 1-4 lines (2.5 on average), a visit and its claim_visit link, the first
scrub in the status history, and by status: findings (held), a denial (denied, appealed), an
appeal (appealed), postings (charge once approved; payer payment, contractual adjustment and the
patient's share when paid; the patient's payment when closed; the denial's write-off), each
payment in a monthly remittance per payer. A few recent visits per clinic are not billed yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, text

from otbill.codes import npi
from otbill.services.clinic import setup as clinic
from otbill.storage import Database
from otbill.storage.repositories.dashboard_summary import backfill_rollups
from otbill.storage.repositories.owner_summary import backfill

__all__ = ["BILLER_PASSWORD", "PlanRow", "clinic_sizes", "load", "make_clinics"]

BILLER_PASSWORD = "scale-biller"
PAYERS = (("00435", "Medicare", "medicare"), ("87726", "UnitedHealthcare", "commercial-in-network"),
          ("60054", "Aetna", "commercial-in-network"), ("62308", "Cigna", "commercial-in-network"))  # fmt: skip
BIG_TABLES = ("patient", "coverage", "claim", "claim_line", "claim_status_history", "visit",
              "claim_visit", "denial", "appeal", "posting", "remittance", "service_line", "note")  # fmt: skip


@dataclass(frozen=True)
class PlanRow:
    seq: int
    clinic_id: int
    code: str
    claims: int
    claim_lo: int
    patient_lo: int
    patients: int
    payers: list[int]
    providers: list[int]
    biller: int


def clinic_sizes(clinics: int, lines: int) -> list[int]:
    """Claims per clinic: a Zipf-like spread (a few big clinics, many small) summing to
    ``lines`` / 2.5 claims (each claim has 1-4 lines, 2.5 on average)."""
    weights = [1 / (i + 1) ** 0.9 for i in range(clinics)]
    claims = int(lines / 2.5)
    sizes = [max(200, int(claims * w / sum(weights))) for w in weights]
    sizes[0] += claims - sum(sizes)
    return sizes


def _npi(n: int) -> str:
    first9 = f"1{n:08d}"
    return first9 + npi.calc_check_digit(first9)


def make_clinics(db: Database, sizes: list[int]) -> Iterator[PlanRow]:
    """Each clinic with a biller (also approver and auditor), 4 payers and 2-12 therapists."""
    claim_lo, patient_lo = 1, 1
    for seq, size in enumerate(sizes):
        code = f"S{seq:03d}"
        cid = clinic.create_clinic(db, code=code, name=f"Scale OT {seq}", npi_number=_npi(seq),
                                   tax_id=f"74{seq:07d}", address=("1 Main", "Austin", "TX", "78701"))  # fmt: skip
        with db.unit_of_work(cid) as uow:
            biller = clinic.add_user(uow, username="biller", full_name="Bench Biller",
                                     password=BILLER_PASSWORD, roles=["biller", "approver", "auditor"])  # fmt: skip
        with db.unit_of_work(cid, biller) as uow:
            payers = [clinic.add_payer(uow, payer_code=c, name=n, profile=p) for c, n, p in PAYERS]
            providers = [
                clinic.add_provider(
                    uow,
                    npi_number=_npi(100_000 + seq * 20 + i),
                    first_name="Thera",
                    last_name=f"Pist{i}",
                    credential="OTR/L",
                    taxonomy="225X00000X",
                )
                for i in range(min(12, 2 + size // 20_000))
            ]
            for code_ in ("97110", "97530", "97535", "97112", "97140"):
                clinic.set_fee(uow, code=code_, charge=Decimal(65), allowed=Decimal(30),
                               effective_from=dt.date(2024, 1, 1))  # fmt: skip
        patients = max(50, size // 25)
        yield PlanRow(
            seq, cid, code, size, claim_lo, patient_lo, patients, payers, providers, biller
        )
        claim_lo += size
        patient_lo += patients


_PLAN = """CREATE TEMP TABLE bench_plan (seq int, clinic_id int, claim_lo bigint, claim_hi bigint,
    patient_lo bigint, n_patients int, payers int[], providers int[], biller int)"""

# One row per claim: who, when, what status; the other tables are derived from it.
_FACTS = """
CREATE TEMP TABLE bench_claim AS
SELECT f.*, p.payers[1 + f.patient_id % 4] AS payer_id, 1 + (f.g * 37 % 4)::int AS n_lines,
       CASE WHEN f.age < 21 THEN CASE WHEN f.r < 150 THEN 'held' WHEN f.r < 400 THEN 'ready'
                                       WHEN f.r < 550 THEN 'approved' ELSE 'submitted' END
            WHEN f.age < 60 THEN CASE WHEN f.r < 50 THEN 'rejected' WHEN f.r < 450 THEN 'submitted'
                                       WHEN f.r < 600 THEN 'accepted' WHEN f.r < 750 THEN 'denied'
                                       ELSE 'paid' END
            ELSE CASE WHEN f.r < 5 THEN 'held' WHEN f.r < 10 THEN 'ready' WHEN f.r < 25 THEN 'rejected'
                      WHEN f.r < 80 THEN 'denied' WHEN f.r < 100 THEN 'appealed'
                      WHEN f.r < 250 THEN 'closed' ELSE 'paid' END END AS status
FROM (SELECT g, p.seq, p.clinic_id, p.biller,
             p.patient_lo + (g * 7919 % p.n_patients) AS patient_id,
             p.providers[1 + g % array_length(p.providers, 1)] AS provider_id,
             (g * 104729 % 730)::int AS age, (g * 2654435761 % 1000)::int AS r
      FROM bench_plan p, generate_series(p.claim_lo, p.claim_hi) g) f
JOIN bench_plan p ON p.clinic_id = f.clinic_id
"""

_FIRST = "(ARRAY['Ana','Ben','Carla','David','Elena','Frank','Grace','Hugo','Ines','Jorge','Kim',"\
         "'Luis','Maria','Noah','Olga','Pablo','Quinn','Rosa','Sam','Tina'])"  # fmt: skip
_LAST1 = "(ARRAY['Gar','Rob','John','Wil','Mar','And','Thom','Hern','Lop','Gonz','Ander','Tay',"\
         "'Lew','Walk','Hall','Young','King','Wright','Scott','Green','Bak','Ad','Nel','Hill','Ram'])"  # fmt: skip
_LAST2 = "(ARRAY['cia','erts','son','liams','tinez','erson','as','andez','ez','alez','sen','lor',"\
         "'is','er','ton','man','sley','ford','well','ey'])"  # fmt: skip
_FINDINGS = """json_build_array(json_build_object('rule', (ARRAY['AUT001','DUP002','TEL003'])[1 + b.r % 3],
    'name', (ARRAY['authorization-missing','same-code-on-two-lines',
                   'telehealth-modifier-without-telehealth'])[1 + b.r % 3],
    'category', 'bench', 'severity', 'error', 'line', 1, 'message', 'bench finding',
    'fix', NULL, 'source', 'bench'))"""

_TODAY = "CAST(:today AS date)"
STEPS: list[tuple[str, str]] = [
    (
        "patients",
        f"""INSERT INTO patient (id, clinic_id, mrn, first_name, last_name, dob, sex, self_pay)
        SELECT p.patient_lo + k, p.clinic_id, 'M' || (p.patient_lo + k),
               {_FIRST}[1 + k % 20], {_LAST1}[1 + (k / 20) % 25] || {_LAST2}[1 + (k / 500) % 20],
               DATE '1940-01-01' + (k * 37 % 20000), CASE WHEN k % 2 = 0 THEN 'F' ELSE 'M' END, false
        FROM bench_plan p, generate_series(0, p.n_patients - 1) k""",
    ),
    (
        "coverages",
        """INSERT INTO coverage (id, clinic_id, patient_id, payer_id, member_id,
            relationship, network, priority, effective_from)
        SELECT pt.id, pt.clinic_id, pt.id, p.payers[1 + pt.id % 4], 'W' || pt.id, 'self', 'in', 1,
               DATE '2020-01-01'
        FROM patient pt JOIN bench_plan p ON p.clinic_id = pt.clinic_id""",
    ),
    (
        "claims",
        f"""INSERT INTO claim (id, clinic_id, number, patient_id, coverage_id, payer_id,
            date_of_service, status, frequency_code, payer_claim_number, place_of_service, telehealth,
            total_charge_cents, findings, error_count, created_by, last_edited_by, created_at, version)
        SELECT b.g, b.clinic_id, 'C' || b.g, b.patient_id, b.patient_id, b.payer_id,
               {_TODAY} - b.age, b.status, '1',
               CASE WHEN b.status NOT IN ('held','ready','approved') THEN 'P' || b.g END, '11', false,
               6500 * b.n_lines + (b.r % 7) * 500,
               CASE WHEN b.status = 'held' THEN {_FINDINGS} ELSE '[]'::json END,
               CASE WHEN b.status = 'held' THEN 1 ELSE 0 END, b.biller, b.biller,
               ({_TODAY} - b.age + 1)::timestamp, 1
        FROM bench_claim b""",
    ),
    (
        "claim lines",
        f"""INSERT INTO claim_line (id, clinic_id, claim_id, position, date, code, minutes,
            units, modifiers, charge_cents, allowed_cents, rendering_provider_id,
            furnished_by_assistant, distinct_service)
        SELECT b.g * 4 + k, b.clinic_id, b.g, k, {_TODAY} - b.age,
               (ARRAY['97110','97530','97535','97112','97140'])[1 + (b.g + k) % 5], 30, 2, 'GO',
               6500 + CASE WHEN k = 1 THEN (b.r % 7) * 500 ELSE 0 END, 3000, b.provider_id, false, false
        FROM bench_claim b, generate_series(1, b.n_lines) k""",
    ),
    (
        "status history",
        f"""INSERT INTO claim_status_history (id, clinic_id, claim_id, from_status,
            to_status, at, by_user, reason)
        SELECT b.g, b.clinic_id, b.g, 'draft',
               CASE WHEN b.status = 'held' OR b.r % 10 = 1 THEN 'held' ELSE 'ready' END,
               ({_TODAY} - b.age + 1)::timestamp, b.biller, 'scrubbed'
        FROM bench_claim b
        UNION ALL
        SELECT (SELECT max(claim_hi) FROM bench_plan) + b.g, b.clinic_id, b.g, 'submitted',
               'rejected', ({_TODAY} - b.age + 3)::timestamp, b.biller,
               '277CA A7: subscriber not found'
        FROM bench_claim b WHERE b.status = 'rejected'""",
    ),
    (
        "visits",
        f"""INSERT INTO visit (id, clinic_id, patient_id, coverage_id, provider_id, date,
            place_of_service, telehealth)
        SELECT b.g, b.clinic_id, b.patient_id, b.patient_id, b.provider_id, {_TODAY} - b.age, '11', false
        FROM bench_claim b""",
    ),
    (
        "claim visits",
        """INSERT INTO claim_visit (id, clinic_id, claim_id, visit_id)
        SELECT b.g, b.clinic_id, b.g, b.g FROM bench_claim b""",
    ),
    (
        "unbilled visits",
        f"""INSERT INTO visit (id, clinic_id, patient_id, coverage_id, provider_id,
            date, place_of_service, telehealth)
        SELECT (SELECT max(claim_hi) FROM bench_plan) + p.claim_lo + k, p.clinic_id,
               p.patient_lo + k % p.n_patients, p.patient_lo + k % p.n_patients,
               p.providers[1], {_TODAY} - (k % 14)::int, '11', false
        FROM bench_plan p, generate_series(0, GREATEST(5, (p.claim_hi - p.claim_lo) / 200)) k""",
    ),
    (
        "unbilled lines",
        """INSERT INTO service_line (id, clinic_id, visit_id, position, code,
            minutes, units, modifiers, distinct_service)
        SELECT v.id * 2 + k, v.clinic_id, v.id, k, '97110', 30, 2, 'GO', false
        FROM visit v, generate_series(1, 2) k WHERE v.id > (SELECT max(claim_hi) FROM bench_plan)""",
    ),
    (
        "unbilled notes",
        """INSERT INTO note (id, clinic_id, visit_id, note_type, content,
            total_treatment_minutes, signed_at, signature_name, signature_credential)
        SELECT v.id, v.clinic_id, v.id, 'daily', '{}'::json, 60,
               CASE WHEN v.id % 5 <> 0 THEN v.date::timestamp END, 'Thera Pist', 'OTR/L'
        FROM visit v WHERE v.id > (SELECT max(claim_hi) FROM bench_plan)""",
    ),
    (
        "remittances",
        """INSERT INTO remittance (id, clinic_id, payer_id, trace_number, paid_on, total_cents)
        SELECT (p.seq * 4 + k) * 30 + m + 1, p.clinic_id, p.payers[k + 1], 'T' || p.seq || '-' || k || '-' || m,
               DATE '2024-06-01' + m * 30, 0
        FROM bench_plan p, generate_series(0, 3) k, generate_series(0, 29) m""",
    ),
]
# The remittance of a claim's payment: its clinic's, its payer's, the month after its service.
_REMIT = f"(b.seq * 4 + (b.patient_id % 4)) * 30 + (({_TODAY} - b.age + 30) - DATE '2024-06-01') / 30 + 1"
_POSTED = f"{_TODAY} - b.age + 30"
_CHARGE = "6500 * b.n_lines + (b.r % 7) * 500"
STEPS += [
    (
        "denials",
        f"""INSERT INTO denial (id, clinic_id, claim_id, group_code, carc, rarc, denied_on,
            remittance_id, amount_cents, appeal_deadline)
        SELECT b.g, b.clinic_id, b.g, 'CO', (ARRAY['50','97','16','197','29'])[1 + b.r % 5],
               CASE WHEN b.r % 2 = 0 THEN 'N115' END, {_POSTED}, {_REMIT}, {_CHARGE}, {_POSTED} + 120
        FROM bench_claim b WHERE b.status IN ('denied', 'appealed')""",
    ),
    (
        "appeals",
        f"""INSERT INTO appeal (id, clinic_id, claim_id, denial_id, level, filed_on, reason,
            outcome, filed_by)
        SELECT b.g, b.clinic_id, b.g, b.g, 1, {_POSTED} + 10, 'medically necessary', 'pending', b.biller
        FROM bench_claim b WHERE b.status = 'appealed'""",
    ),
    (
        "postings",
        f"""INSERT INTO posting (id, clinic_id, source_key, kind, amount_cents, claim_id,
            claim_line_id, patient_id, payer_id, payer_side, group_code, carc, remittance_id,
            posted_on, posted_at, posted_by)
        SELECT b.g * 8 + x.k, b.clinic_id, 'bench:' || (b.g * 8 + x.k), x.kind, x.amount, b.g,
               b.g * 4 + 1, b.patient_id, b.payer_id, x.payer_side, x.grp, x.carc,
               CASE WHEN x.k BETWEEN 1 AND 4 THEN {_REMIT} END,
               {_POSTED}, ({_POSTED})::timestamp, b.biller
        FROM bench_claim b CROSS JOIN LATERAL (VALUES
            (0, 'charge', {_CHARGE}, true, NULL, NULL, true),
            (1, 'payment', ({_CHARGE}) / 2, true, NULL, NULL, b.status IN ('paid', 'closed')),
            (2, 'adjustment', ({_CHARGE}) * 35 / 100, true, 'CO', '45', b.status IN ('paid', 'closed')),
            (3, 'transfer', ({_CHARGE}) - ({_CHARGE}) / 2 - ({_CHARGE}) * 35 / 100, true, 'PR', '1',
             b.status IN ('paid', 'closed')),
            (4, 'adjustment', {_CHARGE}, true, 'CO', '50', b.status IN ('denied', 'appealed')),
            (5, 'payment', ({_CHARGE}) - ({_CHARGE}) / 2 - ({_CHARGE}) * 35 / 100, false, NULL, NULL,
             b.status = 'closed')
        ) AS x(k, kind, amount, payer_side, grp, carc, wanted)
        WHERE x.wanted AND b.status NOT IN ('held', 'ready')""",
    ),
]


def _secondary_indexes(conn: Connection) -> list[str]:
    """CREATE statements of the big tables' indexes that back no constraint."""
    query = text("""SELECT indexdef FROM pg_indexes i WHERE schemaname = current_schema()
        AND tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c
            WHERE c.conname = i.indexname)""")
    return list(conn.scalars(query, {"tables": list(BIG_TABLES)}))


def load(conn: Connection, plan: list[PlanRow], today: dt.date, say: object) -> None:
    """Write every generated row (``say(step)`` before each step), rebuild indexes, analyze."""
    conn.execute(text("SET session_replication_role = replica"))
    conn.execute(text("SET maintenance_work_mem = '512MB'"))
    conn.execute(text("SET work_mem = '256MB'"))
    indexes = _secondary_indexes(conn)
    for statement in indexes:
        name = statement.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        conn.execute(text(f"DROP INDEX {name}"))
    conn.execute(text(_PLAN))
    rows = [{"seq": p.seq, "clinic_id": p.clinic_id, "claim_lo": p.claim_lo,
             "claim_hi": p.claim_lo + p.claims - 1, "patient_lo": p.patient_lo,
             "n_patients": p.patients, "payers": p.payers, "providers": p.providers,
             "biller": p.biller} for p in plan]  # fmt: skip
    conn.execute(text("INSERT INTO bench_plan VALUES (:seq, :clinic_id, :claim_lo, :claim_hi, "
                      ":patient_lo, :n_patients, :payers, :providers, :biller)"), rows)  # fmt: skip
    say("claim facts")  # type: ignore[operator]
    conn.execute(text(_FACTS))
    for step, sql in STEPS:
        say(step)  # type: ignore[operator]
        conn.execute(text(sql), {"today": today})
    say(f"{len(indexes)} indexes")  # type: ignore[operator]
    for statement in indexes:
        conn.execute(text(statement))
    for table in BIG_TABLES:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT COALESCE(max(id), 1) FROM {table}))"))  # fmt: skip
    conn.execute(text("SET session_replication_role = DEFAULT"))
    say("owner's summary tables")  # type: ignore[operator]
    conn.execute(text("ANALYZE"))
    backfill(conn)  # the line balances and claim outcomes the dashboard reads
    say("dashboard rollups")  # type: ignore[operator]
    backfill_rollups(conn)  # the day rows the dashboard reads (open balances: from the above)
