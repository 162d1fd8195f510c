"""Multi-rail fat trees: the DeepSeek-V3 paper's MRFT sizes, closed forms against built graphs, rails."""

from __future__ import annotations

from collections import Counter

import networkx as nx
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
