"""Dragonfly+ closed forms against built graphs: groups are complete bipartite leaf-spine graphs, the
groups a complete graph through the spines, the balanced maximum of Shpiner et al. 2017, the bisection
interval against the exact minimum, fault domains, error texts and sizing."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from topoctl.errors import SpecError
from topoctl.metrics.bisection import moved_endpoints, partition_cut
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.paths import path_stats
from topoctl.optimize import parse_requirement, size
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.dragonfly_plus import DragonflyPlus, DragonflyPlusParameters

from bisection_oracle import exact_bisections


def dfp(radix: int = 64, **params) -> DragonflyPlus:
    return DragonflyPlus.from_parameters(DragonflyPlusParameters(**params), radix)


def _id(params: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in params.items())


CASES = [
    dict(p=2, a=2, s=2, h=2),  # balanced maximum on radix 4: g = 5
    dict(p=3, a=3, s=3, h=3),  # g = 10, even
    dict(p=2, a=3, s=2, h=3, g=7),  # odd a and g
    dict(p=1, a=2, s=2, h=2, g=4),  # odd circulant part
    dict(p=2, a=2, s=2, h=2, g=3),  # two links per group pair
    dict(p=2, a=4, s=3, h=5, g=10),  # unbalanced: more global ports than leaves per spine
    dict(p=2, a=2, s=1, h=3, g=4),  # one spine per group
    dict(p=4, a=3, s=2, h=0, g=1),  # one group
]


@pytest.mark.parametrize("params", CASES, ids=_id)
def test_graph_matches_closed_forms(params):
    topo = dfp(**params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops()
    cables = graph.cables_per_switch()
    leaves, spines = graph.roles == "leaf", graph.roles == "spine"
    assert (cables[leaves] == topo.s).all() and (cables[spines] == topo.a + topo.h).all()
    assert (graph.endpoints[leaves] == topo.p).all() and (graph.endpoints[spines] == 0).all()
    assert graph.names[: topo.a + 1] == tuple(f"g0-leaf-{i}" for i in range(topo.a)) + ("g0-spine-0",)


@pytest.mark.parametrize("params", CASES, ids=_id)
def test_groups_are_complete_bipartite_and_joined_through_their_spines(params):
    topo = dfp(**params)
    graph = topo.build().to_networkx()
    for x in range(topo.g):
        group = graph.subgraph(n for n, grp in graph.nodes(data="group") if grp == x)
        assert nx.is_isomorphic(group, nx.complete_bipartite_graph(topo.a, topo.s))
        assert all(d["link_group"] == "leaf-spine" for _, _, d in group.edges(data=True))
    # global links: spine to spine of another group, c or c + 1 per group pair, as in the spines' dragonfly
    between = np.zeros((topo.g, topo.g), dtype=np.int64)
    for u, v, d in graph.edges(data=True):
        if d["link_group"] == "global":
            assert graph.nodes[u]["role"] == graph.nodes[v]["role"] == "spine"
            gu, gv = graph.nodes[u]["group"], graph.nodes[v]["group"]
            assert gu != gv
            between[gu, gv] += d["count"]
            between[gv, gu] += d["count"]
    assert (between == topo.spine_dragonfly().group_multiplicity()).all()
    if topo.g > 1:
        off = between[~np.eye(topo.g, dtype=bool)]
        assert off.min() >= 1 and off.max() - off.min() <= 1


def test_the_maximum_joins_every_group_pair_once():
    """g = s*h + 1: contracting each group gives the complete graph K_g."""
    topo = dfp(radix=8, p=2, a=3, s=3, h=2)
    assert topo.g == 7
    graph = topo.build().to_networkx()
    groups = nx.quotient_graph(graph, lambda u, v: graph.nodes[u]["group"] == graph.nodes[v]["group"])
    assert nx.is_isomorphic(nx.Graph(groups), nx.complete_graph(7))
    assert topo.counts().link_groups[1].count == 7 * 6 // 2


@pytest.mark.parametrize("radix", [4, 6, 8, 16, 40, 64])
def test_defaults_are_the_balanced_maximum_of_shpiner_et_al(radix):
    """p = a = s = h = k/2 and g = (k/2)^2 + 1: N = (k/2)^2 ((k/2)^2 + 1), k((k/2)^2 + 1) switches,
    every port used."""
    half = radix // 2
    topo = dfp(radix=radix)
    groups = half * half + 1
    assert (topo.p, topo.a, topo.s, topo.h, topo.g) == (half, half, half, half, groups)
    counts = topo.counts()
    assert counts.num_endpoints == half**2 * (half**2 + 1)
    assert counts.num_switches_by_role == {"leaf": half * groups, "spine": half * groups}
    assert {g.name: g.count for g in counts.link_groups} == {"leaf-spine": half**2 * groups, "global": half**2 * groups // 2}
    ports = counts.num_switches * radix
    assert counts.num_endpoint_links + 2 * counts.num_switch_links == ports
    assert "balanced Dragonfly+" in topo.variant and "(maximum)" in topo.variant


def test_radix_64_reaches_about_four_times_the_balanced_dragonfly():
    """k^4/16 + k^2/4 against the dragonfly's k^4/64-ish: 1,049,600 against 262,656 endpoints."""
    plus = dfp(radix=64)
    plain = Dragonfly.from_parameters(DragonflyParameters(), 64)
    assert (plus.num_endpoints, plus.counts().num_switches) == (1_049_600, 65_600)
    assert plain.num_endpoints == 262_656
    assert 3.9 < plus.num_endpoints / plain.num_endpoints < 4.1
    assert plus.diameter_hops() == plain.diameter_hops() == 3


@pytest.mark.parametrize("params", CASES, ids=_id)
def test_mean_hops_closed_form_equals_bfs(params):
    topo = dfp(**params)
    stats = path_stats(to_arrays(topo.build()))
    assert stats.mean_hops == pytest.approx(topo.mean_hops(), abs=1e-6)  # the report rounds to 6 places
    assert stats.diameter_hops == topo.diameter_hops()


def _group_halves_side(topo: DragonflyPlus, names: tuple[str, ...]) -> np.ndarray:
    """Side A of the group-halves partition by switch name (``global_cut``, ``middle_split``)."""
    middle = topo.g // 2 if topo.g % 2 else -1
    spines_a = topo.middle_split()[0] if topo.g % 2 else 0

    def on_a(name: str) -> bool:
        group, role, index = name.split("-")
        x, i = int(group[1:]), int(index)
        if x == middle:
            return i < ((topo.a + 1) // 2 if role == "leaf" else spines_a)
        return x < topo.g // 2

    return np.array([on_a(n) for n in names], dtype=np.int64)


@pytest.mark.parametrize("params", CASES, ids=_id)
def test_group_halves_cut_is_the_cut_on_the_graph(params):
    topo = dfp(**params)
    arrays = to_arrays(topo.build())
    side = _group_halves_side(topo, arrays.names)
    assert partition_cut(arrays, side) == topo.group_halves_cut()
    across = moved_endpoints(arrays.endpoints, side)
    assert across == (topo.p // 2 if (topo.a * topo.g) % 2 else 0)
    for rho in (1.0, 0.5, 0.25):
        assert topo.bisection(rho).links == pytest.approx(min(topo.group_halves_cut() + rho * across,
                                                              rho * (topo.num_endpoints // 2)))


TINY = [
    dict(p=2, a=1, s=1, h=2, g=3),
    dict(p=1, a=2, s=1, h=2, g=3),
    dict(p=2, a=2, s=1, h=1, g=2),
    dict(p=3, a=2, s=2, h=1, g=3),
    dict(p=1, a=2, s=2, h=2, g=4),
    dict(p=2, a=3, s=2, h=1, g=3),
    dict(p=2, a=2, s=2, h=2, g=4),
    dict(p=2, a=3, s=3, h=0, g=1),
]


@pytest.mark.parametrize("params", TINY, ids=_id)
def test_bisection_interval_holds_the_exact_minimum(params):
    """Proven lower bound <= exact minimum balanced bisection (enumerated) <= the explicit cut; the kind
    is exact only when they meet."""
    topo = dfp(**params)
    arrays = to_arrays(topo.build())
    assert arrays.num_switches <= 20
    rhos = (1.0, 0.5, 0.25)
    exact = exact_bisections(arrays, rhos)
    for rho in rhos:
        bisection = topo.bisection(rho)
        assert bisection.proven_links <= exact[rho] + 1e-9 <= bisection.links + 2e-9, rho
        if bisection.kind == "exact":
            assert bisection.links == pytest.approx(exact[rho])


def test_balanced_bisection_interval_is_tight():
    """Balanced (p = s, h = a), one link per group pair: the congestion bound is within a few percent of
    the group-halves cut, about g^2/4 links, half the endpoints' bandwidth."""
    topo = dfp(radix=16)
    bisection = topo.bisection()
    assert bisection.kind == "upper_bound"
    # g = 65: 32 whole groups a side, one link per pair (32^2), and the middle group split 4 + 4 leaves,
    # 4 + 4 spines: 4*4 + 4*4 leaf-spine cables and |4*8 - 32| global ones
    assert (topo.global_cut(), topo.middle_split()) == (1024, (4, 32))
    assert bisection.links == 1056
    assert bisection.proven_links == 1043 >= 0.98 * bisection.links
    assert bisection.links / (topo.num_endpoints / 2) == pytest.approx(0.5077, abs=1e-4)


def test_fault_domains_match_graph_removal():
    topo = dfp(p=2, a=2, s=1, h=3, g=4)  # one spine per group: losing it cuts the group's leaves off
    graph = topo.build().to_networkx()
    domains = {d.component: d for d in topo.fault_domains()}
    assert domains["spine"].endpoints_disconnected == endpoints_disconnected(graph, ["g1-spine-0"]) == 4
    assert domains["leaf"].endpoints_disconnected == 2
    group = [n for n, grp in graph.nodes(data="group") if grp == 2]
    assert domains["group"].endpoints_disconnected == endpoints_disconnected(graph, group) == 4
    balanced = {d.component: d for d in dfp(radix=8).fault_domains()}
    assert (balanced["spine"].endpoints_disconnected, balanced["global link"].endpoints_disconnected) == (0, 0)


def test_bisection_shares_on_the_built_graph():
    """Even g: only global links cross the group-halves cut; the busiest spine and group counted on it."""
    topo = dfp(p=3, a=3, s=3, h=3)
    assert topo.g == 10
    arrays = to_arrays(topo.build())
    side = _group_halves_side(topo, arrays.names).astype(bool)
    crossing = side[arrays.edge_u] != side[arrays.edge_v]
    cut = int(arrays.edge_count[crossing].sum())
    per_switch = np.bincount(np.concatenate([arrays.edge_u[crossing], arrays.edge_v[crossing]]),
                             np.tile(arrays.edge_count[crossing], 2), minlength=arrays.num_switches)
    per_group = np.bincount(arrays.pods, per_switch, minlength=topo.g)
    shares = topo.bisection_shares()
    assert shares["spine"] == (pytest.approx(per_switch.max() / cut), True)
    assert shares["group"] == (pytest.approx(per_group.max() / cut), True)
    assert shares["leaf"] == (0.0, True) and shares["global link"] == (pytest.approx(1 / cut), True)


@pytest.mark.parametrize(
    "params, radix, path, text",
    [
        (dict(p=20, s=20), 32, "s", "leaf ports p + s = 20 + 20 = 40 exceed the switch radix 32"),
        (dict(p=40), 64, "p", "leaf ports p + s = 40 + 40 = 80 exceed the switch radix 64"),
        (dict(a=30, h=40), 64, "h", "spine ports a + h = 30 + 40 = 70 exceed the switch radix 64"),
        (dict(p=2, a=2, s=2, h=2, g=6), 8, "g", "g=6 exceeds s*h + 1 = 5, the most groups s*h global ports per group reach"),
        (dict(p=2, a=2, s=2, h=2, g=1), 8, "g", "g=1 leaves every global port uncabled; use h=0 or g >= 2"),
        (dict(p=2, a=2, s=1, h=3, g=3), 8, "g", "s*h*g = 9 global ports is odd, so one would stay uncabled; change g to 2 or 4"),
    ],
)
def test_invalid_parameters(params, radix, path, text):
    with pytest.raises(SpecError) as info:
        dfp(radix=radix, **params)
    assert info.value.path == path and text in info.value.message


@pytest.mark.parametrize(
    "params, radix, text",
    [
        # g set: the advice is to lower it, not to set it
        (dict(g=1_000_000), 64,
         "a Dragonfly+ of p=32, a=32, g=1000000: 1,024,000,000 endpoints, above the 1,000,000,000 topoctl handles; "
         "use a smaller g (at most 976,562 with p=32, a=32)"),
        # g the default s*h + 1: setting it helps
        (dict(), 4096,
         "a Dragonfly+ of p=2048, a=2048, g=4194305: 17,592,190,238,720 endpoints, above the 1,000,000,000 topoctl "
         "handles; set g (at most 238 with p=2048, a=2048) or lower s or h (g defaults to s*h + 1)"),
    ],
)
def test_too_many_endpoints_says_what_helps(params, radix, text):
    with pytest.raises(SpecError) as info:
        dfp(radix=radix, **params)
    assert (info.value.path, info.value.message) == ("g", text)


def test_variant_uses_the_singular_for_one():
    topo = dfp(radix=8, p=3, a=1, s=1, h=0, g=1)
    assert topo.variant == "unbalanced Dragonfly+, 1 group (maximum) of 1 leaf and 1 spine"
    assert dfp(radix=8, p=2, a=2, s=2, h=2).variant == "balanced Dragonfly+, 5 groups (maximum) of 2 leaves and 2 spines"


def test_sizing_picks_the_balanced_shape_at_a_hundred_thousand_endpoints():
    """One plane at half bisection: the balanced Dragonfly+ on radix 64 (p = a = s = h = 32 less one
    endpoint per leaf) holds 100,000 endpoints on fewer switches than any other family."""
    best = size(parse_requirement({"endpoints": 100_000, "min_bisection_ratio": 0.5}, "test")).best
    assert best.design.topology.family == "dragonfly_plus"
    topo = best.design.topology
    assert (topo.p, topo.a, topo.s, topo.h, topo.g) == (31, 32, 32, 32, 101)
    assert best.design.counts.num_switches == 6464
    assert best.bisection_proof is not None and best.bisection_proof.lower_bound_ratio >= 0.5


def _scalar_search(n, k, rho, per_cable, limit_hops, limit_blast, prunes):
    """The search ``searched_shapes`` makes, written plainly one (p, a) at a time from its definition: a
    shape meets the ratio when its proven cut (congestion_lower_bound, in millionths rounded down) reaches
    the cut it needs; the fewest s (h at its most, or one less), then the fewest h, by bisection."""
    import math
    from fractions import Fraction

    from topoctl.topologies.congestion import congestion_lower_bound
    from topoctl.topologies.dragonfly_plus import congestion_of, spine_loss

    def group_count(p, a, g0, s, h):
        return g0 if (s * h * g0) % 2 == 0 else g0 + 1

    def micro(p, a, s, h, g):
        bound = congestion_lower_bound(p * a * g, congestion_of(p, a, s, h, g), rho, p // 2 if (a * g) % 2 else 0)
        return math.floor(bound * 10**6)

    def meets(p, a, g0, s, h):
        g = group_count(p, a, g0, s, h)
        if g > s * h + 1 or (g == 1) != (h == 0):
            return False
        if limit_blast is not None and spine_loss(p, a, s, g) > limit_blast:
            return False
        need = math.ceil(per_cable * (p * a * g // 2))
        return need <= 0 or Fraction(micro(p, a, s, h, g), 10**6) >= need

    def fewest(low, high, holds):
        while low < high:
            mid = (low + high) // 2
            low, high = (low, mid) if holds(mid) else (mid + 1, high)
        return high

    out = []
    for p in range(1, k):
        if limit_blast is not None and p > limit_blast:
            break
        for a in range(1, k + 1):
            g0 = -(-n // (p * a))
            if limit_hops is not None and (3 if g0 > 1 else 2 if a > 1 else 0) > limit_hops:
                continue
            s_max, h_max = k - p, (0 if g0 == 1 else k - a)
            if g0 > 1 and s_max * h_max < g0 - 1:
                continue
            tops = [h for h in (h_max, h_max - 1) if h >= 0 and (h > 0) == (g0 > 1)]

            def top_at(s, p=p, a=a, g0=g0, tops=tops):
                return next((h for h in tops if s * h >= g0 - 1 and meets(p, a, g0, s, h)), None)

            if top_at(s_max) is None:
                g = group_count(p, a, g0, s_max, h_max)
                if not prunes and g <= s_max * h_max + 1 and (g == 1) == (h_max == 0):
                    out.append((p, a, s_max, h_max, g, micro(p, a, s_max, h_max, g)))
                continue
            s = fewest(max(1, -(-(g0 - 1) // h_max)) if g0 > 1 else 1, s_max, lambda x: top_at(x) is not None)
            h = fewest(-(-(g0 - 1) // s) if g0 > 1 else 0, top_at(s), lambda y, p=p, a=a, g0=g0, s=s: meets(p, a, g0, s, y))
            g = group_count(p, a, g0, s, h)
            out.append((p, a, s, h, g, micro(p, a, s, h, g)))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_array_search_finds_the_shapes_of_the_plain_search(seed):
    """searched_shapes (numpy, every (p, a) at once, closed-form bounds before the proven cut) against the
    plain search on random requests: radix 4-24, ratios, endpoint speeds, blast radius, hops, explaining."""
    import random
    from fractions import Fraction

    from topoctl.topologies.dragonfly_plus import searched_shapes

    rng = random.Random(seed)
    for _ in range(6):
        k = rng.randint(4, 24)
        n = rng.randint(2, k**4 // 8)
        rho = rng.choice([Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(2)])
        per_cable = rng.choice([Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(0)]) * rho
        blast = rng.choice([None, rng.randint(1, k)])
        hops = rng.choice([None, 2, 3])
        prunes = rng.random() < 0.7
        expected = _scalar_search(n, k, float(rho), per_cable, hops, blast, prunes)
        assert searched_shapes(n, k, range(1, k), float(rho), per_cable, hops, blast, prunes) == expected, (
            n, k, rho, per_cable, blast, hops, prunes)


def test_the_array_congestion_bound_equals_the_scalar_one_element_by_element():
    import random

    from topoctl.topologies.congestion import congestion_lower_bound, congestion_lower_bounds

    rng = random.Random(5)
    rows = [(rng.choice([rng.randint(0, 40), rng.randint(0, 10**6)]),
             rng.choice([float("inf"), rng.uniform(0.5, 1e7), rng.randint(1, 1000) / rng.randint(1, 7)]),
             rng.randint(0, 64)) for _ in range(20_000)]
    n, c, fewest = (list(column) for column in zip(*rows, strict=True))
    for rho in (1.0, 0.5, 0.25, 2.0, 1 / 3):
        got = congestion_lower_bounds(n, c, rho, fewest).tolist()
        assert got == [congestion_lower_bound(*row[:2], rho, row[2]) for row in rows]
