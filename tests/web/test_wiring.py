"""Wiring once: the app loads profiles, rules and reference lookups at start; routes reuse them."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import otbill.web.routes as routes
from otbill.services.clinic.wiring import Wiring
from otbill.services.views.queue_cache import QueueCache
from support.webkit import log_in

_LOADERS = ("load_profiles(", "load_rules(", "build_scrub_context(", "Wiring.load(")


def test_no_route_loads_profiles_rules_or_the_scrub_context_itself():
    for info in pkgutil.iter_modules(routes.__path__):
        source = inspect.getsource(importlib.import_module(f"{routes.__name__}.{info.name}"))
        assert not [name for name in _LOADERS if name in source], info.name


def test_a_scrub_run_shares_what_was_loaded_and_starts_a_fresh_batch(app):
    wiring: Wiring = app.state.wiring
    first, second = (
        wiring.scrub_context(dt.date(2025, 3, 1)),
        wiring.scrub_context(dt.date(2025, 3, 2)),
    )
    assert (first.today, second.today) == (dt.date(2025, 3, 1), dt.date(2025, 3, 2))
    assert first.profiles is second.profiles is wiring.profiles
    assert first.ncci is second.ncci and first.mue is second.mue
    assert first.fee_schedule is second.fee_schedule
    assert first.batch is not second.batch
    assert "MOD001" in wiring.rule_codes


def test_pages_that_scrub_or_list_rules_do_not_load_them_again(app, client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("loaded again during a request")

    monkeypatch.setattr(Wiring, "load", refuse)
    monkeypatch.setattr("otbill.services.clinic.wiring.load_payer_profiles", refuse)
    monkeypatch.setattr("otbill.services.claims.scrub.load_payer_profiles", refuse)
    monkeypatch.setattr("otbill.services.clinic.wiring.load_rules", refuse)
    monkeypatch.setattr("otbill.services.clinic.wiring.build_scrub_context", refuse)
    log_in(client, "biller")
    for path in ("/rules", "/rules/MOD001", "/queues/held", "/claims/1"):
        assert client.get(path).status_code == 200, path


def test_queue_cache_keeps_a_value_while_its_stamp_holds():
    cache, calls = QueueCache(size=2), []

    def compute(value):
        return lambda: calls.append(value) or value

    assert cache.get("a", 1, compute("x")) == "x"
    assert cache.get("a", 1, compute("y")) == "x"  # same stamp: kept
    assert cache.get("a", 2, compute("z")) == "z"  # the stamp moved: computed again
    cache.get("b", 1, compute("b"))
    cache.get("c", 1, compute("c"))  # a third key: the oldest goes
    assert cache.get("a", 2, compute("again")) == "again"
    assert calls == ["x", "z", "b", "c", "again"]
