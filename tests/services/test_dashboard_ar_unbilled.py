"""The dashboard's A/R reads its unbilled visits from the kept set (``unbilled_visit``) and the
appeals once: the same figures as the owner's receivables, which read every visit."""

from __future__ import annotations

import datetime as dt

from otbill.services.views.dashboard import dashboard
from otbill.services.views.dashboard_payments import AGING_BUCKETS, ar_aging
from otbill.services.views.dashboard_work import work_in_progress
from otbill.services.views.owner.unbilled import age_limits, unbilled
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import PatientRow
from support.claimflow import record_visit
from support.clinickit import Ids, seed_clinic

TODAY = dt.date(2025, 3, 31)


def _owner_unbilled(db: Database, ids: Ids) -> list[float]:
    """The owner's unbilled work per age bucket (dollars), from every visit of the clinic."""
    limits = age_limits(TODAY, [limit for _, limit in AGING_BUCKETS if limit is not None])
    totals = [0] * len(AGING_BUCKETS)
    with db.unit_of_work(ids.clinic) as uow:
        for (_, bucket), (cents, _) in unbilled(uow, "payer", limits).items():
            totals[bucket] += cents
    return [cents / 100 for cents in totals]


def _dashboard_unbilled(db: Database, ids: Ids) -> tuple[list[float], list[float], list[str]]:
    """(A/R unbilled per bucket, alone and within the whole dashboard; the work figure's counts)."""
    with db.unit_of_work(ids.clinic) as uow:
        alone = dict(ar_aging(uow, TODAY).series)["Unbilled"]
        figures = {f.key: f for f in dashboard(uow, TODAY)}
        work = work_in_progress(uow)
    within = dict(figures["ar_aging"].series)["Unbilled"]
    assert figures["work_in_progress"] == work
    return alone, within, work.extra[0][1][:2]


def test_the_dashboard_ar_unbilled_equals_the_owners_receivables(db: Database) -> None:
    ids = seed_clinic(db)
    record_visit(db, ids, dt.date(2025, 3, 24), [visits.Service("97110", 38)])  # 0-30 days
    record_visit(db, ids, dt.date(2025, 1, 6), [visits.Service("97530", 30),
                 visits.Service("97110", 15)], sign=False)  # 61-90 days  # fmt: skip
    owner = _owner_unbilled(db, ids)
    assert owner[0] > 0 and owner[2] > 0 and owner[1] == owner[3] == owner[4] == 0
    alone, within, counts = _dashboard_unbilled(db, ids)
    assert alone == within == owner
    assert counts == ["1", "1"]  # signed, not signed
    # a self-pay patient's visits are on the patient's account: out of the A/R's unbilled
    # work on both pages, still counted as visits no claim bills yet
    with db.session() as session, session.begin():
        session.get_one(PatientRow, ids.patient).self_pay = True
    alone, within, counts = _dashboard_unbilled(db, ids)
    assert alone == within == _owner_unbilled(db, ids) == [0.0] * len(AGING_BUCKETS)
    assert counts == ["1", "1"]
