"""``otbill post``: an 835 paying another payee exits 2 with one line; --any-payee posts it."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from otbill.cli import edi
from otbill.storage import Database
from support.clinickit import make_npi, seed_clinic
from support.remitkit import make_835

app = typer.Typer()
app.command("post")(edi.post_command)
app.command("ack")(edi.ack_command)

CLAIM = "CLP*NOPE-1*1*100*80*0*MB*ICN9*11*1\nCAS*CO*45*20"


def test_post_refuses_an_835_for_another_payee(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/post.db"
    db = Database(url)
    seed_clinic(db)
    db.dispose()
    era = tmp_path / "hospital.835"
    era.write_bytes(make_835(CLAIM, "80", payee="N1*PE*MERCY HOSPITAL*XX*1922164458"))
    base = ["--database-url", url, "--clinic", "HOT"]
    out = CliRunner().invoke(app, ["post", str(era), *base])
    assert out.exit_code == 2, out.output
    assert out.output.count("\n") == 1
    assert "hospital.835: this 835 pays MERCY HOSPITAL (NPI 1922164458)" in out.output
    assert f"not this clinic Hands On OT HOT (NPI {make_npi(900)}" in out.output
    out = CliRunner().invoke(app, ["post", str(era), "--any-payee", *base])
    assert out.exit_code == 0, out.output
    assert "1 unmatched" in out.output or "unmatched" in out.output
