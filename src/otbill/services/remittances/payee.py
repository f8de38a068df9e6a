"""Is this 835 addressed to this clinic? The payee (loop 1000B) against the billing provider.

An 835 pays one payee, named in loop 1000B: N1*PE with its identifier (N103 ``XX`` = NPI, ``FI`` =
federal tax ID, ``XV`` = CMS plan ID) and, situationally, REF*TJ with the payee's federal tax ID
(ASC X12N 005010X221A1, loop 1000B, N1 and REF). A hospital's remittance posted into a clinic's
ledger would match nothing or, worse, a claim number that happens to be ours, so a file whose payee
is not the clinic posts nothing (:class:`PayeeRefused`).

Each identifier the 835 gives must be the clinic's: the NPI against the clinic's billing NPI, a tax
ID (N104 with FI, or REF*TJ) against its tax ID (digits only, so ``74-1234567`` is ``741234567``).
Only when the payee carries neither an NPI nor a tax ID is the name compared (case and spacing
ignored). ``any_payee`` on posting skips the check: published sample 835s used as a test corpus
are addressed to other payees by nature.
"""

from __future__ import annotations

from collections.abc import Iterable

from otbill.domain.remittance import PaymentHeader
from otbill.errors import OtbillError
from otbill.storage import UnitOfWork

__all__ = ["PayeeRefused", "check_payee"]


class PayeeRefused(OtbillError):
    """An 835 whose payee is not this clinic; nothing was posted."""

    def __init__(self, name: str, found: str, expected: str) -> None:
        self.found, self.expected = found, expected
        super().__init__(
            f"{name}: this 835 pays {found}, not this clinic {expected}; nothing posted"
        )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isdigit())


def _words(text: str) -> str:
    return " ".join(text.upper().split())


def describe_payee(header: PaymentHeader) -> str:
    """The payee as the 835 names it: 'MERCY HOSPITAL (NPI 1922164458, TIN 204881619)'."""
    ids = []
    if header.payee_id and header.payee_id_qualifier == "XX":
        ids.append(f"NPI {header.payee_id}")
    if header.payee_id and header.payee_id_qualifier == "FI":
        ids.append(f"TIN {header.payee_id}")
    if header.payee_tax_id:
        ids.append(f"TIN {header.payee_tax_id}")
    if header.payee_id and header.payee_id_qualifier not in ("XX", "FI"):
        ids.append(f"{header.payee_id_qualifier or 'ID'} {header.payee_id}")
    name = header.payee_name.strip() or "an unnamed payee"
    return f"{name} ({', '.join(ids)})" if ids else name


def is_payee(header: PaymentHeader, name: str, npi: str, tax_id: str) -> bool:
    """Whether the 835's payee is the billing provider with this name, NPI and tax ID."""
    npis = [header.payee_id.strip()] if header.payee_id_qualifier == "XX" else []
    tins = [header.payee_tax_id] if header.payee_tax_id else []
    if header.payee_id_qualifier == "FI":
        tins.append(header.payee_id)
    if npis or tins:
        return all(n == npi.strip() for n in npis) and all(
            _digits(t) == _digits(tax_id) for t in tins
        )
    return _words(header.payee_name) == _words(name)


def check_payee(uow: UnitOfWork, name: str, headers: Iterable[PaymentHeader]) -> None:
    """Raise :class:`PayeeRefused` naming the first remittance paying someone else."""
    clinic = uow.clinics.identity()
    for header in headers:
        if not is_payee(header, clinic.name, clinic.npi, clinic.tax_id):
            expected = f"{clinic.name} (NPI {clinic.npi}, TIN {clinic.tax_id})"
            raise PayeeRefused(name, describe_payee(header), expected)
