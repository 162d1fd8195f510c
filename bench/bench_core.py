"""Times `topoctl compare` end to end and each family's graph build at the paper's Table 3 sizes.

Run: python3 bench/bench_core.py [--repeat N]
Each measurement runs in a fresh subprocess so its wall time includes nothing else and its peak
resident memory (ru_maxrss) is its own. Targets on a 2-core machine: `topoctl compare` under 1.5 s;
the dragonfly graph (16,352 switches, 384,272 links) under 5 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

BUILD = """
import json, resource, sys, time
from topoctl.design import resolve
from topoctl.spec import DesignSpec
from topoctl.topologies.check import check_graph
spec = DesignSpec.model_validate(json.loads(sys.argv[1]))
design = resolve(spec)
start = time.perf_counter()
graph = design.topology.build()
built = time.perf_counter() - start
start = time.perf_counter()
check_graph(design.topology, graph)
checked = time.perf_counter() - start
links = sum(d["count"] for _, _, d in graph.edges(data=True))
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"build_s": built, "check_s": checked, "switches": graph.number_of_nodes(),
                  "links": links, "peak_mib": peak_mib}))
"""

DESIGNS = {
    "FT2": {"family": "fat_tree", "parameters": {"k": 64, "tiers": 2}},
    "MPFT": {"family": "multiplane_fat_tree", "parameters": {"planes": 8, "k": 64, "tiers": 2}},
    "FT3": {"family": "fat_tree", "parameters": {"k": 64, "tiers": 3}},
    "SF q=27 (q=28 has no graph)": {"family": "slim_fly", "parameters": {"q": 27}},
    "DF": {"family": "dragonfly", "parameters": {"p": 16, "a": 32, "h": 16, "g": 511}},
}


def time_compare(repeat: int) -> dict[str, float]:
    exe = shutil.which("topoctl")
    command = [exe, "compare", "--format", "json"] if exe else [sys.executable, "-m", "topoctl", "compare", "-f", "json"]
    walls = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return {"median_s": statistics.median(walls), "max_s": max(walls)}


def time_build(spec: dict, repeat: int) -> dict[str, float]:
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", BUILD, json.dumps(spec)], check=True,
                                  capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]
    best = min(runs, key=lambda r: r["build_s"])
    best["peak_mib"] = max(r["peak_mib"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = {"compare": time_compare(args.repeat), "builds": {}}
    for name, spec in DESIGNS.items():
        results["builds"][name] = time_build(spec, args.repeat)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    c = results["compare"]
    print(f"topoctl compare (end to end): median {c['median_s']:.3f} s, max {c['max_s']:.3f} s (target < 1.5 s)")
    print(f"{'design':30} {'switches':>9} {'links':>9} {'build s':>8} {'check s':>8} {'peak MiB':>9}")
    for name, r in results["builds"].items():
        print(f"{name:30} {r['switches']:>9,} {r['links']:>9,} {r['build_s']:>8.3f} {r['check_s']:>8.3f} {r['peak_mib']:>9.0f}")


if __name__ == "__main__":
    main()
