"""Bisection intervals against the exact minimum bisection by enumeration (a), the exact LP against
a path-enumeration LP solved by scipy (b); the spectral certificate is in test_hardening_spectral.

The minimum bisection is taken over every partition of switches and endpoints with floor(W/2) and
ceil(W/2) endpoints on its sides, a cable counting 1 and an endpoint link r/c: computed here by
enumerating switch partitions and placing the leftover endpoints across, and, on the tiniest graphs,
by enumerating partitions of switches and endpoints as separate vertices.
"""

from __future__ import annotations

import json
from itertools import combinations, pairwise, product

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.design import resolve
from topoctl.errors import TopoctlError
from topoctl.metrics.analysis import (
    AnalysisOptions,
    bisection_interval,
    fabric_view,
    family_upper_bound,
    summary_throughput,
)
from topoctl.metrics.bisection import bisect
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.throughput import all_to_all_demand, bisection_bound
from topoctl.optimize.lp import max_concurrent_flow
from topoctl.spec import DesignSpec, SwitchSpec
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters

from bisection_oracle import exact_bisection

runner = CliRunner()
PORT_GBPS = 400.0


def exact_bisection_endpoint_vertices(arrays, endpoint_link: float) -> float:
    """The same minimum with every endpoint a vertex of its own (tiny graphs only)."""
    owner = np.repeat(np.arange(arrays.num_switches), arrays.endpoints)
    total = len(owner)
    best = np.inf
    for switch_side in product((0, 1), repeat=arrays.num_switches):
        side = np.array(switch_side)
        cables = float(arrays.edge_count[side[arrays.edge_u] != side[arrays.edge_v]].sum())
        for count in {total // 2, total - total // 2}:
            for chosen in combinations(range(total), count):  # the endpoints on side 1
                on_one = np.zeros(total, dtype=np.int64)
                on_one[list(chosen)] = 1
                crossing = int((on_one != side[owner]).sum())
                best = min(best, cables + endpoint_link * crossing)
    return best


def design(family: str, radix: int, endpoint_gbps: float = PORT_GBPS, **params):
    spec = DesignSpec(family=family, parameters=params, endpoint_speed_gbps=endpoint_gbps,
                      switch=SwitchSpec(radix=radix, port_speed_gbps=PORT_GBPS))
    return resolve(spec)


# (a) -------------------------------------------------------------------------------------------

SMALL_DESIGNS = [
    *[("fat_tree", 4, dict(k=4, tiers=2, endpoints=n)) for n in (2, 3, 5, 6, 7)],
    *[("fat_tree", 6, dict(k=6, tiers=2, endpoints=n)) for n in (4, 7, 8, 11, 14, 17)],
    *[("fat_tree", 8, dict(k=8, tiers=2, endpoints=n)) for n in (5, 6, 9, 12, 20, 21, 27, 28, 31)],
    *[("fat_tree", 8, dict(k=8, tiers=2, endpoints=n, oversubscription=3)) for n in (7, 13, 25, 37)],
    ("fat_tree", 4, dict(k=4, tiers=2, endpoints=7, oversubscription=3)),
    *[("fat_tree", 4, dict(k=4, tiers=3, endpoints=n)) for n in (3, 7, 9, 13, 15)],
    *[("dragonfly", 16, dict(p=p, a=a, h=h, g=g)) for p, a, h, g in [
        (1, 2, 1, 3), (2, 2, 1, 3), (2, 3, 1, 4), (2, 4, 2, 4), (1, 4, 1, 5), (2, 2, 2, 5),
        (2, 3, 2, 7), (3, 3, 2, 7), (4, 3, 2, 7), (5, 3, 2, 7), (1, 5, 1, 4), (2, 5, 2, 4), (3, 1, 2, 3),
        (6, 1, 2, 3), (4, 1, 4, 5), (8, 1, 4, 5)]],
    ("slim_fly", 16, dict(q=3)),
]


def _ids(case):
    family, radix, params = case
    return f"{family}-" + ",".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("endpoint_gbps", [400.0, 200.0, 100.0])
@pytest.mark.parametrize("case", SMALL_DESIGNS, ids=_ids)
def test_interval_brackets_the_exact_bisection(case, endpoint_gbps):
    family, radix, params = case
    built = design(family, radix, endpoint_gbps, **params)
    view = fabric_view(built, AnalysisOptions())
    arrays = view.plane
    endpoint_link = endpoint_gbps / PORT_GBPS
    exact = exact_bisection(arrays, endpoint_link)
    report, _, _, upper = bisection_interval(built, arrays, view.num_planes)
    assert report.upper_bound_links >= exact - 1e-9, report.upper_bound_method
    assert report.upper_bound_gbps >= exact * PORT_GBPS - 1e-6
    assert upper >= exact - 1e-9
    if report.lower_bound_links is not None:
        assert report.lower_bound_links <= exact + 1e-9, report.lower_bound_method
    if report.exact:
        assert report.upper_bound_links == pytest.approx(exact, abs=1e-9)
    interval = bisect(arrays, endpoint_link_cables=endpoint_link)  # the graph-only interval
    assert interval.upper_links >= exact - 1e-9
    assert interval.lower_links is None or interval.lower_links <= exact + 1e-9


@pytest.mark.parametrize(
    "case",
    [("fat_tree", 4, dict(k=4, tiers=2, endpoints=5)), ("fat_tree", 8, dict(k=8, tiers=2, endpoints=6)),
     ("dragonfly", 16, dict(p=2, a=2, h=1, g=3)), ("dragonfly", 16, dict(p=3, a=1, h=2, g=3))],
    ids=_ids,
)
@pytest.mark.parametrize("endpoint_gbps", [400.0, 100.0])
def test_leftover_endpoints_placed_across_is_the_minimum(case, endpoint_gbps):
    """The reduction the enumeration relies on, against endpoints as vertices of their own."""
    family, radix, params = case
    arrays = fabric_view(design(family, radix, endpoint_gbps, **params), AnalysisOptions()).plane
    link = endpoint_gbps / PORT_GBPS
    assert exact_bisection(arrays, link) == pytest.approx(exact_bisection_endpoint_vertices(arrays, link))


def _full_bisection(*args: str) -> dict:
    result = runner.invoke(app, ["design", *args, "--analysis", "full", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["analysis"]["bisection"]


def test_partial_fat_tree_100_endpoints_reproducer():
    """13 leaves (9 with 8 endpoints, 4 with 7), 8 spines: METIS splits 48/52 with 48 cables; two
    endpoints placed across make it balanced, 50, the exact minimum (and N/2 * u/n_max)."""
    bisection = _full_bisection("--family", "fat_tree", "--radix", "16", "--tiers", "2", "--param", "endpoints=100")
    assert bisection["upper_bound_links"] == 50
    assert bisection["upper_bound_gbps"] == 20_000
    assert bisection["lower_bound_links"] == 50 and bisection["exact"]
    built = design("fat_tree", 16, k=16, tiers=2, endpoints=100)
    assert exact_bisection(fabric_view(built, AnalysisOptions()).plane, 1.0) == 50


def test_partial_fat_tree_20_endpoints_reproducer():
    bisection = _full_bisection("--family", "fat_tree", "--radix", "8", "--tiers", "2", "--param", "endpoints=20")
    assert bisection["upper_bound_gbps"] == 4_000
    assert bisection["lower_bound_gbps"] == 4_000 and bisection["exact"]
    built = design("fat_tree", 8, k=8, tiers=2, endpoints=20)
    assert exact_bisection(fabric_view(built, AnalysisOptions()).plane, 1.0) * PORT_GBPS == 4_000


def test_unbalanced_dragonfly_cut_counts_its_endpoints_across():
    """Five one-switch groups of 8 endpoints: the family's cut (6 cables) puts 3 switches, 24
    endpoints, on one side; 4 of them placed across make it balanced, 10, the exact minimum."""
    built = design("dragonfly", 16, p=8, a=1, h=4, g=5)
    assert built.topology.switch_cut() == 6 and built.topology.bisection().links == 10
    assert family_upper_bound(built)[0] == 10
    view = fabric_view(built, AnalysisOptions())
    report, *_ = bisection_interval(built, view.plane, 1)
    assert report.upper_bound_links == 10 == exact_bisection(view.plane, 1.0)
    # the summary's all-to-all bound from the balanced cut: 10 * (40-1) / (20 * 20); 6 cables gave 0.585
    assert summary_throughput(built).all_to_all.value == pytest.approx(0.975)


@pytest.mark.parametrize("w, cut", [(10, 3.0), (21, 5.0), (7, 1.5)])
def test_bisection_bound_uses_floor_and_ceil_sides(w, cut):
    """All-to-all sends floor(W/2)*ceil(W/2)*theta*r/(W-1) across a balanced cut each way."""
    expected = min(1.0, cut * 400 * (w - 1) / ((w // 2) * (w - w // 2) * 400))
    assert bisection_bound(w, cut, 400.0, 400.0).value == pytest.approx(expected)


# (b) -------------------------------------------------------------------------------------------


def path_lp_throughput(graph: nx.Graph, demand: dict[tuple[int, int], float], endpoint_gbps: float, link_gbps: float) -> float:
    """Maximum concurrent flow over every simple path (scipy HiGHS), capped at 1: variables theta and
    one flow per (pair, path); each pair's paths carry theta * demand * r, each directed cable bundle
    at most count * c."""
    from scipy.optimize import linprog

    pairs = [pair for pair, amount in sorted(demand.items()) if amount > 0 and pair[0] != pair[1]]
    arcs = {}
    for u, v, data in graph.edges(data=True):
        arcs[(u, v)] = arcs[(v, u)] = data.get("count", 1)
    arc_index = {arc: i for i, arc in enumerate(sorted(arcs))}
    columns = []  # (pair index, arcs used)
    for k, (s, t) in enumerate(pairs):
        for path in nx.all_simple_paths(graph, s, t):
            columns.append((k, [arc_index[(a, b)] for a, b in pairwise(path)]))
    num = 1 + len(columns)
    a_eq = np.zeros((len(pairs), num))
    a_ub = np.zeros((len(arc_index), num))
    for j, (k, used) in enumerate(columns, start=1):
        a_eq[k, j] = 1.0
        for arc in used:
            a_ub[arc, j] += 1.0
    for k, pair in enumerate(pairs):
        a_eq[k, 0] = -demand[pair] * endpoint_gbps
    b_ub = np.array([arcs[arc] * link_gbps for arc in sorted(arcs)], dtype=np.float64)
    cost = np.zeros(num)
    cost[0] = -1.0
    bounds = [(0.0, 1.0)] + [(0.0, None)] * len(columns)
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.zeros(len(pairs)), bounds=bounds, method="highs")
    assert result.status == 0
    return float(result.x[0])


def _arrays(graph: nx.Graph, endpoints: list[int]):
    graph = graph.copy()
    for node, e in zip(sorted(graph), endpoints, strict=True):
        graph.nodes[node]["endpoints"] = e
    return to_arrays(graph)


def _tiny_graphs():
    cases = []
    triangle = nx.cycle_graph(3)
    cases.append(("triangle", triangle, [2, 1, 1]))
    path = nx.path_graph(4)
    nx.set_edge_attributes(path, {(0, 1): 2, (1, 2): 1, (2, 3): 3}, "count")
    cases.append(("path-parallel", path, [3, 1, 2, 2]))
    cases.append(("4-cycle", nx.cycle_graph(4), [2, 2, 2, 2]))
    k4 = nx.complete_graph(4)
    k4.remove_edge(0, 1)
    cases.append(("k4-less-edge", k4, [3, 1, 2, 1]))
    cases.append(("petersen", nx.petersen_graph(), [2] * 10))
    wheel = nx.wheel_graph(6)
    nx.set_edge_attributes(wheel, {(0, 1): 2}, "count")
    cases.append(("wheel", wheel, [1, 2, 1, 2, 1, 3]))
    return cases


@pytest.mark.parametrize("name, graph, endpoints", _tiny_graphs(), ids=[c[0] for c in _tiny_graphs()])
@pytest.mark.parametrize("pattern", ["all-to-all", "random"])
def test_lp_equals_path_enumeration(name, graph, endpoints, pattern):
    arrays = _arrays(graph, endpoints)
    n = arrays.num_switches
    if pattern == "all-to-all":
        demand = all_to_all_demand(arrays)
        r, c = 400.0, 400.0
    else:  # asymmetric demand, endpoints slower than the cables
        rng = np.random.default_rng(sum(map(ord, name)))
        demand = rng.random((n, n)) * (rng.random((n, n)) < 0.6) * 3
        np.fill_diagonal(demand, 0.0)
        r, c = 100.0, 400.0
    names = list(arrays.names)
    nodes = {name: i for i, name in enumerate(names)}
    relabelled = nx.relabel_nodes(graph, nodes)
    expected = path_lp_throughput(relabelled, {(s, t): float(demand[s, t]) for s in range(n) for t in range(n)}, r, c)
    assert max_concurrent_flow(arrays, demand, r, c).value == pytest.approx(expected, abs=1e-7)


def test_lp_without_demand_is_line_rate():
    arrays = _arrays(nx.path_graph(3), [1, 1, 1])
    figure = max_concurrent_flow(arrays, np.eye(3), 400.0, 400.0)  # a switch's own traffic uses no cable
    assert figure.value == 1.0 and "no demand between distinct switches" in figure.method


def test_lp_unreachable_pair_is_zero():
    graph = nx.Graph([(0, 1), (2, 3)])
    arrays = _arrays(graph, [1, 1, 1, 1])
    assert max_concurrent_flow(arrays, all_to_all_demand(arrays), 400.0, 400.0).value == 0.0


def test_lp_solver_failure_is_a_one_line_topoctl_error():
    """A 1 ms limit on the Hoffman-Singleton LP (4 s to optimality) stops GLOP early."""
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build())
    with pytest.raises(TopoctlError) as info:
        max_concurrent_flow(arrays, all_to_all_demand(arrays), 400.0, 400.0, time_limit_s=0.001)
    assert not isinstance(info.value, RuntimeError)
    message = str(info.value)
    assert "\n" not in message and message.startswith("exact LP (maximum concurrent flow, GLOP) on 50 switches not solved")
    assert message.endswith("run without --exact-lp for the estimate and bounds")


def _exact_lp_throughput(*args: str) -> dict:
    result = runner.invoke(app, ["design", *args, "--analysis", "full", "--exact-lp", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["analysis"]["throughput"]


def test_exact_lp_dragonfly_reproducer():
    """6 endpoints in one 8-endpoint MoE node: no MoE traffic between switches, which left the LP
    unbounded (GLOP status 2); all-to-all reaches line rate."""
    throughput = _exact_lp_throughput("--family", "dragonfly", "--param", "p=1", "--param", "a=2", "--param", "h=1", "--param", "g=3")
    assert throughput["all_to_all"]["value"] == 1.0
    assert throughput["all_to_all"]["method"].startswith("exact")
    assert throughput["moe"]["value"] == 1.0


def test_exact_lp_slim_fly_reproducer():
    throughput = _exact_lp_throughput("--family", "slim_fly", "--param", "q=5")
    assert throughput["all_to_all"]["value"] == pytest.approx(0.956731, abs=1e-5)
    assert throughput["all_to_all"]["method"].startswith("exact")
    assert throughput["moe"]["method"].startswith("exact")


def test_dragonfly_congestion_bound_counts_endpoint_links():
    """At 100 Gb/s endpoints on 400 Gb/s ports an endpoint link across costs 1/4 cable: three
    endpoints across (0.75) undercut the congestion closed form (2 cables); the interval's lower
    bound extends the argument to endpoint links and stays below the exact 0.75."""
    built = design("dragonfly", 16, 100.0, p=1, a=2, h=1, g=3)
    assert built.topology.bisection().proven_links == 2
    view = fabric_view(built, AnalysisOptions())
    exact = exact_bisection(view.plane, 0.25)
    report, *_ = bisection_interval(built, view.plane, 1)
    assert exact == 0.75 == report.upper_bound_links
    assert report.lower_bound_links is not None and 0 < report.lower_bound_links <= exact
    assert "endpoint links across" in report.lower_bound_method
