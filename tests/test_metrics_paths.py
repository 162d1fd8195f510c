"""Hop counts and path diversity on built graphs against closed forms."""

from __future__ import annotations

import pytest

from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.paths import path_diversity, path_stats
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters


def test_two_tier_mean_hops_closed_form():
    """Same leaf: 0 hops; otherwise 2: mean = 2 (N - d) / (N - 1)."""
    k = 8
    n, d = k * k // 2, k // 2
    stats = path_stats(to_arrays(FatTree.from_parameters(FatTreeParameters(k=k, tiers=2), 64).build()))
    assert stats.diameter_hops == 2
    assert stats.mean_hops == pytest.approx(2 * (n - d) / (n - 1), abs=1e-6)
    assert stats.method.startswith("exact")


def test_three_tier_mean_hops_closed_form():
    """k = 4: 16 endpoints, 2 per edge, 4 per pod: same edge 0, same pod 2, else 4 hops."""
    n, per_edge, per_pod = 16, 2, 4
    expected = (2 * (per_pod - per_edge) + 4 * (n - per_pod)) / (n - 1)
    stats = path_stats(to_arrays(FatTree.from_parameters(FatTreeParameters(k=4, tiers=3), 64).build()))
    assert stats.diameter_hops == 4
    assert stats.mean_hops == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("q", [5, 7])
def test_slim_fly_mean_hops_matches_formula(q):
    topo = SlimFly.from_parameters(SlimFlyParameters(q=q), 64)
    stats = path_stats(to_arrays(topo.build()))
    assert stats.diameter_hops == topo.diameter_hops() == 2
    assert stats.mean_hops == pytest.approx(topo.mean_hops(), abs=1e-6)


def test_dragonfly_diameter():
    topo = Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64)
    stats = path_stats(to_arrays(topo.build()))
    assert stats.diameter_hops == topo.diameter_hops() == 3
    assert stats.unreachable_pairs_ratio == 0


def test_fat_tree_path_diversity():
    """Two tiers: one shortest path per spine; three tiers (k=4) across pods: (k/2)^2 shortest paths,
    k/2 edge-disjoint (the edge switch's uplinks)."""
    two = path_diversity(to_arrays(FatTree.from_parameters(FatTreeParameters(k=8, tiers=2), 64).build()))
    assert (two.shortest_paths_min, two.edge_disjoint_paths_min) == (4, 4)
    three = path_diversity(to_arrays(FatTree.from_parameters(FatTreeParameters(k=4, tiers=3), 64).build()), num_pairs=200)
    assert three.method.startswith("exact")  # 8 edges: 28 pairs, all of them
    # 4 same-pod pairs (2 paths, via the pod's 2 aggregation switches), 24 cross-pod pairs (4 paths)
    assert three.shortest_paths_min == 2 and three.shortest_paths_median == 4
    assert three.edge_disjoint_paths_min == 2 and three.edge_disjoint_paths_median == 2


def test_slim_fly_edge_disjoint_paths_reach_degree():
    topo = SlimFly.from_parameters(SlimFlyParameters(q=5), 64)
    div = path_diversity(to_arrays(topo.build()))
    assert div.edge_disjoint_paths_min == topo.network_radix  # MMS graphs are maximally edge-connected
