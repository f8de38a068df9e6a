"""The envelope around a hand-written X12 test text: ISA, GS and ST before its segments, SE (with
the segment count), GE and IEA after, one segment a line, so each test text holds only what it is
about. ``replace_in`` makes a one-place mutation of such a text."""

from __future__ import annotations

import datetime as dt

__all__ = ["interchange", "replace_in"]


def interchange(
    kind: str, version: str, functional: str, sender: str, receiver: str, at: dt.datetime,
    control: int, body: str, *, usage: str = "T",
) -> str:  # fmt: skip
    """One interchange of one group of one transaction set ``kind`` (ST01) of ``version``
    (GS08, ST03); ``control`` numbers the interchange (ISA13) and the group (GS06); ``body`` is
    the segments between ST and SE, each ending ``~`` and a new line; ``usage`` T test, P live."""
    count = body.count("~\n") + 2  # ST and SE count too
    return (
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*{at:%y%m%d}*{at:%H%M}"
        f"*^*00501*{control:09d}*0*{usage}*:~\n"
        f"GS*{functional}*{sender}*{receiver}*{at:%Y%m%d}*{at:%H%M}*{control}*X*{version}~\n"
        f"ST*{kind}*0001*{version}~\n"
        f"{body}"
        f"SE*{count}*0001~\n"
        f"GE*1*{control}~\n"
        f"IEA*1*{control:09d}~\n"
    )


def replace_in(text: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` replaced (which must be there, so a mutation cannot miss)."""
    assert old in text, old
    return text.replace(old, new, 1)
