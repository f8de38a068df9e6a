"""Uploading an 835 that pays another payee: 422, one line naming both payees, nothing posted."""

from __future__ import annotations

import html
import re

from otbill.storage.tables import RemittanceRow
from support.demoflow import make_835, send_claims, statuses
from support.webkit import log_in, token


def test_upload_of_another_payees_835_is_refused(app, client):
    sent = send_claims(app, 1)
    data = make_835([(sent[0], True)]).replace(
        b"N1*PE*RIVERSIDE*XX*1500000090", b"N1*PE*MERCY HOSPITAL*XX*1922164458"
    )
    log_in(client, "biller")
    before = statuses(app)
    fields = {"csrf_token": token(client, "/remittances")}
    page = client.post("/remittances/upload", data=fields, files={"file": ("era.835", data)})
    assert page.status_code == 422
    error = html.unescape(re.search(r'data-testid="upload-error">(.*?)</p>', page.text, re.S)[1])
    assert "era.835: this 835 pays MERCY HOSPITAL (NPI 1922164458), not this clinic" in error
    assert "(NPI 1500000090" in error and error.strip().endswith("nothing posted")
    assert statuses(app) == before
    with app.state.db.session() as session:
        assert session.query(RemittanceRow).count() == 0
