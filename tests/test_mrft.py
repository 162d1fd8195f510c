"""Multi-rail fat trees: the DeepSeek-V3 paper's MRFT sizes, closed forms against built graphs, rails."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan
from topoctl.spec import DesignSpec
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.mrft import MultiRailFatTree, MultiRailFatTreeParameters

from bisection_oracle import exact_bisections


def mrft(radix: int = 64, **params) -> MultiRailFatTree:
    return MultiRailFatTree.from_parameters(MultiRailFatTreeParameters(**params), radix)


def test_paper_2048_gpu_mrft_is_the_two_tier_tree_with_rail_aligned_leaves():
    topo = mrft(k=64, endpoints=2048)
    counts = topo.counts()
    assert counts.num_switches_by_role == {"leaf": 64, "spine": 32}
    assert (counts.num_switch_links, counts.num_endpoints) == (2048, 2048)
    assert topo.leaves_per_rail == 8 and topo.diameter_hops() == 2
    ft2 = FatTree.from_parameters(FatTreeParameters(k=64, tiers=2), 64)
    assert topo.bisection().links == ft2.bisection().links == 1024  # k^2/4
    assert nx.is_isomorphic(topo.build().to_networkx(), ft2.build().to_networkx())
    assert mrft(k=64).num_endpoints == 2048  # the default: k*d = k^2/2 with 8 rails dividing k


def test_16384_gpus_on_64_port_switches_need_three_tiers():
    with pytest.raises(SpecError) as info:
        mrft(k=64, endpoints=16384)
    assert info.value.path == "endpoints" and "2-tier multi-rail maximum 2048" in info.value.message
    topo = mrft(k=64, tiers=3, endpoints=16384)
    assert topo.counts().num_switches_by_role == {"leaf": 512, "spine": 512, "core": 256}
    assert topo.counts().num_switch_links == 32768 and topo.diameter_hops() == 4
    assert topo.tree.num_pods == 16 and topo.bisection().links == 8192  # non-blocking: N/2
    assert mrft(k=64, tiers=3).num_endpoints == 64**3 // 4


@pytest.mark.parametrize("k, g", [(8, 2), (8, 4), (12, 3), (16, 8), (64, 8), (64, 16)])
def test_maximum_endpoints(k, g):
    """Two tiers: G*floor(k/G)*d; three: G*k*floor(k/(2G))*d; one more node is refused."""
    for tiers in (2, 3):
        if tiers == 3 and g > k // 2:
            continue
        d = k // 2
        most = g * (k // g) * d if tiers == 2 else g * k * ((k // 2) // g) * d
        assert mrft(k, k=k, tiers=tiers, endpoints_per_node=g).num_endpoints == most
        with pytest.raises(SpecError):
            mrft(k, k=k, tiers=tiers, endpoints_per_node=g, endpoints=most + g)


CASES = [
    dict(endpoints_per_node=2, k=4),
    dict(endpoints_per_node=4, k=8, endpoints=12),
    dict(endpoints_per_node=4, k=8, endpoints=28),
    dict(endpoints_per_node=3, k=12, endpoints=51),
    dict(endpoints_per_node=4, k=6, oversubscription=2.0),
    dict(endpoints_per_node=4, k=8, oversubscription=3.0, endpoints=20),
    dict(endpoints_per_node=2, k=8, tiers=3, endpoints=40),
    dict(endpoints_per_node=2, k=8, tiers=3, endpoints=58),
    dict(endpoints_per_node=8, k=16, tiers=3, endpoints=64),
    dict(endpoints_per_node=4, k=16, tiers=3, endpoints=200),
    dict(endpoints_per_node=1, k=4, tiers=3),
]


@pytest.mark.parametrize("params", CASES)
def test_graph_matches_closed_forms(params):
    topo = mrft(params["k"], **params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops()
    g = params["endpoints_per_node"]
    rails = Counter(r for r in graph.labels[0][1].tolist() if r >= 0)
    assert rails == {r: topo.counts().num_switches_by_role["leaf"] // g for r in range(g)}
    for name, rail, held in zip(graph.names, graph.labels[0][1].tolist(), graph.endpoints.tolist(), strict=True):
        assert (rail >= 0) == name.startswith("rail") and (held > 0) <= (rail >= 0)
        if rail >= 0:
            assert name.startswith(f"rail{rail}-leaf-")
    per_rail = [int(graph.endpoints[graph.labels[0][1] == r].sum()) for r in range(g)]
    assert per_rail == [topo.num_endpoints // g] * g  # one endpoint of every node on every rail


@pytest.mark.parametrize("params", [CASES[0], CASES[1], CASES[4], dict(endpoints_per_node=2, k=6, endpoints=10)])
def test_bisection_is_exact(params):
    topo = mrft(params["k"], **params)
    graph = topo.build()
    found = exact_bisections(graph, (1.0, 0.5))
    for link, exact in found.items():
        assert topo.bisection(link).links == pytest.approx(exact), link
    assert topo.bisection().kind == "exact"


def test_same_and_cross_rail_hops():
    """Two tiers: GPUs of one block on one rail share a leaf (0 hops); any other pair is 2 hops apart,
    through any spine. Three tiers: 2 inside a pod whatever the rails, 4 across pods."""
    two = mrft(8, endpoints_per_node=4, k=8, endpoints=28).build().to_networkx()
    hops = dict(nx.all_pairs_shortest_path_length(two))
    assert hops["rail0-leaf-0"]["rail3-leaf-1"] == 2 and hops["rail0-leaf-0"]["rail0-leaf-1"] == 2
    three = mrft(8, endpoints_per_node=2, k=8, tiers=3, endpoints=40).build().to_networkx()
    hops = dict(nx.all_pairs_shortest_path_length(three))
    assert three.nodes["rail0-leaf-0"]["pod"] == three.nodes["rail1-leaf-1"]["pod"] == 0
    assert hops["rail0-leaf-0"]["rail1-leaf-1"] == 2  # same pod, other rail
    assert hops["rail0-leaf-0"]["rail0-leaf-2"] == 4  # same rail, next pod


def test_fault_domains_match_graph_removal():
    topo = mrft(8, endpoints_per_node=4, k=8, oversubscription=3.0, endpoints=20)  # one spine: it splits the tree
    graph = topo.build().to_networkx()
    domains = {d.component: d for d in topo.fault_domains()}
    for role in ("leaf", "spine"):
        worst = max(endpoints_disconnected(graph, [n]) for n, r in graph.nodes(data="role") if r == role)
        assert domains[role].endpoints_disconnected == worst
    assert domains["spine"].endpoints_disconnected == 20 - 5  # all but the busiest leaf's (one per rail)


def test_port_plan_puts_gpu_i_on_rail_i():
    design = resolve(DesignSpec(name="m", family="mrft", switch={"radix": 8},
                                parameters={"endpoints_per_node": 4, "k": 8, "endpoints": 28}))
    plan = PortPlan(design)
    seen: dict[str, set[int]] = {}
    for c in plan.cables():
        if c.link_group == ENDPOINT_LINK_GROUP:
            gpu = int(c.a_port[3:]) - 1
            assert c.z_device.startswith(f"rail{gpu}-leaf-")
            seen.setdefault(c.z_device, set()).add(int(c.a_device[5:]))
    assert seen["rail0-leaf-0"] == seen["rail3-leaf-0"] == {0, 1, 2, 3}  # the same node block on every rail
    assert seen["rail2-leaf-1"] == {4, 5, 6}


@pytest.mark.parametrize(
    "params, radix, path, text",
    [
        (dict(endpoints_per_node=8, endpoints=100), 64, "endpoints", "not a whole number of 8-endpoint nodes"),
        (dict(endpoints_per_node=8, k=6), 6, "endpoints_per_node", "at most 6 with 2 tiers"),
        (dict(endpoints_per_node=8, k=8, tiers=3), 8, "endpoints_per_node", "at most 4 with 3 tiers"),
        (dict(k=128), 64, "k", "exceeds the switch radix 64"),
        (dict(k=64, oversubscription=5.0), 64, "oversubscription", "does not split k=64"),
    ],
)
def test_invalid_parameters(params, radix, path, text):
    with pytest.raises(SpecError) as info:
        mrft(radix, **params)
    assert info.value.path == path and text in info.value.message


def test_descriptions_are_singular_for_one():
    from types import SimpleNamespace

    assert "1 rail of 8 leaves," in mrft(8, endpoints_per_node=1).variant
    one = SimpleNamespace(tiers=3, decided=False, shape={"g": 1, "per_rail": 1, "down": 1, "up": 1, "k": 2},
                          size={"leaves": 1, "pods": 1, "core_groups": 1, "spines": 1})
    note = MultiRailFatTree.sizing_note(one)
    assert note == "1 rail of 1 endpoint on 1 leaf each (1 down, 1 up) in 1 pod of 1 spine, 1 x 1 core", note
    assert MultiRailFatTree.sizing_label(one) == "3-tier, 1 rail, 1:1 on k=2"
    one = SimpleNamespace(tiers=2, decided=False, shape=one.shape, size=one.size)
    assert MultiRailFatTree.sizing_note(one).endswith("1 shared spine")


# -- explicit constructions (parameters.construction) -------------------------------------------------
def built(radix: int, endpoints_per_node: int, construction: dict, **params) -> MultiRailFatTree:
    return mrft(radix, endpoints_per_node=endpoints_per_node, tiers=3, construction=construction, **params)


SMALL = dict(pods=2, edges_per_pod=2, aggregations_per_pod=2, edge_aggregation_links=2,
             aggregations_per_core_group=2, cores_per_group=2, aggregation_core_links=2)
# 10,000 GPUs in 8-GPU nodes on 64 ports: what sizing decides (fat_tree's mirrored 811-switch shape, 16 edges
# per pod, 2 leaves of each rail)
DECIDED_10000 = dict(pods=21, edges_per_pod=16, aggregations_per_pod=15, edge_aggregation_links=2,
                     aggregations_per_core_group=3, cores_per_group=32, aggregation_core_links=1)


@pytest.mark.parametrize("g, construction, endpoints, radix", [
    (2, SMALL, 14, 8),  # blocks of 4 and 3 nodes
    (2, dict(SMALL, aggregations_per_core_group=1, cores_per_group=1, aggregation_core_links=4), 12, 8),
    (4, dict(pods=2, edges_per_pod=4, aggregations_per_pod=1, cores_per_group=2, aggregation_core_links=2), 24, 8),
    (1, dict(pods=3, edges_per_pod=1, aggregations_per_pod=3, aggregations_per_core_group=3, cores_per_group=1,
             aggregation_core_links=1), 7, 9),
])
def test_constructions_match_the_exhaustive_cut_and_are_rail_aligned(g, construction, endpoints, radix):
    """Counts against the graph (check_graph), the closed-form bisection against every cut of the built graph
    (endpoint links at 1, 1/2 and 2 cables), every rail with the same blocks, and every pod whole nodes."""
    topo = built(radix, g, construction, endpoints=endpoints)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops() == 4
    for rho, cut in exact_bisections(graph, (1.0, 0.5, 2.0)).items():
        assert topo.bisection(rho).links == pytest.approx(cut), rho
    rail = graph.labels[0][1]
    per_pod_rail = Counter((int(p), int(r)) for p, r in zip(graph.pods, rail, strict=True) if r >= 0)
    q = construction["edges_per_pod"] // g
    assert per_pod_rail == {(p, r): q for p in range(construction["pods"]) for r in range(g)}
    loads = {r: sorted(int(x) for x, y in zip(graph.endpoints, rail, strict=True) if y == r) for r in range(g)}
    assert all(loads[r] == loads[0] for r in range(g)) and sum(loads[0]) * g == endpoints


def test_the_leaf_split_tree_is_the_construction_it_generalises():
    """The three-tier tree of the leaf split is the construction with m1 = 1, A = u, h = 1, C = the tree's
    cores per group, m2 = E/C: the same switch graph, names and bundles."""
    for params in (dict(endpoints_per_node=2, k=8, tiers=3, endpoints=40), CASES[8], CASES[9]):
        split = mrft(params["k"], **params)
        t = split.tree
        construction = dict(pods=t.num_pods, edges_per_pod=t.edges_in_pod, aggregations_per_pod=t.up,
                            edge_aggregation_links=1, aggregations_per_core_group=1, cores_per_group=t.cores_per_group,
                            aggregation_core_links=t.edges_in_pod // t.cores_per_group)
        if t.num_pods < 2:
            continue  # a construction has two pods or more
        same = mrft(params["k"], endpoints_per_node=params["endpoints_per_node"], k=params["k"], tiers=3,
                    endpoints=params["endpoints"], construction=construction)
        a, b = split.build(), same.build()
        assert a.names == b.names and a.roles.tolist() == b.roles.tolist()
        assert (a.edge_u.tolist(), a.edge_v.tolist(), a.edge_count.tolist()) == (
            b.edge_u.tolist(), b.edge_v.tolist(), b.edge_count.tolist())
        assert split.bisection().links == same.bisection().links


def test_10000_gpus_on_811_switches_have_full_bisection_on_the_built_graph():
    """The decided 10,000-GPU tree: counts against the graph, and full bisection proven on the graph by even
    spreading (every leaf's endpoints at most its cables up, every spine's share from its leaves at most its
    cables up: the hose model fits, Leiserson 1985) and by max-flow across a balanced split of the rails."""
    topo = built(64, 8, DECIDED_10000, k=64, endpoints=10000)
    graph = topo.build()
    check_graph(topo, graph)
    counts = topo.counts()
    assert counts.num_switches_by_role == {"leaf": 336, "spine": 315, "core": 160}
    assert counts.num_switch_links == 20160 and topo.bisection().links == 5000 and topo.leaves_per_rail == 42
    roles, up_ports = graph.roles, np.zeros(graph.num_switches, dtype=np.int64)
    upward = {("leaf", "spine"), ("spine", "core")}
    received = np.zeros(graph.num_switches)
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        low = u if (roles[u], roles[v]) in upward else v
        up_ports[low] += c
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        if {roles[u], roles[v]} == {"leaf", "spine"}:
            leaf, spine = (u, v) if roles[u] == "leaf" else (v, u)
            received[spine] += graph.endpoints[leaf] * c / up_ports[leaf]
    leaves, spines = roles == "leaf", roles == "spine"
    assert (graph.endpoints[leaves] <= up_ports[leaves]).all()
    assert (received[spines] <= up_ports[spines] + 1e-9).all()
    # max-flow: rails 0-3 send 5,000 endpoints' worth to rails 4-7 (every leaf one side or the other)
    flow = nx.DiGraph()
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        flow.add_edge(graph.names[u], graph.names[v], capacity=c)
        flow.add_edge(graph.names[v], graph.names[u], capacity=c)
    for name, rail, held in zip(graph.names, graph.labels[0][1].tolist(), graph.endpoints.tolist(), strict=True):
        if held:
            flow.add_edge(*(("source", name) if rail < 4 else (name, "sink")), capacity=held)
    assert nx.maximum_flow_value(flow, "source", "sink") == 5000


def test_sizing_decides_the_rail_aligned_construction():
    """10,000 GPUs in 8-GPU nodes on 64-port switches, one plane: the leaf-split multi-rail trees need 896
    switches (8 rails of 40 leaves, 32:32); the solver's construction 811, edges per pod a multiple of 8,
    rebuilt through the spec path and checked (topoctl.optimize.result.check). 16,384 GPUs (the paper's
    scale) stay on the leaf-split tree's 1,280 switches: no construction goes below (the decided candidate's
    lower bound, ports n + 4*L*u over k with L*u >= 16,384 uplinks for full bisection)."""
    from topoctl.optimize import parse_requirement, size
    from topoctl.topologies.sizing import Prices

    fields = {"endpoints": 10000, "endpoints_per_node": 8, "families": ["mrft"], "max_planes": 1}
    best = size(parse_requirement(fields, "test")).best
    design = best.design
    assert best.solution.candidate.decided and design.counts.num_switches == 811
    construction = design.topology.parameters()["construction"]
    assert construction["edges_per_pod"] % 8 == 0 and construction["pods"] == 21
    check_graph(design.topology, design.topology.build())

    req = parse_requirement({**fields, "endpoints": 16384}, "test")
    switch = req.switch_configs()[0]
    prices = Prices(4_900_000, 30_000, 16_000, 180_000)
    decided = [c for c in MultiRailFatTree.candidates(req.sizing_request(), switch, prices) if c.decided]
    assert len(decided) == 1 and decided[0].lower_bound[0] == 1280 == decided[0].num_switches
    assert size(req).best.design.counts.num_switches == 1280


@pytest.mark.parametrize("changes, params, path, words", [
    (dict(edges_per_pod=3, edge_aggregation_links=1), {}, "construction.edges_per_pod", "not a multiple of endpoints_per_node=2"),
    ({}, dict(endpoints=13), "endpoints", "not a whole number of 2-endpoint nodes"),
    ({}, dict(tiers=2), "tiers", "set tiers: 3"),
    ({}, dict(oversubscription=1.0), "oversubscription", "leave oversubscription out"),
    (dict(cores_per_group=1), {}, "construction.cores_per_group", "ports down but"),
])
def test_bad_constructions_name_the_field(changes, params, path, words):
    with pytest.raises(SpecError) as info:
        mrft(8, **{"endpoints_per_node": 2, "tiers": 3, "endpoints": 14, "construction": {**SMALL, **changes}, **params})
    assert info.value.path == path and words in info.value.message, info.value.message
