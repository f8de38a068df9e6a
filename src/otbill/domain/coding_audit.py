"""The quarterly coding audit, computed from a quarter's visits (pure: no storage, no dates).

What it measures, each by therapist against the whole clinic:

- **Evaluation complexity mix**: of the OT evaluations billed (97165 low, 97166 moderate, 97167
  high complexity), the share at each level.
- **Units per visit**: how many timed 15-minute units each visit billed.
- **Minutes per unit**: a visit's total timed minutes divided by its timed units, in 5-minute
  bins; and how often the 8-minute rule's **band edges** are hit. Under the CMS table (Pub 100-04
  ch. 5 §20.2) 8-22 total timed minutes are 1 unit, 23-37 are 2, 38-52 are 3 ...; a visit whose
  total sits on a band's *lowest* minute (8, 23, 38, 53 ...) got its last unit with not one minute
  to spare, and one on a band's *highest* minute (22, 37, 52 ...) stopped one minute short of the
  next unit. A therapist who lands on the lowest minute far more often than the clinic is the
  pattern auditors look for (minutes written to reach a unit).
- **Modifier use**: the share of visits with 59 or an X modifier (XE/XS/XP/XU, NCCI bypass), KX
  (over the therapy threshold) and CQ/CO (furnished in part by an assistant).
- **Codes outside OT scope**: lines whose code the catalog gives to another discipline.

**Outlier rule** (stated, so it can be argued with): a therapist is flagged on a measure when
their share differs from the clinic's by more than :data:`MARGIN` (15 percentage points) and they
have at least :data:`MIN_VISITS` visits counted in that measure (10); each flag lists the visits
behind it (the therapist's visits that have the flagged trait). Codes outside OT scope are
flagged whatever the share.

**Chart-audit sample**: ``draw_sample`` takes ``size`` visits at random with a recorded seed:
the same visits and seed always give the same sample, so the sample can be re-drawn and checked.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from otbill.codes import cpt
from otbill.errors import CodeError
from otbill.units import timed_units_for_minutes

__all__ = [
    "CHECKLIST",
    "EVALUATION_CODES",
    "MARGIN",
    "MEASURES",
    "MIN_VISITS",
    "AuditLine",
    "AuditVisit",
    "CodingAudit",
    "Outlier",
    "Share",
    "TherapistAudit",
    "band_edge",
    "draw_sample",
    "minutes_per_unit_bin",
    "run_audit",
]

EVALUATION_CODES = ("97165", "97166", "97167")
MARGIN = 0.15
MIN_VISITS = 10
NCCI_BYPASS = frozenset({"59", "XE", "XS", "XP", "XU"})
ASSISTANT = frozenset({"CQ", "CO"})
#: The chart-audit checklist, in the order an auditor reads the note.
CHECKLIST = (
    ("current_status", "Current status documented"),
    ("goals", "Goals stated and measurable"),
    ("interventions", "Interventions match the codes billed"),
    ("medical_necessity", "Medical necessity (skilled care) shown"),
    ("minutes", "Minutes support the units billed"),
    ("signature", "Signed by the treating therapist"),
)


@dataclass(frozen=True, slots=True)
class AuditLine:
    code: str
    minutes: int
    units: int
    modifiers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AuditVisit:
    """One visit as the audit sees it: who, when, and its coded lines."""

    visit_id: int
    date_iso: str
    therapist_id: int
    therapist: str
    lines: tuple[AuditLine, ...]

    @property
    def timed_minutes(self) -> int:
        return sum(line.minutes for line in self.lines if _timed(line.code))

    @property
    def timed_units(self) -> int:
        return sum(line.units for line in self.lines if _timed(line.code))

    @property
    def modifiers(self) -> frozenset[str]:
        return frozenset(m for line in self.lines for m in line.modifiers)

    def codes(self) -> list[str]:
        return [line.code for line in self.lines]


def _info(code: str) -> cpt.CodeInfo | None:
    try:
        return cpt.lookup(code)
    except CodeError:  # an unknown code is the scrubber's finding, not the audit's
        return None


def _timed(code: str) -> bool:
    info = _info(code)
    return info is not None and info.timed


def band_edge(total_timed_minutes: int) -> str | None:
    """``"low"`` on a band's lowest minute (8, 23, 38 ...), ``"high"`` on its highest (22, 37,
    52 ...), else None. Under 8 minutes there is no band.

    >>> [band_edge(m) for m in (7, 8, 15, 22, 23, 37, 38, 52, 53)]
    [None, 'low', None, 'high', 'low', 'high', 'low', 'high', 'low']
    """
    m = total_timed_minutes
    if m < 8:
        return None
    if timed_units_for_minutes(m - 1) < timed_units_for_minutes(m):
        return "low"
    if timed_units_for_minutes(m + 1) > timed_units_for_minutes(m):
        return "high"
    return None


def minutes_per_unit_bin(minutes: int, units: int) -> str | None:
    """The 5-minute bin of minutes per unit (``"15-19"``), None without timed units."""
    if units <= 0:
        return None
    per = minutes // units
    low = (per // 5) * 5
    return f"{low}-{low + 4}"


@dataclass(frozen=True, slots=True)
class Share:
    """A count out of a total, with the visits behind the count."""

    count: int
    total: int
    visit_ids: tuple[int, ...] = ()

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{100 * self.share:.1f}%" if self.total else "-"


@dataclass(frozen=True, slots=True)
class Outlier:
    therapist_id: int
    therapist: str
    measure: str  # a key of MEASURES
    therapist_share: Share
    clinic_share: Share
    reason: str

    @property
    def visit_ids(self) -> tuple[int, ...]:
        return self.therapist_share.visit_ids


@dataclass(frozen=True, slots=True)
class TherapistAudit:
    """The audit's figures for one therapist, or for the clinic (``therapist_id`` 0)."""

    therapist_id: int
    therapist: str
    visits: int
    evaluations: dict[str, Share]
    units_per_visit: dict[int, int]
    minutes_per_unit: dict[str, int]
    measures: dict[str, Share]
    out_of_scope: tuple[tuple[int, str], ...]  # (visit, code)

    @property
    def mean_units(self) -> float:
        n = sum(self.units_per_visit.values())
        return sum(u * c for u, c in self.units_per_visit.items()) / n if n else 0.0


@dataclass(frozen=True, slots=True)
class CodingAudit:
    clinic: TherapistAudit
    therapists: tuple[TherapistAudit, ...]
    outliers: tuple[Outlier, ...]
    margin: float = MARGIN
    min_visits: int = MIN_VISITS
    notes: tuple[str, ...] = field(default=())


def _has_eval(code: str) -> Callable[[AuditVisit], bool]:
    return lambda v: code in v.codes()


def _timed_visit(v: AuditVisit) -> bool:
    return v.timed_units > 0


#: measure key -> (plain name, which visits count, which of those have the trait)
MEASURES: dict[str, tuple[str, Callable[[AuditVisit], bool], Callable[[AuditVisit], bool]]] = {
    "eval_97167": (
        "Evaluations billed at high complexity (97167)",
        lambda v: any(c in EVALUATION_CODES for c in v.codes()),
        _has_eval("97167"),
    ),
    "eval_97165": (
        "Evaluations billed at low complexity (97165)",
        lambda v: any(c in EVALUATION_CODES for c in v.codes()),
        _has_eval("97165"),
    ),
    "band_low": (
        "Visits whose total timed minutes sit on a band's lowest minute (8, 23, 38, 53 ...)",
        _timed_visit,
        lambda v: band_edge(v.timed_minutes) == "low",
    ),
    "band_high": (
        "Visits whose total timed minutes sit on a band's highest minute (22, 37, 52 ...)",
        _timed_visit,
        lambda v: band_edge(v.timed_minutes) == "high",
    ),
    "four_plus_units": (
        "Visits billing 4 or more timed units",
        _timed_visit,
        lambda v: v.timed_units >= 4,
    ),
    "mod_59_x": (
        "Visits with modifier 59 or an X modifier (XE, XS, XP, XU)",
        lambda v: True,
        lambda v: bool(v.modifiers & NCCI_BYPASS),
    ),
    "mod_kx": ("Visits with modifier KX", lambda v: True, lambda v: "KX" in v.modifiers),
    "mod_cq_co": (
        "Visits with modifier CQ or CO (assistant)",
        lambda v: True,
        lambda v: bool(v.modifiers & ASSISTANT),
    ),
}


def _share(visits: Sequence[AuditVisit], counted: Callable[[AuditVisit], bool],
           trait: Callable[[AuditVisit], bool]) -> Share:  # fmt: skip
    pool = [v for v in visits if counted(v)]
    hits = tuple(sorted(v.visit_id for v in pool if trait(v)))
    return Share(len(hits), len(pool), hits)


def _figures(therapist_id: int, name: str, visits: Sequence[AuditVisit],
             discipline: str) -> TherapistAudit:  # fmt: skip
    evals = [c for v in visits for c in v.codes() if c in EVALUATION_CODES]
    eval_visits: dict[str, list[int]] = {c: [] for c in EVALUATION_CODES}
    for v in visits:
        for c in set(v.codes()) & set(EVALUATION_CODES):
            eval_visits[c].append(v.visit_id)
    evaluations = {
        c: Share(evals.count(c), len(evals), tuple(sorted(eval_visits[c])))
        for c in EVALUATION_CODES
    }
    units = Counter(v.timed_units for v in visits if v.timed_units > 0)
    bins = Counter(b for v in visits if (b := minutes_per_unit_bin(v.timed_minutes, v.timed_units)))
    scope = []
    for v in visits:
        for line in v.lines:
            info = _info(line.code)
            if info is not None and not info.in_scope(discipline):
                scope.append((v.visit_id, line.code))
    return TherapistAudit(
        therapist_id,
        name,
        len(visits),
        evaluations,
        dict(sorted(units.items())),
        dict(sorted(bins.items(), key=lambda kv: int(kv[0].split("-")[0]))),
        {key: _share(visits, counted, trait) for key, (_, counted, trait) in MEASURES.items()},
        tuple(sorted(scope)),
    )


def run_audit(
    visits: Iterable[AuditVisit],
    *,
    margin: float = MARGIN,
    min_visits: int = MIN_VISITS,
    discipline: str = "OT",
) -> CodingAudit:
    """The audit of ``visits``: the clinic's figures, each therapist's, and the outliers."""
    every = list(visits)
    clinic = _figures(0, "Clinic", every, discipline)
    by_therapist: dict[int, list[AuditVisit]] = {}
    names: dict[int, str] = {}
    for v in every:
        by_therapist.setdefault(v.therapist_id, []).append(v)
        names[v.therapist_id] = v.therapist
    therapists = tuple(
        _figures(tid, names[tid], by_therapist[tid], discipline)
        for tid in sorted(by_therapist, key=lambda t: (names[t], t))
    )
    outliers: list[Outlier] = []
    for t in therapists:
        for key, (label, _, _) in MEASURES.items():
            mine, all_ = t.measures[key], clinic.measures[key]
            if mine.total < min_visits:
                continue
            gap = mine.share - all_.share
            if abs(gap) > margin:
                direction = "above" if gap > 0 else "below"
                reason = (
                    f"{label}: {t.therapist} {mine.percent} ({mine.count} of {mine.total}) is "
                    f"{abs(gap) * 100:.1f} points {direction} the clinic's {all_.percent} "
                    f"(margin {margin * 100:.0f} points, at least {min_visits} visits)"
                )
                outliers.append(Outlier(t.therapist_id, t.therapist, key, mine, all_, reason))
        if t.out_of_scope:
            codes = sorted({code for _, code in t.out_of_scope})
            ids = tuple(sorted({vid for vid, _ in t.out_of_scope}))
            share = Share(len(ids), t.visits, ids)
            reason = (
                f"Codes outside {discipline} scope billed by {t.therapist}: {', '.join(codes)} "
                f"on {len(ids)} visit(s)"
            )
            outliers.append(
                Outlier(t.therapist_id, t.therapist, "out_of_scope", share, share, reason)
            )
    return CodingAudit(clinic, therapists, tuple(outliers), margin, min_visits)


def draw_sample(visit_ids: Iterable[int], size: int, seed: int) -> tuple[int, ...]:
    """``size`` of the visits at random, drawn with ``seed`` (same visits + seed = same sample),
    in visit order. Fewer visits than ``size``: all of them.

    >>> draw_sample(range(1, 101), 3, 7) == draw_sample(range(100, 0, -1), 3, 7)
    True
    """
    pool = sorted(set(visit_ids))
    if size < 0:
        raise ValueError("the sample size cannot be negative")
    if size >= len(pool):
        return tuple(pool)
    return tuple(sorted(random.Random(seed).sample(pool, size)))
