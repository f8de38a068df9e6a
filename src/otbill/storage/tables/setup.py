"""Tables of the clinic's setup beyond the clinic row: its service locations (migration 0006)."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["LocationRow"]


class LocationRow(ClinicOwned, Base):
    """A service facility (loop 2310C) with the place of service its visits usually carry."""

    __tablename__ = "clinic_location"
    __table_args__ = (UniqueConstraint("clinic_id", "name"),)
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(9))
    place_of_service: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)
