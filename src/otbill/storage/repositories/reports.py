"""Read models for the pages that summarise: the dashboard, open denials, posted remittances.

One repository (``uow.reports``) made of one module per page family, each module a named set of
queries: :mod:`.report_dashboard` (aggregates by day and payer), :mod:`.report_denials` (open
denials by cause, a remittance's denials), :mod:`.report_remittances` (the remittance list and one
remittance's postings). Named queries return plain records; ORM rows stay inside storage.
"""

from __future__ import annotations

from otbill.storage.repositories.report_dashboard import DashboardReports
from otbill.storage.repositories.report_denials import DenialReports
from otbill.storage.repositories.report_remittances import RemittanceReports

__all__ = ["ReportRepository"]


class ReportRepository(DashboardReports, DenialReports, RemittanceReports):
    """What the dashboard, denial and remittance pages read."""
