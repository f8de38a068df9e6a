"""The command line's wiring, in one place: settings, the database, the clinic, payer profiles,
rules and the scrub context.

The root command puts one :class:`CliSetup` on the click context; every command takes it with
:func:`setup_of` and asks for what it needs. Nothing is read or imported before a command asks
(``otbill units`` never touches a profile, a rule or the database), and nothing is read twice.
A command mounted without the root (as tests do) gets a fresh setup of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from otbill.cli.common import fail

if TYPE_CHECKING:
    from otbill.payers import PayerProfile
    from otbill.rules.context import ScrubContext
    from otbill.rules.registry import Rule
    from otbill.services.clinic.wiring import Wiring
    from otbill.settings import Settings
    from otbill.storage import Database

__all__ = ["CliSetup", "setup_of"]


class CliSetup:
    """What the commands share, each piece built on first use and kept for the process."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self._environ = environ
        self._databases: dict[str, Database] = {}
        self._profiles: dict[tuple[Path, ...], dict[str, PayerProfile]] = {}
        self._rules: dict[bool, list[Rule]] = {}

    @functools.cached_property
    def settings(self) -> Settings:
        from otbill.settings import load_settings

        return load_settings(self._environ)

    def run_as_of_settings(self, ctx: typer.Context) -> None:
        """The command runs as of ``OTBILL_TODAY`` when set (:mod:`otbill.clock`), until the
        command's context closes; a bad value is one line and exit status 2."""
        from otbill import clock
        from otbill.errors import ConfigError

        try:
            day = self.settings.today
        except ConfigError as exc:
            fail(str(exc))
        if day is not None:
            ctx.with_resource(clock.as_of(day))

    def rules(self, *, preview: bool = False) -> list[Rule]:
        """Every rule (with ``preview``, the preview rules too), sorted by code."""
        if preview not in self._rules:
            from otbill.rules.registry import load_rules

            self._rules[preview] = load_rules(preview=preview)
        return self._rules[preview]

    def profiles(self, extra_dirs: list[Path] | None = None) -> dict[str, PayerProfile]:
        """The packaged payer profiles, the clinic's (``$OTBILL_DATA_DIR/payers``) and any
        directories given (``--profiles``), later ones overriding earlier ones by name."""
        key = tuple(extra_dirs or ())
        if key not in self._profiles:
            from otbill.services.clinic.wiring import load_payer_profiles

            self._profiles[key] = load_payer_profiles(self.settings, list(key))
        return self._profiles[key]

    @functools.cached_property
    def wiring(self) -> Wiring:
        """Everything a long-running command (``otbill serve``) loads at start, in one piece."""
        from otbill.services.clinic.wiring import Wiring

        return Wiring.load(self.settings)

    def scrub_context(
        self, today: dt.date, extra_profile_dirs: list[Path] | None = None
    ) -> ScrubContext:
        """A scrub run as of ``today``; reference tables are read when a rule first asks."""
        from otbill.services.claims.scrub import build_scrub_context

        profiles = self.profiles(extra_profile_dirs)
        return build_scrub_context(self.settings, today, profiles=profiles)

    def database(self, url: str | None = None) -> Database:
        """The database at ``url`` (default: the settings'); a bad URL is one line, exit 2."""
        from otbill.storage import Database

        url = url or self.settings.database_url
        if url not in self._databases:
            try:
                self._databases[url] = Database(url)
            except Exception as exc:  # a bad URL or an unreachable server: one line, exit 2
                fail(f"cannot open the database: {type(exc).__name__}: {exc}")
        return self._databases[url]

    def clinic_id(self, db: Database, code: str | None) -> int:
        """The clinic ``--clinic`` names; without it the only clinic, else the demo clinic."""
        from otbill.services.clinic.clinics import clinic_by_code, list_clinics

        if code is not None:
            found = clinic_by_code(db, code)
            if found is None:
                fail(f"no clinic with code {code!r}")
            return found
        clinics = list_clinics(db)
        if len(clinics) == 1:
            return clinics[0].id
        demo = [c.id for c in clinics if c.code == "DEMO"]
        if demo:
            return demo[0]
        if not clinics:
            fail("no clinic in this database (run `otbill demo`)")
        codes = ", ".join(c.code for c in clinics)
        fail(f"several clinics: choose one with --clinic ({codes})")


def setup_of(ctx: typer.Context) -> CliSetup:
    """The process's setup, made by the root command (or here, for a command mounted alone)."""
    return ctx.ensure_object(CliSetup)
