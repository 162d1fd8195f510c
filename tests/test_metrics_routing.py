"""Throughput by routing: every figure against a brute-force flow computation (explicit paths + LP), the
ideal's interval around the exact LP, Valiant's half, and the scale paths against every source."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import routing_oracle as oracle

import topoctl.metrics.routing as routing
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.moe_traffic import moe_traffic
from topoctl.metrics.results import ROUTINGS
from topoctl.metrics.routing import (
    RoutingContext,
    exact_max_concurrent_flow,
    ideal_interval,
    make_traffic,
    routing_figures,
)
from topoctl.topologies.base import BoundKind
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.hyperx import HyperX
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters

RATE = 400.0


def df(**params):
    return Dragonfly.from_parameters(DragonflyParameters(**params), 64)


def irregular():
    """A hand-made graph: unequal endpoints, a parallel bundle, a switch with no endpoints."""
    graph = nx.Graph()
    for name, endpoints in [("a", 3), ("b", 1), ("c", 2), ("d", 0), ("e", 2)]:
        graph.add_node(name, role="switch", endpoints=endpoints)
    for u, v, count in [("a", "b", 2), ("b", "c", 1), ("c", "d", 1), ("d", "a", 1), ("a", "c", 1), ("d", "e", 1)]:
        graph.add_edge(u, v, count=count, link_group="x")
    return graph


SMALL = {
    "df-p1-a2-g3": lambda: df(p=1, a=2, h=1, g=3),
    "df-unbalanced-palmtree": lambda: df(p=2, a=2, h=1, g=3, arrangement="palmtree"),
    "df-p1-a3-g4-random": lambda: df(p=1, a=3, h=1, g=4, arrangement="random", arrangement_seed=3),
    "df-parallel-g5": lambda: df(p=2, a=4, h=2, g=5),
    "fat-tree-k4": lambda: FatTree.from_parameters(FatTreeParameters(k=4, tiers=2), 64),
    "hyperx-cube": lambda: HyperX.from_parameters(HyperX.Parameters(L=3, S=2, T=1), 64),
    "hyperx-doubled": lambda: HyperX.from_parameters(HyperX.Parameters(L=2, S=3, K=2, T=3), 64),
    "irregular": irregular,
}


def context(made, **extra) -> tuple[RoutingContext, object]:
    if isinstance(made, nx.Graph):
        arrays = to_arrays(made)
        weights = np.full(arrays.num_switches, 1 / arrays.num_switches)
        return RoutingContext(arrays, RATE, RATE, weights, **extra), arrays
    arrays = made.build()
    ctx = RoutingContext(arrays, RATE, RATE, made.valiant_weights(arrays), made.valiant_groups(arrays),
                         made.switch_rotation(), made.congestion(), **extra)
    return ctx, arrays


def demand_dict(traffic) -> dict[tuple[int, int], float]:
    if traffic.demand is None:
        w = int(traffic.endpoints.sum())
        arrays_endpoints = traffic.endpoints
        port_switch = np.repeat(np.arange(len(arrays_endpoints)), arrays_endpoints)
        out: dict = {}
        for i, j, rate in oracle.uniform_targets(w):
            s, t = int(port_switch[i]), int(port_switch[j])
            if s != t:
                out[(s, t)] = out.get((s, t), 0.0) + rate
        return out
    coo = traffic.demand.tocoo()
    return {(int(s), int(t)): float(v) for s, t, v in zip(coo.row, coo.col, coo.data, strict=True) if v}


def moe_for(arrays):
    return moe_traffic(arrays.endpoints.tolist(), 2, 2, 0)


@pytest.mark.parametrize("pattern", ["uniform", "shift", "bit_reverse", "moe"])
@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_routing_equals_brute_force(name, pattern):
    """minimal, Valiant and adaptive against explicit path lists; ideal against the path LP (every simple
    path of every pair) where the graph is small enough, else the exact edge LP."""
    ctx, arrays = context(SMALL[name]())
    traffic = make_traffic(pattern, arrays, ctx.groups, moe_for(arrays))
    figures = routing_figures(ctx, traffic, ROUTINGS)
    graph = oracle.nx_graph(arrays)
    cap = oracle.capacities(graph, RATE, RATE)
    demand = demand_dict(traffic)
    cap_at = traffic.ingress_cap
    minimal = oracle.minimal_loads(graph, demand)
    valiant = oracle.valiant_loads(graph, demand, ctx.valiant_weights)
    assert figures["minimal"].kind is BoundKind.EXACT
    assert figures["minimal"].value == pytest.approx(oracle.theta(minimal, cap, cap_at), abs=1e-9)
    assert figures["valiant"].value == pytest.approx(oracle.theta(valiant, cap, cap_at), abs=1e-9)
    assert figures["adaptive"].value == pytest.approx(oracle.mix_theta(minimal, valiant, cap, cap_at), abs=1e-7)
    ideal = figures["ideal"]
    assert ideal.kind is BoundKind.EXACT
    if arrays.num_switches <= 8:
        assert ideal.value == pytest.approx(oracle.path_lp(graph, demand, cap, cap_at), abs=1e-7)
    assert max(figures["minimal"].value, figures["valiant"].value) <= figures["adaptive"].value + 1e-9
    assert figures["adaptive"].value <= ideal.value + 1e-7


def test_uniform_demand_matches_the_endpoint_pairs():
    """The implicit uniform rows are the endpoint pairs summed per switch pair."""
    ctx, arrays = context(irregular())
    traffic = make_traffic("uniform", arrays, None)
    expected = demand_dict(traffic)
    rows = traffic.rows(np.arange(arrays.num_switches))
    for (s, t), value in expected.items():
        assert rows[s, t] == pytest.approx(value)
    assert rows.sum() == pytest.approx(sum(expected.values()))


@pytest.mark.parametrize("pattern", ["uniform", "moe"])
def test_exact_lp_equals_the_glop_lp(pattern):
    from topoctl.optimize.lp import max_concurrent_flow

    ctx, arrays = context(df(p=2, a=4, h=2, g=9))
    traffic = make_traffic(pattern, arrays, ctx.groups, moe_for(arrays))
    mine = exact_max_concurrent_flow(ctx, traffic)
    need = np.asarray(traffic.rows(np.arange(arrays.num_switches)))
    glop = max_concurrent_flow(arrays, need, RATE, RATE).value
    assert mine == pytest.approx(min(glop, traffic.ingress_cap), abs=1e-6)


SLOW = pytest.mark.slow
INTERVAL_CASES = [
    pytest.param(lambda: df(p=2, a=4, h=2, g=9), ["uniform", "shift", "bit_reverse", "moe"], id="df-g9", marks=SLOW),
    pytest.param(lambda: df(p=2, a=4, h=2, g=9, arrangement="palmtree"), ["uniform", "shift"], id="df-g9-palmtree"),
    pytest.param(lambda: df(p=2, a=4, h=2, g=5), ["uniform", "shift", "bit_reverse"], id="df-parallel-g5"),
    pytest.param(SMALL["hyperx-doubled"], ["uniform", "bit_reverse", "moe"], id="hyperx-doubled"),
    pytest.param(irregular, ["uniform", "shift", "moe"], id="irregular"),
    pytest.param(lambda: SlimFly.from_parameters(SlimFlyParameters(q=5), 64), ["uniform"], id="slim-q5", marks=SLOW),
]


@pytest.mark.parametrize("make, patterns", INTERVAL_CASES)
def test_column_generation_interval_contains_the_exact_lp(make, patterns, monkeypatch):
    monkeypatch.setattr(routing, "EXACT_LP_VARIABLES", 10**6)  # the exact LP as the oracle, whatever its size
    ctx, arrays = context(make())
    for pattern in patterns:
        traffic = make_traffic(pattern, arrays, ctx.groups, moe_for(arrays))
        exact = exact_max_concurrent_flow(ctx, traffic)
        assert exact is not None
        lower, upper, count = ideal_interval(ctx, traffic, [], time_budget_s=20)
        cap = traffic.ingress_cap
        assert min(lower, cap) <= exact + 1e-7, pattern
        assert min(upper, cap) >= exact - 1e-7, pattern
        assert count >= 1


def test_scale_interval_contains_the_exact_lp(monkeypatch):
    """Past the all-source size (forced): the closed-form routing of the family and the cut bound
    bracket the LP optimum."""
    from topoctl.metrics.bisection import metis_bisection

    topo = df(p=2, a=4, h=2, g=9)
    arrays = topo.build()
    exact_ctx, _ = context(topo)
    moe = moe_for(arrays)
    patterns = ("uniform", "shift", "moe")
    truths = {p: exact_max_concurrent_flow(exact_ctx, make_traffic(p, arrays, exact_ctx.groups, moe)) for p in patterns}
    _, side, _ = metis_bisection(arrays)
    monkeypatch.setattr(routing, "MAX_EXACT_SOURCES", 0)
    monkeypatch.setattr(routing, "EXACT_LP_VARIABLES", 0)
    ctx, _ = context(topo, cut_side=side.astype(bool))
    for pattern in patterns:
        figure = routing_figures(ctx, make_traffic(pattern, arrays, ctx.groups, moe), ("ideal",))["ideal"]
        truth = truths[pattern]
        assert figure.upper is not None and figure.upper >= truth - 1e-9, pattern
        assert figure.lower is None or figure.lower <= truth + 1e-9, pattern
        if pattern == "uniform":
            assert figure.lower is not None  # the family's closed-form routing


@pytest.mark.parametrize("params", [dict(p=2, a=4, h=2, g=9), dict(p=3, a=6, h=3, g=19),
                                    dict(p=2, a=4, h=2, g=9, arrangement="palmtree")])
def test_valiant_is_half_of_minimal_under_uniform_traffic(params):
    """Balanced dragonfly, uniform traffic: Valiant routes the uniform pattern twice (to a uniformly random
    switch, then on), so it reaches n/(2(n-1)) of the minimal figure, about half (Kim et al. 2008's
    textbook result, with the ECMP legs of this model); and about half of the ideal figure too."""
    ctx, arrays = context(df(**params))
    traffic = make_traffic("uniform", arrays, ctx.groups)
    figures = routing_figures(ctx, traffic, ("minimal", "valiant", "ideal"))
    n = arrays.num_switches
    assert figures["valiant"].value == pytest.approx(figures["minimal"].value * n / (2 * (n - 1)), rel=1e-9)
    ideal = figures["ideal"]
    assert ideal.upper is not None and ideal.upper >= 0.99  # a balanced dragonfly carries uniform traffic in full
    assert 0.35 <= figures["valiant"].value / ideal.upper <= 0.5


def test_rotation_and_proportional_paths_equal_every_source(monkeypatch):
    """Palmtree dragonfly, forced past the all-source size: minimal loads from one group summed over the
    rotation, and Valiant from the scaled uniform loads, equal routing every source."""
    topo = df(p=2, a=4, h=2, g=9, arrangement="palmtree")
    full_ctx, arrays = context(topo)
    expected = {p: routing_figures(full_ctx, make_traffic(p, arrays, full_ctx.groups), ("minimal", "valiant"))
                for p in ("uniform", "shift")}
    monkeypatch.setattr(routing, "MAX_EXACT_SOURCES", 0)
    ctx, _ = context(topo)
    assert ctx.rotation == 4
    for pattern, want in expected.items():
        got = routing_figures(ctx, make_traffic(pattern, arrays, ctx.groups), ("minimal", "valiant"))
        for name in ("minimal", "valiant"):
            assert got[name].kind is BoundKind.EXACT
            assert got[name].value == pytest.approx(want[name].value, rel=1e-9), (pattern, name)


def test_grouped_bounds_past_the_all_source_size(monkeypatch):
    """Consecutive arrangement, forced past the all-source size: no rotation, so the figures are upper
    bounds from whole groups, at least the every-source figures."""
    topo = df(p=2, a=4, h=2, g=9)
    full_ctx, arrays = context(topo)
    moe = moe_for(arrays)
    expected = {p: routing_figures(full_ctx, make_traffic(p, arrays, full_ctx.groups, moe), ROUTINGS[:3])
                for p in ("uniform", "shift", "moe")}
    monkeypatch.setattr(routing, "MAX_EXACT_SOURCES", 0)
    ctx, _ = context(topo)
    assert ctx.rotation is None
    for pattern, want in expected.items():
        got = routing_figures(ctx, make_traffic(pattern, arrays, ctx.groups, moe), ROUTINGS[:3])
        for name in ROUTINGS[:3]:
            assert got[name].kind in (BoundKind.UPPER_BOUND, BoundKind.ESTIMATE), (pattern, name)
            if got[name].kind is BoundKind.UPPER_BOUND:
                assert got[name].value >= want[name].value - 1e-9, (pattern, name)


def test_rotation_refused_when_it_is_no_automorphism():
    topo = df(p=2, a=4, h=2, g=9)  # consecutive: moving every group on is not an automorphism
    arrays = topo.build()
    ctx = RoutingContext(arrays, RATE, RATE, topo.valiant_weights(arrays), topo.valiant_groups(arrays), 4)
    assert ctx.rotation is None


def test_valiant_intermediates_default_to_the_top_tier():
    tree = FatTree.from_parameters(FatTreeParameters(k=4, tiers=2), 64)
    arrays = tree.build()
    weights = tree.valiant_weights(arrays)
    spines = arrays.roles == "spine"
    assert weights.sum() == pytest.approx(1.0) and (weights[~spines] == 0).all() and len(set(weights[spines])) == 1
    fly = df(p=2, a=4, h=2, g=9)
    assert np.allclose(fly.valiant_weights(fly.build()), 1 / 36)


def test_shift_pattern_moves_every_group_on():
    topo = df(p=2, a=4, h=2, g=5)
    arrays = topo.build()
    traffic = make_traffic("shift", arrays, topo.valiant_groups(arrays))
    coo = traffic.demand.tocoo()
    assert ((arrays.pods[coo.col] - arrays.pods[coo.row]) % 5 == 1).all()
    assert traffic.demand.sum() == arrays.num_endpoints


@pytest.mark.slow
def test_table3_dragonfly_uniform_figures():
    """Table 3's DF design: the ideal lies in [c(W-1)/(r C), the group-halves cut bound], 0.1% apart;
    Valiant is n/(2(n-1)) of the minimal bound (both bounds from whole sampled groups), and the adaptive
    mix keeps the minimal routes."""
    from topoctl.metrics.throughput import bisection_bound

    topo = df(p=16, a=32, h=16, g=511)
    arrays = topo.build()
    cut = bisection_bound(arrays.num_endpoints, topo.bisection().links, RATE, RATE)
    ctx, _ = context(topo, uniform_upper=cut)
    figures = routing_figures(ctx, make_traffic("uniform", arrays, ctx.groups), ROUTINGS)
    ideal = figures["ideal"]
    assert ideal.lower == pytest.approx((arrays.num_endpoints - 1) / topo.congestion())
    assert ideal.upper == pytest.approx(cut.value) and ideal.upper - ideal.lower < 1.5e-3
    assert figures["minimal"].value == pytest.approx(0.586049, abs=1e-6)
    n = arrays.num_switches
    assert figures["valiant"].value == pytest.approx(figures["minimal"].value * n / (2 * (n - 1)))
    assert figures["adaptive"].value == pytest.approx(figures["minimal"].value)
    assert {figures[r].kind for r in ROUTINGS[:3]} == {BoundKind.UPPER_BOUND}
