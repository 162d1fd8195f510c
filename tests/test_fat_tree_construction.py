"""Explicit three-tier constructions (FatTree.Parameters.construction): counts against the built graph,
the closed-form bisection against an exhaustive cut and max-flow on the graph, and bad input."""

from __future__ import annotations

import random

import numpy as np
import pytest

from topoctl.errors import SpecError
from topoctl.topologies.check import check_graph
from topoctl.topologies.fat_tree import FatTree

from bisection_oracle import exact_bisections

SHAPE_811 = dict(pods=21, edges_per_pod=15, aggregations_per_pod=16, edge_aggregation_links=2,
                 cores_per_group=10, aggregation_core_links=3)
MIRROR_811 = dict(pods=21, edges_per_pod=16, aggregations_per_pod=15, edge_aggregation_links=2,
                  aggregations_per_core_group=3, cores_per_group=32, aggregation_core_links=1)


def tree(radix, construction, **params):
    return FatTree.from_parameters(FatTree.Parameters(tiers=3, construction=construction, **params), radix=radix)


@pytest.mark.parametrize("construction, endpoints, radix", [
    (dict(pods=2, edges_per_pod=2, aggregations_per_pod=2, edge_aggregation_links=2, cores_per_group=2,
          aggregation_core_links=2), 13, 8),
    (dict(pods=2, edges_per_pod=2, aggregations_per_pod=2, aggregations_per_core_group=2, cores_per_group=1,
          aggregation_core_links=2), 20, 8),
    (dict(pods=2, edges_per_pod=1, aggregations_per_pod=3, aggregations_per_core_group=3, cores_per_group=1,
          aggregation_core_links=1), 5, 6),
])
def test_small_constructions_match_the_exhaustive_cut(construction, endpoints, radix):
    t = tree(radix, construction, endpoints=endpoints)
    graph = t.build()
    check_graph(t, graph)  # counts, roles, ports within the radix, endpoints
    exact = exact_bisections(graph, (1.0, 0.5, 2.0))
    for rho, cut in exact.items():
        assert t.bisection(rho).links == pytest.approx(cut), rho


@pytest.mark.parametrize("construction", [SHAPE_811, MIRROR_811])
def test_10000_endpoints_on_811_switches_have_full_bisection_on_the_built_graph(construction):
    """Two proofs on the graph itself. Even spreading: every edge sends its endpoints' traffic evenly over
    its cables up, every aggregation switch its pod's outgoing share evenly over its core cables; with
    every endpoint sending and receiving at most its line rate (the hose model) no cable carries more
    than its capacity, so by max-flow min-cut every balanced cut holds floor(N/2) (Leiserson 1985).
    Max-flow: for balanced endpoint splits, the flow from one half to the other is floor(N/2)."""
    import networkx as nx

    t = tree(64, construction, endpoints=10000)
    graph = t.build()
    check_graph(t, graph)
    assert t.counts().num_switches == 811 and t.counts().num_switch_links == 20160
    roles, counts = graph.roles, graph.edge_count
    up_ports = np.zeros(len(roles), dtype=np.int64)  # cables to the tier above
    for u, v, c in zip(graph.edge_u, graph.edge_v, counts, strict=True):
        low, high = (u, v) if (roles[u], roles[v]) in {("edge", "aggregation"), ("aggregation", "core")} else (v, u)
        up_ports[low] += c
    edges = roles == "edge"
    assert (graph.endpoints[edges] <= up_ports[edges]).all()  # an edge's load per uplink <= 1
    # an aggregation switch receives at most sum(endpoints * m1 / u) from its pod's edges
    received = np.zeros(len(roles))
    for u, v, c in zip(graph.edge_u, graph.edge_v, counts, strict=True):
        if {roles[u], roles[v]} == {"edge", "aggregation"}:
            edge, agg = (u, v) if roles[u] == "edge" else (v, u)
            received[agg] += graph.endpoints[edge] * c / up_ports[edge]
    aggs = roles == "aggregation"
    assert (received[aggs] <= up_ports[aggs] + 1e-9).all()
    assert t.bisection(1.0).links == 5000

    g = graph.to_networkx()
    names = graph.names
    half = 5000
    rng = random.Random(1)
    order_by_pod = [i for i in range(len(names)) if graph.endpoints[i]]
    for order in (order_by_pod, sorted(order_by_pod, key=lambda i: -graph.endpoints[i]),
                  rng.sample(order_by_pod, len(order_by_pod))):
        flow = nx.DiGraph()
        for u, v, data in g.edges(data=True):
            flow.add_edge(u, v, capacity=data["count"])
            flow.add_edge(v, u, capacity=data["count"])
        left = half
        for i in order:
            x = min(left, int(graph.endpoints[i]))
            left -= x
            if x:
                flow.add_edge("source", names[i], capacity=x)
            if graph.endpoints[i] - x:
                flow.add_edge(names[i], "sink", capacity=int(graph.endpoints[i]) - x)
        assert nx.maximum_flow_value(flow, "source", "sink") == half


@pytest.mark.parametrize("changes, path, words", [
    (dict(aggregations_per_core_group=3), "construction.aggregations_per_core_group", "must divide"),
    (dict(cores_per_group=7), "construction.cores_per_group", "ports down but"),
    (dict(cores_per_group=20), "construction.cores_per_group", "more than k=64"),
    (dict(pods=22), "construction.pods", "a core needs"),
    (dict(aggregations_per_pod=32), "construction.aggregations_per_pod", "no port for endpoints"),
])
def test_bad_constructions_name_the_field(changes, path, words):
    with pytest.raises(SpecError) as err:
        tree(64, {**SHAPE_811, **changes}, endpoints=10000)
    assert err.value.path == path and words in str(err.value)


def test_construction_needs_three_tiers_and_no_oversubscription():
    with pytest.raises(SpecError, match="set tiers: 3"):
        FatTree.from_parameters(FatTree.Parameters(tiers=2, construction=SHAPE_811), radix=64)
    with pytest.raises(SpecError, match="leave oversubscription out"):
        FatTree.from_parameters(FatTree.Parameters(tiers=3, oversubscription=1.0, construction=SHAPE_811), radix=64)
    with pytest.raises(SpecError, match="exceeds k=64"):
        tree(64, SHAPE_811, endpoints=10081)
    with pytest.raises(SpecError, match="empty"):
        tree(64, SHAPE_811, endpoints=300)
