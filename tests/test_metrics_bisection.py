"""Graph bisection intervals against closed forms and known spectra."""

from __future__ import annotations

import pytest

from topoctl.metrics.bisection import (
    bisect,
    metis_bisection,
    partition_cut,
    spectral_bound,
    spectral_links,
    spectral_lower_bound,
)
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters


def tree(**params) -> FatTree:
    return FatTree.from_parameters(FatTreeParameters(**params), 64)


@pytest.mark.parametrize(
    "params",
    [dict(k=8, tiers=2), dict(k=16, tiers=2), dict(k=8, tiers=3), dict(k=16, tiers=3), dict(k=8, tiers=2, oversubscription=3),
     dict(k=64, tiers=2), dict(k=16, tiers=2, endpoints=64)],
)
def test_metis_matches_fat_tree_closed_form(params):
    topo = tree(**params)
    closed = topo.bisection()
    assert closed.exact
    arrays = to_arrays(topo.build())
    cut, side, imbalance = metis_bisection(arrays)
    assert imbalance == 0
    assert cut == closed.links
    assert partition_cut(arrays, side) == cut
    assert 2 * int(arrays.endpoints[side == 1].sum()) == arrays.num_endpoints


def test_hoffman_singleton_spectral_bound():
    """q = 5 slim fly is Hoffman-Singleton: adjacency eigenvalues 7, 2, -3, so lambda_2(L) = 5 and
    the bound is 5 * 50 / 4 = 62.5; the balanced cut found is 65."""
    arrays = to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build())
    interval = bisect(arrays)
    assert interval.lower_links == pytest.approx(62.5, abs=1e-4)
    assert interval.lower_links <= interval.upper_links <= 65


def test_spectral_bound_needs_equal_endpoints():
    arrays = to_arrays(tree(k=8, tiers=2).build())
    assert spectral_lower_bound(arrays) is None
    assert "unequal" in bisect(arrays).lower_method


@pytest.mark.parametrize("q", [7, 27])
def test_slim_fly_interval_brackets_family_cut(q):
    topo = SlimFly.from_parameters(SlimFlyParameters(q=q), 64)
    interval = bisect(to_arrays(topo.build()))
    assert interval.lower_links is not None
    assert 0 < interval.lower_links <= interval.upper_links
    assert interval.lower_links <= topo.bisection().links
    if q == 27:  # METIS and the spectral bound within a few tenths of a percent (Besta & Hoefler report alike)
        assert interval.upper_links / interval.lower_links < 1.01


def test_table3_dragonfly_interval():
    """The paper's dragonfly: the explicit cut near METIS's, about g^2/4 global links. At 16,352
    switches the spectral figure is past the certificate (CERTIFY_MAX_SWITCHES), so it is only an
    estimate, below the cut; the proven lower bound is the family's congestion bound."""
    topo = Dragonfly.from_parameters(DragonflyParameters(p=16, a=32, h=16, g=511), 64)
    arrays = to_arrays(topo.build())
    spectral = spectral_bound(arrays)
    assert spectral_lower_bound(arrays) is None and not spectral.proven and spectral.method.endswith("estimate")
    estimate = spectral_links(spectral.lambda_2, arrays.num_switches, 16, 1.0)
    cut, _, imbalance = metis_bisection(arrays, seeds=(0,))
    assert imbalance == 0
    assert 0 < estimate <= topo.bisection().proven_links <= topo.bisection().links <= cut * 1.1
    assert topo.bisection().links == pytest.approx(511**2 / 4, rel=0.01)
