"""The PostgreSQL connection pool's settings: defaults, OTBILL_DB_POOL_*, refused values."""

from __future__ import annotations

import pytest

from otbill.errors import ConfigError
from otbill.storage.engine import make_engine, pool_options
from support.dbkit import PG_URL


def test_defaults_when_nothing_is_set() -> None:
    assert pool_options({}) == {
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 30,
        "pool_recycle": 1800,
        "pool_pre_ping": True,
    }


def test_each_setting_comes_from_its_variable() -> None:
    env = {
        "OTBILL_DB_POOL_SIZE": "12",
        "OTBILL_DB_MAX_OVERFLOW": "0",
        "OTBILL_DB_POOL_TIMEOUT": "5",
        "OTBILL_DB_POOL_RECYCLE": "600",
        "OTBILL_DB_POOL_PRE_PING": "0",
    }
    assert pool_options(env) == {
        "pool_size": 12,
        "max_overflow": 0,
        "pool_timeout": 5,
        "pool_recycle": 600,
        "pool_pre_ping": False,
    }


@pytest.mark.parametrize("value", ["ten", "-1", "2.5"])
def test_a_value_that_is_not_a_whole_number_is_refused_by_name(value: str) -> None:
    with pytest.raises(ConfigError, match="OTBILL_DB_POOL_SIZE=.*expected a whole number"):
        pool_options({"OTBILL_DB_POOL_SIZE": value})


@pytest.mark.postgres
def test_a_postgres_engine_gets_the_pool_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTBILL_DB_POOL_SIZE", "7")
    monkeypatch.setenv("OTBILL_DB_POOL_RECYCLE", "900")
    engine = make_engine(PG_URL)
    try:
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
        assert engine.pool._recycle == 900
        assert engine.pool._pre_ping is True
    finally:
        engine.dispose()


def test_sqlite_keeps_its_own_pool(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTBILL_DB_POOL_PRE_PING", "1")
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        assert not engine.pool._pre_ping
    finally:
        engine.dispose()
