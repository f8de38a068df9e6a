"""The audit page's "verify" checks the signed checkpoints too (OTBILL_AUDIT_KEY): a truncated
chain whose head and anchor were moved back is named there, as by ``otbill audit verify``."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import text

from otbill.services.clinic import audit
from otbill.settings import Settings
from otbill.web.app import create_app
from support.webkit import DEMO_TODAY, app_on_copy, csrf_of, log_in


def test_the_page_names_events_deleted_behind_a_checkpoint(tmp_path, demo_template) -> None:
    plain = app_on_copy(demo_template, tmp_path)
    settings = Settings(
        data_dir=tmp_path, database_url=plain.state.settings.database_url,
        secret_key="test-secret", audit_key="k" * 32,
    )  # fmt: skip
    app = create_app(settings, today=DEMO_TODAY, database=plain.state.db)
    db = app.state.db
    audit.write_checkpoint(db, settings.checkpoint_dir, "k" * 32, dt.date(2025, 4, 1))
    with db.engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one()
        conn.execute(text(f"DELETE FROM audit_event WHERE seq = {last}"))
        kept = conn.execute(text(f"SELECT hash FROM audit_event WHERE seq = {last - 1}")).scalar()
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": last - 1, "h": kept})
        conn.execute(
            text("UPDATE audit_anchor SET row_count = :s, hash = :h"), {"s": last - 1, "h": kept}
        )
    with TestClient(app) as client:
        log_in(client, "approver")
        csrf = csrf_of(client.get("/audit").text)
        page = client.post("/audit/verify", data={"csrf_token": csrf}, headers={"HX-Request": "1"})
    assert "The audit chain is broken" in page.text
    assert f"checkpoint 2025-04-01: the chain held {last} events then" in page.text
