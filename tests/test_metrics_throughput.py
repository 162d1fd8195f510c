"""Throughput: closed forms, bounds, the ECMP estimate and the exact LP agree where they must."""

from __future__ import annotations

from functools import lru_cache

import pytest

from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.paths import path_stats
from topoctl.metrics.throughput import (
    all_to_all_demand,
    bisection_bound,
    ecmp_all_to_all,
    fat_tree_all_to_all,
    max_concurrent_flow,
    path_length_bound,
)
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters

RATE = 400.0


@lru_cache(maxsize=None)
def hoffman_singleton_lp() -> float:
    """The LP optimum on the q = 5 slim fly (about 4 s with GLOP), solved once."""
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build())
    return max_concurrent_flow(arrays, all_to_all_demand(arrays), RATE, RATE).value


def closed_form(tree: FatTree) -> float:
    pods = tree.edges_per_pod if tree.tiers == 3 else None
    return fat_tree_all_to_all(tree.endpoints_per_leaf, tree.up, pods, RATE, RATE).value


@pytest.mark.parametrize("params", [dict(k=8, tiers=2), dict(k=4, tiers=3), dict(k=64, tiers=2), dict(k=64, tiers=3)])
def test_full_bisection_fat_tree_all_to_all_is_one(params):
    assert closed_form(FatTree.from_parameters(FatTreeParameters(**params), 64)) == 1.0


@pytest.mark.parametrize("params", [dict(k=8, tiers=2), dict(k=8, tiers=2, oversubscription=3), dict(k=4, tiers=3)])
def test_fat_tree_closed_form_equals_lp_and_ecmp(params):
    tree = FatTree.from_parameters(FatTreeParameters(**params), 64)
    arrays = to_arrays(tree.build())
    exact = max_concurrent_flow(arrays, all_to_all_demand(arrays), RATE, RATE)
    assert exact.method.startswith("exact")
    assert closed_form(tree) == pytest.approx(exact.value, abs=1e-6)
    assert ecmp_all_to_all(arrays, RATE, RATE).value == pytest.approx(exact.value, abs=1e-6)


def test_oversubscribed_closed_form_value():
    """k=8, 6:2 leaves, 48 endpoints: theta = u*(N-1) / (d*(N-d)) = 2*47 / (6*42)."""
    tree = FatTree.from_parameters(FatTreeParameters(k=8, tiers=2, oversubscription=3), 64)
    assert closed_form(tree) == pytest.approx(2 * 47 / (6 * 42))


@pytest.mark.parametrize(
    "topo",
    [SlimFly.from_parameters(SlimFlyParameters(q=5), 64), Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64)],
    ids=["sf-q5", "df-small"],
)
def test_lp_between_ecmp_and_bounds(topo):
    arrays = to_arrays(topo.build())
    if isinstance(topo, SlimFly):
        exact = hoffman_singleton_lp()
    else:
        exact = max_concurrent_flow(arrays, all_to_all_demand(arrays), RATE, RATE).value
    ecmp = ecmp_all_to_all(arrays, RATE, RATE).value
    hops = path_stats(arrays).mean_hops
    length = path_length_bound(arrays.num_endpoints, arrays.num_cables, hops, RATE, RATE).value
    cut = bisection_bound(arrays.num_endpoints, topo.bisection().links, RATE, RATE).value
    assert ecmp <= exact + 1e-6  # ECMP is one feasible routing
    assert exact <= min(length, cut) + 1e-6


def test_hoffman_singleton_ecmp_is_optimal():
    """Diameter-2 Moore graph: unique shortest paths and the LP optimum coincide (0.95673...)."""
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build())
    exact = hoffman_singleton_lp()
    assert ecmp_all_to_all(arrays, RATE, RATE).value == pytest.approx(exact, abs=1e-6)
    assert exact == pytest.approx(0.956731, abs=1e-5)


def test_sampled_ecmp_labelled():
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=7), 64).build())
    sampled = ecmp_all_to_all(arrays, RATE, RATE, sample_limit=10)
    full = ecmp_all_to_all(arrays, RATE, RATE)
    assert "sampled" in sampled.method and "every source" in full.method
    assert sampled.value == pytest.approx(full.value, rel=0.05)
