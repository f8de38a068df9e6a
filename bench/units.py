"""Figure for issue 2: three-code visits per second through the ``cms`` units method, one core.

Run: ``.venv/bin/python bench/units.py [--visits N]``. Generates visits of three distinct timed
codes with random minutes (fixed seed), then times ``compute_units`` over all of them, best of 5.
"""

from __future__ import annotations

import argparse
import random
import time

from otbill.units import Method, compute_units

TIMED = ["97110", "97112", "97116", "97140", "97530", "97535", "97533", "97537", "97542", "97760"]


def make_visits(n: int, seed: int = 20250214) -> list[list[tuple[str, int]]]:
    rng = random.Random(seed)
    return [[(code, rng.randint(1, 40)) for code in rng.sample(TIMED, 3)] for _ in range(n)]


def run(visits: list[list[tuple[str, int]]], method: Method) -> float:
    start = time.perf_counter()
    for visit in visits:
        compute_units(visit, method)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    visits = make_visits(args.visits)
    compute_units(visits[0])  # load the catalog outside the timing
    for method in (Method.CMS, Method.PER_CODE):
        best = min(run(visits, method) for _ in range(args.repeat))
        print(
            f"{method.value:9} {args.visits / best:12,.0f} visits/s  ({best:.3f} s best of {args.repeat})"
        )


if __name__ == "__main__":
    main()
