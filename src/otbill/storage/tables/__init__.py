"""SQLAlchemy tables (2.0 style). Importing this package registers every table on ``Base``."""

from __future__ import annotations

from otbill.storage.tables.appeals import AppealPacketRow as AppealPacketRow
from otbill.storage.tables.appeals import PreventionCheckRow as PreventionCheckRow
from otbill.storage.tables.audit import AuditEventRow, AuditHeadRow
from otbill.storage.tables.audit_anchor import AuditAnchorRow
from otbill.storage.tables.authorization_log import AuthorizationEntryRow
from otbill.storage.tables.base import Base
from otbill.storage.tables.billing import (
    AppealRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    ClaimVisitRow,
    DenialRow,
    PostingRow,
    RemittanceRow,
)
from otbill.storage.tables.chart_audits import ChartAuditRow as ChartAuditRow
from otbill.storage.tables.claim_editors import ClaimEditorRow as ClaimEditorRow
from otbill.storage.tables.companies import BillingCompanyRow as BillingCompanyRow
from otbill.storage.tables.companies import CompanyGrantRow as CompanyGrantRow
from otbill.storage.tables.companies import CompanyUserRow as CompanyUserRow
from otbill.storage.tables.coordination import ClaimCoordinationRow as ClaimCoordinationRow
from otbill.storage.tables.coordination import ClaimCrossoverRow as ClaimCrossoverRow
from otbill.storage.tables.dashboard_summary import ClaimMonthRow as ClaimMonthRow
from otbill.storage.tables.dashboard_summary import DashboardDayRow as DashboardDayRow
from otbill.storage.tables.dashboard_summary import DenialCauseDayRow as DenialCauseDayRow
from otbill.storage.tables.dashboard_summary import UnbilledVisitRow as UnbilledVisitRow
from otbill.storage.tables.documents import PatientDocumentRow as PatientDocumentRow
from otbill.storage.tables.edi import EdiFileRow, SubmittedClaimRow, WorkItemRow
from otbill.storage.tables.eligibility import EligibilityCheckRow as EligibilityCheckRow
from otbill.storage.tables.eligibility_runs import EligibilityRunItemRow as EligibilityRunItemRow
from otbill.storage.tables.eligibility_runs import EligibilityRunRow as EligibilityRunRow
from otbill.storage.tables.imports import LegacyImportRow as LegacyImportRow
from otbill.storage.tables.jobs import JobRow as JobRow
from otbill.storage.tables.owner_collections import CollectionDayRow as CollectionDayRow
from otbill.storage.tables.owner_open import OpenBalanceDayRow as OpenBalanceDayRow
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow as ClaimLineBalanceRow
from otbill.storage.tables.owner_summary import ClaimOutcomeRow as ClaimOutcomeRow
from otbill.storage.tables.patient_account import PatientPostingRow as PatientPostingRow
from otbill.storage.tables.payments import PatientPaymentRow as PatientPaymentRow
from otbill.storage.tables.provider_ledger import ProviderPostingRow as ProviderPostingRow
from otbill.storage.tables.records import (
    AuthorizationRow,
    ClinicRow,
    CoverageRow,
    FeeScheduleRow,
    NoteAmendmentRow,
    NoteRow,
    OverheadCostRow,
    PatientRow,
    PayerRow,
    PlanOfCareRow,
    ProviderRow,
    ServiceLineRow,
    UserRoleRow,
    UserRow,
    VisitRow,
)
from otbill.storage.tables.referrals import PhysicianRow as PhysicianRow
from otbill.storage.tables.referrals import ReferralRow as ReferralRow
from otbill.storage.tables.schedule import AppointmentRow as AppointmentRow
from otbill.storage.tables.self_pay import HouseholdRow as HouseholdRow
from otbill.storage.tables.self_pay import PackageOfferRow as PackageOfferRow
from otbill.storage.tables.self_pay import PatientPackageRow as PatientPackageRow
from otbill.storage.tables.self_pay import SelfPayRuleRow as SelfPayRuleRow
from otbill.storage.tables.sessions import LoginSessionRow as LoginSessionRow
from otbill.storage.tables.setup import LocationRow
from otbill.storage.tables.statements import StatementHoldRow as StatementHoldRow
from otbill.storage.tables.statements import StatementRow as StatementRow
from otbill.storage.tables.tokens import ApiTokenRow

__all__ = [
    "ApiTokenRow",
    "AppealRow",
    "AuditAnchorRow",
    "AuditEventRow",
    "AuditHeadRow",
    "AuthorizationEntryRow",
    "AuthorizationRow",
    "Base",
    "ClaimLineRow",
    "ClaimRow",
    "ClaimStatusRow",
    "ClaimVisitRow",
    "ClinicRow",
    "CoverageRow",
    "DenialRow",
    "EdiFileRow",
    "FeeScheduleRow",
    "LocationRow",
    "NoteAmendmentRow",
    "NoteRow",
    "OverheadCostRow",
    "PatientRow",
    "PayerRow",
    "PlanOfCareRow",
    "PostingRow",
    "ProviderRow",
    "RemittanceRow",
    "ServiceLineRow",
    "SubmittedClaimRow",
    "UserRoleRow",
    "UserRow",
    "VisitRow",
    "WorkItemRow",
]
