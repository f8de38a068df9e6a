"""Passwords: Argon2id hashes, the one hasher behind adding users, first run and logging in.

Only the hash is stored, never the password; a check of a hash made with older cost parameters
tells the caller to store a new one (``needs_rehash``), so raising the cost upgrades users as they
log in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

__all__ = ["hash_password", "matches", "needs_rehash"]

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (what is stored; never the password)."""
    return _HASHER.hash(password)


def matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from."""
    try:
        return _HASHER.verify(stored, password)
    except VerificationError:
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other cost parameters than today's."""
    return _HASHER.check_needs_rehash(stored)
