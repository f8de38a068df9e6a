"""The names pages show for payers and therapists, and the pickers that offer them.

One home for them: the queue filters, the denial filter, the therapist's forms, the dashboard and
the claim listings all label a payer or a therapist the same way, in the same order.
"""

from __future__ import annotations

from otbill.storage import UnitOfWork

__all__ = ["payer_choices", "payer_names", "therapist_choices"]


def payer_names(uow: UnitOfWork) -> dict[int, str]:
    """Every payer's name by id."""
    return {p.id: p.name for p in uow.payers.all()}


def payer_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The clinic's payers for a picker: (id, name), by name."""
    return [(p.id, p.name) for p in sorted(uow.payers.all(), key=lambda p: (p.name, p.id))]


def therapist_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The clinic's therapists (rendering providers) for a picker: (id, "First Last, credential"),
    by last name."""
    providers = sorted(uow.providers.all(), key=lambda p: (p.last_name, p.id))
    return [
        (p.id, f"{p.first_name} {p.last_name}" + (f", {p.credential}" if p.credential else ""))
        for p in providers
    ]
