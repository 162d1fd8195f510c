"""Slim fly (MMS) graphs: Hoffman-Singleton at q = 5, degree and diameter for prime powers."""

from __future__ import annotations

import networkx as nx
import pytest
import scipy.sparse as sp

from topoctl.errors import NotConstructibleError, SpecError
from topoctl.topologies.check import check_graph, endpoint_diameter
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters, nearest_valid_q


def slim_fly(radix: int = 200, **params) -> SlimFly:
    return SlimFly.from_parameters(SlimFlyParameters(**params), radix)


def test_q5_is_hoffman_singleton():
    graph = slim_fly(q=5).build().to_networkx()
    assert nx.vf2pp_is_isomorphic(nx.Graph(graph.edges()), nx.hoffman_singleton_graph())


@pytest.mark.parametrize("q", [3, 4, 5, 7, 8, 9, 11, 13, 16, 25, 27])
def test_prime_powers_degree_and_diameter(q):
    topo = slim_fly(q=q)
    graph = topo.build()
    delta = {0: 0, 1: 1, 3: -1}[q % 4]
    assert set(graph.edge_count.tolist()) == {1}
    assert set(graph.cables_per_switch().tolist()) == {(3 * q - delta) // 2}
    check_graph(topo, graph)
    # diameter 2: every pair is adjacent or has a common neighbour, and the graph is not complete
    adjacency, n = graph.adjacency(), graph.num_switches
    reach = adjacency @ adjacency + adjacency + sp.identity(n, format="csr")
    assert reach.count_nonzero() == n**2
    assert adjacency.count_nonzero() < n * (n - 1)
    assert topo.diameter_hops() == 2
    if q <= 9:
        assert endpoint_diameter(graph) == 2


@pytest.mark.parametrize("q", [4, 5, 7, 8, 9])
def test_bisection_is_the_cut_of_the_column_partition(q):
    topo = slim_fly(q=q)
    graph = topo.build().to_networkx()
    hi, lo = (q + 1) // 2, q // 2
    side_a = {n for n in graph if (n.startswith("s0-") and int(n.split("-")[1]) < hi)
              or (n.startswith("s1-") and int(n.split("-")[1]) < lo)}
    assert len(side_a) == q * q
    cut = sum(1 for u, v in graph.edges() if (u in side_a) != (v in side_a))
    assert topo.bisection().links == cut


def test_q27_counts_as_in_the_reference():
    counts = slim_fly(radix=64, q=27).counts()
    assert (counts.num_switches, counts.num_endpoints, counts.num_switch_links) == (1458, 30618, 29889)


def test_q28_is_formula_only():
    topo = SlimFly.from_parameters(SlimFlyParameters(q=28), 64, formula_only=True)
    counts = topo.counts()
    assert (counts.num_switches, counts.num_endpoints, counts.num_switch_links) == (1568, 32928, 32928)
    assert not topo.constructible
    with pytest.raises(NotConstructibleError, match="q=28 is not a prime power, so no MMS graph exists; nearest valid: 27, 29"):
        topo.build()


def test_q28_without_formula_only_is_refused():
    with pytest.raises(SpecError, match="q=28 is not a prime power; nearest valid: 27, 29"):
        slim_fly(radix=64, q=28)


def test_q29_exceeds_radix_64():
    with pytest.raises(SpecError, match="43 \\+ 22 = 65 ports exceed the switch radix 64"):
        slim_fly(radix=64, q=29)


def test_q_two_mod_four_is_refused():
    with pytest.raises(SpecError, match="q=6 is 2 mod 4"):
        slim_fly(q=6)


def test_nearest_valid_q():
    assert nearest_valid_q(28) == [27, 29]
    assert nearest_valid_q(6) == [5, 7]
    assert nearest_valid_q(3) == [4]


VALID_Q = [q for q in range(3, 33) if q % 4 != 2 and q not in (6, 10, 12, 14, 15, 18, 20, 21, 22, 24, 26, 28, 30)]


@pytest.mark.parametrize("q", VALID_Q)
def test_lambda_2_from_the_characters_is_the_dense_spectrum_of_the_built_graph(q):
    """mms_lambda_2 is q, which the dense spectrum of the built graph confirms; forced past its proofs
    (every condition short of an impossible slack), the computed bound stays below by its margin only."""
    import numpy as np

    from topoctl.topologies import slim_fly

    sf = SlimFly.from_parameters(SlimFlyParameters(q=q, p=1), radix=4 * q)
    laplacian = nx.laplacian_matrix(sf.build().to_networkx()).toarray().astype(float)
    exact = np.linalg.eigvalsh(laplacian)[1]
    assert sf.laplacian_lambda_2 == q and exact == pytest.approx(q, abs=1e-9)
    if slim_fly.delta_of(q) != 1 and q % 2:
        slim_fly.mms_lambda_2.cache_clear()
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(slim_fly, "SLACK", 1e9)
                assert q - 3e-6 <= slim_fly.mms_lambda_2(q) < q
        finally:
            slim_fly.mms_lambda_2.cache_clear()


def test_fiedler_cut_is_the_least_over_every_side_size():
    """The six-point closed form equals the minimum over every k = 0 .. n, on random graphs' figures."""
    import random

    from topoctl.topologies.spectral import fiedler_cut

    rng = random.Random(7)
    for _ in range(3000):
        n, p = rng.randint(1, 300), rng.randint(1, 30)
        lam, rho = rng.choice([0.0, rng.uniform(0, 40)]), rng.choice([1.0, rng.uniform(0.01, 4)])
        low, high = n * p // 2, n * p - n * p // 2
        every = min(lam * k * (n - k) / n + rho * max(0, low - p * k, p * k - high) for k in range(n + 1))
        assert fiedler_cut(lam, n, p, rho) == pytest.approx(every, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("p", [1, 2, 5])
def test_the_proven_bisection_is_at_most_the_exact_minimum(p):
    """Fiedler's bound on the characters' lambda_2 <= the exact minimum balanced bisection <= the explicit
    cut, q = 3: every set of switches on one side (2^18), endpoints moved across as the side needs."""
    import numpy as np

    sf = SlimFly.from_parameters(SlimFlyParameters(q=3, p=p), radix=12)
    graph = sf.build()
    n = len(graph.names)
    sides = np.arange(1 << n, dtype=np.int64)
    crossing = np.zeros(len(sides), dtype=np.int64)
    for u, v in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), strict=True):
        crossing += ((sides >> u) ^ (sides >> v)) & 1
    size = np.zeros(len(sides), dtype=np.int64)
    for bit in range(n):
        size += (sides >> bit) & 1
    low, high = n * p // 2, n * p - n * p // 2
    moved = np.maximum(0, np.maximum(low - p * size, p * size - high))
    exact = float((crossing + moved).min())
    cut = sf.bisection()
    assert cut.proven_links is not None and cut.proven_links <= exact + 1e-9 <= cut.links + 1e-9


def test_a_formula_only_slim_fly_has_no_proven_bisection():
    sf = SlimFly.from_parameters(SlimFlyParameters(q=28, p=1), radix=64, formula_only=True)
    assert sf.laplacian_lambda_2 is None and sf.bisection().proven is None


def test_sizing_proves_a_slim_fly_bisection_without_building_its_graph(monkeypatch):
    """The candidate's ratio is the proven one, so the sizer needs no graph: at 20,402 switches (q = 101) the
    certified spectral bound on the built graph was out of reach and the request was refused."""
    from topoctl.optimize import parse_requirement, size

    def no_graph(self):
        raise AssertionError("the sizer built the slim fly's graph")

    monkeypatch.setattr(SlimFly, "build", no_graph)
    switch = {"name": "big", "radix": 512, "port_speed_gbps": 400, "price_usd": 100000}
    best = size(parse_requirement({"endpoints": 1_000_000, "switches": [switch], "families": ["slim_fly"]}, "t")).best
    assert best.design.topology.q == 101 and best.bisection_proof.lower_bound_ratio >= 1.0 - 1e-9
