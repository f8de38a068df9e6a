"""The rule registry: every scrubber rule declares its code, name, category, severity and page.

A rule is a function ``check(claim, ctx) -> Iterable[Finding]`` decorated with :func:`rule`. Its
docstring follows a fixed template, from which ``otbill rules explain`` and ``docs/rules/`` are
generated; a rule without every section, or without a source, is refused at load time::

    In short: ...            (one plain sentence: what is wrong, for the held queue's "What it means")
    What it checks: ...
    Why payers deny it: ...
    Example: ...
    Fix: ...
    Source: ...

Lifecycle (as in ruff): codes are a family prefix plus three digits (``MOD001``); each rule says
the otbill version it appeared in (``since``) and its status — ``stable``, or ``preview`` (run
only when preview rules are asked for). A retired code is listed in :mod:`otbill.rules.retired`
and never reused.

Severity: a finding's severity is the rule's default, or the severity of one of the rule's named
``cases`` (declared with the rule, each with the condition that selects it, and shown on the
rule's page), or — for one payer — the override in that payer's profile (``severity:
{AUT002: warning}``), which the engine applies to every finding of the rule. A rule body never
computes a severity.
"""

from __future__ import annotations

import enum
import functools
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from otbill import __version__
from otbill.errors import ConfigError
from otbill.rules import retired
from otbill.rules.findings import Applicability, Edit, Finding, Fix, Severity

if TYPE_CHECKING:
    from otbill.domain.claim import Claim
    from otbill.rules.context import ClaimContext

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "Applicability",
    "Case",
    "Edit",
    "Finding",
    "Fix",
    "Rule",
    "RuleDoc",
    "Severity",
    "Status",
    "load_rules",
    "parse_doc",
    "rule",
]

CATEGORIES = (
    "code", "scope", "units", "modifier", "ncci", "mue", "diagnosis", "provider",
    "authorization", "eligibility", "documentation", "plan-of-care", "progress-report",
    "duplicate", "timely-filing", "threshold", "telehealth", "compliance", "charge", "clinic-rule",
)  # fmt: skip
# Family prefix of each category's rule codes.
FAMILIES = {
    "code": "COD", "scope": "SCP", "units": "UNT", "modifier": "MOD", "ncci": "NCC", "mue": "MUE",
    "diagnosis": "DGN", "provider": "PRV", "authorization": "AUT", "eligibility": "ELG",
    "documentation": "DOC", "plan-of-care": "POC", "progress-report": "PRG", "duplicate": "DUP",
    "timely-filing": "TFL", "threshold": "THR", "telehealth": "TEL", "compliance": "CMP",
    "charge": "CHG", "clinic-rule": "CLN",
}  # fmt: skip
_SECTIONS = ("In short", "What it checks", "Why payers deny it", "Example", "Fix", "Source")
_CODE = re.compile(r"^[A-Z]{3}\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class Status(enum.StrEnum):
    STABLE = "stable"
    PREVIEW = "preview"  # new and still being tried: runs only when preview rules are asked for


@dataclass(frozen=True, slots=True)
class Case:
    """A named situation in which a rule reports with another severity than its default."""

    severity: Severity
    when: str  # shown on the rule's page: "the certification is not yet due"


@dataclass(frozen=True, slots=True)
class RuleDoc:
    what: str
    why: str
    example: str
    fix: str
    source: str
    summary: str  # "In short": what is wrong, in one plain sentence a biller reads on the queue


CheckFn = Callable[["Claim", "ClaimContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    check: CheckFn
    doc: RuleDoc
    since: str  # the otbill version the rule appeared in
    status: Status
    cases: Mapping[str, Case] = field(default_factory=lambda: MappingProxyType({}))

    def finding(
        self,
        message: str,
        *,
        line: int | None = None,
        fix: Fix | None = None,
        case: str | None = None,
        source: str | None = None,
    ) -> Finding:
        """A finding of this rule; ``line`` is the 0-based index (reported 1-based).

        Its severity is the rule's default, or that of the named ``case`` (one the rule declared).
        """
        severity = self.severity
        if case is not None:
            if case not in self.cases:
                raise KeyError(f"rule {self.code} declares no case {case!r}")
            severity = self.cases[case].severity
        return Finding(
            rule=self.code,
            name=self.name,
            category=self.category,
            severity=severity,
            line=None if line is None else line + 1,
            message=message,
            fix=fix,
            source=source or self.doc.source,
        )


_REGISTRY: dict[str, Rule] = {}


def parse_doc(code: str, doc: str | None) -> RuleDoc:
    """Split a rule docstring into the template's sections; refuse one that lacks any."""
    text = doc or ""
    pattern = "|".join(re.escape(s) for s in _SECTIONS)
    parts = re.split(rf"^\s*({pattern}):", text, flags=re.MULTILINE)
    found = {parts[i]: " ".join(parts[i + 1].split()) for i in range(1, len(parts) - 1, 2)}
    missing = [s for s in _SECTIONS if not found.get(s)]
    if missing:
        raise ConfigError(f"rule {code}: docstring lacks section(s) {', '.join(missing)}")
    return RuleDoc(
        what=found["What it checks"],
        why=found["Why payers deny it"],
        example=found["Example"],
        fix=found["Fix"],
        source=found["Source"],
        summary=found["In short"],
    )


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _check_identity(code: str, name: str, category: str, since: str) -> None:
    """Refuse a malformed, retired, reserved or already-taken code or name, or a bad ``since``."""
    family = FAMILIES.get(category)
    if not _CODE.match(code) or family is None or not code.startswith(family):
        raise ConfigError(f"rule {code}: code must be {family}NNN for {category}")
    if not _NAME.match(name):
        raise ConfigError(f"rule {code}: name {name!r} must be kebab-case")
    gone = retired.retired_rule(code, name)
    if gone is not None:
        raise ConfigError(
            f"rule {code} {name}: {gone.code} {gone.name} was retired in {gone.retired_in} "
            f"({gone.reason}); a retired code or name is never reused — take a new one"
        )
    if code in retired.RESERVED:
        raise ConfigError(f"rule {code}: the code is reserved for {retired.RESERVED[code]}")
    if not _VERSION.match(since) or _version(since) > _version(__version__):
        raise ConfigError(
            f"rule {code}: since {since!r} must be an otbill version no later than {__version__}"
        )


def rule(
    code: str,
    name: str,
    category: str,
    severity: Severity,
    *,
    since: str,
    status: Status = Status.STABLE,
    cases: Mapping[str, Case] | None = None,
) -> Callable[[CheckFn], Rule]:
    """Register ``check`` as a rule; the returned object is the :class:`Rule`."""

    def register(check: CheckFn) -> Rule:
        _check_identity(code, name, category, since)
        for other in _REGISTRY.values():
            same = other.code == code or other.name == name
            if same and other.check.__qualname__ != check.__qualname__:
                raise ConfigError(f"rule {code} {name}: code or name taken by {other.code}")
        doc = parse_doc(code, check.__doc__)
        frozen = MappingProxyType(dict(cases or {}))
        registered = Rule(code, name, category, severity, check, doc, since, status, frozen)
        _REGISTRY[code] = registered
        return registered

    return register


def _rule_modules() -> Iterator[str]:
    import otbill.rules as package

    for info in pkgutil.walk_packages(package.__path__, "otbill.rules."):
        if info.name.count(".") >= 3:  # otbill.rules.<family>.<rule module>
            yield info.name


@functools.cache
def _import_rule_modules() -> None:
    """Import every rule module, once: later calls (one per request or command) skip the walk."""
    for module in _rule_modules():
        importlib.import_module(module)


def load_rules(*, preview: bool = False) -> list[Rule]:
    """Import every rule module once and return the rules sorted by code.

    Preview rules are left out unless ``preview`` is true (``otbill scrub --preview``).
    """
    _import_rule_modules()
    rules = sorted(_REGISTRY.values(), key=lambda r: r.code)
    return rules if preview else [r for r in rules if r.status is Status.STABLE]
