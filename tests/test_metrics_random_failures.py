"""Seeded random failures: reproducible, and right at the extremes."""

from __future__ import annotations

import pytest

from topoctl.metrics.faults import FabricView
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.random_failures import random_failures
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters


@pytest.fixture(scope="module")
def ft3_view() -> FabricView:
    return FabricView(to_arrays(FatTree.from_parameters(FatTreeParameters(k=8, tiers=3), 64).build()))


def test_same_seed_same_numbers(ft3_view):
    first = random_failures(ft3_view, 0.05, 0.02, trials=20, seed=7)
    again = random_failures(ft3_view, 0.05, 0.02, trials=20, seed=7)
    other = random_failures(ft3_view, 0.05, 0.02, trials=20, seed=8)
    assert first == again
    assert first.as_dict() != other.as_dict()
    assert first.seed == 7 and first.trials == 20


def test_no_failures_keep_everything(ft3_view):
    result = random_failures(ft3_view, 0.0, 0.0, trials=3, seed=1)
    assert result.disconnected_pairs_ratio == {"p5": 0.0, "median": 0.0, "p95": 0.0}
    assert result.retained_bisection_ratio == {"p5": 1.0, "median": 1.0, "p95": 1.0}


def test_all_switches_failed_disconnects_every_pair(ft3_view):
    result = random_failures(ft3_view, 0.0, 1.0, trials=2, seed=1)
    assert result.disconnected_pairs_ratio["median"] == 1.0
    assert result.retained_bisection_ratio["median"] == 0.0


def test_percentiles_ordered_and_progress_called(ft3_view):
    seen = []
    result = random_failures(ft3_view, 0.1, 0.05, trials=15, seed=3, progress=seen.append)
    assert seen == list(range(1, 16))
    for key in ("disconnected_pairs_ratio", "retained_bisection_ratio"):
        q = getattr(result, key)
        assert 0 <= q["p5"] <= q["median"] <= q["p95"] <= 1


def test_multiplane_counts_pairs_per_plane():
    plane = to_arrays(FatTree.from_parameters(FatTreeParameters(k=8, tiers=2), 64).build())
    result = random_failures(FabricView(plane, num_planes=4, ports_per_endpoint=1), 0.0, 0.0, trials=2, seed=0)
    assert result.retained_bisection_ratio["median"] == 1.0
