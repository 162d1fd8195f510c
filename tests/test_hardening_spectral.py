"""The spectral lower bound above the dense threshold: lobpcg's estimate becomes a bound only through
the Cholesky certificate (Sylvester's law of inertia), checked against the exact dense spectrum on
graphs small enough to have one (the threshold lowered so the certificate runs)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from topoctl.metrics.bisection import (
    _laplacian,
    certify_lambda_2,
    spectral_bound,
    spectral_links,
    spectral_lower_bound,
)
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters


def arrays_of(graph: nx.Graph, endpoints: int = 2):
    graph = nx.convert_node_labels_to_integers(graph)
    nx.set_node_attributes(graph, endpoints, "endpoints")
    return to_arrays(graph)


def two_expanders(n: int, degree: int, seed: int) -> nx.Graph:
    """Two random regular graphs joined by one edge: lambda_2 tiny, lambda_3 large."""
    first = nx.random_regular_graph(degree, n, seed=seed)
    second = nx.random_regular_graph(degree, n, seed=seed + 1)
    graph = nx.disjoint_union(first, second)
    graph.add_edge(0, n)
    return graph


def spectrum(arrays) -> tuple[np.ndarray, np.ndarray]:
    return np.linalg.eigh(_laplacian(arrays, None).toarray())


GRAPHS = {
    "hoffman-singleton": lambda: to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=5), 64).build()),
    "slim-fly-q7": lambda: to_arrays(SlimFly.from_parameters(SlimFlyParameters(q=7), 64).build()),
    "dragonfly": lambda: to_arrays(Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64).build()),
    "random-regular": lambda: arrays_of(nx.random_regular_graph(6, 60, seed=1)),
    "two-expanders": lambda: arrays_of(two_expanders(40, 6, seed=3)),
}


@pytest.mark.parametrize("name", list(GRAPHS))
@pytest.mark.parametrize("endpoint_link", [1.0, 0.25])
def test_certified_bound_below_and_close_to_the_dense_one(name, endpoint_link):
    arrays = GRAPHS[name]()
    values, _ = spectrum(arrays)
    n, p = arrays.num_switches, int(arrays.endpoints[0])
    dense = spectral_bound(arrays, endpoint_link_cables=endpoint_link)  # below the threshold: eigvalsh
    assert dense.proven and dense.lambda_2 == pytest.approx(values[1], abs=1e-9)
    certified = spectral_bound(arrays, endpoint_link_cables=endpoint_link, dense_max_switches=0)
    assert certified.proven and certified.method.startswith("lower bound: spectral")
    assert "certified" in certified.method and "Sylvester" in certified.method
    assert certified.lambda_2 <= values[1]
    assert certified.lambda_2 == pytest.approx(values[1], rel=1e-4)
    assert certified.links <= spectral_links(values[1], n, p, endpoint_link) + 1e-9
    assert certified.links == pytest.approx(dense.links, rel=1e-4)


def test_hoffman_singleton_certified():
    """lambda_2 = 5 exactly (adjacency eigenvalues 7, 2, -3): 5 * 50 / 4 = 62.5 links."""
    arrays = GRAPHS["hoffman-singleton"]()
    certified = spectral_bound(arrays, dense_max_switches=0)
    assert 62.49 < certified.links <= 62.5


def test_certificate_accepts_below_and_refuses_above():
    arrays = GRAPHS["random-regular"]()
    laplacian = _laplacian(arrays, None)
    lambda_2 = spectrum(arrays)[0][1]
    below = certify_lambda_2(laplacian, lambda_2 * (1 - 1e-6))
    assert below is not None and lambda_2 * (1 - 2e-6) < below <= lambda_2
    assert certify_lambda_2(laplacian, lambda_2 * (1 + 1e-6)) is None


def test_estimate_converged_to_lambda_3_is_not_reported_above_the_truth():
    """A start block spanning the lambda_3 and lambda_4 eigenvectors: lobpcg stops there with a zero
    residual, so the Rayleigh quotient less the residual is lambda_3 (the old bound, 8% too high).
    The certificate refuses that sigma; the halved one is certified, below lambda_2."""
    arrays = GRAPHS["random-regular"]()
    values, vectors = spectrum(arrays)
    assert values[2] > values[1] * 1.08
    bound = spectral_bound(arrays, dense_max_switches=0, start=vectors[:, 2:4].copy())
    assert "lobpcg estimate 2.16424" in bound.method  # the estimate really was lambda_3
    assert bound.proven and bound.lambda_2 <= values[1]
    assert bound.lambda_2 == pytest.approx(values[2] / 2, rel=1e-4)


def test_tiny_lambda_2_missed_is_no_bound_and_labelled_an_estimate():
    """Two expanders joined by one edge: lambda_2 = 0.036, lambda_3 = 2.11. Converged to lambda_3,
    every sigma down to lambda_3 / 16 is refused: no bound, and the figure is called an estimate."""
    arrays = GRAPHS["two-expanders"]()
    values, vectors = spectrum(arrays)
    assert values[1] < 0.05 < 2 < values[2]
    bound = spectral_bound(arrays, dense_max_switches=0, start=vectors[:, 2:4].copy())
    assert bound.links is None and not bound.proven
    assert bound.lambda_2 == pytest.approx(values[2], rel=1e-6)  # the wrong estimate, kept out of the bound
    assert bound.method.startswith("no lower bound") and bound.method.endswith("estimate")
    assert "not certified" in bound.method
    assert spectral_lower_bound(arrays) == pytest.approx(spectral_links(values[1], 80, 2, 1.0), rel=1e-9)


def test_above_the_certificate_size_only_an_estimate():
    arrays = GRAPHS["slim-fly-q7"]()
    bound = spectral_bound(arrays, dense_max_switches=0, certify_max_switches=50)
    assert bound.links is None and not bound.proven and bound.method.endswith("estimate")
    assert "exceed the 50" in bound.method


def test_spectral_links_counts_endpoints_across():
    """p endpoints per switch: the best k may leave the switches unbalanced when endpoint links are
    cheap; with all switches on one side the cut is r/c * floor(W/2)."""
    assert spectral_links(5.0, 50, 4, 1.0) == pytest.approx(62.5)  # k = 25
    assert spectral_links(5.0, 50, 4, 0.25) == pytest.approx(25.0)  # k = 0: 100 endpoints across
    assert spectral_links(1.0, 5, 1, 1.0) == pytest.approx(1.0 * 2 * 3 / 5)  # n odd: k = 2, below lambda*n/4


def test_deterministic():
    arrays = GRAPHS["dragonfly"]()
    first = spectral_bound(arrays, dense_max_switches=0)
    assert spectral_bound(arrays, dense_max_switches=0) == first
