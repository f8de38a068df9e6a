"""``otbill check``: each configuration mistake in plain words with its fix; exit 0 / 1 / 3.
``otbill serve --workers N`` refuses several processes on SQLite in one line."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otbill.cli import app
from otbill.cli.check import SHARED_DIR_ENV, Finding, find_mistakes
from otbill.services.clinic import setup as clinic
from otbill.settings import Settings
from otbill.storage import Database, upgrade

KEY = "a-random-key-of-enough-length-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A clean configuration: a migrated SQLite database, a long key, a writable data dir."""
    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'otbill.db'}"
    upgrade(url)
    return Settings(data_dir=data, database_url=url, secret_key=KEY)


def _found(settings: Settings, **options) -> list[Finding]:
    shared = Path(settings.data_dir)  # any folder that exists: the note is tested apart
    found = find_mistakes(settings, environ={SHARED_DIR_ENV: str(shared)}, **options)
    return [f for f in found if f.is_mistake]


def test_a_clean_configuration_has_no_mistakes(settings) -> None:
    assert _found(settings) == []
    assert _found(settings, workers=1, proxy="127.0.0.1") == []


def test_several_workers_on_sqlite(settings) -> None:
    (mistake,) = _found(settings, workers=4)
    assert "4 web processes on an SQLite database" in mistake.what
    assert "PostgreSQL" in mistake.fix and "--workers 1" in mistake.fix


def test_the_secret_key_missing_short_or_well_known(settings) -> None:
    (missing,) = _found(dataclasses.replace(settings, secret_key=None))
    assert "No secret key" in missing.what and "OTBILL_SECRET_KEY" in missing.fix
    (short,) = _found(dataclasses.replace(settings, secret_key="abc123"))
    assert "6 characters long" in short.what
    (known,) = _found(dataclasses.replace(settings, secret_key="changeme"))
    assert "well-known value" in known.what
    # the key otbill made and kept in the data directory counts (and is checked the same way)
    (settings.data_dir / "secret_key").write_text("test-secret")
    (kept,) = _found(dataclasses.replace(settings, secret_key=None))
    assert "secret_key" in kept.what and "well-known" in kept.what
    (settings.data_dir / "secret_key").write_text(KEY)
    assert _found(dataclasses.replace(settings, secret_key=None)) == []


def test_a_fixed_day_is_a_mistake(settings) -> None:
    import datetime as dt

    (mistake,) = _found(dataclasses.replace(settings, today=dt.date(2025, 3, 1)))
    assert "OTBILL_TODAY is set to 2025-03-01" in mistake.what and "unset" in mistake.fix


def test_a_database_not_migrated_to_the_newest_revision(settings, tmp_path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    (mistake,) = _found(dataclasses.replace(settings, database_url=f"sqlite:///{empty}"))
    assert "schema revision none (empty)" in mistake.what and "otbill serve" in mistake.fix
    missing = dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'nope.db'}")
    (absent,) = _found(missing)
    assert "does not exist" in absent.what
    assert not (tmp_path / "nope.db").exists()  # the check created nothing


def test_an_unreachable_database_without_its_password(settings) -> None:
    url = "postgresql+psycopg://otbill:hunter2secret@127.0.0.1:1/otbill?connect_timeout=2"
    (mistake,) = _found(dataclasses.replace(settings, database_url=url))
    assert "cannot be reached" in mistake.what and "otbill:***@127.0.0.1:1" in mistake.what
    assert "hunter2secret" not in mistake.what + mistake.fix


def test_the_demo_clinic_in_the_database(settings) -> None:
    clinic.create_clinic(
        Database(settings.database_url),
        code="DEMO",
        name="Demo OT",
        npi_number="1234567893",
        tax_id="741234567",
        address=("9 Oak Ave", "Austin", "TX", "78701"),
    )
    (mistake,) = _found(settings)
    assert "demo clinic (code DEMO)" in mistake.what and "passwords" in mistake.what


def test_a_data_directory_that_cannot_be_written(settings, tmp_path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("")
    (mistake,) = _found(dataclasses.replace(settings, data_dir=a_file))
    assert f"data directory {a_file} is not writable" in mistake.what
    assert "OTBILL_DATA_DIR" in mistake.fix


def test_a_proxy_whose_headers_are_not_believed(settings) -> None:
    (mistake,) = _found(settings, proxy="10.0.0.5")
    assert "reverse proxy at 10.0.0.5 is not trusted" in mistake.what
    assert "Secure" in mistake.what and "OTBILL_TRUSTED_PROXIES" in mistake.fix
    trusted = dataclasses.replace(settings, trusted_proxies=("10.0.0.5",))
    assert _found(trusted, proxy="10.0.0.5") == []
    # once OTBILL_TRUSTED_PROXIES names proxies, loopback is no longer believed by default
    assert len(_found(trusted, proxy="127.0.0.1")) == 1


def test_the_shared_folder_absent_is_only_a_note(settings, tmp_path) -> None:
    found = find_mistakes(settings, environ={SHARED_DIR_ENV: str(tmp_path / "none")})
    (note,) = found
    assert note.level == "note" and not note.is_mistake and "shared reference folder" in note.what


def _env(monkeypatch, settings: Settings, tmp_path: Path) -> None:
    monkeypatch.setenv("OTBILL_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("OTBILL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("OTBILL_SECRET_KEY", KEY)
    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("OTBILL_CACHE_DIR", str(tmp_path / "cache"))
    for name in (
        "OTBILL_TODAY",
        "OTBILL_TRUSTED_PROXIES",
        "OTBILL_WORKERS",
        "OTBILL_PROXY_ADDRESS",
    ):
        monkeypatch.delenv(name, raising=False)


def test_the_command_exits_0_clean_and_1_with_mistakes(settings, tmp_path, monkeypatch) -> None:
    _env(monkeypatch, settings, tmp_path)
    runner = CliRunner()
    clean = runner.invoke(app, ["check"])
    assert clean.exit_code == 0, clean.output
    assert "No mistakes found (1 web process, database sqlite:///" in clean.output
    found = runner.invoke(app, ["check", "--workers", "3", "--proxy", "10.0.0.5"])
    assert found.exit_code == 1
    assert found.output.count("mistake: ") == 2 and found.output.count("  fix: ") == 2
    assert found.output.rstrip().endswith("2 mistakes found.")


def test_the_command_exits_3_when_the_check_itself_fails(settings, tmp_path, monkeypatch) -> None:
    _env(monkeypatch, settings, tmp_path)

    def broken(_settings):
        raise RuntimeError("a bug")

    monkeypatch.setattr("otbill.cli.check._secret", broken)
    crashed = CliRunner().invoke(app, ["check"])
    assert crashed.exit_code == 3


def test_serve_refuses_several_workers_on_sqlite(settings, tmp_path, monkeypatch) -> None:
    _env(monkeypatch, settings, tmp_path)
    refused = CliRunner().invoke(app, ["serve", "--workers", "2", "--no-demo"])
    assert refused.exit_code == 2
    (line,) = [ln for ln in refused.output.splitlines() if ln.strip()]
    assert line.startswith("otbill: error: --workers 2 refused: 2 web processes on an SQLite")


def test_check_migrate_brings_the_database_to_the_newest_revision(
    settings, tmp_path, monkeypatch
) -> None:
    _env(monkeypatch, settings, tmp_path)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    monkeypatch.setenv("OTBILL_DATABASE_URL", f"sqlite:///{empty}")
    runner = CliRunner()
    before = runner.invoke(app, ["check"])
    assert before.exit_code == 1 and "otbill check --migrate" in before.output
    after = runner.invoke(app, ["check", "--migrate"])
    assert after.exit_code == 0, after.output
    assert "The database is at the newest revision." in after.output
