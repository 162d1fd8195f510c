"""A switch model per tier, chosen by the sizer: on small seeded instances with two switch options its optimum
equals the best of (a) every single-switch design of either option alone (the brute force of
test_optimize_bruteforce.py, each design built and priced through the library), (b) every three-tier
construction whose edge, aggregation and core tiers each take one of the options, not all the same
(tests/tree_construction_oracle.py with each tier's own radix) and (c) every two-tier tree of leaves of one
option and spines of the other (``leaf_spine_best``: any leaf split, uplinks and spines), priced here from the library's price
books: each switch at its own price, the endpoint cables at the edge model's book, the electric
edge-aggregation links and the optical aggregation-core links (fibre + 2 transceivers) at the book of
their two ends' models (Catalog.price_book(a, z)), the requirement's prices over every book. The mixed
winner is rebuilt through topoctl.design.resolve with role_switches and must cost the oracle's cents and
meet the bisection, blast radius and spare ports by its own report.

Mixing is offered only among options of one port speed and link layer, only the first option of a model
name takes part (two models of one name with other figures cannot share a design), and not under a power
objective or cap.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from test_optimize_bruteforce import SWITCH_COMPONENTS, brute_force
from tree_construction_oracle import best_construction, constructions, figures, layouts

from topoctl.catalog import active
from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.optimize import InfeasibleError, parse_requirement, size
from topoctl.optimize.candidates import prices_of
from topoctl.report import design_report
from topoctl.spec import DesignSpec, SwitchSpec
from topoctl.topologies.fat_tree import TreeConstruction

# Two design names of one port speed (400G) and link layer: at a radix no catalog switch has, each is a custom
# switch named after its base model; qm9700 prices its cables by the catalog's parts, ib-ndr-64x400g by the
# calibrated preset, and a link between the two by the catalog's parts.
MODELS = ("qm9700", "ib-ndr-64x400g")


def mixings(req):
    """Every (edge, aggregation, core) triple of (config, model) the sizer may mix: the first config of each
    model name, the three of one port speed and link layer, not all the same."""
    firsts = {}
    for config in req.switch_configs():
        model = req.switch_model(config)
        firsts.setdefault(model.name, (config, model))
    for trio in itertools.product(firsts.values(), repeat=3):
        if len({model.name for _, model in trio}) > 1 and len({(m.port_speed_gbps, m.link_layer) for _, m in trio}) == 1:
            yield trio


def mixed_prices(req, trio):
    """Cents: edge, aggregation and core switch, endpoint cable (the edge model's book), electric
    edge-aggregation link and optical aggregation-core link (their two ends' models' book)."""
    (edge, edge_model), (agg, agg_model), (core, core_model) = trio
    overrides = req.prices.model_dump(exclude_none=True)

    def book(a, z):
        return active().price_book(a, z).overridden(overrides)

    return (prices_of(edge, book(edge_model, edge_model)).switch_cents,
            prices_of(agg, book(agg_model, agg_model)).switch_cents,
            prices_of(core, book(core_model, core_model)).switch_cents,
            prices_of(edge, req.price_book(edge)).endpoint_cable_cents,
            prices_of(edge, book(edge_model, agg_model)).electric_link_cents,
            prices_of(agg, book(agg_model, core_model)).optical_link_cents)


def mixed_best(req):
    """(objective, construction) of the best three-tier construction of mixed tiers meeting ``req``, or None."""
    if req.objective == "power" or req.max_power_kw is not None:
        return None
    best = None
    for trio in mixings(req):
        found = best_construction(req, mixed_prices(req, trio), radices=tuple(config.radix for config, _ in trio))
        if found is not None and (best is None or found[0] < best[0]):
            best = (found[0], {**found[1], "trio": trio})
    return best


def pairings(req):
    """Every (leaf, spine) pair of (config, model) the sizer may mix: as ``mixings``, two different names."""
    for trio in mixings(req):
        if trio[0] == trio[1] and trio[0][1].name != trio[2][1].name:  # (a, a, b) once for each pair (a, b)
            yield trio[0], trio[2]


def leaf_spine_best(req):
    """(objective, tree) of the best two-tier tree whose leaves and spines are two different options, over the
    planes and NIC ports the fat-tree sizer allows, or None: per plane of n = N*m/P endpoint ports, L =
    ceil(n/d) leaves for every d (of a leaf split: its busiest leaf holds d), u uplinks of every count the
    leaf's radix leaves, S spines dividing u with L*u/S cables on a spine at most its radix; the bisection by
    every l (tree_construction_oracle.bisection_cables), the blast radius (a leaf's endpoints, and all but
    them behind one spine), hops 2, spare ports each switch at its own radix; priced as ``mixed_prices``
    (the leaf-spine links optical at the book of the two models)."""
    from tree_construction_oracle import bisection_cables

    if req.objective == "power" or req.max_power_kw is not None or req.max_tiers < 2:
        return None
    if req.max_hops is not None and req.max_hops < 2:
        return None
    n_total, g = req.num_endpoints, req.endpoints_per_node
    need = Fraction(req.min_bisection_ratio).limit_denominator(1000)
    spare = Fraction(req.spare_ports_percent).limit_denominator(1000)
    overrides = req.prices.model_dump(exclude_none=True)
    best = None
    for (leaf, leaf_model), (spine, spine_model) in pairings(req):
        book = active().price_book(leaf_model, spine_model).overridden(overrides)
        p_leaf = prices_of(leaf, active().price_book(leaf_model).overridden(overrides)).switch_cents
        p_spine = prices_of(spine, active().price_book(spine_model).overridden(overrides)).switch_cents
        endpoint_cents = prices_of(leaf, req.price_book(leaf)).endpoint_cable_cents
        optical = prices_of(leaf, book).optical_link_cents
        rho = Fraction(req.speed_gbps()).limit_denominator(10**6) / Fraction(leaf.port_speed_gbps)
        kl, ks = leaf.radix, spine.radix
        for family, planes, ports, n in layouts(req):
            for down in range(1, kl):
                leaves = -(-n // down)
                busiest = -(-n // leaves)
                if leaves < 2 or busiest != down or leaves > ks:
                    continue
                blast_leaf = busiest if ports == 1 else 0
                for up in range(1, kl - busiest + 1):
                    if bisection_cables(n, leaves, up, rho) < need * rho * (n // 2):
                        continue
                    for spines in (s for s in range(1, up + 1) if up % s == 0 and leaves * (up // s) <= ks):
                        blast = max(blast_leaf, n - busiest if spines == 1 and ports == 1 else 0)
                        if req.max_blast_radius is not None and blast > req.max_blast_radius:
                            continue
                        total = planes * (leaves * kl + spines * ks)
                        used = n_total * ports + 2 * planes * leaves * up
                        if 100 * (total - used) < spare * total:
                            continue
                        cents = (planes * (leaves * p_leaf + spines * p_spine + leaves * up * optical)
                                 + n_total * ports * endpoint_cents)
                        if req.max_cost_usd is not None and cents > req.max_cost_usd * 100:
                            continue
                        value = {"cost": cents, "switches": planes * (leaves + spines),
                                 "cost_per_endpoint": -(-1000 * cents // n_total)}[req.objective]
                        if best is None or value < best[0]:
                            params = {"k": busiest + up, "tiers": 2, "endpoints": n_total, "spines": spines,
                                      "oversubscription": busiest // up if busiest % up == 0 else busiest / up}
                            if planes > 1:
                                params.update(planes=planes, endpoints_per_node=g, ports_per_endpoint=ports)
                            best = (value, {"family": family, "parameters": params, "cents": cents,
                                            "pair": ((leaf, leaf_model), (spine, spine_model))})
    return best


def check_rebuilt_leaf_spine(req, found):
    """The library's design of a mixed two-tier tree: leaf and spine models, the oracle's cents, the bisection."""
    (leaf, _), (spine, _) = found["pair"]
    design = resolve(DesignSpec(family=found["family"], parameters=found["parameters"],
                                endpoint_speed_gbps=req.speed_gbps(), switch=_switch_spec(leaf),
                                role_switches={"spine": _switch_spec(spine)}, prices=req.prices))
    assert (design.switch_of("leaf").radix, design.switch_of("spine").radix) == (leaf.radix, spine.radix)
    assert round(design.cost.total_usd * 100) == found["cents"], found
    assert design_report(design).bisection.ratio >= req.min_bisection_ratio - 1e-6, found
    return design


def _switch_spec(config):
    """The design switch of a sizing config (a catalog model with its radix and price as the option gives)."""
    return SwitchSpec(model=config.model, radix=config.radix, price_usd=config.price_usd)


def rebuilt(req, found):
    """The mixed construction through the library: the edge model as ``switch``, aggregation and core in
    ``role_switches`` where theirs differ."""
    (edge, _), (agg, _), (core, _) = found["trio"]
    roles = {role: _switch_spec(config) for role, config in (("aggregation", agg), ("core", core)) if config != edge}
    return resolve(DesignSpec(family=found["family"], parameters=found["parameters"],
                              endpoint_speed_gbps=req.speed_gbps(), switch=_switch_spec(edge), role_switches=roles,
                              prices=req.prices))


def check_rebuilt(req, found):
    """The library's design of a mixed construction: each tier its model, the oracle's cents, and the
    requirement's bisection, hops, blast radius and spare ports (each switch its own radix) by its report."""
    design = rebuilt(req, found)
    (edge, _), (agg, _), (core, _) = found["trio"]
    assert [(design.switch_of(role).name, design.switch_of(role).radix) for role in ("edge", "aggregation", "core")] == [
        (req.switch_model(c).name, c.radix) for c in (edge, agg, core)]
    assert round(design.cost.total_usd * 100) == found["cents"], found
    r = design_report(design)
    assert r.bisection.ratio >= req.min_bisection_ratio - 1e-6, found
    assert req.max_hops is None or r.diameter_hops <= req.max_hops
    blast = max((d.endpoints_disconnected for d in r.fault_domains if d.component in SWITCH_COMPONENTS), default=0)
    assert req.max_blast_radius is None or blast <= req.max_blast_radius, found
    total = sum(model.radix * count for model, count in design.switches_by_model)
    assert 100 * (total - r.num_endpoint_links - 2 * r.num_switch_links) >= req.spare_ports_percent * total, found
    return design


def oracle(fields):
    """(best objective or None, whether a mixed construction alone reaches it)."""
    singles = [brute_force(parse_requirement({**fields, "switches": [option]}, "test")) for option in fields["switches"]]
    single = min((v for v in singles if v is not None), default=None)
    req = parse_requirement(fields, "test")
    mixed = mixed_best(req)
    if mixed is not None:
        check_rebuilt(req, mixed[1])
    two_tier = leaf_spine_best(req)
    if two_tier is not None:
        check_rebuilt_leaf_spine(req, two_tier[1])
    best_mixed = min((found[0] for found in (mixed, two_tier) if found is not None), default=None)
    if best_mixed is None or (single is not None and single <= best_mixed):
        return single, False
    return best_mixed, True


def _instances(count, seed):
    """Two options of random radix (4..16) and price, either first; fat trees of one or several planes."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        radices = [rng.randint(4, 16), rng.randint(4, 16)]
        big = max(radices)
        prices = [rng.choice([500, 1000, 2000, 4000, 8000, 16000, 32000]) for _ in MODELS]
        names = list(MODELS) if rng.random() < 0.5 else list(reversed(MODELS))
        families = rng.choice([["fat_tree"], ["fat_tree"], ["multiplane_fat_tree"], ["fat_tree", "multiplane_fat_tree"]])
        node = rng.choice([1, 2, 4, 8])
        fields = {  # whole nodes: a multi-plane tree holds whole nodes
            "nodes": max(1, rng.randint(big * big // 4, big**3 // 8) // node),
            "endpoints_per_node": node,
            "switches": [{"model": m, "radix": r, "price_usd": p} for m, r, p in zip(names, radices, prices, strict=True)],
            "families": families,
            "max_tiers": rng.choice([2, 3, 3, 3, 3]),
            "max_planes": rng.choice([1, 1, 2, 4] if "fat_tree" in families else [2, 4]),
            "max_ports_per_endpoint": rng.choice([1, 1, 2]),
            "min_bisection_ratio": rng.choice([0.0, 0.25, 0.5, 0.5, 1.0, 1.0]),
            "max_hops": rng.choice([None, None, None, None, 2, 4]),
            "max_blast_radius": rng.choice([None, None, big // 2, big]),
            "spare_ports_percent": rng.choice([0, 0, 0, 10]),
            "objective": rng.choice(["cost", "cost", "switches", "cost_per_endpoint"]),
            "prices": rng.choice([None, None, {"transceiver_usd": 100}, {"electric_cable_usd": 900}]),
        }
        out.append({k: v for k, v in fields.items() if v is not None})
    return out


_ORACLE: dict[int, tuple[int | None, bool]] = {}  # a random instance's oracle, computed once per session


def _oracle_of(index):
    if index not in _ORACLE:
        _ORACLE[index] = oracle(INSTANCES[index])
    return _ORACLE[index]


def _check(fields, expected, mixed):
    """The sizer's optimum equals the oracle's ``expected`` (both None: infeasible); where a mixed construction
    alone reaches it (``mixed``), the sizer's design takes more than one model; under a cost objective its
    design costs the objective."""
    try:
        got = size(parse_requirement(fields, "test")).best
    except InfeasibleError:
        assert expected is None, f"sizer says infeasible, the oracle found {expected}"
        return
    assert expected is not None, f"the oracle found nothing, sizer chose {got.solution.candidate.label()}"
    assert got.stats.objective == expected
    if mixed:
        assert len(got.design.switches_by_model) > 1, got.solution.candidate.label()
    if fields.get("objective", "cost") == "cost":
        assert round(got.design.cost.total_usd * 100) == expected


INSTANCES = _instances(60, seed=5)


@pytest.mark.parametrize("index", range(len(INSTANCES)), ids=[f"mixed{i}" for i in range(len(INSTANCES))])
def test_sizer_matches_the_mixed_oracle(index):
    _check(INSTANCES[index], *_oracle_of(index))


def test_the_random_instances_include_mixed_winners_single_winners_and_infeasible_ones():
    outcomes = [_oracle_of(index) for index in range(len(INSTANCES))]
    assert any(mixed for _, mixed in outcomes)
    assert any(value is not None and not mixed for value, mixed in outcomes)
    assert any(value is None for value, _ in outcomes)


SMALL = {"model": "qm9700", "radix": 4, "price_usd": 1000}
BIG = {"model": "ib-ndr-64x400g", "radix": 16, "price_usd": 20000}
HAND = {"endpoints": 32, "families": ["fat_tree"], "max_planes": 1, "switches": [SMALL, BIG]}


def test_cheap_small_edges_under_a_big_core_win():
    """32 endpoints at full bisection on one plane. The 4-port switch alone holds at most 4^3/4 = 16; the
    16-port one alone is best as a two-tier 8:8 tree: 4 leaves and 2 spines at $20,000, 32 endpoint DACs at
    $300 and 32 leaf-spine optical links at $180 + 2 x $800 (its calibrated preset), $186,560. Mixed, three
    tiers: 8 pods of 2 edges (2 endpoints, 2 uplinks) and 2 aggregation switches (2 down, 2 up) of the 4-port
    switch, under 2 cores of the 16-port one, each cabled twice to one aggregation switch of every pod (8 x 2
    = 16 ports): 16 + 16 switches at $1,000 and 2 at $20,000 = $72,000; 32 endpoint and 32 edge-aggregation
    cables at qm9700's catalog price $220 = $14,080; 32 aggregation-core optical links at the catalog's price
    between the two models, $60 + 2 x $650 = $1,360, $43,520: $129,600. Mixed, two tiers, the sizer's answer:
    16 4-port leaves (2 down, 2 up) under 2 16-port spines, a cable from each leaf to each (16 ports a spine):
    $16,000 + $40,000, 32 endpoint DACs $7,040 and 32 optical links $43,520: $106,560."""
    req = parse_requirement(HAND, "test")
    singles = [brute_force(parse_requirement({**HAND, "switches": [option]}, "test")) for option in (SMALL, BIG)]
    assert singles == [None, 18_656_000]
    value, found = mixed_best(req)
    assert value == found["cents"] == 12_960_000
    assert [config.model for config, _ in found["trio"]] == ["qm9700", "qm9700", "ib-ndr-64x400g"]
    design = check_rebuilt(req, found)
    assert design.counts.num_switches_by_role == {"edge": 16, "aggregation": 16, "core": 2}
    assert design.cost.switches_usd == 72_000 and design.cost.total_usd == 129_600
    value, found = leaf_spine_best(req)
    assert value == found["cents"] == 10_656_000
    assert check_rebuilt_leaf_spine(req, found).counts.num_switches_by_role == {"leaf": 16, "spine": 2}
    got = size(req).best
    assert got.stats.objective == 10_656_000
    assert [(m.name, m.radix, count) for m, count in got.design.switches_by_model] == [
        ("qm9700", 4, 16), ("ib-ndr-64x400g", 16, 2)]


@pytest.mark.parametrize("fields, expected", [
    # two switches named qm9700 (4 and 16 ports) are one design name: not mixed; the 16-port one alone, a
    # two-tier tree at the catalog's cable prices, though a mixed tree would cost $129,600
    ({**HAND, "switches": [SMALL, {**BIG, "model": "qm9700"}]}, 17_056_000),
    # under a power cap or a power objective the sizer takes one model (the cap binds nothing here)
    ({**HAND, "max_power_kw": 1000}, 18_656_000),
    ({**HAND, "objective": "power"}, 2_496_500),
])
def test_where_the_sizer_does_not_mix(fields, expected):
    value, mixed = oracle(fields)
    assert (value, mixed) == (expected, False)
    _check(fields, value, mixed)
    assert len(size(parse_requirement(fields, "test")).best.design.switches_by_model) == 1


@pytest.mark.parametrize("n, radices", [(20, (4, 4, 8)), (30, (6, 8, 8)), (24, (8, 5, 8)), (40, (5, 8, 5)),
                                        (50, (6, 6, 9)), (17, (8, 6, 6)), (64, (4, 8, 8))])
def test_the_per_tier_space_is_what_the_library_builds(n, radices):
    """Every construction on the largest radix of the three: the library resolves it with each tier's own
    model (role_switches) exactly when the oracle's per-tier space holds it, with the oracle's switches per
    tier and switch ports (each switch its own radix)."""
    top = max(radices)
    specs = [SwitchSpec(model=MODELS[k == top], radix=k) for k in radices]
    roles = {role: spec for role, spec in zip(("aggregation", "core"), specs[1:], strict=True) if spec != specs[0]}
    inside = set(constructions(n, radices))
    held = 0
    for c in constructions(n, top):
        try:
            design = resolve(DesignSpec(family="fat_tree", switch=specs[0], role_switches=roles, parameters={
                "tiers": 3, "endpoints": n, "construction": dict(zip(TreeConstruction.model_fields, c, strict=True))}))
        except SpecError as exc:
            assert c not in inside, (c, str(exc))
            continue
        assert c in inside, c
        f = figures(n, radices, c, Fraction(1), 1)
        assert tuple(design.counts.num_switches_by_role[r] for r in ("edge", "aggregation", "core")) == f["tiers"]
        assert sum(model.radix * count for model, count in design.switches_by_model) == f["ports"]
        held += 1
    assert held == len(inside) > 0


@pytest.mark.slow
def test_the_oracle_finds_the_sizers_3000_endpoint_mixed_tree():
    """3,000 endpoints at full bisection on 16-port ($8,000) and 40-port ($40,000) switches
    (tests/test_mixed_sizing.py): every mixed construction enumerated, the best is the solver's, 40-port
    edges under 16-port aggregation switches and 40-port cores, $18,023,200."""
    fields = {"endpoints": 3000, "families": ["fat_tree"], "max_planes": 1,
              "switches": [{"model": "qm9700", "radix": 16, "price_usd": 8000},
                           {"model": "ib-ndr-64x400g", "radix": 40, "price_usd": 40000}]}
    req = parse_requirement(fields, "test")
    value, found = mixed_best(req)
    assert [config.radix for config, _ in found["trio"]] == [40, 16, 40]
    assert check_rebuilt(req, found).counts.num_switches_by_role == {"edge": 152, "aggregation": 380, "core": 80}
    assert value == size(req).best.stats.objective == 1_802_320_000
