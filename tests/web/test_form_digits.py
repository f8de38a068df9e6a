"""Digits that ``str.isdigit`` accepts but ``int`` cannot read ("²"), and numbers too long for
``int`` to convert, in web forms and page numbers: a message naming the field, or the field left
out, never a 500 (issue 11, item 17)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from otbill.domain.record_errors import RecordError
from otbill.web.params import is_whole
from otbill.web.routes import (
    admin,
    admin_setup,
    authorizations,
    frontdesk_forms,
    plan_forms,
    therapist_forms,
)
from otbill.web.routes import schedule as schedule_page
from support.webkit import log_in, token

ODD = ["²", "１２", "٣", "9" * 5_000]


@pytest.mark.parametrize("text", ODD)
def test_form_numbers_that_are_not_plain_digits_are_named(text):
    for parse in (
        lambda: admin_setup._id(text, "supervisor"),
        lambda: frontdesk_forms._whole({"copay": text}, "copay", "Copay"),
        lambda: admin._days(text, "timely filing"),
        lambda: authorizations._number({"visits": text}, "visits", "Visits"),
        lambda: plan_forms.whole_number({"visits": text}, "visits", "Visits per week"),
    ):
        with pytest.raises(RecordError):
            parse()


@pytest.mark.parametrize("text", ODD)
def test_filter_numbers_that_are_not_plain_digits_are_left_out(text):
    assert schedule_page._number(text) is None


def test_is_whole_takes_plain_ascii_digits_of_bounded_length():
    assert is_whole("42") and is_whole("0" * 18) and not is_whole("0" * 19, 18)
    assert not any(is_whole(t) for t in ["", "²", "１２", "-1", "1.0", " 1", "1e3"])


@pytest.mark.parametrize(
    ("user", "url"),
    [("admin", "/admin/setup?page={n}"), ("biller", "/plans/physicians?page={n}")],
)
def test_page_numbers_that_are_not_plain_digits_show_the_first_page(app, user, url):
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, user)
        for text in ["²", "9" * 5_000]:
            assert client.get(url.format(n=text)).status_code == 200


def test_a_provider_form_linked_to_user_superscript_two_is_no_500(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, "admin")
        form = {"csrf_token": token(client, "/admin/setup"), "user_id": "²"}
        assert client.post("/admin/providers", data=form).status_code == 422
        assert client.post("/admin/providers/1", data=form).status_code in (200, 303, 422)


@pytest.mark.parametrize("text", ODD)
def test_visit_minutes_that_are_not_plain_digits_are_named(text):
    rows = therapist_forms.parse_rows({"code_0": "97110", "minutes_0": text}, None)
    assert "minutes_0" in rows.errors and not rows.services
    odd_key = therapist_forms.parse_rows({f"code_{text[:3]}": "97110", "code_0": "97530",
                                          "minutes_0": "30"}, None)  # fmt: skip
    assert [s.code for s in odd_key.services] == ["97530"]
    errors: dict[str, str] = {}
    therapist_forms.note_changes({"total_treatment_minutes": text}, errors)
    assert errors
