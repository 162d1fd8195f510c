"""Time of a sizing request, from 1,000 to 1,000,000 endpoints and radix 64 to 512 (under 2 s on 2 cores,
whole command).

For each request: the library call ``topoctl.optimize.size`` in-process (enumeration, pruning, CP-SAT,
rebuild and check), split into its parts, and the whole command ``topoctl design --endpoints N -f json``
in a fresh process (Python start-up and the OR-Tools import included). Default settings: one solver
worker, seed 0, the catalog's 64 x 400G switch; "breakout" requests add a 64 x 800G switch that may be
split into 128 x 400G ports, with up to 8 planes, which is what a million endpoints need at full
bisection (one 64-port plane of three tiers holds 65,536).

    python3 bench/bench_sizing.py [--repeat 3] [--only TEXT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TARGET_S = 2.0
X800 = {"name": "x800", "radix": 64, "port_speed_gbps": 800, "price_usd": 90000, "breakouts": [1, 2]}
SMALL_AND_WIDE = [{"model": "qm9700", "radix": 16, "price_usd": 8000},
                  {"model": "ib-ndr-64x400g", "radix": 40, "price_usd": 40000}]
REQUESTS = [
    ("1,000 default", {"endpoints": 1_000}, []),
    ("10,000 one plane (three tiers decided)", {"endpoints": 10_000, "max_planes": 1}, ["--max-planes", "1"]),
    ("16,384 two tiers, 8 planes", {"endpoints": 16_384, "max_tiers": 2, "max_hops": 2, "max_planes": 8},
     ["--max-tiers", "2", "--max-hops", "2", "--max-planes", "8"]),
    ("100,000 default", {"endpoints": 100_000}, []),
    ("1,000,000 default", {"endpoints": 1_000_000}, []),
    ("24,576 mixed switches, blast <= 64", {"endpoints": 24_576, "endpoint_speed_gbps": 400,
     "switches": [{"model": "ib-ndr-64x400g"}, X800], "max_planes": 8, "max_ports_per_endpoint": 4, "max_hops": 3,
     "max_blast_radius": 64, "spare_ports_percent": 5}, None),
    ("1,000,000 breakout, 8 planes", {"endpoints": 1_000_000, "endpoint_speed_gbps": 400, "switches": [X800],
                                      "max_planes": 8}, None),
    # a large radix beside a small one (288 x 400G: tens of thousands of leaf splits per tree family)
    ("10,000 radix 64 and 288, one plane", {"endpoints": 10_000, "switches": [
        {"model": "qm9700"}, {"model": "q3400", "breakouts": [2]}], "max_planes": 1}, None),
    ("60,000 radix 64 and 288, one plane", {"endpoints": 60_000, "switches": [
        {"model": "qm9700"}, {"model": "q3400", "breakouts": [2]}], "max_planes": 1}, None),
    # a switch per tier: the answer mixes the two (45,000: 288-port edges under 64-port aggregation and cores)
    ("45,000 radix 64 and 288, fat trees", {"endpoints": 45_000, "switches": [
        {"model": "qm9700"}, {"model": "q3400", "breakouts": [2]}], "families": ["fat_tree"], "max_planes": 1}, None),
    ("3,000 radix 16 and 40, fat trees", {"endpoints": 3_000, "switches": SMALL_AND_WIDE, "families": ["fat_tree"],
     "max_planes": 1}, None),
    # a slim fly's bisection is proven in closed form (lambda_2 = q): no graph of 20,402 switches to certify
    ("1,000,000 slim fly, radix 512", {"endpoints": 1_000_000, "families": ["slim_fly"], "switches": [
        {"name": "r512", "radix": 512, "port_speed_gbps": 400, "price_usd": 100000}]}, None),
]


def _in_process(fields: dict) -> dict:
    from topoctl.errors import TopoctlError
    from topoctl.optimize import parse_requirement, size
    from topoctl.optimize.candidates import enumerate_candidates
    from topoctl.optimize.result import _model_candidates

    req = parse_requirement(fields, "bench")
    start = time.perf_counter()
    enumerate_candidates(req, keep=1)  # as the sizer enumerates for one design (CostBound leaves out the rest)
    enumerate_s = time.perf_counter() - start
    start = time.perf_counter()
    kept = _model_candidates(req).candidates
    prune_s = time.perf_counter() - start
    start = time.perf_counter()
    try:
        best = size(req).best
        answer = f"{best.solution.candidate.label()}, {best.design.counts.num_switches:,} switches"
        solver_s = best.stats.wall_time_s
    except TopoctlError as exc:
        answer, solver_s = f"Error: {str(exc)[:90]}...", float("nan")
    total_s = time.perf_counter() - start
    return {"enumerate_s": enumerate_s, "prune_s": prune_s, "model_candidates": len(kept),
            "solver_s": solver_s, "size_s": total_s, "answer": answer}


def _command(args: list[str] | None, fields: dict) -> float:
    """Wall time of the whole command in a fresh process; a requirement file when flags cannot say it."""
    with tempfile.TemporaryDirectory() as tmp:
        if args is None:
            path = Path(tmp) / "requirement.yaml"
            path.write_text(yaml.safe_dump(fields))
            argv = ["--requirement", str(path)]
        else:
            argv = ["--endpoints", str(fields["endpoints"]), *args]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "topoctl", "design", *argv, "-f", "json"], capture_output=True,
                       check=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per request; the best is reported")
    parser.add_argument("--only", default="", help="only the requests whose label holds this text")
    options = parser.parse_args()
    _in_process({"endpoints": 10})  # warm imports
    print(f"{'request':34} {'enum s':>7} {'prune s':>8} {'cands':>6} {'solver s':>9} {'size() s':>9} "
          f"{'command s':>10}  answer")
    worst = 0.0
    for label, fields, args in REQUESTS:
        if options.only not in label:
            continue
        runs = [_in_process(fields) for _ in range(options.repeat)]
        best = min(runs, key=lambda r: r["size_s"])
        command_s = min(_command(args, fields) for _ in range(options.repeat))
        worst = max(worst, best["size_s"], command_s)
        print(f"{label:34} {best['enumerate_s']:7.3f} {best['prune_s']:8.3f} {best['model_candidates']:6d} "
              f"{best['solver_s']:9.4f} {best['size_s']:9.3f} {command_s:10.3f}  {best['answer']}")
    print(json.dumps({"worst_s": round(worst, 3), "target_s": TARGET_S, "ok": worst < TARGET_S}))


if __name__ == "__main__":
    main()
