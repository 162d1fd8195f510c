"""HyperX closed forms against built graphs and known graphs (complete graph, rook's graph, hypercube,
Hamming graph), the bisection against its exact minimum, fault domains, error texts and sizing."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.errors import SpecError
from topoctl.metrics.bisection import moved_endpoints, partition_cut
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.paths import path_stats
from topoctl.optimize import parse_requirement, size
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.hyperx import HyperX, HyperXParameters

from bisection_oracle import exact_bisections


def hyperx(radix: int = 64, **params) -> HyperX:
    return HyperX.from_parameters(HyperXParameters(**params), radix)


def _id(params: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in params.items())


def _plain(topo: HyperX) -> nx.Graph:
    return nx.Graph(topo.build().to_networkx().edges())


CASES = [
    dict(L=1, S=5, T=2),
    dict(L=2, S=4, T=2),
    dict(S=[2, 3], T=1),
    dict(S=[3, 4, 2], K=2, T=3),
    dict(L=3, S=3, T=1),
    dict(L=4, S=2, K=3, T=2),
    dict(L=5, S=2, T=1),  # past the lettered names
]


@pytest.mark.parametrize("params", CASES, ids=_id)
def test_graph_matches_closed_forms(params):
    topo = hyperx(**params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops() == topo.L
    assert (graph.cables_per_switch() == topo.K * sum(d - 1 for d in topo.S)).all()
    assert set(graph.edge_count.tolist()) == {topo.K}
    stats = path_stats(to_arrays(graph))
    assert stats.mean_hops == pytest.approx(topo.mean_hops(), abs=1e-6)  # the report rounds to 6 places


def test_switch_names_are_coordinates():
    assert hyperx(S=[2, 3], T=1).build().names == ("x0-y0", "x0-y1", "x0-y2", "x1-y0", "x1-y1", "x1-y2")
    assert hyperx(L=5, S=2, T=1).build().names[:2] == ("h0.0.0.0.0", "h0.0.0.0.1")


@pytest.mark.parametrize("size_", [2, 3, 5, 8])
def test_one_dimension_is_the_complete_graph(size_):
    assert nx.is_isomorphic(_plain(hyperx(L=1, S=size_, T=1)), nx.complete_graph(size_))


@pytest.mark.parametrize("sizes", [(2, 3), (3, 3), (3, 5), (4, 4)])
def test_two_dimensions_are_the_rooks_graph(sizes):
    a, b = sizes
    rook = nx.cartesian_product(nx.complete_graph(a), nx.complete_graph(b))
    topo = hyperx(S=list(sizes), T=1)
    assert nx.is_isomorphic(_plain(topo), rook)
    assert nx.diameter(rook) == topo.diameter_hops() == 2


@pytest.mark.parametrize("dims", [1, 2, 3, 4, 5])
def test_size_two_everywhere_is_the_hypercube(dims):
    topo = hyperx(L=dims, S=2, T=1)
    assert nx.is_isomorphic(_plain(topo), nx.hypercube_graph(dims))
    assert topo.counts().num_switch_links == dims * 2 ** (dims - 1)


def test_three_by_three_by_three_is_the_hamming_graph():
    """H(3, 3): 27 vertices of degree 6, adjacent iff they differ in one coordinate."""
    graph = _plain(hyperx(L=3, S=3, T=1))
    points = list(itertools.product(range(3), repeat=3))
    hamming = nx.Graph((u, v) for u, v in itertools.combinations(points, 2) if sum(x != y for x, y in zip(u, v, strict=True)) == 1)
    assert nx.is_isomorphic(graph, hamming)
    assert {d for _, d in graph.degree()} == {6} and nx.diameter(graph) == 3


def test_counts_of_a_paper_sized_design():
    """A regular 3-D HyperX on 64 ports: S = 8, K = 2, T = K*S/2 = 8: 512 switches, 4,096 endpoints,
    K*P*(S-1)/2 = 3,584 links a dimension, T + K*L*(S-1) = 50 ports, bisection K*P*S/4 = N/2 (full);
    twice the endpoints per switch halve the relative bisection K*S/(2T) (Ahn et al. 2009)."""
    topo = hyperx(L=3, S=8, K=2, T=8)
    counts = topo.counts()
    assert (counts.num_switches, counts.num_endpoints) == (512, 4096)
    assert {g.name: g.count for g in counts.link_groups} == {"dim-1": 3584, "dim-2": 3584, "dim-3": 3584}
    assert topo.parameters()["radix_used"] == 50
    bisection = topo.bisection()
    assert (bisection.links, bisection.kind) == (2048, "exact")
    assert bisection.links == topo.num_endpoints / 2
    doubled = hyperx(L=3, S=8, K=2, T=16).bisection()
    assert (doubled.links, doubled.kind) == (2048, "exact")  # now N/4: a relative bisection of 1/2


@pytest.mark.parametrize("params", [dict(L=2, S=4, T=2), dict(S=[3, 4, 2], K=2, T=3), dict(S=[3, 5], T=2),
                                    dict(L=3, S=3, T=2), dict(S=[6, 4], K=2, T=1)], ids=_id)
def test_explicit_cuts_are_the_cuts_on_the_graph(params):
    """Halving a dimension and the nested partition, laid on the graph by coordinates."""
    topo = hyperx(**params)
    arrays = to_arrays(topo.build())
    coordinates = np.array(list(itertools.product(*(range(d) for d in topo.S))))
    halving = topo.halving_cut()
    if halving is not None:
        index, cables = halving
        side = (coordinates[:, index] < topo.S[index] // 2).astype(np.int64)
        assert partition_cut(arrays, side) == cables and moved_endpoints(arrays.endpoints, side) == 0
    # nested: dimensions by size, the first (S - 1)/2 slabs of an odd one and recursively its middle slab
    order = sorted(range(topo.L), key=lambda i: topo.S[i])
    side = np.zeros(len(coordinates), dtype=bool)
    rest = np.ones(len(coordinates), dtype=bool)
    for i in order:
        d = topo.S[i]
        side |= rest & (coordinates[:, i] < d // 2)
        if d % 2 == 0:
            break
        rest &= coordinates[:, i] == d // 2
    else:
        side |= rest  # the last middle switch joins side A: ceil(P/2) switches
    assert partition_cut(arrays, side.astype(np.int64)) == topo.nested_cut()


SMALL = [dict(L=1, S=4, T=2), dict(L=1, S=5, T=3), dict(S=[2, 3], T=2), dict(L=2, S=3, T=1), dict(L=2, S=3, T=2),
         dict(L=2, S=4, T=1), dict(S=[2, 5], K=2, T=3), dict(L=4, S=2, T=1), dict(S=[3, 3], K=2, T=4)]


@pytest.mark.parametrize("params", SMALL, ids=_id)
def test_bisection_interval_holds_the_exact_minimum(params):
    topo = hyperx(**params)
    arrays = to_arrays(topo.build())
    rhos = (1.0, 0.5, 0.25)
    exact = exact_bisections(arrays, rhos)
    for rho in rhos:
        bisection = topo.bisection(rho)
        assert bisection.proven_links <= exact[rho] + 1e-9 <= bisection.links + 2e-9, rho
        if bisection.kind == "exact":
            assert bisection.links == pytest.approx(exact[rho])


@pytest.mark.parametrize("params", [dict(L=2, S=4, T=2), dict(L=3, S=6, K=2, T=4), dict(S=[4, 6, 8], K=3, T=5)], ids=_id)
def test_even_smallest_size_is_exact_at_k_p_smin_over_4(params):
    topo = hyperx(**params)
    bisection = topo.bisection()
    expected = topo.K * topo.num_switches * min(topo.S) // 4
    assert bisection.kind == "exact"
    assert bisection.links == min(expected, topo.num_endpoints // 2) == bisection.proven_links


def test_fault_domains_match_graph_removal():
    pair = hyperx(L=1, S=2, T=3)  # one link between two switches: a bridge
    domains = {d.component: d for d in pair.fault_domains()}
    assert (domains["switch"].endpoints_disconnected, domains["switch link"].endpoints_disconnected) == (3, 3)
    grid = hyperx(S=[3, 4], T=2)
    graph = grid.build().to_networkx()
    domains = {d.component: d for d in grid.fault_domains()}
    assert domains["switch"].endpoints_disconnected == max(endpoints_disconnected(graph, [n]) for n in graph) == 2
    assert domains["switch link"].endpoints_disconnected == 0
    assert domains["switch link"].count == grid.counts().num_switch_links == 12 * 5 // 2


def test_bisection_shares_of_a_halved_dimension():
    topo = hyperx(L=2, S=4, T=2)  # K*P*S/4 = 16 cables; each switch has K*S/2 = 2 of its cables across
    shares = topo.bisection_shares()
    cut = topo.bisection().links
    assert cut == 16 and shares == {"switch": (2 / 16, True), "switch link": (1 / 16, True)}


def test_defaults_fit_the_radix():
    topo = hyperx(radix=64)
    assert (topo.L, topo.S, topo.K, topo.T) == (2, (26, 26), 1, 13)
    assert topo.T + topo.network_ports == 63
    assert hyperx(radix=64, L=3, T=10).S == (19, 19, 19)
    assert hyperx(radix=64, S=[10, 12], K=2).T == 10


@pytest.mark.parametrize(
    "params, radix, path, text",
    [
        (dict(S=[12, 12, 12], T=8), 32, "S",
         "K*sum(S_i - 1) = 1*33 = 33 link ports leave none of radix 32 for endpoints: lower K or S"),
        (dict(L=2, S=16, K=2, T=16), 64, "S",
         "T + K*sum(S_i - 1) = 16 + 2*30 = 76 ports exceed radix 64: lower T (to at most 4), K or S"),
        (dict(L=2, S=4, T=100), 64, "T",
         "T=100 endpoints per switch leave none of radix 64 for the K*sum(S_i - 1) = 1*6 = 6 link ports; "
         "the largest valid T is 58"),
        # S defaulted: T is what the user can change
        (dict(T=64), 64, "T", "T + K*L = 64 + 1*2 = 66 ports exceed radix 64 even at S=2; the largest valid T is 62"),
        (dict(L=8, K=2), 16, "L",
         "T + K*L = 2 + 2*8 = 18 ports exceed radix 16 even at S=2 (T defaults to K there): lower L or K"),
        (dict(K=40), 64, "K",
         "T + K*L = 40 + 40*2 = 120 ports exceed radix 64 even at S=2 (T defaults to K there): lower L or K"),
        (dict(L=3, S=[4, 4]), 64, "S", "S lists 2 dimensions but L=3; give L=2 or 3 sizes"),
        (dict(L=1, S=[4, 4]), 64, "S", "S lists 2 dimensions but L=1; give L=2 or 1 size"),
        # S=2 is the least size: the endpoint limit is L's
        (dict(L=32, S=2), 64, "L",
         "a HyperX of 32 dimensions of S=2, T=1: 4,294,967,296 endpoints, above the 1,000,000,000 topoctl handles; "
         "use at most L=29 at S=2, T=1"),
        (dict(L=32, S=2, T=5), 64, "L",
         "a HyperX of 32 dimensions of S=2, T=5: 21,474,836,480 endpoints, above the 1,000,000,000 topoctl handles; "
         "use at most L=27 at S=2, T=5, or a smaller T"),
        (dict(S=[2] * 31, T=1), 64, "S",
         "a HyperX of S=[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], "
         "T=1: 2,147,483,648 endpoints, above the 1,000,000,000 topoctl handles; use fewer or smaller sizes in S, "
         "or a smaller T"),
    ],
)
def test_invalid_parameters(params, radix, path, text):
    with pytest.raises(SpecError) as info:
        hyperx(radix=radix, **params)
    assert (info.value.path, info.value.message) == (path, text)


@pytest.mark.parametrize("value, text", [
    ("{a: 1}", "command line: parameters.S: expected a size or a list of sizes, whole numbers (got {'a': 1})"),
    ("[a]", "command line: parameters.S: expected a size or a list of sizes, whole numbers (got ['a'])"),
    ("abc", "command line: parameters.S: expected a size or a list of sizes, whole numbers (got 'abc')"),
])
def test_a_wrong_shape_of_S_is_refused_at_S(value, text):
    """S is int | list[int]: pydantic's union member (``S.int``) stays out of the path."""
    result = CliRunner().invoke(app, ["design", "--family", "hyperx", "--param", f"S={value}"])
    assert (result.exit_code, result.stderr) == (1, f"Error: {text}\n")


def test_variant_uses_the_singular_for_one_dimension():
    assert hyperx(radix=16, L=1, S=4, T=2).variant == "regular HyperX, S=4 in the one dimension, K=1, T=2"
    assert hyperx(radix=16, L=2, S=4, T=2).variant == "regular HyperX, S=4 in each of 2 dimensions, K=1, T=2"


@pytest.mark.parametrize("sizes, text", [([1, 4], "every size must be 2 to 4096 switches, not 1"),
                                         (1, "every size must be 2 to 4096 switches"),
                                         ([], "give 1 to 32 sizes, one per dimension, not 0")])
def test_sizes_below_two_are_refused(sizes, text):
    with pytest.raises(ValidationError, match=re.escape(text)):
        HyperXParameters(S=sizes)


def test_sizing_picks_a_two_dimensional_hyperx_for_two_hops():
    """5,000 endpoints within two switch hops at full bisection on radix 64: no two-tier tree holds them,
    and the 22 x 22 HyperX (T = 11, 53 ports) needs fewer switches than the slim fly."""
    best = size(parse_requirement({"endpoints": 5000, "max_hops": 2}, "test")).best
    topo = best.design.topology
    assert topo.family == "hyperx"
    assert (topo.S, topo.K, topo.T) == ((22, 22), 1, 11)
    assert best.design.counts.num_switches == 484
    assert best.design.topology.bisection().kind == "exact"
