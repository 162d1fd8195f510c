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
