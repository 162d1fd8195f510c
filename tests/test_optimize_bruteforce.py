"""The sizer is optimal: on many small instances (including infeasible ones) its objective equals the best
found by brute force over every family parameter, each design built and priced through the normal
library path (topoctl.design.resolve) and judged by its own report, not by the sizer's closed forms.

The search space is the sizer's stated one: fat trees hold exactly N endpoints (any k <= radix, any leaf
split, 2 or 3 tiers, planes and NIC ports as allowed), and three-tier trees of every explicit construction
(tests/tree_construction_oracle.py: pods, edges and aggregation switches per pod, cable multiplicities,
core groups; judged by that module's own arithmetic, its winner rebuilt through the library); dragonflies have any p, a, h and the fewest groups
g >= N/(p*a) with a*h*g even; slim flies any valid q and the fewest p with 2q^2 p >= N.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil

import pytest
from tree_construction_oracle import best_construction

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.optimize import InfeasibleError, parse_requirement, size
from topoctl.optimize.candidates import nic_power_mw, powers_of, prices_of
from topoctl.optimize.result import proven_bisection
from topoctl.report import design_report
from topoctl.spec import DesignSpec, SwitchSpec
from topoctl.topologies import FAMILIES
from topoctl.topologies.base import BoundKind

SWITCH_COMPONENTS = {"leaf", "spine", "edge", "aggregation", "core", "switch"}
# The families _designs enumerates, in registry order (so the seeded instances stay the same); a family
# added to the registry is sampled once _designs knows its search space.
ORACLE_FAMILIES = [name for name in FAMILIES if name in ("fat_tree", "multiplane_fat_tree", "dragonfly", "slim_fly")]


def _designs(req):
    """Every design of the search space for ``req`` through the library path (parameters, family)."""
    n, radix, g_node = req.num_endpoints, req.switches[0].radix, req.endpoints_per_node
    if "fat_tree" in req.families or "multiplane_fat_tree" in req.families:
        for tiers in range(2, req.max_tiers + 1):
            for planes in range(1, req.max_planes + 1):
                family = "fat_tree" if planes == 1 else "multiplane_fat_tree"
                if family not in req.families:
                    continue
                for ports in range(1, min(planes, req.max_ports_per_endpoint) + 1):
                    if planes == 1 and ports > 1:
                        continue
                    for k in range(2, radix + 1):
                        for down in range(1, k):
                            params = {"k": k, "tiers": tiers, "oversubscription": down / (k - down), "endpoints": n}
                            if family == "multiplane_fat_tree":
                                params.update(planes=planes, endpoints_per_node=g_node, ports_per_endpoint=ports)
                            yield family, params
    if "dragonfly" in req.families:
        for p in range(1, radix + 1):
            for a in range(1, radix + 1):
                for h in range(0, radix - p - a + 2):
                    g = ceil(n / (p * a))
                    g += (a * h * g) % 2
                    yield "dragonfly", {"p": p, "a": a, "h": h, "g": g}
    if "slim_fly" in req.families:
        for q in range(3, radix + 1):
            p = max(1, ceil(n / (2 * q * q)))
            yield "slim_fly", {"q": q, "p": p}


def brute_force(req):
    """The best objective value over the search space, in the sizer's integer units, or None."""
    best = None
    speed = req.speed_gbps()
    switch = req.switches[0]
    # the option's model, radix and price; the requirement's cable prices over every design's
    chosen = SwitchSpec(model=switch.model, radix=switch.radix, price_usd=switch.price_usd)
    for family, params in _designs(req):
        spec = DesignSpec(family=family, parameters=params, endpoint_speed_gbps=speed, switch=chosen, prices=req.prices)
        try:
            design = resolve(spec)
        except SpecError:
            continue
        r = design_report(design)
        if r.num_endpoints < req.num_endpoints:
            continue
        bisection = r.bisection.ratio
        if req.max_hops is not None and r.diameter_hops > req.max_hops:
            continue
        blast = max((d.endpoints_disconnected for d in r.fault_domains if d.component in SWITCH_COMPONENTS), default=0)
        if req.max_blast_radius is not None and blast > req.max_blast_radius:
            continue
        total = r.num_switches * switch.radix
        if 100 * (total - r.num_endpoint_links - 2 * r.num_switch_links) < req.spare_ports_percent * total:
            continue
        cents = round(design.cost.total_usd * 100)
        if req.max_cost_usd is not None and cents > req.max_cost_usd * 100:
            continue
        if r.bisection.kind is BoundKind.UPPER_BOUND and req.min_bisection_ratio > 0 and bisection >= req.min_bisection_ratio - 1e-6:
            bisection = proven_bisection(design).lower_bound_ratio  # an upper bound proves nothing
        if bisection < req.min_bisection_ratio - 1e-6:
            continue
        value = {"cost": cents, "switches": r.num_switches, "cost_per_endpoint": -(-1000 * cents // r.num_endpoints),
                 "power": round(r.footprint.power_w * 1000)}[req.objective]
        best = value if best is None else min(best, value)
    config = req.switch_configs()[0]
    p, w = prices_of(config, req.price_book(config)), powers_of(config, req)
    built = best_construction(req, (p.switch_cents, p.endpoint_cable_cents, p.electric_link_cents, p.optical_link_cents),
                              (w.switch_cents, w.endpoint_cable_cents, w.electric_link_cents, w.optical_link_cents),
                              lambda ports: nic_power_mw(config, req, ports, req.num_endpoints))
    if built is not None and (best is None or built[0] < best):
        value, found = built
        # the library agrees with the oracle's arithmetic on the construction that wins
        design = resolve(DesignSpec(family=found["family"], parameters=found["parameters"], endpoint_speed_gbps=speed,
                                    switch=chosen, prices=req.prices))
        assert round(design.cost.total_usd * 100) == found["cents"], found
        if req.objective == "power":
            assert round(design_report(design).footprint.power_w * 1000) == found["value"], found
        assert design_report(design).bisection.ratio >= req.min_bisection_ratio - 1e-6, found
        best = value
    return best


def _instances(count, seed):
    rng = random.Random(seed)
    out = []
    for index in range(count):
        radix = rng.choice([4, 5, 6, 8, 10, 12, 16])
        fields = {
            "endpoints": rng.randint(1, min(3000, radix**3 // 4)),
            "endpoints_per_node": rng.choice([1, 2, 4, 8]),
            "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
            "families": rng.sample(ORACLE_FAMILIES, rng.randint(1, len(ORACLE_FAMILIES))),
            "max_tiers": rng.choice([2, 3, 3]),
            "max_planes": rng.choice([1, 2, 4, 8]),
            "max_ports_per_endpoint": rng.choice([1, 1, 2, 4]),
            "min_bisection_ratio": rng.choice([0.0, 0.25, 0.5, 1.0, 1.0]),
            "max_hops": rng.choice([None, None, 2, 3, 4]),
            "max_blast_radius": rng.choice([None, None, radix // 2, radix]),
            "spare_ports_percent": rng.choice([0, 0, 0, 10]),
            "objective": rng.choice(["cost", "switches", "cost_per_endpoint"]),
        }
        out.append(pytest.param({k: v for k, v in fields.items() if v is not None}, id=f"case{index}"))
    return out


def _check(fields, oracle=None):
    """The sizer's optimum equals the oracle's (``brute_force`` unless given), or both find nothing."""
    req = parse_requirement(fields, "test")
    expected = (oracle or brute_force)(req)
    try:
        got = size(req).best
    except InfeasibleError:
        assert expected is None, f"sizer says infeasible, brute force found {expected}"
        return False
    assert expected is not None, f"brute force found nothing, sizer chose {got.solution.candidate.label()}"
    assert got.stats.objective == expected
    return True


@pytest.mark.parametrize("fields", _instances(200, seed=3))
def test_sizer_matches_brute_force(fields):
    _check(fields)


@pytest.mark.parametrize("fields", [pytest.param({**case.values[0], "objective": "power"}, id=f"power-{case.id}")
                                    for case in _instances(40, seed=11)])
def test_sizer_matches_brute_force_under_a_power_objective(fields):
    """Power in milliwatts: the fixed shapes' closed forms and the decided constructions' model against every
    design's count-based footprint (switches, optics, NICs) and the construction oracle at unit powers."""
    _check(fields)


@pytest.mark.parametrize(
    "fields",
    [
        # fat trees only at radix up to 32 (the direct networks' brute force is too slow there)
        {"endpoints": 2500, "switches": [{"model": "ib-ndr-64x400g", "radix": 32}], "families": ["fat_tree"]},
        {"endpoints": 1000, "switches": [{"model": "ib-ndr-64x400g", "radix": 32}], "families": ["fat_tree"],
         "max_blast_radius": 8, "min_bisection_ratio": 0.5},
        {"endpoints": 3000, "switches": [{"model": "ib-ndr-64x400g", "radix": 24}], "families": ["fat_tree", "multiplane_fat_tree"],
         "max_tiers": 2, "max_planes": 4, "min_bisection_ratio": 1.0},
        {"endpoints": 600, "switches": [{"model": "ib-ndr-64x400g", "radix": 16}], "families": ["fat_tree"],
         "objective": "switches", "spare_ports_percent": 25},
    ],
)
def test_sizer_matches_brute_force_at_larger_radix(fields):
    _check(fields)


def test_the_random_instances_include_infeasible_ones():
    outcomes = [_check(p.values[0]) for p in _instances(200, seed=3)[:40]]
    assert not all(outcomes) and any(outcomes)


@pytest.mark.slow
def test_the_oracle_finds_the_sizers_811_switch_tree_at_radix_64():
    """10,000 endpoints at radix 64 on one plane: neither two tiers nor one pod holds them, so the best
    design is the best construction; the oracle enumerates all 2.4 million and agrees with the solver."""
    fields = {"endpoints": 10000, "switches": [{"model": "ib-ndr-64x400g"}], "families": ["fat_tree"],
              "max_planes": 1}
    req = parse_requirement(fields, "test")
    p = prices_of(req.switch_configs()[0], req.price_book())
    expected, found = best_construction(
        req, (p.switch_cents, p.endpoint_cable_cents, p.electric_link_cents, p.optical_link_cents))
    got = size(req).best
    assert got.stats.objective == expected == found["cents"]
    assert got.design.counts.num_switches == 811


def _rail_only_best(req):
    """The best objective over every rail-only design of the sizer's space: one switch or a leaf-split tree
    per rail through the library path, and every three-tier construction per rail by the construction
    oracle's own arithmetic (rails are copies: R rails of n/R endpoints cost R plane trees)."""
    from tree_construction_oracle import constructions, figures

    n, g, switch = req.num_endpoints, req.endpoints_per_node, req.switches[0]
    radix, speed = switch.radix, req.speed_gbps()
    if n % g:
        return None
    best = None

    def consider(value):
        nonlocal best
        best = value if best is None else min(best, value)

    for rails in (r for r in range(2, min(g, req.max_planes) + 1) if g % r == 0):
        for tiers in range(1, req.max_tiers + 1):
            shapes = [(radix, 1)] if tiers == 1 else [(k, d) for k in range(2, radix + 1) for d in range(1, k)]
            for k, down in shapes:
                params = {"scale_up_domain": g, "rails": rails, "k": k, "tiers": tiers, "endpoints": n}
                if tiers > 1:
                    params["oversubscription"] = down / (k - down)
                try:
                    design = resolve(DesignSpec(family="rail_only", parameters=params, endpoint_speed_gbps=speed,
                                                switch=SwitchSpec(model=switch.model, radix=radix)))
                except SpecError:
                    continue
                r = design_report(design)
                blast = max((d.endpoints_disconnected for d in r.fault_domains if d.component in SWITCH_COMPONENTS),
                            default=0)
                total = r.num_switches * radix
                if ((req.max_hops is not None and r.diameter_hops > req.max_hops)
                        or (req.max_blast_radius is not None and blast > req.max_blast_radius)
                        or 100 * (total - r.num_endpoint_links - 2 * r.num_switch_links) < req.spare_ports_percent * total
                        or r.bisection.ratio < req.min_bisection_ratio - 1e-6):
                    continue
                cents = round(design.cost.total_usd * 100)
                consider({"cost": cents, "switches": r.num_switches,
                          "cost_per_endpoint": -(-1000 * cents // n)}[req.objective])
        if req.max_tiers < 3 or (req.max_hops is not None and req.max_hops < 4):
            continue
        config = req.switch_configs()[0]
        p = prices_of(config, req.price_book())
        rho = Fraction(speed).limit_denominator(10**6) / Fraction(config.port_speed_gbps)
        k = radix - radix % 2
        for c in constructions(n // rails, k):
            f = figures(n // rails, k, c, rho, 1)
            total = rails * f["switches"] * radix
            used = n + 2 * rails * (f["electric"] + f["optical"])
            if (f["ratio"] < Fraction(req.min_bisection_ratio).limit_denominator(1000)
                    or (req.max_blast_radius is not None and f["blast"] > req.max_blast_radius)
                    or 100 * (total - used) < req.spare_ports_percent * total):
                continue
            cents = (rails * (f["switches"] * p.switch_cents + f["electric"] * p.electric_link_cents
                              + f["optical"] * p.optical_link_cents) + n * p.endpoint_cable_cents)
            consider({"cost": cents, "switches": rails * f["switches"],
                      "cost_per_endpoint": -(-1000 * cents // n)}[req.objective])
    return best


def _rail_only_instances(count, seed):
    rng = random.Random(seed)
    out = []
    for index in range(count):
        radix = rng.choice([4, 6, 8, 10])
        node = rng.choice([2, 4, 8])
        fields = {
            "nodes": rng.randint(1, max(1, radix**3 // (2 * node))),
            "endpoints_per_node": node,
            "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
            "families": ["rail_only"],
            "max_tiers": rng.choice([2, 3, 3]),
            "max_planes": rng.choice([2, 4, 8]),
            "min_bisection_ratio": rng.choice([0.0, 0.5, 1.0, 1.0]),
            "max_blast_radius": rng.choice([None, None, radix // 2]),
            "spare_ports_percent": rng.choice([0, 0, 10]),
            "objective": rng.choice(["cost", "switches", "cost_per_endpoint"]),
        }
        out.append(pytest.param({k: v for k, v in fields.items() if v is not None}, id=f"rail-{index}"))
    return out


@pytest.mark.parametrize("fields", _rail_only_instances(30, seed=5))
def test_rail_only_sizing_matches_its_designs_and_every_rail_construction(fields):
    """Rail-only rails of three tiers are constructions the solver decides too: its optimum equals the best
    of every library-built rail-only design and every construction per rail."""
    _check(fields, _rail_only_best)


def _judged(req, family, params):
    """(objective, design) of the library-built ``family`` design of ``params`` when it meets ``req`` (hops,
    blast radius, spare ports, bisection by its own report), else None."""
    switch = req.switches[0]
    try:
        design = resolve(DesignSpec(family=family, parameters=params, endpoint_speed_gbps=req.speed_gbps(),
                                    switch=SwitchSpec(model=switch.model, radix=switch.radix)))
    except SpecError:
        return None
    r = design_report(design)
    blast = max((d.endpoints_disconnected for d in r.fault_domains if d.component in SWITCH_COMPONENTS), default=0)
    total = r.num_switches * switch.radix
    if ((req.max_hops is not None and r.diameter_hops > req.max_hops)
            or (req.max_blast_radius is not None and blast > req.max_blast_radius)
            or 100 * (total - r.num_endpoint_links - 2 * r.num_switch_links) < req.spare_ports_percent * total
            or r.bisection.ratio < req.min_bisection_ratio - 1e-6):
        return None
    cents = round(design.cost.total_usd * 100)
    value = {"cost": cents, "switches": r.num_switches, "cost_per_endpoint": -(-1000 * cents // r.num_endpoints),
             "power": round(r.footprint.power_w * 1000)}[req.objective]
    return value, design


def _mrft_best(req):
    """The best objective over every multi-rail fat tree of the sizer's space: every leaf-split tree (any
    k <= radix, any split, 2 or 3 tiers) through the library path, and every rail-aligned three-tier
    construction (edges per pod a multiple of G) by the construction oracle's own arithmetic; the winning
    construction is rebuilt through the library, its cost equal to the oracle's and its counts to its
    built graph's."""
    from tree_construction_oracle import constructions, figures

    from topoctl.topologies.check import check_graph

    n, g, switch = req.num_endpoints, req.endpoints_per_node, req.switches[0]
    radix, speed = switch.radix, req.speed_gbps()
    if n % g:
        return None
    best = None

    for tiers in range(2, req.max_tiers + 1):
        for k in range(2, radix + 1):
            for down in range(1, k):
                found = _judged(req, "mrft", {"endpoints_per_node": g, "k": k, "tiers": tiers, "oversubscription": down / (k - down),
                                "endpoints": n})
                if found is not None and (best is None or found[0] < best):
                    best = found[0]
    if req.max_tiers < 3 or (req.max_hops is not None and req.max_hops < 4):
        return best
    config = req.switch_configs()[0]
    p = prices_of(config, req.price_book())
    rho = Fraction(speed).limit_denominator(10**6) / Fraction(config.port_speed_gbps)
    need = Fraction(req.min_bisection_ratio).limit_denominator(1000)
    winner = None
    for c in constructions(n, radix, edge_multiple=g):
        f = figures(n, radix, c, rho, 1)
        total = f["switches"] * radix
        if (f["ratio"] < need or (req.max_blast_radius is not None and f["blast"] > req.max_blast_radius)
                or 100 * (total - n - 2 * (f["electric"] + f["optical"])) < req.spare_ports_percent * total):
            continue
        cents = (f["switches"] * p.switch_cents + f["electric"] * p.electric_link_cents
                 + f["optical"] * p.optical_link_cents + n * p.endpoint_cable_cents)
        value = {"cost": cents, "switches": f["switches"], "cost_per_endpoint": -(-1000 * cents // n)}[req.objective]
        if best is None or value < best:
            best, winner = value, (c, f, cents)
    if winner is not None:
        c, f, cents = winner
        names = ("pods", "edges_per_pod", "aggregations_per_pod", "edge_aggregation_links",
                 "aggregations_per_core_group", "cores_per_group", "aggregation_core_links")
        value, design = _judged(req, "mrft", {"endpoints_per_node": g, "k": radix, "tiers": 3, "endpoints": n,
                                "construction": dict(zip(names, c, strict=True))})
        assert (value, round(design.cost.total_usd * 100)) == (best, cents), c
        graph = design.topology.build()
        check_graph(design.topology, graph)
        assert (graph.num_switches, int(graph.edge_count.sum())) == (f["switches"], f["electric"] + f["optical"]), c
    return best


def _mrft_instances(count, seed):
    rng = random.Random(seed)
    out = []
    for index in range(count):
        radix = rng.choice([8, 9, 10, 12, 14, 16])
        node = rng.choice([1, 2, 4, 4])
        fields = {
            "nodes": rng.randint(1, max(1, radix**3 // (4 * node))),
            "endpoints_per_node": node,
            "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
            "families": ["mrft"],
            "max_tiers": rng.choice([2, 3, 3, 3]),
            "min_bisection_ratio": rng.choice([0.0, 0.5, 1.0, 1.0]),
            "max_hops": rng.choice([None, None, None, 2]),
            "max_blast_radius": rng.choice([None, None, radix // 2]),
            "spare_ports_percent": rng.choice([0, 0, 10]),
            "objective": rng.choice(["cost", "switches", "cost_per_endpoint"]),
        }
        out.append(pytest.param({k: v for k, v in fields.items() if v is not None}, id=f"mrft-{index}"))
    return out


@pytest.mark.parametrize("fields", _mrft_instances(40, seed=7))
def test_multi_rail_sizing_matches_its_designs_and_every_rail_aligned_construction(fields):
    """Multi-rail trees of three tiers are rail-aligned constructions the solver decides: its optimum equals
    the best of every library-built multi-rail design and every construction whose pods hold the same
    leaves of each rail (edges per pod a multiple of G)."""
    _check(fields, _mrft_best)


@pytest.mark.slow
@pytest.mark.parametrize("endpoints, switches", [(10000, 811), (10240, 896)])
def test_the_oracle_finds_the_sizers_multi_rail_trees_at_radix_64(endpoints, switches):
    """8-GPU nodes at radix 64, one plane, full bisection: the oracle enumerates every rail-aligned
    construction (about 300,000, edges per pod a multiple of 8) and agrees with the solver: 10,000 GPUs on the
    decided 811-switch tree, 10,240 on 896 switches, where no rail-aligned construction beats the leaf-split
    tree (the fat tree's unaligned construction takes 864)."""
    from tree_construction_oracle import constructions, figures

    fields = {"endpoints": endpoints, "endpoints_per_node": 8, "families": ["mrft"], "max_planes": 1}
    req = parse_requirement(fields, "test")
    config = req.switch_configs()[0]
    p = prices_of(config, req.price_book())
    rho = Fraction(req.speed_gbps()).limit_denominator(10**6) / Fraction(config.port_speed_gbps)
    best = None
    for c in constructions(endpoints, 64, edge_multiple=8):
        f = figures(endpoints, 64, c, rho, 1)
        if f["ratio"] >= 1:
            cents = (f["switches"] * p.switch_cents + f["electric"] * p.electric_link_cents
                     + f["optical"] * p.optical_link_cents + endpoints * p.endpoint_cable_cents)
            if best is None or (cents, f["switches"]) < best:
                best = (cents, f["switches"])
    got = size(req).best
    assert best == (got.stats.objective, switches) and got.design.counts.num_switches == switches


def _unit_splits(construction, g, nodes):
    """Every (U, N_su, l) a rail-optimized construction can take for ``nodes`` nodes of G endpoints (the
    family's rail alignment, rail_optimized.py): P = G*X pods, U = X*W units, E = W*l leaves per pod, U*N_su
    = nodes, l <= N_su."""
    pods, edges = construction[0], construction[1]
    if pods % g:
        return
    groups = pods // g
    for width in (w for w in range(1, edges + 1) if edges % w == 0):
        units, per_rail = groups * width, edges // width
        if nodes % units == 0 and per_rail <= nodes // units:
            yield units, nodes // units, per_rail


def _rail_optimized_best(req):
    """The best objective over every rail-optimized design of the sizer's space: every leaf-split shape (an SU
    of d nodes on each split d:u of the radix, 2 or 3 tiers, the fewest units that resolve) through the
    library path, and every three-tier construction whose SLGs hold whole SUs of one rail (each way of
    splitting the nodes into SUs) by the construction oracle's enumeration with its blast radius, ports and
    prices written here: an SLG holds W*N_su endpoints, a lone spine of an SLG loses min(W*N_su, n - busiest
    leaf), a lone core n - W*N_su, and every cable is optical. The winning construction is rebuilt through
    the library, its cost equal to the oracle's and its counts to its built graph's."""
    from tree_construction_oracle import bisection_cables, constructions

    from topoctl.topologies.check import check_graph

    n, g, switch = req.num_endpoints, req.endpoints_per_node, req.switches[0]
    radix, speed = switch.radix, req.speed_gbps()
    if n % g:
        return None
    nodes = n // g
    best = None


    for tiers in range(2, req.max_tiers + 1):
        k = radix if tiers == 2 else radix - radix % 2
        for down in range(1, k):
            up = down if 2 * down < k and k % 2 == 0 else k - down
            least = -(-nodes // down)
            for units in range(least, 2 * least + 1):  # the fewest units that resolve
                params = {"endpoints_per_node": g, "nodes_per_unit": down, "units": units, "k": k,
                          "oversubscription": down / up, "tiers": tiers}
                try:
                    resolve(DesignSpec(family="rail_optimized", parameters=params, endpoint_speed_gbps=speed,
                                       switch=SwitchSpec(model=switch.model, radix=radix)))
                except SpecError:
                    continue
                found = _judged(req, "rail_optimized", params)
                if found is not None and (best is None or found[0] < best):
                    best = found[0]
                break
    if req.max_tiers < 3 or (req.max_hops is not None and req.max_hops < 4):
        return best
    config = req.switch_configs()[0]
    p, w = prices_of(config, req.price_book()), powers_of(config, req)
    rho = Fraction(speed).limit_denominator(10**6) / Fraction(config.port_speed_gbps)
    need = Fraction(req.min_bisection_ratio).limit_denominator(1000)
    winner = None
    for c in constructions(n, radix, pod_multiple=g):
        splits = list(_unit_splits(c, g, nodes))
        if not splits:
            continue
        pods, edges, aggs, m1, h, per_group, m2 = c
        leaves, up, cores = pods * edges, aggs * m1, aggs // h * per_group
        half = n // 2
        cut = bisection_cables(n, leaves, up, rho)
        if (cut / (rho * half) if half else Fraction(1)) < need:
            continue
        switches, cables = leaves + pods * aggs + cores, leaves * up + pods * aggs * per_group * m2
        total = switches * radix
        if 100 * (total - n - 2 * cables) < req.spare_ports_percent * total:
            continue
        cents = switches * p.switch_cents + cables * p.optical_link_cents + n * p.endpoint_cable_cents
        value = {"cost": cents, "switches": switches, "cost_per_endpoint": -(-1000 * cents // n),
                 "power": (switches * w.switch_cents + cables * w.optical_link_cents + n * w.endpoint_cable_cents
                           + nic_power_mw(config, req, 1, n))}[req.objective]
        if best is not None and value >= best:
            continue
        for units, per_unit, per_rail in splits:
            busiest, group = -(-per_unit // per_rail), units // (pods // g) * per_unit
            blast = max(busiest, min(group, n - busiest) if aggs == 1 else 0, n - group if cores == 1 else 0)
            if req.max_blast_radius is None or blast <= req.max_blast_radius:
                best, winner = value, (c, units, per_unit, switches, cables, cents)
                break
    if winner is not None:
        c, units, per_unit, switches, cables, cents = winner
        names = ("pods", "edges_per_pod", "aggregations_per_pod", "edge_aggregation_links",
                 "aggregations_per_core_group", "cores_per_group", "aggregation_core_links")
        value, design = _judged(req, "rail_optimized", {"endpoints_per_node": g, "nodes_per_unit": per_unit, "units": units, "k": radix,
                                "construction": dict(zip(names, c, strict=True))})
        assert (value, round(design.cost.total_usd * 100)) == (best, cents), c
        graph = design.topology.build()
        check_graph(design.topology, graph)
        assert (graph.num_switches, int(graph.edge_count.sum())) == (switches, cables), c
    return best


def _rail_optimized_instances(count, seed):
    rng = random.Random(seed)
    out = []
    for index in range(count):
        radix = rng.choice([8, 9, 10, 12, 14, 16])
        node = rng.choice([1, 2, 4, 4, 8])
        fields = {
            "nodes": rng.randint(1, max(1, radix**3 // (4 * node))),
            "endpoints_per_node": node,
            "switches": [{"model": "ib-ndr-64x400g", "radix": radix}],
            "families": ["rail_optimized"],
            "max_tiers": rng.choice([2, 3, 3, 3]),
            "min_bisection_ratio": rng.choice([0.0, 0.5, 1.0, 1.0]),
            "max_hops": rng.choice([None, None, None, 2]),
            "max_blast_radius": rng.choice([None, None, radix // 2, 4 * radix]),
            "spare_ports_percent": rng.choice([0, 0, 10]),
            "objective": rng.choice(["cost", "switches", "cost_per_endpoint", "power"]),
        }
        out.append(pytest.param({k: v for k, v in fields.items() if v is not None}, id=f"railopt-{index}"))
    return out


@pytest.mark.parametrize("fields", _rail_optimized_instances(40, seed=13))
def test_rail_optimized_sizing_matches_its_designs_and_every_scalable_unit_construction(fields):
    """Rail-optimized fabrics of three tiers are constructions the solver decides, their SLGs whole SUs of
    one rail: its optimum equals the best of every library-built leaf-split shape and every such
    construction (any split of the nodes into SUs)."""
    _check(fields, _rail_optimized_best)


@pytest.mark.slow
def test_the_oracle_finds_the_sizers_rail_optimized_fabric_at_radix_64():
    """10,240 GPUs in 8-GPU nodes at radix 64, one plane, full bisection: the oracle enumerates every
    construction whose SLGs hold whole SUs of one rail (pods a multiple of 8) and agrees with the solver's
    896 switches (40 SUs of 32 nodes), where the best leaf-split shape takes 977."""
    from tree_construction_oracle import bisection_cables, constructions

    n, g = 10240, 8
    fields = {"endpoints": n, "endpoints_per_node": g, "families": ["rail_optimized"], "max_planes": 1}
    req = parse_requirement(fields, "test")
    config = req.switch_configs()[0]
    p = prices_of(config, req.price_book())
    rho = Fraction(req.speed_gbps()).limit_denominator(10**6) / Fraction(config.port_speed_gbps)
    best = None
    for c in constructions(n, 64, pod_multiple=g):
        pods, edges, aggs, m1, h, per_group, m2 = c
        leaves, up = pods * edges, aggs * m1
        if next(_unit_splits(c, g, n // g), None) is None or bisection_cables(n, leaves, up, rho) < rho * (n // 2):
            continue
        switches = leaves + pods * aggs + aggs // h * per_group
        cents = (switches * p.switch_cents + (leaves * up + pods * aggs * per_group * m2) * p.optical_link_cents
                 + n * p.endpoint_cable_cents)
        if best is None or (cents, switches) < best:
            best = (cents, switches)
    got = size(req).best
    assert best == (got.stats.objective, 896) and got.design.counts.num_switches == 896
