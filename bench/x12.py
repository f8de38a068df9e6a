"""Figures for issue 5: X12 reading and writing speed and memory, against a bare split and peers.

    .venv/bin/python bench/x12.py                     # 10,000-claim 835 and 837P, peers included
    .venv/bin/python bench/x12.py --no-peers          # otbill and the floor only
    .venv/bin/python bench/x12.py --stream 100000     # also: 100,000-claim streaming read, peak RSS

Every figure is a whole process (``python -c ...`` in a subprocess): wall time measured by this
script, peak resident memory reported by the child itself (``getrusage(RUSAGE_SELF).ru_maxrss``).
The floor is a bare tokenizer: read the file, split on the segment terminator, split each segment
on the element separator, nothing more. Peers run from a separate venv (``--peers-venv``, default
/tmp/x12peers) where they are pip-installed on demand; one that fails to install or to read the
file is reported as such, never hidden. Files are generated with a fixed seed into a temp dir.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RSS = "import resource,sys;print('RSS',resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024,file=sys.stderr)"
FLOOR = "import sys;t=open(sys.argv[1]).read();n=len([s.split('*') for s in t.split('~')])"
OURS = {
    "835": "import sys;from otbill.x12.read_835 import read_835;r=read_835(sys.argv[1]);"
    "n=sum(len(x.claims) for x in r.remittances);assert not r.findings, r.findings[:3]",
    "837": "import sys;from otbill.x12.read_837p import read_837p;r=read_837p(sys.argv[1]);"
    "n=len(r.claims);assert not r.findings",
}
STREAM = {
    "835": "import sys;from otbill.x12.read_835 import iter_835;f=[];n=sum(1 for _ in iter_835(sys.argv[1],f))",
    "837": "import sys;from otbill.x12.read_837p import iter_837p;f=[];n=sum(1 for _ in iter_837p(sys.argv[1],f))",
}
PEERS = {  # package → {kind: snippet}
    "pyx12": {k: "import sys,io,logging;logging.disable(50);import pyx12.params,pyx12.x12n_document as d;"
              "d.x12n_document(pyx12.params.params(),io.StringIO(open(sys.argv[1]).read()),None,None,None)"
              for k in ("835", "837")},
    "x12sdk": {k: "import sys;from x12sdk.io import X12ModelReader\nwith X12ModelReader(sys.argv[1]) as r: "
               "n=sum(1 for _ in r.models())" for k in ("835", "837")},
    "linuxforhealth-x12": {k: "import sys;from linuxforhealth.x12.io import X12ModelReader\nwith "
                           "X12ModelReader(sys.argv[1]) as r: n=sum(1 for _ in r.models())" for k in ("835", "837")},
    "edi-835-parser": {"835": "import sys;from edi_835_parser import parse;parse(sys.argv[1])"},
    "ansi-x12": {k: "import sys;from x12 import parse_x12_interchange as p,tokenize_x12 as t;p(t(open(sys.argv[1],'rb').read()))"
                 for k in ("835", "837")},
    "x12-edi-tools": {
        "835": "import sys;from x12_edi_tools.remittance_advise_parser import RemittanceAdviceParser as P;"
               "P().parse(open(sys.argv[1]).read())",
        "837": "import sys;from x12_edi_tools.x12_parser import X12Parser as P;P().parse(open(sys.argv[1]).read())",
    },
}  # fmt: skip


def _claim_835(n: int, rng: random.Random) -> list[str]:
    lines = rng.randint(2, 4)
    charges = [rng.choice([45, 60, 90, 120]) for _ in range(lines)]
    paid = [round(c * 0.7, 2) for c in charges]
    segs = [
        f"CLP*CLM{n:07d}*1*{sum(charges) + 5}*{sum(paid):.2f}*{sum(charges) * 0.1:.2f}*12*ICN{n:09d}*11*1",
        "CAS*CO*45*5",
        f"NM1*QC*1*PATIENT{n}*ANN****MI*M{n:08d}",
        "DTM*232*20250214",
    ]
    for code, charge, pay in zip(
        rng.sample(["97110", "97530", "97140", "97535", "97112"], lines), charges, paid, strict=True
    ):
        pr = round(charge * 0.1, 2)
        segs += [
            f"SVC*HC:{code}:GO*{charge}*{pay:.2f}**1",
            "DTM*472*20250214",
            f"CAS*CO*45*{charge - pay - pr:.2f}",
            f"CAS*PR*2*{pr:.2f}",
            f"REF*6R*L{n}{code}",
            f"AMT*B6*{pay + pr:.2f}",
            "LQ*HE*N130",
        ]
    return segs  # fmt: skip


def make_835(path: Path, claims: int) -> None:
    """One 835 of ``claims`` claims, written as it is generated (flat memory for 100,000).

    One line, as files travel on the wire (some peers cannot read line breaks between segments).
    """
    rng = random.Random(5)  # a first pass sums the payments for BPR02, so the file balances
    total = sum(Decimal(_claim_835(n, rng)[0].split("*")[4]) for n in range(claims))
    rng = random.Random(5)
    body = [f"BPR*I*{total}*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250305", "TRN*1*EFT1*1512345678",
            "N1*PR*ACME HEALTH", "N3*1 PAYER WAY", "N4*AUSTIN*TX*787010001",
            "PER*BL*EDI SUPPORT*TE*8005551212", "N1*PE*HANDS ON OT*XX*1234567893", "LX*1"]  # fmt: skip
    count = len(body) + 2
    with path.open("w") as out:
        out.write(
            "ISA*00*          *00*          *ZZ*PAYER          *ZZ*OTBILL         *250301*"
            "1200*^*00501*000000001*0*P*:~\nGS*HP*PAYER*OTBILL*20250301*1200*1*X*005010X221A1~\n"
            "ST*835*0001~\n" + "~\n".join(body) + "~\n"
        )
        for n in range(claims):
            segs = _claim_835(n, rng)
            count += len(segs)
            out.write("~".join(segs) + "~")
        out.write(f"SE*{count}*0001~GE*1*1~IEA*1*000000001~")


WRITE = """
import sys, time, datetime as dt, random
from decimal import Decimal
from otbill.domain.claim import Address, BillingProvider, Claim, Patient, PayerRef, Provider, ServiceLine
from otbill.x12.write_837p import Submission, write_837p
rng = random.Random(7)
a = Address(line1="9 Oak Ave", city="Austin", state="TX", zip="787011234")
bp = BillingProvider(name="Hands On OT", npi="1234567893", tax_id="741234567", address=a)
payers = [PayerRef(profile="medicare", payer_id="00435", name="Medicare"),
          PayerRef(profile="commercial-in-network", payer_id="87726", name="Acme")]
ren = Provider(npi="1245319599", first_name="Rita", last_name="Cole")
claims = [Claim(claim_id=f"C{n}", payer=payers[n % 2], billing_provider=bp, rendering_provider=ren,
    patient=Patient(id=f"P{n}", first_name="Ann", last_name=f"Lee{n}", dob=dt.date(1950, 1, 1),
                    sex="F", member_id=f"M{n}", address=a), diagnoses=("M62.81", "R26.89"),
    lines=tuple(ServiceLine(date=dt.date(2025, 2, 14), code=c, charge=Decimal("45.00"), units=2,
                            modifiers=("GO",), dx_pointers=(1, 2))
                for c in rng.sample(["97110", "97530", "97140", "97535"], 3)))
    for n in range(int(sys.argv[2]))]
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    text = write_837p(claims, Submission(line_breaks=False))
    best = min(best, time.perf_counter() - t)
print("WRITE", best, file=sys.stderr)
open(sys.argv[1], "w").write(text)
"""


def run(
    python: str, code: str, path: Path, *extra: str, repeat: int = 3
) -> tuple[str, int | None, str]:
    """("wall s / CPU s", peak RSS MB, error) of one whole process, best of ``repeat`` runs.

    Best-of-N and CPU time (user + system, from the children's rusage) keep the figures steady on
    a shared machine, where wall time alone swings with other people's load.
    """
    best_wall = best_cpu = float("inf")
    rss: int | None = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([python, "-c", f"{code}\n{RSS}", str(path), *extra],
                              capture_output=True, text=True, timeout=900, cwd=ROOT)  # fmt: skip
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            return "", None, (proc.stderr.strip().splitlines() or ["?"])[-1][:90]
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        rss = next(
            (int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("RSS")),
            rss,
        )
        if wall > 20:
            break  # a slow peer: one run says enough
    return f"{best_wall:.2f} s / {best_cpu:.2f} s", rss, ""


def peers_python(venv: Path, wanted: list[str]) -> tuple[str | None, dict[str, str]]:
    """The peers venv's python (created and filled if needed) and the packages that failed."""
    failed: dict[str, str] = {}
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
    python = venv / "bin" / "python"
    if not python.exists():
        return None, dict.fromkeys(wanted, "no venv")
    for package in wanted:
        proc = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", package],
                              capture_output=True, text=True)  # fmt: skip
        if proc.returncode:
            failed[package] = "pip install failed"
    return str(python), failed


Row = tuple[str, str, str, str]


def _label(kind: str, path: Path) -> str:
    return f"{'835' if kind == '835' else '837P'} ({path.stat().st_size / 1e6:.1f} MB)"


def write_rows(path: Path, claims: int) -> list[Row]:
    """Writing the 837P: the writer's own time, and the whole process (which builds the claims)."""
    proc = subprocess.run([sys.executable, "-c", WRITE, str(path), str(claims)],
                          capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    inner = float(proc.stderr.split("WRITE")[1].split()[0])
    wall, rss, _ = run(sys.executable, WRITE, path, str(claims))
    return [(f"otbill write 837P ({claims:,} claims)", "837P",
             f"{inner:.2f} s in-process, best of 3 (whole process, building claims and writing 3 times: {wall})",
             f"{rss} MB")]  # fmt: skip


def read_rows(
    kind: str, path: Path, python: str | None, failed: dict[str, str] | None
) -> list[Row]:
    """The floor, otbill, and (unless ``failed`` is None) every peer, reading one file."""
    label = _label(kind, path)
    rows: list[Row] = []
    for name, code in (("bare split (floor)", FLOOR), ("otbill read", OURS[kind])):
        wall, rss, err = run(sys.executable, code, path, repeat=5)
        rows.append((name, label, err or wall, f"{rss} MB"))
    if failed is None:
        return rows
    for package, snippets in PEERS.items():
        if kind not in snippets:
            rows.append((package, label, "does not read this transaction", ""))
        elif python is None or package in failed:
            rows.append((package, label, failed.get(package, "no venv"), ""))
        else:
            wall, rss, err = run(python, snippets[kind], path)
            rows.append((package, label, f"failed: {err}" if err else wall, f"{rss} MB"))
    return rows


def stream_rows(tmp: Path, claims: int) -> list[Row]:
    """A ``claims``-claim 835 and 837P read with the streaming readers: peak RSS must stay flat."""
    rows: list[Row] = []
    for kind in ("835", "837"):
        big = tmp / f"stream.{kind}"
        if kind == "835":
            make_835(big, claims)
        else:
            subprocess.run([sys.executable, "-c", WRITE, str(big), str(claims)], cwd=ROOT,
                           check=True, capture_output=True)  # fmt: skip
        wall, rss, err = run(sys.executable, STREAM[kind], big, repeat=1)
        rows.append((f"otbill streaming read ({claims:,} claims)", _label(kind, big), err or wall,
                     f"{rss} MB"))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--stream", type=int, default=100_000, help="0 to skip")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--peers-venv", type=Path, default=Path("/tmp/x12peers"))
    args = parser.parse_args()
    python, failed = (None, None) if args.no_peers else peers_python(args.peers_venv, list(PEERS))
    with tempfile.TemporaryDirectory() as tmp:
        files = {"835": Path(tmp) / "big.835", "837": Path(tmp) / "big.837"}
        make_835(files["835"], args.claims)
        rows = write_rows(files["837"], args.claims)
        for kind, path in files.items():
            rows += read_rows(kind, path, python, failed)
        if args.stream:
            rows += stream_rows(Path(tmp), args.stream)
    print("| Reader / writer | File | Wall / CPU (best of runs) | Peak RSS |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\nPython {sys.version.split()[0]}; every figure is one whole process, start-up included."
    )
    print(json.dumps({"rows": rows}), file=sys.stderr)


if __name__ == "__main__":
    main()
