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
    dict(k=64, tiers=2, endpoints=1500),
    dict(k=4, tiers=3),
    dict(k=8, tiers=3),
    dict(k=8, tiers=3, endpoints=100),
    dict(k=8, tiers=3, endpoints=17),
    dict(k=8, tiers=3, endpoints=3),
    dict(k=8, tiers=3, oversubscription=3),
    dict(k=8, tiers=3, oversubscription=3, endpoints=130),
    dict(k=16, tiers=3, endpoints=1000),
    dict(k=12, tiers=3, endpoints=400),
    # spines as given: more than the fewest, and (on a wider radix, a larger spine model) more leaves than k
    dict(k=16, tiers=2, endpoints=100, spines=8),
    dict(k=8, tiers=2, endpoints=12, spines=4),
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
    graph = topo.build().to_networkx()
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


def test_every_leaf_has_the_same_links_to_every_spine():
    # 100 endpoints on k=16: 13 leaves x 8 up; 7 spines would fit the ports, but 8 divides the uplinks
    graph = tree(16, tiers=2, endpoints=100).build().to_networkx()
    spines = [n for n in graph if n.startswith("spine")]
    assert len(spines) == 8
    assert {graph.adj[leaf][spine]["count"] for leaf in graph if leaf.startswith("leaf") for spine in spines} == {1}


def test_every_aggregation_switch_has_the_same_links_to_every_core_of_its_group():
    topo = tree(64, tiers=3, endpoints=10_000)
    graph = topo.build().to_networkx()
    counts = {
        data["count"] for u, v, data in graph.edges(data=True) if data["link_group"] == "aggregation-core"
    }
    assert counts == {topo.edges_in_pod // topo.cores_per_group}
    for node, role in graph.nodes(data="role"):
        if role == "aggregation":
            assert len(graph.adj[node]) - topo.edges_in_pod == topo.cores_per_group


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
    # ceil(10000/32) = 313 edges need 10 pods, so 32 edges in each; 32 aggregation switches per pod;
    # 32 core groups of 8, the smallest divisor of 32 with 8 x 64 >= 10 x 32 ports
    assert counts.num_switches_by_role == {"edge": 320, "aggregation": 320, "core": 256}
    counts = tree(64, tiers=2, endpoints=1500).counts()
    # 47 leaves x 32 uplinks fit 24 spines' ports, but 24 does not divide 32: 32 spines
    assert counts.num_switches_by_role == {"leaf": 47, "spine": 32}


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_bisection_bound_is_not_refuted_by_metis(params):
    # METIS finds a balanced cut; the true minimum lies between the closed form and that cut
    from topoctl.metrics.bisection import metis_bisection

    topo = tree(params["k"], **params)
    if topo.num_leaves < 2:
        return
    cut, _, imbalance = metis_bisection(topo.build())
    bisection = topo.bisection()
    # METIS's partition with its `imbalance` leftover endpoints placed across (one cable each at r = c)
    # is a balanced cut, so the exact minimum is at most that
    assert bisection.exact and bisection.links <= cut + imbalance + 1e-9
    if topo.half_cut_is_bisection():
        assert bisection.links == cut or imbalance > 0


@pytest.mark.parametrize(
    "params",
    [dict(k=64, tiers=2, endpoints=1500), dict(k=64, tiers=3, endpoints=10_000), dict(k=16, tiers=2, endpoints=100)],
)
def test_partial_trees_keep_full_bisection(params):
    bisection = tree(params["k"], **params).bisection()
    assert bisection.links >= params["endpoints"] / 2
    assert bisection.kind in ("exact", "lower_bound")


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
        (dict(k=64, tiers=2, spines=5), "spines", "valid: 1, 2, 4, 8, 16, 32"),
        (dict(k=64, tiers=3, spines=4), "spines", "a three-tier tree takes a construction"),
        (dict(k=16, tiers=2, spines=2, endpoints=300), "endpoints",
         "a spine of 64 ports takes at most 16 at 4 cable(s) each: use at most 128 endpoints"),
    ],
)
def test_invalid_parameters(params, path, text):
    with pytest.raises(SpecError) as info:
        tree(64, **params)
    assert info.value.path == path and text in info.value.message


def test_spines_given_take_more_leaves_than_k_on_a_wider_radix():
    """16-port leaves (8:8) under spines of a 64-port model: 8 spines, 1 cable from each leaf, 64 leaves
    (512 endpoints; the fewest spines on k=16 take 16 leaves at most), its bisection full and the busiest
    spine 64 ports."""
    topo = tree(64, k=16, tiers=2, endpoints=512, spines=8)
    counts = topo.counts()
    assert counts.num_switches_by_role == {"leaf": 64, "spine": 8}
    assert topo.ports_by_role() == {"leaf": 16, "spine": 64}
    assert topo.parameters()["spines"] == 8 and "8 spines (1 cable from each leaf to each)" in topo.variant
    check_graph(topo, topo.build())
    assert topo.bisection().links == 64 * 8 / 2
