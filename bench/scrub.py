"""Figures for issue 3: scrub throughput and memory with every rule on.

    .venv/bin/python bench/scrub.py --claims 100000            # claims per second, one core
    .venv/bin/python bench/scrub.py --stream 1000000           # streaming run: peak memory

Claims are generated in memory (fixed seed): four service lines of timed OT codes with minutes and
units from the units engine, most clean, a share with defects (missing GO, wrong units, unknown
diagnosis pointer, NCCI pair, exhausted authorization) so that rules do real work. Generation is
outside the timing in the throughput run; the streaming run generates, scrubs and drops each claim,
and reports the process's peak resident memory (getrusage ru_maxrss) at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from collections.abc import Iterator
from decimal import Decimal

from otbill.domain.claim import (
    Address,
    BillingProvider,
    Claim,
    Documentation,
    Eligibility,
    HistoryLine,
    Patient,
    PayerRef,
    PlanOfCare,
    PriorAuthorization,
    Provider,
    ServiceLine,
)
from otbill.payers import load_profiles
from otbill.refdata.dated import DatedFees, DatedMue, DatedPtp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import scrub_batch
from otbill.rules.registry import load_rules
from otbill.units import compute_units

TIMED = ["97110", "97112", "97140", "97530", "97535", "97533", "97116", "97760"]
DIAGNOSES = ["M62.81", "R26.89", "M25.611", "G81.91", "I69.351", "M19.041", "S52.501A", "R27.8"]
PAYERS = [
    PayerRef(profile="medicare", payer_id="00435", name="Medicare Part B"),
    PayerRef(profile="commercial-in-network", payer_id="87726", name="Acme Health"),
    PayerRef(profile="medicaid-example", payer_id="77027", name="State Medicaid"),
]
ADDRESS = Address(line1="9 Oak Ave", city="Austin", state="TX", zip="787011234")
BILLING = BillingProvider(name="Hands On OT", npi="1234567893", tax_id="741234567", address=ADDRESS)
RENDERING = Provider(npi="1245319599", first_name="Rita", last_name="Cole", credential="OTR/L")
REFERRING = Provider(npi="1003000126", first_name="Sam", last_name="Ng")
TODAY = dt.date(2025, 6, 30)


def make_claim(n: int, rng: random.Random) -> Claim:
    payer = PAYERS[n % 3]
    day = dt.date(2025, 1, 2) + dt.timedelta(days=n % 170)
    codes = rng.sample(TIMED, 4)
    minutes = [rng.randint(8, 25) for _ in codes]
    result = compute_units(
        list(zip(codes, minutes, strict=True)),
        (payer.profile == "medicare" and "cms") or "per-code",
    )
    units = {line.code: line.units for line in result.lines}
    defect = n % 10  # one claim in ten carries a defect
    lines = tuple(
        ServiceLine(
            date=day,
            code=code,
            minutes=m,
            units=units[code] + (1 if defect == 1 and i == 0 else 0),
            modifiers=() if defect == 2 and i == 1 else ("GO",),
            charge=Decimal("40.00") * max(units[code], 1),
            dx_pointers=(1, 5) if defect == 3 and i == 2 else (1, 2),
        )
        for i, (code, m) in enumerate(zip(codes, minutes, strict=True))
    )
    total = sum(minutes)
    return Claim(
        claim_id=f"CLM-{n:07d}",
        payer=payer,
        patient=Patient(
            id=f"P{n % 5000:05d}", first_name="Pat", last_name=f"Doe{n % 5000}", dob=dt.date(1950, 1, 1),
            sex="F", member_id=f"M{n % 5000:08d}",
        ),
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        referring_provider=REFERRING,
        diagnoses=tuple(rng.sample(DIAGNOSES, 2)),
        prior_authorization=PriorAuthorization(
            number="A1", from_=day - dt.timedelta(days=30), to=day + dt.timedelta(days=60),
            visits_authorized=20, visits_used=20 if defect == 4 else 5,
        ),
        eligibility=Eligibility(verified_on=day - dt.timedelta(days=3), active=True),
        plan_of_care=PlanOfCare(
            start=day - dt.timedelta(days=20), certified_on=day - dt.timedelta(days=15),
            recert_due=day + dt.timedelta(days=60),
        ),
        visit_number=5,
        last_progress_report_visit=1,
        ytd_therapy_allowed=Decimal("500.00"),
        documentation=Documentation(
            note_type="daily", signed=True, current_status=True, goals=True, interventions=True,
            medical_necessity=True, total_timed_minutes=total, total_treatment_minutes=total + 5,
        ),
        lines=lines,
        history=(HistoryLine(claim_id="OLD", date=day - dt.timedelta(days=7), code=codes[0], units=1),),
    )  # fmt: skip


def generate(count: int, seed: int = 3) -> Iterator[Claim]:
    rng = random.Random(seed)
    for n in range(count):
        yield make_claim(n, rng)


def context() -> ScrubContext:
    """The context the CLI builds: tables by date of service, the shipped fee schedule."""
    return ScrubContext(
        profiles=load_profiles(),
        today=TODAY,
        ncci=DatedPtp([]),
        mue=DatedMue([]),
        fee_schedule=DatedFees([]),
    )


def throughput(count: int) -> None:
    claims = list(generate(count))
    rules = load_rules()
    run = context()
    for _ in scrub_batch(claims[:200], context(), rules):  # warm caches (ICD list, tables)
        pass
    start = time.perf_counter()
    held = sum(1 for r in scrub_batch(claims, run, rules) if r.status == "held")
    elapsed = time.perf_counter() - start
    print(
        f"{len(rules)} rules, {count:,} four-line claims in {elapsed:.2f} s: {count / elapsed:,.0f} claims/s ({held:,} held)"
    )


def stream(count: int) -> None:
    rules = load_rules()
    run = context()
    start = time.perf_counter()
    held = sum(1 for r in scrub_batch(generate(count), run, rules) if r.status == "held")
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"streamed {count:,} claims (generation included) in {elapsed:.1f} s: "
        f"{count / elapsed:,.0f} claims/s, {held:,} held, peak RSS {peak_mb:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--claims", type=int, default=0, help="throughput run over N pre-generated claims"
    )
    parser.add_argument(
        "--stream", type=int, default=0, help="streaming run over N claims, peak memory"
    )
    args = parser.parse_args()
    if not args.claims and not args.stream:
        args.claims = 100_000
    if args.claims:
        throughput(args.claims)
    if args.stream:
        stream(args.stream)


if __name__ == "__main__":
    main()
