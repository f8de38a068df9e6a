"""Read models for the pages: claims, the dashboard, open denials, posted remittances, the API.

One repository (``uow.reports``) made of one module per page family, each module a named set of
queries: :mod:`.report_claims` (claim and visit listings, one claim), :mod:`.report_claim_search`
(claims of any status by patient, numbers, dates, amount), :mod:`.report_dashboard` (aggregates by
day and payer), :mod:`.report_denials` (open denials by cause, a remittance's denials),
:mod:`.report_remittances` (the remittance list and one remittance's postings),
:mod:`.report_therapist` (a therapist's day and notes to sign), :mod:`.report_work` (unbilled
visits, claims by status, amounts under appeal). Named queries return plain records; ORM rows stay
inside storage.
"""

from __future__ import annotations

from otbill.storage.repositories.report_claim_search import ClaimSearchReports
from otbill.storage.repositories.report_claims import ClaimReports
from otbill.storage.repositories.report_dashboard import DashboardReports
from otbill.storage.repositories.report_denials import DenialReports
from otbill.storage.repositories.report_pricing import PricingReports
from otbill.storage.repositories.report_remittances import RemittanceReports
from otbill.storage.repositories.report_therapist import TherapistReports
from otbill.storage.repositories.report_work import WorkReports

__all__ = ["ReportRepository"]


class ReportRepository(
    ClaimReports,
    ClaimSearchReports,
    DashboardReports,
    DenialReports,
    PricingReports,
    RemittanceReports,
    TherapistReports,
    WorkReports,
):
    """What the claim, dashboard, denial, remittance and therapist pages and the API read."""
