"""Throughput: closed forms, bounds, the ECMP estimate and the exact LP agree where they must."""

from __future__ import annotations

from functools import cache

import pytest

from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.paths import path_stats
from topoctl.metrics.throughput import (
    all_to_all_demand,
    bisection_bound,
    ecmp_all_to_all,
    path_length_bound,
    tree_all_to_all,
)
from topoctl.optimize.lp import max_concurrent_flow
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters

RATE = 400.0


@cache
def hoffman_singleton_lp() -> float:
    """The LP optimum on the q = 5 slim fly (about 4 s with GLOP), solved once."""
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build())
    return max_concurrent_flow(arrays, all_to_all_demand(arrays), RATE, RATE).value


def closed_form(tree: FatTree) -> float:
    pods = tree.edges_per_pod if tree.tiers == 3 else None
    return tree_all_to_all(tree.endpoints_per_leaf, tree.up, pods, RATE, RATE).value


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


@pytest.mark.parametrize(
    "params, busiest",
    [
        (dict(p=2, a=4, h=2, g=9), 1.2),
        (dict(p=2, a=4, h=2, g=7), 1.5296969696969698),
        (dict(p=3, a=6, h=3, g=19), 1.3095936321742774),
        (dict(p=4, a=8, h=4, g=31), 1.59119346848913),
    ],
)
def test_group_sampled_dragonfly_bound_finds_the_busiest_cable(params, busiest):
    """The whole-group partial loads never exceed the every-source maximum and, on these dragonflies,
    reach it (brute force: ECMP loads from every source)."""
    import numpy as np

    from topoctl.metrics.throughput import _ecmp_loads, _group_busiest_cable

    arrays = to_arrays(Dragonfly.from_parameters(DragonflyParameters(**params), 64).build())
    adj = arrays.adjacency()
    every_source = float(_ecmp_loads(arrays, adj, np.flatnonzero(arrays.endpoints > 0)).max())
    assert every_source == pytest.approx(busiest, rel=1e-9)
    bound, groups = _group_busiest_cable(arrays, adj)
    assert bound <= every_source + 1e-9
    assert bound == pytest.approx(every_source, rel=1e-9)
    figure = ecmp_all_to_all(arrays, RATE, RATE, sample_limit=4)  # force the large-graph path
    assert figure.method.startswith("bound") and figure.value == pytest.approx(1 / busiest)
    assert len(set(groups)) == len(groups) == 5


def test_reverse_entries_pair_up():
    import numpy as np

    from topoctl.metrics.throughput import _reverse_entries

    arrays = to_arrays(Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64).build())
    adj = arrays.adjacency()
    rev = _reverse_entries(adj)
    rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
    assert np.array_equal(rows[rev], adj.indices) and np.array_equal(adj.indices[rev], rows)
    assert np.array_equal(rev[rev], np.arange(adj.nnz))
