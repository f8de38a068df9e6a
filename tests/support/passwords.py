"""Cheap Argon2id parameters for the tests.

The clinic's password hasher costs about 0.1 s a hash and more a check, by design; the tests add
thousands of users and log in hundreds of times. They get the same Argon2id hashes (the
``$argon2id$`` form and the check are unchanged), made with the smallest cost parameters, as
Django's test settings do with their fast hasher. ``otbill serve`` in a subprocess keeps the real
cost.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

__all__ = ["fast_password_hashing"]

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    from otbill.services.clinic import passwords  # the one hasher behind every password

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", CHEAP)
        yield
