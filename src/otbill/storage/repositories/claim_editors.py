"""Who created or changed each claim's content: the people separation of duties bars from approving.

Reached as ``uow.claims.editors``. A content change is written while the claim's row is locked
(``uow.claims.for_update``), so two writers never race on one (claim, person) row.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from otbill.domain.approval import Involvement
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import scoped
from otbill.storage.tables import ClaimEditorRow, ClaimRow

__all__ = ["ClaimEditorRepository"]


class ClaimEditorRepository(ClinicScoped):
    """Everyone who created or changed a claim's content, with their latest change."""

    def note(self, claim_id: int, user_id: int, what: str) -> None:
        """``user_id`` just changed the claim's content (``what``, in words): they become its
        last editor and stay one of its editors for good. Unique (claim_id, user_id)."""
        claim = self.session.get(ClaimRow, claim_id)
        if claim is None or claim.clinic_id != self.clinic_id:
            return
        claim.last_edited_by = user_id
        query = scoped(ClaimEditorRow, self.clinic_id).where(
            ClaimEditorRow.claim_id == claim_id, ClaimEditorRow.user_id == user_id
        )
        row = self.session.scalars(query).first()
        if row is None:
            row = ClaimEditorRow(clinic_id=self.clinic_id, claim_id=claim_id, user_id=user_id)
            self.session.add(row)
        row.what, row.at = what[:120], utcnow()

    def of(self, claim_ids: Iterable[int]) -> dict[int, list[Involvement]]:
        """Each claim's creator ("created the claim", when it was created) and editors, by claim
        id; the claims' primary keys and the editors' unique (claim_id, user_id)."""
        ids = list(set(claim_ids))
        found: dict[int, list[Involvement]] = {i: [] for i in ids}
        if not ids:
            return found
        created = select(ClaimRow.id, ClaimRow.created_by, ClaimRow.created_at).where(
            ClaimRow.clinic_id == self.clinic_id, ClaimRow.id.in_(ids)
        )
        for claim_id, user_id, at in self.session.execute(created):
            if user_id is not None:
                found[claim_id].append(Involvement(user_id, "created the claim", at))
        for claim_id, changes in self.changes(ids).items():
            found[claim_id].extend(changes)
        return found

    def changes(self, claim_ids: Iterable[int]) -> dict[int, list[Involvement]]:
        """Each claim's editors with their latest change, by claim id (claims nobody changed are
        left out); the creator is the claim row's, which a queue page has read already."""
        query = scoped(ClaimEditorRow, self.clinic_id).where(
            ClaimEditorRow.claim_id.in_(list(set(claim_ids)))
        )
        found: dict[int, list[Involvement]] = {}
        for row in self.session.scalars(query):
            found.setdefault(row.claim_id, []).append(Involvement(row.user_id, row.what, row.at))
        return found
