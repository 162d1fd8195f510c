"""Time and peak memory of the cabling export of the paper's dragonfly and three-tier fat tree.

Each export runs in a fresh Python process (so one run's memory does not hide the next's), writing
to a temporary directory; the child reports wall time of the export and its peak resident set size.
Targets (issue 5, 2 cores): the dragonfly (261,632 endpoint + 384,272 switch cables) under 15 s and
1.5 GB.

    python3 bench/bench_export.py [--format cabling] [--design DF --design FT3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SPEC = Path(__file__).resolve().parent.parent / "specs" / "deepseek-v3-table3.yaml"
TARGETS = {"DF": (15.0, 1.5e9)}

CHILD = r"""
import json, resource, sys, time
from topoctl.export.run import export
from topoctl.export.source import job_from_raw
from topoctl.spec import load_yaml
spec, name, fmt, out = sys.argv[1:5]
start = time.perf_counter()
job = job_from_raw(load_yaml(__import__("pathlib").Path(spec)), spec, select=name)
count, unit = export(job, fmt, out)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
print(json.dumps({"design": name, "format": fmt, "count": count, "unit": unit, "seconds": elapsed, "peak_bytes": peak}))
"""


def measure(name: str, fmt: str, directory: Path) -> dict:
    out = directory / f"{name}.{fmt}"
    result = subprocess.run([sys.executable, "-c", CHILD, str(SPEC), name, fmt, str(out)],
                            capture_output=True, text=True, check=True)
    record = json.loads(result.stdout)
    record["file_bytes"] = out.stat().st_size if out.is_file() else None
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="cabling")
    parser.add_argument("--design", action="append", default=None)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.design or ["DF", "FT3"]:
            r = measure(name, args.format, Path(tmp))
            line = (f"{r['design']:>4} {r['format']}: {r['count']:,} {r['unit']} in {r['seconds']:.1f} s, "
                    f"peak RSS {r['peak_bytes'] / 1e6:,.0f} MB")
            if r["file_bytes"]:
                line += f", file {r['file_bytes'] / 1e6:,.1f} MB"
            target = TARGETS.get(name)
            if target and args.format == "cabling":
                met = r["seconds"] < target[0] and r["peak_bytes"] < target[1]
                ok &= met
                line += f" (target < {target[0]:g} s, < {target[1] / 1e9:g} GB: {'met' if met else 'MISSED'})"
            print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
