"""Issue 11 item 7: one clock. Only ``otbill.clock`` reads the machine's date or time; a run "as of"
a day would otherwise write "746 days left" somewhere. The exceptions are real-time by nature:
session timeouts, the crash log's time, a real-time envelope's send time and a migration's own
timestamp."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "otbill"
READS_THE_CLOCK = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.utcnow|time\.time)\(")
REAL_TIME = {
    "clock.py",  # the one place
    "services/clinic/sessions.py",  # idle and absolute session timeouts are wall-clock time
    "cli/crash.py",  # when the crash happened, for the log
    "clearinghouse/core_http.py",  # a CORE envelope's TimeStamp is when it is sent: transport time
}


def test_only_the_clock_reads_the_machines_date() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if str(path.relative_to(SRC)) not in REAL_TIME and "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if READS_THE_CLOCK.search(line)
    ]
    assert found == [], "use otbill.clock (today(), utcnow(), now()):\n" + "\n".join(found)
