"""Figures for issue 9 (cold starts): whole ``otbill`` processes, start-up and set-up included.

    .venv/bin/python bench/cli.py                      # every figure, 7 runs each, medians
    .venv/bin/python bench/cli.py --runs 11 --only units
    .venv/bin/python bench/cli.py --src /tmp/before/src   # the same figures for another checkout

Each command runs as ``python -c "from otbill.cli import main; main()" ARGS`` (what the ``otbill``
script does) in a fresh process; CPU seconds (user + system) and peak resident memory are the
kernel's own accounting of that child (``os.wait4``). The median of the runs is printed, with the
spread. ``--src`` puts another source tree first on ``PYTHONPATH`` (for example one made with
``git archive <commit> src | tar -x -C /tmp/before``), so a before/after pair runs on the same
interpreter and libraries.

Figures:
- ``libraries``: importing Typer and Rich and nothing else (the floor of any command);
- ``units``: ``otbill units 97110=38 97140=9`` (target 0.15 s CPU or less);
- ``scrub-1`` / ``scrub-6``: ``otbill scrub`` of the first example claim, and of all six, as of
  2025-03-01 (target for one claim: 0.5 s CPU and 120 MB or less); ``scrub-cold``: one claim with
  an empty cache directory, so the ICD-10-CM store is built first (once per installation);
- ``x12``: ``otbill x12 read`` of a 10,000-claim 835 made by ``bench/x12.py``, against the reader
  timed inside a process (``read_835`` alone, best of 3): target within 2x.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from otbill.cli import main; import sys; sys.argv[0] = 'otbill'; main()"
#: What any otbill command imports before its own code: Typer and Rich. A command cannot start
#: faster than this. (Typer 0.29 also imported pydantic for every parameter; otbill pins 0.28.)
LIBRARIES = "import typer, rich.console, rich.table"
READER = (
    "import sys, time\nfrom otbill.x12.read_835 import read_835\nbest = 9e9\n"
    "for _ in range(3):\n    t = time.process_time(); read_835(sys.argv[1])\n"
    "    best = min(best, time.process_time() - t)\nprint(best)"
)


def one_run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, peak MB) of one whole process; its output is discarded."""
    proc = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: the command found errors in its input, as expected
        raise SystemExit(f"{' '.join(args[3:])}: exit status {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(args: list[str], env: dict[str, str], runs: int, fresh: Callable[[], None]) -> str:
    """Median CPU and peak of ``runs`` runs after one warm-up; ``fresh`` runs before each."""
    fresh()
    one_run(args, env)
    samples = []
    for _ in range(runs):
        fresh()
        samples.append(one_run(args, env))
    cpu = sorted(s[0] for s in samples)
    peak = statistics.median(s[1] for s in samples)
    return f"{statistics.median(cpu):.3f} s CPU ({cpu[0]:.3f}-{cpu[-1]:.3f}), peak {peak:.0f} MB"


def make_files(tmp: Path) -> dict[str, Path]:
    """One example claim, the six example claims, and a 10,000-claim 835."""
    claims = json.loads((ROOT / "examples" / "claims.json").read_text(encoding="utf-8"))
    one = tmp / "one-claim.json"
    one.write_text(json.dumps(claims[0]), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("bench_x12", ROOT / "bench" / "x12.py")
    assert spec is not None and spec.loader is not None
    bench_x12 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_x12)
    big = tmp / "remit-10000.835"
    bench_x12.make_835(big, 10_000)
    return {"one": one, "six": ROOT / "examples" / "claims.json", "835": big}


def figures(
    files: dict[str, Path], env: dict[str, str], runs: int, tmp: Path
) -> dict[str, Callable[[], str]]:
    python = [sys.executable, "-c", CLI]
    warm: Callable[[], None] = lambda: None  # noqa: E731
    cold_cache = tmp / "cold-cache"

    def empty_cache() -> None:
        for file in cold_cache.glob("*"):
            file.unlink()

    def scrub(name: str) -> list[str]:
        return [*python, "scrub", str(files[name]), "--today", "2025-03-01"]

    def x12_against_reader() -> str:
        command = measure([*python, "x12", "read", str(files["835"])], env, runs, warm)
        reader = subprocess.run(
            [sys.executable, "-c", READER, str(files["835"])],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        inside = float(reader.stdout)
        ratio = float(command.split()[0]) / inside
        return f"{command}; read_835 in process {inside:.3f} s CPU; ratio {ratio:.2f}x"

    cold_env = {**env, "OTBILL_CACHE_DIR": str(cold_cache)}
    return {
        "libraries": lambda: measure([sys.executable, "-c", LIBRARIES], env, runs, warm),
        "units": lambda: measure([*python, "units", "97110=38", "97140=9"], env, runs, warm),
        "scrub-1": lambda: measure(scrub("one"), env, runs, warm),
        "scrub-6": lambda: measure(scrub("six"), env, runs, warm),
        "scrub-cold": lambda: measure(scrub("one"), cold_env, max(1, runs // 3), empty_cache),
        "x12": x12_against_reader,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", action="append", help="a figure's name; repeat for several")
    parser.add_argument("--src", type=Path, help="source tree to run instead of this one")
    options = parser.parse_args()
    env = dict(os.environ)
    if options.src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(options.src.resolve()), env.get("PYTHONPATH", "")])
    print(f"# {time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, {options.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        table = figures(make_files(tmp), env, options.runs, tmp)
        for name, figure in table.items():
            if not options.only or name in options.only:
                print(f"{name:<11} {figure()}", flush=True)


if __name__ == "__main__":
    main()
