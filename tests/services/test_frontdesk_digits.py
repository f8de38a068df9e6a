"""Front-desk input read from forms and CSV rows: "²" (which ``str.isdigit`` accepts and ``int``
does not) and numbers too long for ``int`` are named as bad input, never a crash (issue 11,
item 17)."""

from __future__ import annotations

import pytest

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import parse_time
from otbill.services.frontdesk import csv_rows, schedule_input

ODD = ["²", "１２", "٣", "9" * 5_000]


@pytest.mark.parametrize("text", ODD)
def test_schedule_numbers_are_plain_digits(text):
    with pytest.raises(RecordError):
        schedule_input._whole(text, "Minutes", 5, 480)
    with pytest.raises(RecordError):
        schedule_input._id({"patient": text}, "patient", "Patient")


@pytest.mark.parametrize("text", ["²:30", "09:３0", "9" * 5_000 + ":00", "1²:00"])
def test_start_times_are_plain_digits(text):
    with pytest.raises(RecordError, match="start time"):
        parse_time(text)


def test_start_times_still_read():
    assert parse_time("09:30") == 570 and parse_time(" 9:05 ") == 545


@pytest.mark.parametrize("text", ODD)
def test_csv_whole_numbers_are_plain_digits(text):
    with pytest.raises(csv_rows._Refused):
        csv_rows._int({"visits": text}, "visits")
