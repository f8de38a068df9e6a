"""Provider credentials: which ones are therapy assistants (one home for the fact).

Why it matters: Medicare does not enrol OT or PT assistants as rendering providers (42 CFR
410.59, 410.60); an assistant's services are billed under the supervising therapist with CO or
CQ (CMS, "Billing Examples Using CQ/CO Modifiers", 2020), paid at 85% from 2022 (42 CFR 410.59(a)(4)
as amended by the CY2019 PFS final rule). The claim builder, the scrubber (PRV004), the therapist
pages and the note-signing rules all ask this one function.

>>> is_assistant("COTA/L")
True
>>> is_assistant("OTR/L")
False
>>> is_assistant("PTA")
True
"""

from __future__ import annotations

import re

__all__ = ["ASSISTANT_CREDENTIALS", "is_assistant"]

# As written after a name: "COTA", "COTA/L", "OTA", "PTA", "LPTA", "PTA-L" (slash and dash dropped).
ASSISTANT_CREDENTIALS = frozenset({"COTA", "OTA", "COTAL", "OTAL", "PTA", "LPTA", "PTAL"})
_SPLIT = re.compile(r"[^A-Z]+")


def is_assistant(credential: str | None) -> bool:
    """Whether ``credential`` names a therapy assistant (COTA, OTA, PTA and their licensed forms)."""
    if not credential:
        return False
    upper = credential.upper()
    tokens = {t for t in _SPLIT.split(upper) if t}
    squeezed = upper.replace("/", "").replace("-", "").replace(" ", "")
    return not tokens.isdisjoint(ASSISTANT_CREDENTIALS) or squeezed in ASSISTANT_CREDENTIALS
