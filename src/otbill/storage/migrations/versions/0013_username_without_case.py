"""Usernames are unique without case within a clinic, like clinic codes ("RCole" is "rcole").

Revision ID: 0013
Revises: 0012

A database that already holds two users whose names differ only in case cannot take the index:
the upgrade stops and names them, so that an admin renames one (their logins would otherwise be
the same) instead of otbill picking one silently.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_INDEX = "ux_app_user_clinic_lower_username"


def upgrade() -> None:
    clashes = op.get_bind().execute(
        sa.text(
            "SELECT clinic_id, lower(username) FROM app_user "
            "GROUP BY clinic_id, lower(username) HAVING count(*) > 1"
        )
    )
    found = [f"clinic {clinic} user name {name!r}" for clinic, name in clashes]
    if found:
        raise RuntimeError(
            "usernames must differ by more than case; rename one of each: " + "; ".join(found)
        )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(_INDEX, ["clinic_id", sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(_INDEX)
