"""Dragonfly closed forms against built graphs; the global-link arrangement cables every port."""

from __future__ import annotations

import numpy as np
import pytest

from topoctl.errors import SpecError
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters


def dragonfly(radix: int = 64, **params) -> Dragonfly:
    return Dragonfly.from_parameters(DragonflyParameters(**params), radix)


CASES = [
    dict(p=1),  # balanced a=2, h=1, g=3
    dict(p=2),  # a=4, h=2, g=9
    dict(p=2, g=5),  # 8 ports over 4 other groups: 2 per pair
    dict(p=2, g=6),  # 8 = 1*5 + 3: odd circulant part, antipodal pairs
    dict(p=3, g=10),
    dict(p=4, a=8, h=4, g=20),
    dict(p=4, a=6, h=3, g=4),
    dict(p=2, a=3, h=2, g=7),  # unbalanced, a*h = 6 = g - 1
]


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_graph_matches_closed_forms(params):
    topo = dragonfly(**params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops()
    # every switch has exactly h global links and a - 1 local ones
    for group, per_switch in (("global", topo.h), ("intra-group", topo.a - 1)):
        mine = graph.edge_groups == group
        ends = np.concatenate([graph.edge_u[mine], graph.edge_v[mine]])
        cables = np.bincount(ends, np.tile(graph.edge_count[mine], 2), minlength=graph.num_switches)
        assert (cables == per_switch).all(), group


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_parallel_global_links_spread_evenly(params):
    topo = dragonfly(**params)
    m = topo.group_multiplicity()
    off_diagonal = m[~np.eye(topo.g, dtype=bool)]
    assert off_diagonal.max() - off_diagonal.min() <= 1 and off_diagonal.min() >= 1
    assert (m.sum(axis=1) == topo.a * topo.h).all() and (m == m.T).all()


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_bisection_is_the_cut_of_a_balanced_partition(params):
    topo = dragonfly(**params)
    graph = topo.build().to_networkx()
    order = [f"g{grp}-sw{s}" for grp in range(topo.g) for s in range(topo.a)]
    side_a = set(order[: (len(order) + 1) // 2])
    cut = sum(d["count"] for u, v, d in graph.edges(data=True) if (u in side_a) != (v in side_a))
    assert topo.switch_cut() == cut
    # side A holds p/2 endpoints more than half when a*g is odd: floor(p/2) are placed across
    across = topo.p // 2 if len(order) % 2 else 0
    assert topo.bisection().links == cut + across


def test_fault_domains_match_graph_removal():
    topo = dragonfly(p=2, g=6)
    graph = topo.build().to_networkx()
    domains = {d.component: d for d in topo.fault_domains()}
    assert domains["switch"].endpoints_disconnected == max(endpoints_disconnected(graph, [n]) for n in graph)
    group0 = [n for n, grp in graph.nodes(data="group") if grp == 0]
    assert domains["group"].endpoints_disconnected == endpoints_disconnected(graph, group0)


def test_paper_dragonfly_counts():
    counts = dragonfly(p=16, a=32, h=16, g=511).counts()
    assert counts.num_endpoints == 261_632 and counts.num_switches == 16_352
    assert {g.name: g.count for g in counts.link_groups} == {"intra-group": 253_456, "global": 130_816}


def test_defaults_are_the_balanced_maximum():
    topo = dragonfly()
    assert (topo.p, topo.a, topo.h, topo.g) == (16, 32, 16, 513)


@pytest.mark.parametrize(
    "params, path, text",
    [
        (dict(p=16, a=32, h=16, g=514), "g", "exceeds a*h + 1 = 513"),
        (dict(p=16, a=40, h=16), "a", "exceed the switch radix 64"),
        (dict(p=1, a=3, h=1, g=3), "g", "is odd"),
        (dict(p=2, a=2, h=1, g=1), "g", "uncabled"),
    ],
)
def test_invalid_parameters(params, path, text):
    with pytest.raises(SpecError) as info:
        dragonfly(**params)
    assert info.value.path == path and text in info.value.message


def _min_bisection_by_enumeration(graph) -> int:
    """The exact minimum over cuts splitting the switches evenly (tiny graphs only)."""
    from itertools import combinations

    nodes = sorted(graph)
    first, rest = nodes[0], nodes[1:]
    best = None
    for others in combinations(rest, len(nodes) // 2 - 1):
        side = {first, *others}
        cut = sum(d["count"] for u, v, d in graph.edges(data=True) if (u in side) != (v in side))
        best = cut if best is None else min(best, cut)
    return best


@pytest.mark.parametrize(
    "params",
    [dict(p=1), dict(p=2, a=2, h=1, g=2), dict(p=1, a=3, h=1, g=4), dict(p=2, a=2, h=2, g=4), dict(p=1, a=4, h=1, g=4)],
    ids=str,
)
def test_lower_bound_below_the_exact_minimum_bisection(params):
    topo = dragonfly(**params)
    bisection = topo.bisection()
    exact = _min_bisection_by_enumeration(topo.build().to_networkx())
    assert bisection.proven_links <= exact <= bisection.links


@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_lower_bound_not_refuted_by_metis(params):
    from topoctl.metrics.bisection import metis_bisection

    topo = dragonfly(**params)
    cut, _, imbalance = metis_bisection(topo.build())
    lower = topo.bisection().proven_links
    assert lower <= topo.bisection().links
    if imbalance == 0:
        assert lower <= cut


def test_paper_dragonfly_bisection_interval_is_tight():
    bisection = dragonfly(p=16, a=32, h=16, g=511).bisection()
    # (N/2)^2 / C with C = 2 a p^2 h / c0 + p^2 = 262,400 local-link units: 65,217 links
    assert (bisection.proven_links, bisection.links) == (65_217, 65_282)


ARRANGEMENTS = [dict(arrangement="consecutive"), dict(arrangement="palmtree"),
                dict(arrangement="random", arrangement_seed=0), dict(arrangement="random", arrangement_seed=5)]


@pytest.mark.parametrize("arrangement", ARRANGEMENTS, ids=lambda a: "-".join(map(str, a.values())))
@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_every_arrangement_cables_every_port_and_keeps_the_counts(params, arrangement):
    topo = dragonfly(**params, **arrangement)
    graph = topo.build()
    check_graph(topo, graph)
    assert topo.counts() == dragonfly(**params).counts()
    mine = graph.edge_groups == "global"
    ends = np.concatenate([graph.edge_u[mine], graph.edge_v[mine]])
    cables = np.bincount(ends, np.tile(graph.edge_count[mine], 2), minlength=graph.num_switches)
    assert (cables == topo.h).all()
    # the group multiplicity is the arrangement's invariant: every arrangement joins the same group pairs
    between = np.zeros((topo.g, topo.g), dtype=np.int64)
    np.add.at(between, (graph.pods[graph.edge_u[mine]], graph.pods[graph.edge_v[mine]]), graph.edge_count[mine])
    assert ((between + between.T) == topo.group_multiplicity()).all()


@pytest.mark.parametrize("arrangement", ARRANGEMENTS, ids=lambda a: "-".join(map(str, a.values())))
@pytest.mark.parametrize("params", CASES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_switch_cut_is_the_graph_cut_in_every_arrangement(params, arrangement):
    topo = dragonfly(**params, **arrangement)
    graph = topo.build()
    side = np.zeros(graph.num_switches, dtype=bool)
    if topo.g % 2 == 0 or topo.g == 1:
        side[: (graph.num_switches + 1) // 2] = True
    else:
        c = (topo.g - 1) // 2
        side[: c * topo.a] = True
        side[c * topo.a + np.array(topo.split_group_side(), dtype=np.int64)] = True
    crossing = side[graph.edge_u] != side[graph.edge_v]
    assert topo.switch_cut() == int(graph.edge_count[crossing].sum())


@pytest.mark.parametrize("params", [dict(p=2, g=9), dict(p=2, g=5), dict(p=2, g=6), dict(p=3, g=10)])
def test_palmtree_moves_onto_itself_group_by_group(params):
    topo = dragonfly(**params, arrangement="palmtree")
    graph = topo.build()
    n, step = graph.num_switches, topo.switch_rotation()
    assert step == topo.a
    keys = set(zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True))
    moved = {(min((u + step) % n, (v + step) % n), max((u + step) % n, (v + step) % n), k) for u, v, k in keys}
    assert moved == keys
    assert dragonfly(**params).switch_rotation() is None


def test_random_arrangement_is_seeded():
    one = dragonfly(p=2, g=9, arrangement="random", arrangement_seed=1).build()
    again = dragonfly(p=2, g=9, arrangement="random", arrangement_seed=1).build()
    other = dragonfly(p=2, g=9, arrangement="random", arrangement_seed=2).build()
    assert np.array_equal(one.edge_u, again.edge_u) and np.array_equal(one.edge_v, again.edge_v)
    assert not (np.array_equal(one.edge_u, other.edge_u) and np.array_equal(one.edge_v, other.edge_v))


def test_table3_dragonfly_defaults_to_the_consecutive_arrangement():
    """Table 3's outputs are unchanged: the default arrangement is not printed, and the cabling note says
    that its figures assume the consecutive one."""
    topo = dragonfly(p=16, a=32, h=16, g=511)
    assert topo.arrangement == "consecutive" and "arrangement" not in topo.parameters()
    assert "consecutive" in (topo.cabling_note() or "") and "Table 3" in (topo.cabling_note() or "")
    palm = dragonfly(p=16, a=32, h=16, g=511, arrangement="palmtree")
    assert palm.parameters()["arrangement"] == "palmtree" and "palmtree" in palm.variant
    assert palm.switch_cut() == topo.switch_cut() and palm.counts() == topo.counts()
    shuffled = dragonfly(p=16, a=32, h=16, g=511, arrangement="random", arrangement_seed=7)
    assert shuffled.parameters()["arrangement_seed"] == 7 and shuffled.bisection_shares() == {}


def test_bad_arrangement_names_the_valid_ones():
    with pytest.raises(Exception, match="consecutive"):
        DragonflyParameters(arrangement="diagonal")


def test_the_one_group_cut_in_integers_is_sizing_cut():
    """Dragonfly.one_group_cut_meets, which the sizing rows ask of every (p, a) one group holds, says exactly
    whether sizing_cut(p, a, 0, 1, rho) >= need, on 5,000 random cases of endpoint speeds below the port's."""
    import random
    from fractions import Fraction

    rng = random.Random(7)
    for _ in range(5000):
        p, a, need = rng.randint(1, 300), rng.randint(2, 300), rng.randint(0, 45000)
        rho = Fraction(rng.choice([1, 1, 2, 3]), rng.choice([1, 2, 3, 4]))
        assert Dragonfly.one_group_cut_meets(p, a, rho.numerator, rho.denominator, need) == (
            Dragonfly.sizing_cut(p, a, 0, 1, rho) >= need), (p, a, rho, need)
