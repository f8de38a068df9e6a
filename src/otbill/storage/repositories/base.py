"""What every named repository shares: one session and one clinic, fixed for a unit of work.

Why a small base and many named repositories (as Polar's ``kit/repository.py``): every read is
scoped to the unit of work's clinic in one place, and each query a service needs has a name that
says what it returns, so the indexes that serve it are easy to find.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

__all__ = ["ClinicScoped"]


class ClinicScoped:
    """A repository bound to one session and one clinic."""

    def __init__(self, session: Session, clinic_id: int) -> None:
        self.session = session
        self.clinic_id = clinic_id
