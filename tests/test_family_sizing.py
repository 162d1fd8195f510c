"""Inverse sizing, family by family (topologies.sizing and each family's ``candidates`` and ``size_model``):
the same checks for every family of the registry, without the sizer's ranking or pruning."""

from __future__ import annotations

from fractions import Fraction

import pytest
from ortools.sat.python import cp_model

from topoctl.requirement import parse_requirement
from topoctl.topologies import FAMILIES
from topoctl.topologies.sizing import Candidate, Prices, SizingRequest

PRICES = Prices(switch_cents=4_900_000, endpoint_cable_cents=30_000, electric_link_cents=16_000, optical_link_cents=180_000)


def request(family: str, **fields) -> tuple[SizingRequest, object]:
    req = parse_requirement({"endpoints": 600, "switches": [{"model": "ib-ndr-64x400g", "radix": 24}], "max_planes": 4,
                             "max_ports_per_endpoint": 2, "min_bisection_ratio": 0, "families": [family], **fields}, "test")
    return req.sizing_request(), req.switch_configs()[0]


def sample(candidates: list[Candidate], count: int = 12) -> list[Candidate]:
    step = max(1, len(candidates) // count)
    return candidates[::step]


@pytest.mark.parametrize("name", list(FAMILIES))
def test_candidates_rebuild_with_the_closed_form_counts(name):
    family = FAMILIES[name]
    req, switch = request(name)
    candidates = list(family.candidates(req, switch, PRICES))
    assert candidates, f"{name}: no candidate for 600 endpoints at radix 24"
    assert {c.family for c in candidates} == {name}  # the request allows this family only
    for c in sample(candidates):
        topology = family.from_parameters(family.Parameters(**c.design_parameters(8)), switch.radix)
        counts = topology.counts()
        assert counts.num_switches_by_role == c.per_tier(), c.label()
        assert (counts.num_endpoints, counts.num_switches) == (c.num_endpoints, c.num_switches), c.label()
        assert c.num_endpoints >= 600  # the candidate holds N
        assert c.hops == topology.diameter_hops(), c.label()
        assert c.blast_radius == max((d.endpoints_disconnected for d in topology.fault_domains()
                                      if d.component in counts.num_switches_by_role), default=0), c.label()
        assert 0 <= c.spare_ports < 1 and c.bisection_ratio >= 0
        assert c.label().startswith(f"{name} ") and c.shape_note()


@pytest.mark.parametrize("name", list(FAMILIES))
def test_size_model_reproduces_the_closed_form_sizing(name):
    """The sub-model alone, its candidate forced: the solver finds the closed form's sizing and cost."""
    family = FAMILIES[name]
    req, switch = request(name)
    for c in sample(list(family.candidates(req, switch, PRICES)), 6):
        model = cp_model.CpModel()
        use = model.new_bool_var("use")
        sized = family.size_model(model, c, req, use)
        model.add(use == 1)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 10
        assert solver.solve(model) == cp_model.OPTIMAL, c.label()
        assert {key: solver.value(var) for key, var in sized.size.items()} == c.size, c.label()
        assert (solver.value(sized.cost), solver.value(sized.switches), solver.value(sized.endpoints)) \
            == (c.cost_cents, c.num_switches, c.num_endpoints), c.label()


def test_multiplane_candidates_include_one_plane_trees_only_when_fat_tree_is_allowed():
    family = FAMILIES["multiplane_fat_tree"]
    assert "fat_tree" in family.also_sizes
    alone, switch = request("multiplane_fat_tree")
    both = parse_requirement({"endpoints": 600, "switches": [{"model": "ib-ndr-64x400g", "radix": 24}], "max_planes": 4,
                              "families": ["fat_tree", "multiplane_fat_tree"]}, "test").sizing_request()
    assert all(c.planes > 1 for c in family.candidates(alone, switch, PRICES))
    mixed = list(family.candidates(both, switch, PRICES))
    trees = list(FAMILIES["fat_tree"].candidates(both, switch, PRICES))
    assert [c for c in mixed if c.planes == 1] == trees  # one enumeration: the fat tree's own candidates
    assert [c.tiers for c in mixed] == sorted(c.tiers for c in mixed)  # by tiers first, then planes


def test_the_request_is_exact():
    req = parse_requirement({"endpoints": 10, "min_bisection_ratio": 1 / 3, "spare_ports_percent": 12.5}, "test")
    view = req.sizing_request()
    assert (view.bisection_ratio, view.spare_ports) == (Fraction(1, 3), Fraction(1, 8))
    assert view.prunes and not view.relaxed(families=view.families, max_tiers=3, max_planes=64).prunes


@pytest.mark.parametrize("limits", [{"max_hops": 2}, {"max_hops": 0}, {"max_blast_radius": 9}, {"max_blast_radius": 1},
                                    {"max_hops": 2, "max_blast_radius": 20}, {}])
@pytest.mark.parametrize("endpoints", [7, 100, 600, 2000])
def test_tree_shapes_skipped_for_hops_and_blast_radius_are_those_the_plain_loop_prunes(limits, endpoints):
    """The leaf splits the enumeration skips (most_down_within_blast, least_down_within_hops) are exactly those
    tree_candidate would prune: the fat-tree shapes equal a plain loop over every k and d."""
    from topoctl.topologies.fat_tree import _PRUNED, FatTree

    req, switch = request("fat_tree", endpoints=endpoints, max_planes=1, max_ports_per_endpoint=1, **limits)
    got = [c for c in FatTree.candidates(req, switch, PRICES) if not c.decided]
    plain = []
    for tiers in (2, 3):
        k = switch.radix - (switch.radix % 2 if tiers == 3 else 0)
        for k_used in range(k, 1, -1 if tiers == 2 else -2):
            for down in range(k_used - 1, 0, -1):
                c = FatTree.tree_candidate(FatTree, req, switch, PRICES, tiers, 1, 1, k_used, down)
                if c is None:
                    break
                if c is not _PRUNED:
                    plain.append(c)
    assert got == plain and (got or limits)
