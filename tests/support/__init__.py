"""Helpers shared by the tests (never imported from a test module by another test module).

- ``shared``: where the shared X12 corpus and CMS files are, and skip-or-fail when they are absent.
- ``claimkit``: a clean Medicare claim as data, and a one-call scrub.
- ``claimgen``: a Hypothesis strategy for claims the 837P writer must accept.
- ``x12kit``: corpus files, claims to write, generated 837P/999/277CA/835 files, the pyx12 oracle.
- ``dbkit`` and ``db_fixtures``: fresh migrated databases on SQLite and PostgreSQL (``db``).
- ``clinickit``: a small seeded clinic; ``remitkit``: hand-written 835s and submitted claims.
- ``claimflow``: visits recorded and built into claims on that clinic.
- ``democlinic``: the demo clinic loaded once per run and backend, copied for each test.
- ``demoflow``: moves on the demo clinic in the web app: send claims, pay them, simulate answers.
- ``webkit``: the web app on a copy of the demo clinic, logging in, CSRF tokens.
- ``browserkit``: one live uvicorn server per browser-test module, swapped between tests' apps.
"""
