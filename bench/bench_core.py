"""Times `topoctl compare` end to end, each family's graph build at the paper's Table 3 sizes, the
dragonfly build against a plain-Python edge-list generator, and 200 random-failure trials on FT3.

Run: python3 bench/bench_core.py [--repeat N] [--trials 200] [--json]
Each measurement runs in a fresh subprocess, so its peak resident memory (ru_maxrss) is its own.
CPU seconds are user + system of the process (resource.getrusage), not wall time: the machine is
shared. Targets on a 2-core machine (the graphs issue):
- the Table 3 dragonfly graph (16,352 switches, 384,272 cables) built in at most 0.08 s CPU, numpy
  already imported; bench/dragonfly_edgelist.py, a plain-Python edge-list generator in the style of
  SPCL EvalNet, timed in the same process for scale (and checked to give the same bundles);
- 200 random-failure trials on the k=64 three-tier fat tree (1% cables, 0.5% switches) under 5 s;
- `topoctl compare` at most 0.45 s CPU for the whole process (median of --repeat runs), with the
  bytecode cache warm (a temporary PYTHONPYCACHEPREFIX, so PYTHONDONTWRITEBYTECODE does not make
  every run compile topoctl from source; the figure without it is printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

BUILD = """
import json, resource, sys, time
from topoctl.design import resolve
from topoctl.spec import DesignSpec
from topoctl.topologies.check import check_graph
import numpy, topoctl.topologies.graph  # the build's own imports, outside its time
spec = DesignSpec.model_validate(json.loads(sys.argv[1]))
design = resolve(spec)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
graph = design.topology.build()
built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
check_graph(design.topology, graph)
checked = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"build_s": built, "build_cpu_s": built_cpu, "check_s": checked, "switches": graph.num_switches,
                  "links": graph.num_cables, "peak_mib": peak / 1024, "build_mib": (after - before) / 1024}))
"""

# the array build and the plain-Python edge list, one after the other in one process
DRAGONFLY = """
import json, sys, time
from collections import Counter
import numpy, topoctl.topologies.graph
from dragonfly_edgelist import dragonfly_edges
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
topo = Dragonfly.from_parameters(DragonflyParameters(**json.loads(sys.argv[1])), 64)
cpu = time.process_time()
graph = topo.build()
build = time.process_time() - cpu
cpu = time.process_time()
edges = dragonfly_edges(topo.a, topo.h, topo.g)
listed = time.process_time() - cpu
bundles = sorted(Counter(edges).items())
same = bundles == sorted(zip(zip(graph.edge_u.tolist(), graph.edge_v.tolist()), graph.edge_count.tolist()))
print(json.dumps({"build_cpu_s": build, "edgelist_cpu_s": listed, "cables": len(edges), "same_bundles": same}))
"""

FAILURES = """
import json, resource, sys, time
from topoctl.design import resolve
from topoctl.metrics.analysis import AnalysisOptions, fabric_view
from topoctl.metrics.random_failures import random_failures
from topoctl.spec import DesignSpec
trials = int(sys.argv[1])
design = resolve(DesignSpec.model_validate({"family": "fat_tree", "parameters": {"k": 64, "tiers": 3}}))
view = fabric_view(design, AnalysisOptions())
view.plane.adjacency()  # imports and the intact CSR structure, outside the trials' time
cpu, start = time.process_time(), time.perf_counter()
result = random_failures(view, 0.01, 0.005, trials, 7)
print(json.dumps({"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - start,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "disconnected_pairs_ratio": result.disconnected_pairs_ratio,
                  "retained_bisection_ratio": result.retained_bisection_ratio}))
"""

DESIGNS = {
    "FT2": {"family": "fat_tree", "parameters": {"k": 64, "tiers": 2}},
    "MPFT": {"family": "multiplane_fat_tree", "parameters": {"planes": 8, "k": 64, "tiers": 2}},
    "FT3": {"family": "fat_tree", "parameters": {"k": 64, "tiers": 3}},
    "SF q=27 (q=28 has no graph)": {"family": "slim_fly", "parameters": {"q": 27}},
    "DF": {"family": "dragonfly", "parameters": {"p": 16, "a": 32, "h": 16, "g": 511}},
}
TABLE3_DRAGONFLY = {"p": 16, "a": 32, "h": 16, "g": 511}


def _child(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    path = os.pathsep.join([str(REPO), str(BENCH), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, **(env or {}), "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout)


def compare_cpu(repeat: int, cache: bool) -> dict[str, float]:
    """CPU of whole `topoctl compare` processes (user + system, and user alone), median and max."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as cache_dir:
        if cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache_dir
        command = [sys.executable, "-m", "topoctl", "compare"]
        subprocess.run(command, check=True, capture_output=True, env=env)  # warm: file cache, bytecode
        totals, users = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, check=True, capture_output=True, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            user = after.ru_utime - before.ru_utime
            users.append(user)
            totals.append(user + after.ru_stime - before.ru_stime)
    return {"median_cpu_s": statistics.median(totals), "max_cpu_s": max(totals),
            "median_user_s": statistics.median(users)}


def time_build(spec: dict, repeat: int) -> dict[str, float]:
    runs = [_child(BUILD, json.dumps(spec)) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["build_cpu_s"])
    best["peak_mib"] = max(r["peak_mib"] for r in runs)  # the process's, check_graph (scipy) included
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = {
        "compare": compare_cpu(args.repeat, cache=True),
        "compare_no_bytecode_cache": compare_cpu(args.repeat, cache=False),
        "dragonfly": min((_child(DRAGONFLY, json.dumps(TABLE3_DRAGONFLY)) for _ in range(args.repeat)),
                         key=lambda r: r["build_cpu_s"]),
        "failures": _child(FAILURES, str(args.trials)),
        "builds": {name: time_build(spec, args.repeat) for name, spec in DESIGNS.items()},
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    c, n = results["compare"], results["compare_no_bytecode_cache"]
    print(f"topoctl compare, CPU of the whole process, median of {args.repeat}: {c['median_cpu_s']:.3f} s "
          f"(user {c['median_user_s']:.3f} s, max {c['max_cpu_s']:.3f} s; target <= 0.45 s); "
          f"without a bytecode cache {n['median_cpu_s']:.3f} s")
    d = results["dragonfly"]
    print(f"Table 3 dragonfly, {d['cables']:,} cables, best of {args.repeat}: array build {d['build_cpu_s']:.3f} s CPU "
          f"(target <= 0.08 s), plain-Python edge list {d['edgelist_cpu_s']:.3f} s; same bundles: {d['same_bundles']}")
    f = results["failures"]
    print(f"FT3 k=64, {args.trials} random-failure trials (1% cables, 0.5% switches, seed 7): {f['cpu_s']:.2f} s CPU, "
          f"{f['wall_s']:.2f} s wall, peak {f['peak_mib']:.0f} MiB (target < 5 s)")
    print(f"{'design':30} {'switches':>9} {'links':>9} {'build s':>8} {'CPU s':>7} {'check s':>8} "
          f"{'build MiB':>9} {'peak MiB':>9}")
    for name, r in results["builds"].items():
        print(f"{name:30} {r['switches']:>9,} {r['links']:>9,} {r['build_s']:>8.3f} {r['build_cpu_s']:>7.3f} "
              f"{r['check_s']:>8.3f} {r['build_mib']:>9.1f} {r['peak_mib']:>9.0f}")


if __name__ == "__main__":
    main()
