"""Time the full network analysis of the DeepSeek-V3 Table 3 designs and a 200-trial random-failure
run on FT3 (targets on 2 cores: each analysis under 10 s, the failure run under 60 s).

Run: python bench/bench_analysis.py [--trials 200] [--seed 7]
The slim fly is analysed at q = 27: the paper's q = 28 is not a prime power (formula only).
"a2a theta" is the all-to-all figure (dragonfly: bound on ECMP from whole sampled groups; 0.586, the
same as with every one of its 16,352 sources, which takes 240 s); "moe theta" the sampled MoE traffic
(M = 4 nodes, seed 0: fat trees closed form, slim fly ECMP from every source, dragonfly a bound on ECMP
from one whole group). The JSON labels each figure with its method.
"""

from __future__ import annotations

import argparse
import time
import warnings

from topoctl.design import load_designs, resolve
from topoctl.metrics.analysis import AnalysisOptions, fabric_view, full_analysis
from topoctl.metrics.random_failures import random_failures
from topoctl.metrics.results import FullAnalysis
from topoctl.spec import DesignSpec, builtin_spec_path


def table3_designs():
    _, designs = load_designs(builtin_spec_path())
    out = []
    for design in designs:
        if design.name == "SF":
            spec = DesignSpec.model_validate(
                {"name": "SF q=27", "family": "slim_fly", "parameters": {"q": 27}, "endpoint_speed_gbps": 400,
                 "switch": {"model": design.switch.name}}
            )
            design = resolve(spec)
        out.append(design)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    designs = table3_designs()
    print(f"{'design':10} {'switches':>9} {'analysis_s':>10}  bisection [lower, upper] ratio   mean hops  "
          "a2a theta  moe theta  worst single failure: disconnected")
    for design in designs:
        start = time.perf_counter()
        result = full_analysis(design, AnalysisOptions())
        elapsed = time.perf_counter() - start
        assert isinstance(result, FullAnalysis)  # every design here has a graph
        b, paths, throughput = result.bisection, result.paths, result.throughput
        lower = "n/a" if b.lower_bound_ratio is None else f"{b.lower_bound_ratio:.3f}"
        worst = max(result.fault_domains[1:], key=lambda e: e.endpoints_disconnected)
        moe = "n/a" if throughput.moe.value is None else f"{throughput.moe.value:9.3f}"
        print(
            f"{design.name:10} {design.counts.num_switches:9,} {elapsed:10.2f}  [{lower}, {b.upper_bound_ratio:.3f}]"
            f"{'':14} {paths.mean_hops:9.3f}  {throughput.all_to_all.value:9.3f}  {moe}  "
            f"{worst.component}: {worst.endpoints_disconnected:,}"
        )
    ft3 = next(d for d in designs if d.name == "FT3")
    view = fabric_view(ft3, AnalysisOptions())
    start = time.perf_counter()
    result = random_failures(view, 0.01, 0.005, args.trials, args.seed)
    elapsed = time.perf_counter() - start
    print(f"FT3 random failures: {args.trials} trials, 1% cables, 0.5% switches, seed {args.seed}: {elapsed:.2f} s")
    print(f"  disconnected_pairs_ratio {result.disconnected_pairs_ratio}")
    print(f"  retained_bisection_ratio {result.retained_bisection_ratio}")


if __name__ == "__main__":
    main()
