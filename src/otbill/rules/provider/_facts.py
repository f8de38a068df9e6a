"""Facts shared by the provider rules: a cached NPI verdict."""

from __future__ import annotations

import functools

from otbill.codes import npi
from otbill.errors import CodeError

__all__ = ["npi_problem"]


@functools.lru_cache(maxsize=16384)
def npi_problem(value: str) -> str | None:
    """None for a well-formed NPI with a correct check digit; else the reason."""
    try:
        npi.validate(value)
    except CodeError as exc:
        return exc.reason
    return None
