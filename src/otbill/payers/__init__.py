"""Payer profiles: data files (``*.yaml``) that say how each payer wants claims, inheriting from each other.

The packaged profiles are ``medicare``, ``medicaid-example``, ``commercial-in-network`` and
``commercial-out-of-network``. A clinic adds its own without code by dropping a YAML file in
``$OTBILL_DATA_DIR/payers/`` (or any directory passed to :func:`load_profiles`); a clinic file with a
packaged name overrides it. ``inherits`` names a parent; mappings are merged key by key, other values
replace the parent's.

The names are imported from :mod:`otbill.payers.profile` on first use (it reads YAML), not when the
package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otbill.payers.profile import PayerProfile, TelehealthPolicy, load_profiles

__all__ = ["PayerProfile", "TelehealthPolicy", "load_profiles"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'otbill.payers' has no attribute {name!r}")
    from otbill.payers import profile

    return getattr(profile, name)
