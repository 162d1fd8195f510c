"""Multi-plane fat trees: P disjoint planes, deployed (one port) and ideal (a port in every plane)."""

from __future__ import annotations

import networkx as nx
import pytest

from topoctl.errors import SpecError
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree, MultiplaneFatTreeParameters


def mpft(radix: int = 64, **params) -> MultiplaneFatTree:
    return MultiplaneFatTree.from_parameters(MultiplaneFatTreeParameters(**params), radix)


def test_paper_mpft_counts():
    topo = mpft(planes=8, k=64, tiers=2)
    counts = topo.counts()
    assert counts.num_endpoints == 16_384 and counts.num_switches == 768 and counts.num_switch_links == 16_384
    assert counts.num_switches_by_role == {"leaf": 512, "spine": 256}
    assert "deployed" in topo.variant


@pytest.mark.parametrize(
    "params",
    [
        dict(planes=4, k=8, tiers=2, endpoints_per_node=4),
        dict(planes=4, k=8, tiers=2, endpoints_per_node=4, ports_per_endpoint=4),
        dict(planes=4, k=8, tiers=2, endpoints_per_node=4, ports_per_endpoint=2, endpoints=40),
        dict(planes=2, k=8, tiers=3, endpoints_per_node=2, endpoints=100),
    ],
)
def test_graph_matches_closed_forms(params):
    topo = mpft(radix=params["k"], **params)
    graph = topo.build()
    check_graph(topo, graph)
    assert nx.number_connected_components(graph.to_networkx()) == topo.planes
    assert graph.planes.tolist() == [p for p in range(topo.planes) for _ in range(graph.num_switches // topo.planes)]
    assert endpoint_diameter(graph) == topo.diameter_hops()


def test_ideal_variant_survives_a_leaf_failure():
    deployed = {d.component: d for d in mpft(planes=8, k=64).fault_domains()}
    ideal_topo = mpft(planes=8, k=64, ports_per_endpoint=8)
    ideal = {d.component: d for d in ideal_topo.fault_domains()}
    assert deployed["leaf"].endpoints_disconnected == 32 and deployed["plane"].endpoints_disconnected == 2048
    assert ideal["leaf"].endpoints_disconnected == 0 and ideal["leaf"].endpoints_degraded == 32
    assert ideal["plane"].endpoints_disconnected == 0 and ideal["plane"].endpoints_degraded == 2048
    assert ideal_topo.num_endpoints == 2048 and "ideal" in ideal_topo.variant
    assert ideal["endpoint port"].count == 2048 * 8


def test_leaf_fault_matches_graph_removal_per_plane():
    topo = mpft(radix=8, planes=4, k=8, endpoints_per_node=4)
    graph = topo.build().to_networkx()
    leaf = {d.component: d for d in topo.fault_domains()}["leaf"]
    assert leaf.endpoints_disconnected == max(
        endpoints_disconnected(graph, [n]) for n, role in graph.nodes(data="role") if role == "leaf"
    )


def test_bisection_sums_planes():
    topo = mpft(planes=8, k=64)
    assert topo.bisection().links == 8 * 64 * 64 / 4


@pytest.mark.parametrize(
    "params, path, text",
    [
        (dict(planes=8, ports_per_endpoint=3), "ports_per_endpoint", "must divide planes=8"),
        (dict(planes=8, endpoints_per_node=4), "endpoints_per_node", "multiple of planes"),
        (dict(planes=8, endpoints=16_392), "endpoints", "exceed 16384"),
        (dict(planes=8, endpoints=100), "endpoints", "not a whole number of 8-endpoint nodes"),
    ],
)
def test_invalid_parameters(params, path, text):
    with pytest.raises(SpecError) as info:
        mpft(**params)
    assert info.value.path == path and text in info.value.message
