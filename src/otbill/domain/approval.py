"""Separation of duties: who may approve a claim, and why not, in people's names.

Why every person and not only the last editor: one person who can both build (or change) and
approve a claim can bill for services never given; the second pair of eyes only works if the
approver changed nothing on it. So the claim's creator and everyone who changed its content (a line
edit, an applied fix) are barred, whoever saved it after them. A save that changes nothing is no
change and bars no one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from otbill.domain.lifecycle import Role

__all__ = [
    "Approver",
    "Involvement",
    "approval_refusal",
    "eligible_approvers",
    "involvement_names",
    "when",
]


@dataclass(frozen=True, slots=True)
class Involvement:
    """One person's part in a claim's content: who, what they did last, and when."""

    user_id: int
    what: str  # "built the claim", "edited line 2", "applied a safe fix"
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Approver:
    """A user as approval sees them: their name, roles, and whether they may still sign in."""

    user_id: int
    name: str
    roles: frozenset[str]
    active: bool = True


def when(at: dt.datetime | dt.date) -> str:
    """``3 Apr 2025``: a date a person reads without guessing the order of day and month."""
    return f"{at.day} {at:%b %Y}"


def approval_refusal(
    claim: str,
    user: Approver,
    involved: Sequence[Involvement],
) -> str | None:
    """Why ``user`` may not approve ``claim`` (a sentence naming them), or None when they may."""
    if Role.APPROVER not in user.roles:
        return (
            f"{claim}: approval needs the approver role, which {user.name} does not hold "
            "(an administrator approves only with the approver role)"
            if Role.ADMIN in user.roles
            else f"{claim}: approval needs the approver role, which {user.name} does not hold"
        )
    mine = [i for i in involved if i.user_id == user.user_id]
    if mine:
        latest = max(mine, key=lambda i: i.at)
        return (
            f"{claim}: you ({user.name}) {latest.what} on {when(latest.at)}, so someone else "
            "must approve it (separation of duties)"
        )
    return None


def eligible_approvers(users: Iterable[Approver], involved: Sequence[Involvement]) -> list[str]:
    """The names of the active users who may approve a claim with these involvements, sorted."""
    barred = {i.user_id for i in involved}
    return sorted(
        u.name for u in users if u.active and Role.APPROVER in u.roles and u.user_id not in barred
    )


def involvement_names(involved: Sequence[Involvement], names: Mapping[int, str]) -> list[str]:
    """``Bea Biller built the claim on 1 Apr 2025``, one sentence per person, oldest first."""
    return [
        f"{names.get(i.user_id, 'a former user')} {i.what} on {when(i.at)}"
        for i in sorted(involved, key=lambda i: i.at)
    ]
