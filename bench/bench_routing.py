"""Time the routing figures at the paper's scale (targets on 2 cores: Valiant and adaptive all-to-all on the
Table 3 DF design under 10 s; the ideal interval of the q = 27 slim design within 5% under 60 s).

Run: python bench/bench_routing.py [--table] [--arrangements]
--table prints every Table 3 design under every routing and traffic pattern (the slim column at q = 27,
the paper's q = 28 being formula only); --arrangements the DF design under each global-link arrangement.
Wall and CPU seconds are printed: on a shared machine the CPU time is the fairer measure.
Each figure is printed with its kind: "~" an estimate, "<=" an upper bound, "a-b" a certified interval.
"""

from __future__ import annotations

import argparse
import time
import warnings

from topoctl.design import load_designs, resolve
from topoctl.metrics.analysis import AnalysisOptions, full_analysis
from topoctl.metrics.results import PATTERNS, ROUTINGS, FullAnalysis
from topoctl.metrics.routing import RoutingContext, make_traffic, routing_figures
from topoctl.metrics.throughput import bisection_bound
from topoctl.spec import DesignSpec, builtin_spec_path


def design_of(name: str, family: str, parameters: dict) -> object:
    spec = DesignSpec.model_validate({"name": name, "family": family, "parameters": parameters,
                                      "endpoint_speed_gbps": 400, "switch": {"model": "ib-ndr-64x400g"}})
    return resolve(spec)


def context(topology, arrays) -> RoutingContext:
    """As the analysis builds it, with the family's explicit cut as the uniform pattern's upper bound."""
    cut = bisection_bound(arrays.num_endpoints, topology.bisection().links, 400.0, 400.0)
    return RoutingContext(arrays, 400.0, 400.0, topology.valiant_weights(arrays), topology.valiant_groups(arrays),
                          topology.switch_rotation(), topology.congestion(), topology.mean_hops(), uniform_upper=cut)


def cell(figure) -> str:
    if figure.interval and figure.kind.value != "exact":
        return f"<={figure.upper:.3f}" if figure.lower is None else f"{figure.lower:.3f}-{figure.upper:.3f}"
    mark = {"exact": "", "upper_bound": "<=", "estimate": "~", "lower_bound": ">="}[figure.kind.value]
    return f"{mark}{figure.value:.3f}"


def timed_targets() -> None:
    df = design_of("DF", "dragonfly", {"p": 16, "a": 32, "h": 16, "g": 511})
    arrays = df.topology.build()
    ctx = context(df.topology, arrays)
    traffic = make_traffic("uniform", arrays, ctx.groups)
    start, cpu = time.perf_counter(), time.process_time()
    figures = routing_figures(ctx, traffic, ("valiant", "adaptive"))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"Table 3 DF (16,352 switches), uniform: valiant {cell(figures['valiant'])}, adaptive "
          f"{cell(figures['adaptive'])}: {elapsed:.2f} s wall, {cpu:.2f} s CPU (target < 10 s)")
    sf = design_of("SF q=27", "slim_fly", {"q": 27})
    arrays = sf.topology.build()
    ctx = context(sf.topology, arrays)
    traffic = make_traffic("uniform", arrays, ctx.groups)
    start, cpu = time.perf_counter(), time.process_time()
    ideal = routing_figures(ctx, traffic, ("ideal",))["ideal"]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    gap = (ideal.upper - ideal.lower) / ideal.upper if ideal.lower is not None and ideal.upper else float("nan")
    print(f"slim q=27 (1,458 switches), uniform ideal: [{ideal.lower:.4f}, {ideal.upper:.4f}], gap {gap:.2%} "
          f"(target < 5%): {elapsed:.2f} s wall, {cpu:.2f} s CPU (target < 60 s)")
    print(f"  {ideal.method}")


def table3() -> None:
    _, designs = load_designs(builtin_spec_path())
    designs = [design_of("SF q=27", "slim_fly", {"q": 27}) if d.name == "SF" else d for d in designs]
    print(f"{'design':8} {'traffic':12} " + " ".join(f"{r:>13}" for r in ROUTINGS) + "   seconds")
    for design in designs:
        start = time.perf_counter()
        result = full_analysis(design, AnalysisOptions(routing=ROUTINGS))
        elapsed = time.perf_counter() - start
        assert isinstance(result, FullAnalysis) and result.routing is not None
        for pattern in PATTERNS:
            row = result.routing.figures[pattern]
            print(f"{design.name:8} {pattern:12} " + " ".join(f"{cell(row[r]):>13}" for r in ROUTINGS)
                  + (f"   {elapsed:.1f}" if pattern == "uniform" else ""))


def arrangements() -> None:
    print(f"{'arrangement':12} {'traffic':8} " + " ".join(f"{r:>13}" for r in ROUTINGS) + "   seconds")
    for arrangement in ("consecutive", "palmtree", "random"):
        df = design_of("DF", "dragonfly", {"p": 16, "a": 32, "h": 16, "g": 511, "arrangement": arrangement})
        arrays = df.topology.build()
        ctx = context(df.topology, arrays)
        for pattern in ("uniform", "shift"):
            start = time.perf_counter()
            row = routing_figures(ctx, make_traffic(pattern, arrays, ctx.groups), ROUTINGS)
            print(f"{arrangement:12} {pattern:8} " + " ".join(f"{cell(row[r]):>13}" for r in ROUTINGS)
                  + f"   {time.perf_counter() - start:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="every Table 3 design under every routing")
    parser.add_argument("--arrangements", action="store_true", help="the DF design under each arrangement")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    timed_targets()
    if args.table:
        table3()
    if args.arrangements:
        arrangements()


if __name__ == "__main__":
    main()
