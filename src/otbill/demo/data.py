"""The demo clinic's fixed data: names, payers, fees, diagnoses (real billable ICD-10-CM codes).

Why separate from the loader: this is data, reviewed as data; the loader is logic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = [
    "CLINIC",
    "CLINIC_ADDRESS",
    "DEMO_AS_OF",
    "DIAGNOSES",
    "FEES",
    "FIRST_NAMES",
    "LANGUAGES",
    "LAST_NAMES",
    "LOCATIONS",
    "PAYERS",
    "PHYSICIANS",
    "THERAPISTS",
    "TIMED",
]

# The demo's visits run January to March 2025; it is scrubbed and served as of this day.
DEMO_AS_OF = dt.date(2025, 4, 1)
CLINIC = {
    "code": "DEMO",
    "name": "Riverside Hand & Occupational Therapy",
    "tax_id": "741234567",
}
CLINIC_ADDRESS = ("200 Congress Ave", "Austin", "TX", "787011234")
# (name, address, place of service): the clinic itself (office, POS 11) and the home visits the
# therapists make (home, POS 12); both are CMS place-of-service codes in force in 2025.
LOCATIONS = [
    ("Riverside clinic, Congress Ave", CLINIC_ADDRESS, "11"),
    ("Home visits, Austin area", ("1500 S Lamar Blvd", "Austin", "TX", "78704"), "12"),
]
# The referring and certifying physicians (first, last, fax); their NPIs are drawn by the loader.
PHYSICIANS = [
    ("Laura", "Whitfield", "512-555-0141"),
    ("Omar", "Haddad", "512-555-0142"),
    ("Priya", "Raman", "512-555-0143"),
    ("Gregory", "Stone", "512-555-0144"),
    ("Helen", "Okafor", "512-555-0145"),
    ("Victor", "Salazar", "737-555-0146"),
    ("Nadia", "Petrov", "737-555-0147"),
]
LANGUAGES = ["English", "English", "English", "Spanish", "Vietnamese"]
# (username, first, last, credential, npi serial); the COTA is supervised by the first OTR/L.
THERAPISTS = [
    ("rcole", "Rita", "Cole", "OTR/L", 1),
    ("mpatel", "Maya", "Patel", "OTR/L", 2),
    ("jdiaz", "Jon", "Diaz", "COTA", 3),
]
# (payer code, name, profile, share of patients)
PAYERS = [
    ("00435", "Medicare Part B (Novitas JH)", "medicare", 0.45),
    ("TXMCD", "Texas Medicaid (example)", "medicaid-example", 0.20),
    ("87726", "Acme Health PPO", "commercial-in-network", 0.25),
    ("62308", "Summit Health (out of network)", "commercial-out-of-network", 0.10),
]
# code: (charge per unit, expected allowed per unit)
FEES = {
    "97165": ("180", "105.36"),
    "97166": ("180", "105.36"),
    "97167": ("180", "105.36"),
    "97168": ("120", "72.18"),
    "97110": ("60", "29.75"),
    "97112": ("65", "34.18"),
    "97140": ("60", "27.74"),
    "97530": ("70", "36.30"),
    "97535": ("65", "33.24"),
    "97150": ("35", "17.32"),
}
FEE_DECIMALS = {k: (Decimal(c), Decimal(a)) for k, (c, a) in FEES.items()}
TIMED = ["97530", "97110", "97535", "97112", "97140"]
DIAGNOSES = [
    "M62.81",
    "R26.89",
    "I69.351",
    "M19.041",
    "G56.01",
    "R27.8",
    "M25.611",
    "M75.101",
    "S52.501D",
    "G20.A1",
    "M06.9",
    "Z47.1",
]
FIRST_NAMES = [
    "Ann",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Frank",
    "Grace",
    "Hugo",
    "Iris",
    "Jamal",
    "Kara",
    "Luis",
    "Mona",
    "Ned",
    "Olga",
    "Pete",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
]
LAST_NAMES = [
    "Adams",
    "Baker",
    "Chen",
    "Dubois",
    "Evans",
    "Flores",
    "Garcia",
    "Hughes",
    "Ito",
    "Jones",
    "Kim",
    "Lopez",
    "Moore",
    "Nguyen",
    "Owens",
    "Price",
]


def demo_logins() -> list[tuple[str, str, tuple[str, ...]]]:
    """(user name, password, roles) of the demo clinic's users: printed by ``otbill serve``.

    The demo passwords are public on purpose (it is a demo); a real clinic's users are added by
    its admin and their passwords are never printed.
    """
    staff = [
        ("admin", "demo-admin", ("admin",)),
        ("biller", "demo-biller", ("biller",)),
        ("approver", "demo-approver", ("approver", "auditor")),
    ]
    return staff + [(u, f"demo-{u}", ("therapist",)) for u, *_ in THERAPISTS]
