"""The unit of work: one session and one transaction per service call, for one clinic.

Why: a use case (build claims, approve, post a remittance) either happens entirely or not at all.
Leaving the ``with`` block normally commits; an exception rolls everything back, so a crash in the
middle leaves no half-written claim. Database constraint failures and lost optimistic-lock races
surface as domain errors (:class:`ConstraintViolation`, :class:`StaleRecord`).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from otbill.domain.record_errors import StaleRecord
from otbill.storage.audit import AuditLog
from otbill.storage.busy import DatabaseBusy, is_busy
from otbill.storage.engine import make_engine
from otbill.storage.errors import translate_integrity_error
from otbill.storage.migrate import upgrade
from otbill.storage.repositories import Repository
from otbill.storage.repositories.appeals import AppealRepository
from otbill.storage.repositories.audit import AuditRepository
from otbill.storage.repositories.authorizations import AuthorizationRepository
from otbill.storage.repositories.claims import ClaimRepository
from otbill.storage.repositories.clinics import ClinicRepository
from otbill.storage.repositories.coding_audit import CodingAuditReads
from otbill.storage.repositories.companies import CompanyGrantRepository
from otbill.storage.repositories.coordination import CoordinationRepository
from otbill.storage.repositories.denials import DenialRepository
from otbill.storage.repositories.eligibility import EligibilityRepository
from otbill.storage.repositories.eligibility_runs import EligibilityRunRepository
from otbill.storage.repositories.exchange import ExchangeRepository
from otbill.storage.repositories.imports import ImportRepository
from otbill.storage.repositories.jobs import JobRepository
from otbill.storage.repositories.ledger import LedgerRepository
from otbill.storage.repositories.owner_reports import OwnerReports
from otbill.storage.repositories.owner_self_pay import OwnerSelfPay
from otbill.storage.repositories.patient_account import PatientAccountRepository
from otbill.storage.repositories.patients import PatientRepository
from otbill.storage.repositories.payers import PayerRepository
from otbill.storage.repositories.payments import PaymentRepository
from otbill.storage.repositories.plans import PlanRepository
from otbill.storage.repositories.providers import ProviderRepository
from otbill.storage.repositories.queues import QueueRepository
from otbill.storage.repositories.remittance_batch import RemittanceBatchRepository
from otbill.storage.repositories.remittances import RemittanceRepository
from otbill.storage.repositories.reports import ReportRepository
from otbill.storage.repositories.rows import flush
from otbill.storage.repositories.schedule import ScheduleRepository
from otbill.storage.repositories.self_pay import SelfPayRepository
from otbill.storage.repositories.sessions import LoginSessionRepository
from otbill.storage.repositories.users import UserRepository
from otbill.storage.repositories.visits import VisitRepository
from otbill.storage.row_security import ALL_CLINICS, scope_of, set_scope

__all__ = ["Database", "UnitOfWork"]


class UnitOfWork:
    """``with db.unit_of_work(clinic_id, actor_id) as uow: uow.claims.lines(claim_id) ...``

    Services reach the records through the named repositories (``uow.claims``, ``uow.visits``,
    ...) and the audit log; ``session`` is storage's own. ``records``, the generic repository, is
    kept for the demo loader, the CLI's 837 export and tests that write rows directly: no service
    uses it.
    """

    session: Session
    records: Repository
    audit: AuditLog
    clinics: ClinicRepository
    users: UserRepository
    providers: ProviderRepository
    payers: PayerRepository
    patients: PatientRepository
    authorizations: AuthorizationRepository
    plans: PlanRepository
    visits: VisitRepository
    claims: ClaimRepository
    ledger: LedgerRepository
    coordination: CoordinationRepository
    exchange: ExchangeRepository
    remittances: RemittanceRepository
    remittance_batch: RemittanceBatchRepository
    denials: DenialRepository
    appeals: AppealRepository
    queues: QueueRepository
    reports: ReportRepository
    coding_audit: CodingAuditReads
    owner_reports: OwnerReports
    owner_self_pay: OwnerSelfPay
    audit_reads: AuditRepository
    imports: ImportRepository
    patient_account: PatientAccountRepository
    payments: PaymentRepository
    self_pay: SelfPayRepository
    schedule: ScheduleRepository
    login_sessions: LoginSessionRepository
    eligibility: EligibilityRepository
    eligibility_runs: EligibilityRunRepository
    company_grants: CompanyGrantRepository
    jobs: JobRepository

    def __init__(self, factory: sessionmaker[Session], clinic_id: int, actor_id: int | None):
        self._factory = factory
        self.clinic_id = clinic_id
        self.actor_id = actor_id

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory(info={_SCOPE: scope_of([self.clinic_id])})
        self.session.begin()
        self.records = Repository(self.session, self.clinic_id)
        self.audit = AuditLog(self.session, self.clinic_id, self.actor_id)
        self.clinics = ClinicRepository(self.session, self.clinic_id)
        self.users = UserRepository(self.session, self.clinic_id)
        self.providers = ProviderRepository(self.session, self.clinic_id)
        self.payers = PayerRepository(self.session, self.clinic_id)
        self.patients = PatientRepository(self.session, self.clinic_id)
        self.authorizations = AuthorizationRepository(self.session, self.clinic_id)
        self.plans = PlanRepository(self.session, self.clinic_id)
        self.visits = VisitRepository(self.session, self.clinic_id)
        self.claims = ClaimRepository(self.session, self.clinic_id)
        self.ledger = LedgerRepository(self.session, self.clinic_id)
        self.coordination = CoordinationRepository(self.session, self.clinic_id)
        self.exchange = ExchangeRepository(self.session, self.clinic_id)
        self.remittances = RemittanceRepository(self.session, self.clinic_id)
        self.remittance_batch = RemittanceBatchRepository(self.session, self.clinic_id)
        self.denials = DenialRepository(self.session, self.clinic_id)
        self.appeals = AppealRepository(self.session, self.clinic_id)
        self.queues = QueueRepository(self.session, self.clinic_id)
        self.reports = ReportRepository(self.session, self.clinic_id)
        self.coding_audit = CodingAuditReads(self.session, self.clinic_id)
        self.owner_reports = OwnerReports(self.session, self.clinic_id)
        self.owner_self_pay = OwnerSelfPay(self.session, self.clinic_id)
        self.audit_reads = AuditRepository(self.session, self.clinic_id)
        self.schedule = ScheduleRepository(self.session, self.clinic_id)
        self.imports = ImportRepository(self.session, self.clinic_id)
        self.patient_account = PatientAccountRepository(self.session, self.clinic_id)
        self.payments = PaymentRepository(self.session, self.clinic_id)
        self.self_pay = SelfPayRepository(self.session, self.clinic_id)
        self.login_sessions = LoginSessionRepository(self.session, self.clinic_id)
        self.eligibility = EligibilityRepository(self.session, self.clinic_id)
        self.eligibility_runs = EligibilityRunRepository(self.session, self.clinic_id)
        self.company_grants = CompanyGrantRepository(self.session, self.clinic_id)
        self.jobs = JobRepository(self.session, self.clinic_id)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        if exc is not None and is_busy(exc):  # a second writer timed out: say so, plainly
            raise DatabaseBusy(str(exc)) from exc
        # A query's autoflush may have raised the database's own error past ``flush``: the
        # caller still gets the domain error (StaleRecord, ConstraintViolation), never a 500.
        if isinstance(exc, IntegrityError):
            raise translate_integrity_error(exc) from exc
        if isinstance(exc, StaleDataError):
            raise StaleRecord(f"another user changed the record first: {exc}") from exc

    def read_only(self) -> None:
        """Make this unit of work a read-only view of one moment: on PostgreSQL a REPEATABLE
        READ, READ ONLY transaction (every figure read from the same snapshot; a write is
        refused); SQLite's transaction reads one snapshot already. Called before its first read
        (a report that reads many figures: the owner's PDF)."""
        if self.session.get_bind().dialect.name == "postgresql":
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            self.session.connection(execution_options=options)

    def flush(self) -> None:
        """Write pending changes now (inside the transaction), as domain errors if refused."""
        flush(self.session)

    def commit(self) -> None:
        try:
            self.flush()
            self.session.commit()
        except IntegrityError as error:
            self.session.rollback()
            raise translate_integrity_error(error) from error
        except OperationalError as error:
            self.session.rollback()
            if is_busy(error):
                raise DatabaseBusy(str(error)) from error
            raise


_SCOPE = "clinic_scope"  # Session.info key: the row-level-security scope of its transactions


def _apply_scope(session: Session, _transaction: object, connection: Connection) -> None:
    """At each transaction's start: ``SET LOCAL app.clinic_ids`` (no scope set: no rows)."""
    set_scope(connection, session.info.get(_SCOPE, ""))


class Database:
    """An engine plus a session factory; migrates the schema on first use when asked."""

    def __init__(self, target: str | Engine, *, migrate: bool = True) -> None:
        self.engine = make_engine(target) if isinstance(target, str) else target
        if migrate:
            upgrade(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        event.listen(self._factory, "after_begin", _apply_scope)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self, clinic_id: int, actor_id: int | None = None) -> UnitOfWork:
        return UnitOfWork(self._factory, clinic_id, actor_id)

    def connections_at_once(self) -> int | None:
        """How many connections the pool lends at once (None: no cap)."""
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return None  # NullPool: a connection each; SQLite's pools: not a cap on writers
        overflow = pool._max_overflow
        return None if overflow < 0 else pool.size() + overflow

    def session(self) -> Session:
        """A bare session with no clinic scope: on PostgreSQL it sees no clinic's rows unless the
        role bypasses row-level security (tests write rows through it as the superuser)."""
        return self._factory()

    def all_clinics(self) -> Session:
        """A session over every clinic (the named ``ALL_CLINICS`` scope), only for what runs
        before a clinic is known: login, session and token lookup, creating a clinic, the job
        worker picking a job (docs/deploy.md lists them)."""
        return self._factory(info={_SCOPE: ALL_CLINICS})

    def clinics_session(self, clinic_ids: Iterable[int]) -> Session:
        """A read session over these clinics only (a company user's granted clinics)."""
        return self._factory(info={_SCOPE: scope_of(clinic_ids)})

    def dispose(self) -> None:
        self.engine.dispose()
