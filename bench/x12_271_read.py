"""Figures for issue 12: reading 10,000 271 responses within 2x a bare split of the same bytes.

    .venv/bin/python bench/x12_271_read.py                  # 10,000 responses, best of 5
    .venv/bin/python bench/x12_271_read.py --responses 2000 --repeat 3

The file is ONE interchange (ISA/GS) holding ``--responses`` 271 transaction sets (ST/SE), each
the simulated payer's answer to one 270 inquiry, as a clearinghouse returns a batch of answers.
The answers are built by the simulator's own answer builder
(:func:`otbill.clearinghouse.simulator.eligibility.decide` and
:func:`~otbill.clearinghouse.simulator.answers_271.body_271`), member IDs chosen with a fixed
seed so that every scenario appears: active with EB copays, coinsurance, deductibles and visit
limits; limits only in MSG text; Medicare Advantage named in a 2120 loop (LS/NM1/LE); inactive;
and the AAA rejections (72, 71, 42). One in five answers is for a dependent (HL 23).

Every figure is a whole process (``python -c ...``), start-up included: wall and CPU seconds
measured here (best of runs), peak resident memory reported by the child
(``getrusage(RUSAGE_SELF).ru_maxrss``). The floor is a bare tokenizer of the same bytes: read
the file, split on the segment terminator, split each segment on the element separator. The 2x
target is ``read_271`` against that floor; ``read_271`` plus the guide validation
(:func:`otbill.x12.guide_rules.validate`, what the eligibility service runs before reading) is
reported beside it, outside the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from otbill.clearinghouse.simulator.answers_271 import body_271
from otbill.clearinghouse.simulator.eligibility import VERSION, decide, scenario_of
from otbill.domain.eligibility import Inquiry, Person
from otbill.x12.envelope import InterchangeSettings, write_interchange

ROOT = Path(__file__).resolve().parents[1]
RSS = "import resource,sys;print('RSS',resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024,file=sys.stderr)"
FLOOR = "import sys;t=open(sys.argv[1]).read();n=len([s.split('*') for s in t.split('~')])"
READ = (
    "import sys;from otbill.x12.read_271 import read_271;r=read_271(sys.argv[1]);"
    "assert not r.findings, r.findings[:3];assert len(r.answers)>=int(sys.argv[2]),len(r.answers)"
)
VALIDATE_AND_READ = ("import sys;from otbill.x12.guide_rules import validate;"
                     "from otbill.x12.read_271 import read_271;f=validate(sys.argv[1],'271');"
                     "assert not f, f[:3];r=read_271(sys.argv[1]);assert not r.findings")  # fmt: skip
ON = dt.datetime(2025, 3, 3, 9, 30)
FIRST = ["ANN", "BOB", "CARA", "DEV", "ELLA", "FINN", "GUS", "HANA"]
LAST = ["LEE", "ORTIZ", "NGUYEN", "SMITH", "KOWALSKI", "OKAFOR", "BROWN"]


def _inquiry(n: int, rng: random.Random) -> Inquiry:
    """The ``n``-th inquiry: a member ID whose last digit picks the simulator's scenario."""
    member_id = f"W{rng.randrange(10**8):08d}{rng.randrange(10)}"
    subscriber = Person(rng.choice(FIRST), rng.choice(LAST), dt.date(1940 + n % 60, 1 + n % 12, 9),
                        rng.choice("FM"))  # fmt: skip
    dependent = None
    if n % 5 == 4:
        dependent = Person(rng.choice(FIRST), subscriber.last_name, dt.date(2012, 5, 17), "U")
    return Inquiry(
        trace=f"T{n:07d}",
        payer_name="ACME HEALTH",
        payer_id="87726",
        provider_name="HANDS ON OT",
        provider_npi="1234567893",
        subscriber=subscriber,
        member_id=member_id,
        date_of_service=dt.date(2025, 3, 3),
        service_types=("30", "AD", "PT") if n % 7 else ("30",),
        dependent=dependent,
        relationship="child" if dependent else "self",
        originator="1741234567",
    )


def make_271(path: Path, responses: int) -> Counter[str]:
    """One interchange of ``responses`` 271 sets; returns how many answers of each scenario."""
    rng = random.Random(12)
    scenarios: Counter[str] = Counter()
    bodies = []
    for n in range(responses):
        inquiry = _inquiry(n, rng)
        scenarios[scenario_of(inquiry.member_id)] += 1
        bodies.append(body_271(inquiry, decide(inquiry), ON))
    settings = InterchangeSettings(sender_id="ACME", receiver_id="OTBILL", functional_code="HB",
                                   version=VERSION, control_number=1, created=ON,
                                   line_breaks=False)  # fmt: skip
    path.write_text(write_interchange(settings, "271", bodies))
    return scenarios


def run(code: str, path: Path, *extra: str, repeat: int) -> tuple[float, float, int | None]:
    """(best wall s, best CPU s, peak RSS MB) of one whole process, best of ``repeat`` runs."""
    best_wall = best_cpu = float("inf")
    rss: int | None = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", f"{code}\n{RSS}", str(path), *extra],
                              capture_output=True, text=True, timeout=900, cwd=ROOT)  # fmt: skip
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            raise SystemExit(f"failed: {proc.stderr.strip()[-400:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        rss = next((int(line.split()[1]) for line in proc.stderr.splitlines()
                    if line.startswith("RSS")), rss)  # fmt: skip
    return best_wall, best_cpu, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.271"
        scenarios = make_271(path, args.responses)
        text = path.read_text()
        size = path.stat().st_size / 1e6
        counts = {s: text.count(f"~{s}*") for s in ("ST", "HL", "EB", "MSG", "AAA", "LS")}
        rows = []
        for name, code in (("bare split (floor)", FLOOR), ("otbill read_271", READ),
                           ("validate + read_271 (outside the target)", VALIDATE_AND_READ)):  # fmt: skip
            rows.append((name, *run(code, path, str(args.responses), repeat=args.repeat)))
    floor_cpu = rows[0][2]
    print(f"File: one interchange, {counts['ST']:,} 271 sets, {size:.1f} MB; segments: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "ST"))  # fmt: skip
    print("Scenarios: " + ", ".join(f"{k} {v:,}" for k, v in sorted(scenarios.items())))
    print(
        "\n| Reader | Wall / CPU s (best of runs) | x floor (CPU) | Peak RSS |\n|---|---|---|---|"
    )
    for name, wall, cpu, rss in rows:
        print(f"| {name} | {wall:.2f} / {cpu:.2f} | {cpu / floor_cpu:.2f}x | {rss} MB |")
    print(
        f"\nPython {sys.version.split()[0]}; every figure is one whole process, start-up included."
    )
    print(json.dumps({"rows": rows, "scenarios": scenarios}), file=sys.stderr)


if __name__ == "__main__":
    main()
