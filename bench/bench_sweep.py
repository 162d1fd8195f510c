"""Wall time of 200-point sweeps with --jobs 2 (issue 14: under 30 s on 2 cores), and the check that the
rows equal a single-process run's.

Two grids, each run as the command a user types (``python -m topoctl sweep ... --out rows.jsonl``, start-up
included):
- sized: the 9 families at 23 endpoint counts (1,000..100,000, 11 a decade): 207 points, each sized by
  CP-SAT as `topoctl size --endpoints N` would for that family alone; the sizing of each point dominates;
- built: 200 three-tier fat trees (k = 32 and 64, 80 to 8,000 endpoints) from family parameters:
  closed-form counts, no solver.
With ``--check`` the sized grid is also run with --jobs 1 and the two files compared byte for byte.

    python3 bench/bench_sweep.py [--jobs 2] [--check]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 30.0
GRIDS = {
    # 9 families x 23 endpoint counts (11 a decade over 1,000..100,000, 2 significant digits): 207 points
    "sized": ["--families", "all", "--endpoints", "1000..100000/11", "--time-limit", "60"],
    # 2 radixes x 100 sizes, built from closed forms: 200 points
    "built": ["--families", "fat_tree", "--endpoints", "80..8000+80", "--param", "k=32,64", "--tiers", "3"],
}


def run(grid: list[str], jobs: int, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "topoctl", "sweep", *grid, "--jobs", str(jobs), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed, sum(1 for _ in out.open())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="also run the sized grid on one process and compare")
    options = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        for name, grid in GRIDS.items():
            out = Path(tmp) / f"{name}.jsonl"
            elapsed, rows = run(grid, options.jobs, out)
            verdict = "ok" if elapsed < TARGET_S else "over"
            print(f"{name:6} {rows:4} points  --jobs {options.jobs}: {elapsed:6.1f} s wall "
                  f"({rows / elapsed:5.1f} points/s; target < {TARGET_S:g} s: {verdict})")
            if options.check and name == "sized":
                serial = Path(tmp) / "serial.jsonl"
                elapsed_1, _ = run(grid, 1, serial)
                same = filecmp.cmp(out, serial, shallow=False)
                print(f"{name:6} {rows:4} points  --jobs 1: {elapsed_1:6.1f} s wall; rows equal: {same}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
