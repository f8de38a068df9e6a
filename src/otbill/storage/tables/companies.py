"""Billing companies: a company, its own users, and the clinics each of them is granted.

Why a linked user per grant: every change in a clinic is audited in that clinic's chain under a
real actor (an ``app_user`` of that clinic). A grant therefore owns one user row in the granted
clinic (named ``<COMPANY>/<username>``, with an unguessable password nobody knows, so it can only
be reached through the company login) whose roles are the grant's roles. Revoking the grant
deactivates that row and ends its sessions: the access stops at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["BillingCompanyRow", "CompanyGrantRow", "CompanyUserRow"]


class BillingCompanyRow(Base):
    __tablename__ = "billing_company"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CompanyUserRow(Base):
    __tablename__ = "company_user"
    __table_args__ = (
        Index("ux_company_user_lower_username", "company_id", text("lower(username)"), unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("billing_company.id"), index=True)
    username: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    owner: Mapped[bool] = mapped_column(Boolean, default=False)  # may grant clinics to others


class CompanyGrantRow(ClinicOwned, Base):
    """One clinic granted to one company user (``revoked_at`` set: no longer)."""

    __tablename__ = "company_grant"
    __table_args__ = (
        UniqueConstraint("company_user_id", "clinic_id"),
        Index("ix_company_grant_user", "user_id"),
    )
    company_user_id: Mapped[int] = mapped_column(ForeignKey("company_user.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))  # the linked clinic user
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    granted_by: Mapped[str] = mapped_column(String(120))  # who granted: a person or "cli"
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
