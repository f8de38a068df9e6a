"""The rule registry: every scrubber rule declares its code, name, category, severity and page.

A rule is a function ``check(claim, ctx) -> Iterable[Finding]`` decorated with :func:`rule`. Its
docstring follows a fixed template, from which ``otbill rules explain`` and ``docs/rules/`` are
generated; a rule without every section, or without a source, is refused at load time::

    What it checks: ...
    Why payers deny it: ...
    Example: ...
    Fix: ...
    Source: ...

Codes are a family prefix plus three digits (``MOD001``); a retired code is never reused.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from otbill.errors import ConfigError

if TYPE_CHECKING:
    from otbill.domain.claim import Claim
    from otbill.rules.context import ClaimContext

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "Applicability",
    "Edit",
    "Finding",
    "Fix",
    "Rule",
    "RuleDoc",
    "Severity",
    "load_rules",
    "rule",
]

CATEGORIES = (
    "code", "scope", "units", "modifier", "ncci", "mue", "diagnosis", "provider",
    "authorization", "eligibility", "documentation", "plan-of-care", "progress-report",
    "duplicate", "timely-filing", "threshold", "telehealth", "compliance", "charge",
)  # fmt: skip
# Family prefix of each category's rule codes.
FAMILIES = {
    "code": "COD", "scope": "SCP", "units": "UNT", "modifier": "MOD", "ncci": "NCC", "mue": "MUE",
    "diagnosis": "DGN", "provider": "PRV", "authorization": "AUT", "eligibility": "ELG",
    "documentation": "DOC", "plan-of-care": "POC", "progress-report": "PRG", "duplicate": "DUP",
    "timely-filing": "TFL", "threshold": "THR", "telehealth": "TEL", "compliance": "CMP",
    "charge": "CHG",
}  # fmt: skip
_SECTIONS = ("What it checks", "Why payers deny it", "Example", "Fix", "Source")
_CODE = re.compile(r"^[A-Z]{3}\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Severity(enum.StrEnum):
    ERROR = "error"  # the claim is held
    WARNING = "warning"  # a person should review
    INFO = "info"


class Applicability(enum.StrEnum):
    SAFE = "safe"  # the records establish the facts; --fix applies it
    UNSAFE = "unsafe"  # needs a person's judgement
    DISPLAY_ONLY = "display-only"  # a suggestion, never applied


@dataclass(frozen=True, slots=True)
class Edit:
    """Set one field of the claim (``line`` None) or of one service line (0-based index)."""

    field: str
    value: Any
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...] = ()
    applicability: Applicability = Applicability.DISPLAY_ONLY


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    category: str
    severity: Severity
    line: int | None  # 1-based service line, or None for the whole claim
    message: str
    fix: Fix | None
    source: str

    def as_json(self) -> dict[str, object]:
        fix = None
        if self.fix is not None:
            fix = {
                "description": self.fix.description,
                "applicability": self.fix.applicability.value,
            }
        return {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "line": self.line,
            "message": self.message,
            "fix": fix,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class RuleDoc:
    what: str
    why: str
    example: str
    fix: str
    source: str


CheckFn = Callable[["Claim", "ClaimContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    check: CheckFn
    doc: RuleDoc

    def finding(
        self,
        message: str,
        *,
        line: int | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
        source: str | None = None,
    ) -> Finding:
        """A finding of this rule; ``line`` is the 0-based index (reported 1-based)."""
        return Finding(
            rule=self.code,
            name=self.name,
            category=self.category,
            severity=severity or self.severity,
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
    return RuleDoc(*(found[s] for s in _SECTIONS))


def rule(code: str, name: str, category: str, severity: Severity) -> Callable[[CheckFn], Rule]:
    """Register ``check`` as a rule; the returned object is the :class:`Rule`."""

    def register(check: CheckFn) -> Rule:
        if not _CODE.match(code) or not code.startswith(FAMILIES.get(category, "?")):
            raise ConfigError(
                f"rule {code}: code must be {FAMILIES.get(category)}NNN for {category}"
            )
        if not _NAME.match(name):
            raise ConfigError(f"rule {code}: name {name!r} must be kebab-case")
        if code in _REGISTRY and _REGISTRY[code].check.__qualname__ != check.__qualname__:
            raise ConfigError(f"rule {code} is registered twice")
        registered = Rule(code, name, category, severity, check, parse_doc(code, check.__doc__))
        _REGISTRY[code] = registered
        return registered

    return register


def _rule_modules() -> Iterator[str]:
    import otbill.rules as package

    for info in pkgutil.walk_packages(package.__path__, "otbill.rules."):
        if info.name.count(".") >= 3:  # otbill.rules.<family>.<rule module>
            yield info.name


def load_rules() -> list[Rule]:
    """Import every rule module once and return the rules sorted by code."""
    for module in _rule_modules():
        importlib.import_module(module)
    return sorted(_REGISTRY.values(), key=lambda r: r.code)
