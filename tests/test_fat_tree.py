"""Fat tree closed forms against built graphs, full and partial, with oversubscription."""

from __future__ import annotations

import pytest

from topoctl.errors import SpecError
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters


def tree(radix: int = 64, **params) -> FatTree:
    return FatTree.from_parameters(FatTreeParameters(**params), radix)


@pytest.mark.parametrize("k", [4, 8, 16, 64])
def test_full_two_tier_closed_forms(k):
    counts = tree(k, tiers=2).counts()
    assert counts.num_endpoints == k * k // 2
    assert counts.num_switches == 3 * k // 2
    assert counts.num_switches_by_role == {"leaf": k, "spine": k // 2}
    assert counts.num_switch_links == k * k // 2


@pytest.mark.parametrize("k", [4, 8, 16, 64])
def test_full_three_tier_closed_forms(k):
    counts = tree(k, tiers=3).counts()
    assert counts.num_endpoints == k**3 // 4
    assert counts.num_switches == 5 * k * k // 4
    assert counts.num_switches_by_role == {"edge": k * k // 2, "aggregation": k * k // 2, "core": k * k // 4}
    assert counts.num_switch_links == k**3 // 2


CASES = [
    dict(k=4, tiers=2),
    dict(k=8, tiers=2),
    dict(k=16, tiers=2, endpoints=100),
    dict(k=16, tiers=2, endpoints=7),
    dict(k=16, tiers=2, endpoints=1),
    dict(k=16, tiers=2, oversubscription=3),
    dict(k=16, tiers=2, oversubscription=3, endpoints=150),
    dict(k=12, tiers=2, oversubscription=2, endpoints=77),
    dict(k=4, tiers=3),
    dict(k=8, tiers=3),
    dict(k=8, tiers=3, endpoints=100),
    dict(k=8, tiers=3, endpoints=17),
    dict(k=8, tiers=3, endpoints=3),
    dict(k=8, tiers=3, oversubscription=3),
    dict(k=8, tiers=3, oversubscription=3, endpoints=130),
    dict(k=16, tiers=3, endpoints=1000),
    dict(k=12, tiers=3, endpoints=400),
]


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_graph_matches_closed_forms(params):
    topo = tree(params["k"], **params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops()


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_fault_domains_match_graph_removal(params):
    topo = tree(params["k"], **params)
    graph = topo.build()
    by_role: dict[str, list[str]] = {}
    for node, role in graph.nodes(data="role"):
        by_role.setdefault(role, []).append(node)
    role_of = {"leaf": "leaf", "spine": "spine", "edge": "edge", "aggregation": "aggregation", "core": "core"}
    for domain in topo.fault_domains():
        if domain.component in role_of:
            worst = max(endpoints_disconnected(graph, [n]) for n in by_role[role_of[domain.component]])
            assert domain.endpoints_disconnected == worst, domain
        elif domain.component == "pod":
            pods: dict[int, list[str]] = {}
            for node, pod in graph.nodes(data="pod"):
                if pod is not None:
                    pods.setdefault(pod, []).append(node)
            assert domain.count == len(pods)
            assert domain.endpoints_disconnected == max(endpoints_disconnected(graph, ns) for ns in pods.values())


def test_uplinks_spread_evenly_over_spines():
    # 100 endpoints on k=16: 13 leaves x 8 up = 104 uplinks over 7 spines: 14 or 15 per spine.
    graph = tree(16, tiers=2, endpoints=100).build()
    loads = sorted(sum(e["count"] for e in graph.adj[n].values()) for n in graph if n.startswith("spine"))
    assert loads[-1] - loads[0] <= 1 and sum(loads) == 104


def test_oversubscription_three_to_one():
    topo = tree(64, tiers=2, oversubscription=3)
    assert (topo.down, topo.up) == (48, 16)
    report = topo.parameters()
    assert report["oversubscription"] == 3
    assert topo.bisection().links / (topo.num_endpoints / 2) == pytest.approx(1 / 3)


def test_partial_population_uses_fewest_switches():
    counts = tree(64, tiers=2, endpoints=1000).counts()
    # ceil(1000/32) = 32 leaves, ceil(32*32/64) = 16 spines
    assert counts.num_switches_by_role == {"leaf": 32, "spine": 16}
    counts = tree(64, tiers=3, endpoints=10_000).counts()
    # 313 edges over 10 pods, 32 aggregation switches each, 32 core groups of ceil(313/64) = 5
    assert counts.num_switches_by_role == {"edge": 313, "aggregation": 320, "core": 160}


def test_bisection_closed_form_full_trees():
    assert tree(64, tiers=2).bisection().links == 64 * 64 / 4
    three = tree(64, tiers=3).bisection()
    assert three.links == 64**3 / 8 and three.exact


@pytest.mark.parametrize(
    "params, path, text",
    [
        (dict(k=64, tiers=2, endpoints=2049), "endpoints", "exceed the 2-tier maximum 2048"),
        (dict(k=128, tiers=2), "k", "exceeds the switch radix 64"),
        (dict(k=64, tiers=2, oversubscription=2.5), "oversubscription", "valid ratios include"),
        (dict(k=63, tiers=3), "k", "must be even"),
    ],
)
def test_invalid_parameters(params, path, text):
    with pytest.raises(SpecError) as info:
        tree(64, **params)
    assert info.value.path == path and text in info.value.message
