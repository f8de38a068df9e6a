"""The payer profile model and its loader (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from otbill.errors import ConfigError

__all__ = ["PayerProfile", "TelehealthPolicy", "load_profiles"]

_RULE_CODE = re.compile(r"^[A-Z]{3}\d{3}$")
# Profile fields that were replaced; a file still using one is refused with what to write instead.
_RETIRED_FIELDS = {
    "wrong_discipline_modifiers_are_errors": "write `severity: {MOD002: warning}` for a payer that "
    "accepts GP/GN on OT lines (MOD002 is an error by default)",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelehealthPolicy(_Model):
    """When the payer pays therapy by telehealth, and how the claim must show it."""

    allowed_from: dt.date | None = None
    allowed_to: dt.date | None = None
    codes: Literal["medicare-list", "any"] | tuple[str, ...] = "medicare-list"
    places_of_service: tuple[str, ...] = ("02", "10")
    modifier: Literal["95", "GT"] | None = "95"

    def allowed_on(self, on: dt.date) -> bool:
        if self.allowed_from is None or on < self.allowed_from:
            return False
        return self.allowed_to is None or on <= self.allowed_to


class PlanOfCarePolicy(_Model):
    certification_days: int | None = (
        None  # physician signature due within N days of the first visit
    )
    recertification_days: int | None = None  # at least every N days


class AfterVisits(_Model):
    after_visits: int = Field(ge=0)


class PayerProfile(_Model):
    name: str
    description: str = ""
    inherits: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)
    units_method: Literal["cms", "per-code"] = "cms"
    therapy_modifier: Literal["GO"] | None = "GO"
    kx_thresholds: dict[int, Decimal] = Field(default_factory=dict)
    medical_review_threshold: Decimal | None = None
    assistant_modifier_required_from: dt.date | None = None
    assistant_payment_percent: int | None = None
    telehealth: TelehealthPolicy = TelehealthPolicy()
    prior_authorization: Literal["never", "always"] | AfterVisits = "never"
    visit_limit_per_year: int | None = None
    timely_filing_days: int = Field(default=365, gt=0)
    status_follow_up_days: int = Field(default=30, gt=0)  # ask a 276 when no 277CA/835 by then
    prior_auth_follow_up_days: int = Field(default=5, gt=0)  # look again at a pended 278 after
    pfs_status_edits: bool = (
        False  # Medicare PFS status: B (bundled) and I (not valid for Medicare) codes
    )
    ncci: bool = True
    mue: bool = True
    eligibility_valid_days: int | None = 30
    # Ask the 270 about each procedure code too (EQ02 HC:code): payers that answer per code.
    eligibility_procedure_codes: bool = False
    requires_rendering_provider: bool = True
    requires_referring_provider: bool = False
    plan_of_care: PlanOfCarePolicy = PlanOfCarePolicy()
    progress_report_every_visits: int | None = None
    ignore: tuple[str, ...] = ()
    # The shape of the payer's member IDs as a regular expression (whole ID), checked at
    # registration; None when the payer has no fixed format.
    member_id_pattern: str | None = None
    # Per-rule severity for this payer, e.g. {AUT002: warning}: every finding of the rule.
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)

    @field_validator("kx_thresholds", mode="before")
    @classmethod
    def _years_as_ints(cls, value: Any) -> Any:
        return {int(k): v for k, v in value.items()} if isinstance(value, Mapping) else value

    @field_validator("severity")
    @classmethod
    def _rule_codes(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [code for code in value if not _RULE_CODE.match(code)]
        if bad:
            raise ValueError(f"{', '.join(bad)}: expected rule codes such as AUT002")
        return value

    @field_validator("member_id_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from exc
        return value

    def kx_threshold(self, year: int) -> Decimal | None:
        return self.kx_thresholds.get(year)

    def authorization_required(self, visit_number: int | None) -> bool:
        """Whether this visit needs a prior authorization (visit 1 = the evaluation)."""
        policy = self.prior_authorization
        if policy == "never":
            return False
        if policy == "always":
            return True
        assert isinstance(policy, AfterVisits)
        return visit_number is None or visit_number > policy.after_visits

    def source(self, topic: str, default: str = "payer profile") -> str:
        return f"{self.sources.get(topic, default)} [payer profile {self.name}]"


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping) and value:
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"payer profile {origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ConfigError(f"payer profile {origin}: expected a mapping with a 'name'")
    data["_origin"] = origin
    return data


def _raw_profiles(directories: Iterable[Path]) -> dict[str, dict[str, Any]]:
    raw: dict[str, dict[str, Any]] = {}
    for entry in resources.files("otbill.payers").iterdir():
        if entry.name.endswith(".yaml"):
            data = _read_yaml(entry.read_text(encoding="utf-8"), f"otbill/payers/{entry.name}")
            raw[data["name"]] = data
    for directory in directories:
        for path in sorted(Path(directory).glob("*.yaml")):
            data = _read_yaml(path.read_text(encoding="utf-8"), str(path))
            raw[data["name"]] = data
    return raw


def _resolve(name: str, raw: dict[str, dict[str, Any]], seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise ConfigError(f"payer profile {name}: inheritance loop {' -> '.join((*seen, name))}")
    data = raw[name]
    parent_name = data.get("inherits")
    if parent_name is None:
        return data
    if parent_name not in raw:
        raise ConfigError(
            f"payer profile {data['_origin']}: inherits unknown profile {parent_name!r}"
        )
    parent = _resolve(parent_name, raw, (*seen, name))
    return _merge(parent, data)


def load_profiles(directories: Iterable[Path] = ()) -> dict[str, PayerProfile]:
    """All profiles by name: the packaged ones, then each directory's ``*.yaml`` (later wins)."""
    raw = _raw_profiles(directories)
    profiles: dict[str, PayerProfile] = {}
    for name in raw:
        data = _resolve(name, raw, ())
        origin = data.pop("_origin")
        for retired, instead in _RETIRED_FIELDS.items():
            if retired in data:
                raise ConfigError(f"payer profile {origin}: field {retired} is retired: {instead}")
        try:
            profiles[name] = PayerProfile.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"payer profile {origin}: field {field}: {first['msg']}") from exc
    return profiles
