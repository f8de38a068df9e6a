"""otbill: an open-source billing engine for occupational-therapy practices.

The rooms, in the order a claim travels through them (docs/architecture.md tells more):

core (pure: no database, web, file-format or network imports)
    codes/          CPT/HCPCS, ICD-10-CM, modifiers, places of service, NPI, CARC/RARC
    units.py        billing units from minutes: the CMS 8-minute rule and per-code counting
    units_explain   the plain-language steps behind a units result
    domain/         records: claims, notes, remittances, ledger postings, lifecycle, credentials
    rules/          the scrubber: one rule per module in families, registry, selection, fixes
    payers/         payer profiles (YAML data, with inheritance)
    refdata/        CMS tables (NCCI, MUE, PFS) read in CMS's layouts, by date of service
services (use cases, one unit of work each, grouped by pipeline stage)
    services/frontdesk/    patients, coverage, plans of care, authorizations, the schedule
    services/visits/       record a visit and its note, edit a draft, therapist warnings
    services/claims/       build from visits, assemble, scrub, fix, lifecycle, submit
    services/exchange/     files sent and applied, 999/277CA acknowledgements, receive
    services/remittances/  plan and post an 835, the posting report
    services/denials/      open a denial from an 835, file an appeal
    services/ledger.py     append-only postings and derived balances
    services/clinic/       clinic setup, users and roles, API tokens, audit verification
    services/views/        page read-models: queues, claim page, dashboard, denials, API
adapters
    storage/        SQLAlchemy tables, named repositories, unit of work, Alembic migrations
    x12/            X12 5010 text <-> domain records: 837P, 835, 999, 277CA
    clearinghouse/  transports (folder, SFTP) and the offline simulator
demo/               the demo clinic's data and loader
interfaces
    cli/            every ``otbill`` command
    web/            the FastAPI app: routes, templates, static files
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
