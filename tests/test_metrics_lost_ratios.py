"""Closed-form bisection_lost_ratio of the default report, checked on the built graphs: the explicit
cut is laid on the graph and every switch's crossing cables counted."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from topoctl.design import load_designs
from topoctl.metrics.analysis import summary_lost_ratios
from topoctl.report import design_report
from topoctl.spec import builtin_spec_path
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters


def crossing_by_switch(graph, side_a):
    per_switch, total = Counter(), 0
    for u, v, data in graph.edges(data=True):
        if side_a(u, graph.nodes[u]) != side_a(v, graph.nodes[v]):
            per_switch[u] += data["count"]
            per_switch[v] += data["count"]
            total += data["count"]
    return per_switch, total


def fat_tree_half_cut(tree: FatTree):
    """Half the leaves (half the pods) and half of every tier above on side A."""
    if tree.tiers == 2:
        def side(name, data):
            index = int(name.rsplit("-", 1)[1])
            return index < (tree.num_leaves if data["role"] == "leaf" else tree.num_spines) // 2
        return side
    if tree.num_pods == 1:
        def side(name, data):
            index = int(name.rsplit("-", 1)[1])
            if data["role"] == "edge":
                return index < tree.num_leaves // 2
            if data["role"] == "aggregation":
                return index < tree.up // 2
            return int(name.split("-")[1]) < tree.up // 2  # a core sits with its aggregation
        return side

    def side(name, data):
        if data["role"] == "core":
            return int(name.rsplit("-", 1)[1]) < tree.cores_per_group // 2
        return data["pod"] < tree.num_pods // 2
    return side


@pytest.mark.parametrize(
    "params",
    [dict(k=8, tiers=2), dict(k=16, tiers=2, oversubscription=3), dict(k=8, tiers=3), dict(k=8, tiers=3, endpoints=64),
     dict(k=8, tiers=3, endpoints=16)],
)
def test_fat_tree_shares_match_the_cut_on_the_graph(params):
    tree = FatTree.from_parameters(FatTreeParameters(**params), 64)
    shares = tree.bisection_shares()
    graph = tree.build().to_networkx()
    per_switch, total = crossing_by_switch(graph, fat_tree_half_cut(tree))
    assert total == tree.bisection().links
    by_role = defaultdict(set)
    for name, data in graph.nodes(data=True):
        by_role[data["role"]].add(per_switch[name])
    for role, (share, exact) in shares.items():
        if role == "pod":
            pods, side = Counter(), fat_tree_half_cut(tree)
            for u, v, data in graph.edges(data=True):
                if side(u, graph.nodes[u]) != side(v, graph.nodes[v]):
                    for pod in {graph.nodes[w].get("pod") for w in (u, v)} - {None}:
                        pods[pod] += data["count"]
            assert exact and max(pods.values()) / total == pytest.approx(share)
            continue
        assert exact, role
        assert len(by_role[role]) == 1, f"{role} switches carry unequal shares"
        assert max(by_role[role]) / total == pytest.approx(share)


def test_odd_spine_count_is_an_estimate():
    tree = FatTree.from_parameters(FatTreeParameters(k=12, tiers=2, endpoints=12), 64)  # 2 leaves, 1 spine
    assert tree.num_spines == 1 and tree.bisection().exact
    assert tree.bisection_shares() == {"leaf": (0.5, False), "spine": (1.0, True)}


@pytest.mark.parametrize(
    "params",
    [dict(p=2, a=4, h=2, g=9), dict(p=2, a=4, h=2, g=8), dict(p=3, a=5, h=2, g=7), dict(p=2, a=3, h=1, g=4),
     dict(p=2, a=4, h=2, g=6), dict(p=2, a=4, h=2, g=5), dict(p=1, a=12, h=3, g=7), dict(p=1, a=1, h=1, g=2),
     dict(p=3, a=6, h=3, g=19), dict(p=2, a=7, h=3, g=12), dict(p=1, a=5, h=4, g=11)],
)
def test_dragonfly_shares_match_the_cut_on_the_graph(params):
    df = Dragonfly.from_parameters(DragonflyParameters(**params), 64)
    a, g = df.a, df.g
    in_a, middle = (a + 1) // 2, (g - 1) // 2

    def side(name, data):
        grp, index = data["group"], int(name.split("sw")[1])
        if g % 2 == 0:
            return grp < g // 2
        return grp < middle or (grp == middle and index < in_a)

    graph = df.build().to_networkx()
    per_switch, total = crossing_by_switch(graph, side)
    assert total == df.switch_cut()
    per_group = Counter()
    for u, v, data in graph.edges(data=True):
        if side(u, graph.nodes[u]) != side(v, graph.nodes[v]):
            for grp in {graph.nodes[u]["group"], graph.nodes[v]["group"]}:
                per_group[grp] += data["count"]
    shares = df.bisection_shares()
    assert shares["switch"] == (pytest.approx(max(per_switch.values()) / total), True)
    assert shares["group"] == (pytest.approx(max(per_group.values()) / total), True)
    assert shares["global link"][0] == pytest.approx(1 / total)


@pytest.mark.parametrize("q", [5, 7, 8])
def test_slim_fly_switch_has_one_cable_to_each_column_of_the_other_subgraph(q):
    graph = SlimFly.from_parameters(SlimFlyParameters(q=q), 64).build().to_networkx()
    for name in graph.nodes:
        s = name.split("-")[0]
        columns = [int(other.split("-")[1]) for other in graph.adj[name] if other.split("-")[0] != s]
        assert sorted(columns) == list(range(q))


def test_table3_report_ratios_and_method():
    _, designs = load_designs(builtin_spec_path())
    by_name = {d.name: d for d in designs}
    ratios, method = summary_lost_ratios(by_name["FT3"])
    assert ratios == pytest.approx({"endpoint port": 0.0, "edge": 0.0, "aggregation": 1 / 2048, "core": 1 / 1024,
                                    "pod": 1 / 64})
    assert "exact by symmetry" in method and "estimate" not in method
    ratios, _ = summary_lost_ratios(by_name["MPFT"])
    assert ratios["spine"] == pytest.approx(1 / 256) and ratios["plane"] == 0.125
    ratios, _ = summary_lost_ratios(by_name["DF"])
    assert ratios["group"] == pytest.approx(256 / 65282) and ratios["switch"] == pytest.approx(16 / 65282)
    ratios, _ = summary_lost_ratios(by_name["SF"])
    assert ratios["switch"] == pytest.approx(14 / 10976)
    report = design_report(by_name["DF"])
    assert report.fault_domains_method.startswith("closed form")
    # the report publishes each share to 6 decimals
    assert {d["component"]: d["bisection_lost_ratio"] for d in report.as_dict()["fault_domains"]}["group"] == round(256 / 65282, 6)
