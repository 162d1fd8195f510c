"""Sizing that chooses a switch per tier: a three-tier tree's edge, aggregation and core switches are each
one of the requirement's switches (CP-SAT Booleans per tier and config, FatTree.construction_model), the
answer rebuilt as a design with ``role_switches`` and checked against it. The exhaustive oracle over the
same space is tests/test_mixed_sizing_oracle.py."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from fractions import Fraction

import pytest
import yaml
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.design import resolve
from topoctl.optimize import InfeasibleError, parse_requirement, size
from topoctl.optimize.candidates import enumerate_candidates, tier_switches
from topoctl.optimize.model import Solution
from topoctl.optimize.result import sized_spec
from topoctl.report import design_report
from topoctl.topologies import FAMILIES

FAT_TREE, MULTIPLANE = FAMILIES["fat_tree"], FAMILIES["multiplane_fat_tree"]

# small edges and aggregation switches are cheap per switch, the 40-port one cheap per port
SMALL_AND_WIDE = [{"model": "qm9700", "radix": 16, "price_usd": 8000},
                  {"model": "ib-ndr-64x400g", "radix": 40, "price_usd": 40000}]


def _request(**fields):
    return parse_requirement({"switches": SMALL_AND_WIDE, "families": ["fat_tree"], "max_planes": 1, **fields}, "test")


def _alone(fields, index):
    """The same requirement with only switch ``index``: its best objective, or None if infeasible."""
    try:
        return size(parse_requirement({**fields, "switches": [fields["switches"][index]]}, "test")).best.stats.objective
    except InfeasibleError:
        return None


def test_a_switch_per_tier_beats_either_switch_alone_and_rebuilds_with_role_switches():
    fields = {"endpoints": 3000, "switches": SMALL_AND_WIDE, "families": ["fat_tree"], "max_planes": 1}
    best = size(parse_requirement(fields, "test")).best
    assert best.stats.status == "optimal"
    spec = best.spec(parse_requirement(fields, "test"))
    # 40-port edges (20 down, 20 up) under 16-port aggregation switches (8 down, 8 up) and 40-port cores
    assert spec.switch.radix == 40 and set(spec.role_switches) == {"aggregation"}
    assert spec.role_switches["aggregation"].radix == 16
    report = design_report(best.design)
    assert report.num_switches_by_role == {"edge": 152, "aggregation": 380, "core": 80}
    assert round(best.design.cost.total_usd * 100) == best.stats.objective == 1_802_320_000
    alone = [_alone(fields, i) for i in range(2)]
    assert alone[0] is None  # 16 ports alone hold no 3,000-endpoint tree at full bisection
    assert alone[1] == 2_653_520_000 > best.stats.objective
    assert "edge on ib-ndr-64x400g, aggregation on qm9700, core on ib-ndr-64x400g" in best.note()
    assert best.solution.candidate.label().endswith("[edge ib-ndr-64x400g, aggregation qm9700, core ib-ndr-64x400g]")


def test_a_mixed_multiplane_tree_keeps_each_tiers_switch_in_every_plane():
    fields = {"endpoints": 4096, "switches": SMALL_AND_WIDE, "families": ["multiplane_fat_tree"],
              "max_planes": 2, "max_ports_per_endpoint": 2}
    req = parse_requirement(fields, "test")
    mixed = [c for c in enumerate_candidates(req) if c.tier_switches is not None]
    assert [(c.planes, c.ports_per_endpoint) for c in mixed] == [(2, 1), (2, 2)]
    best = size(req).best
    # 16-port edges and aggregation switches in 32 pods per plane, under 40-port cores
    assert best.solution.candidate.switch_label() == "edge qm9700, aggregation qm9700, core ib-ndr-64x400g"
    design = best.design
    assert design.topology.planes == 2 and set(design.role_switches) == {"core"}
    assert [(model.radix, count) for model, count in design.switches_by_model] == [(16, 1024), (40, 128)]
    assert round(design.cost.total_usd * 100) == best.stats.objective == 2_068_480_000


def _check_start_rebuilds(cold, key, size_, req):
    """A closed-form start of a mixed tree (``size_``, found with ``key``) has the figures of the design it
    rebuilds through the library: switches, cost, bisection ratio, blast radius and spare ports, each within
    the request, and its key is its objective."""
    request = req.sizing_request()
    start = FAT_TREE.mixed_figures(replace(cold, size=size_), request)
    assert start is not None
    assert key[:2] == ((start.num_switches, start.cost_cents) if req.objective == "switches"
                       else (start.cost_cents, start.num_switches))
    design = resolve(sized_spec(Solution(start, size_, req.num_endpoints, start.num_switches, start.cost_cents, 0),
                                req))
    report = design_report(design)
    assert report.num_switches == start.num_switches
    assert round(design.cost.total_usd * 100) == start.cost_cents
    assert report.bisection.ratio == pytest.approx(float(start.bisection_ratio), abs=1e-9)
    assert report.bisection.ratio >= float(request.bisection_ratio) - 1e-9
    assert report.blast_radius == start.blast_radius <= (req.max_blast_radius or req.num_endpoints)
    total = sum(model.radix * count for model, count in design.switches_by_model)
    used = report.num_endpoint_links + 2 * report.num_switch_links
    assert Fraction(total - used, total) == start.spare_ports >= request.spare_ports


@pytest.mark.parametrize("fields", [
    {"endpoints": 3000},
    {"endpoints": 700, "min_bisection_ratio": 0.5},
    {"endpoints": 1200, "max_blast_radius": 12, "spare_ports_percent": 10},
    {"endpoints": 2048, "objective": "switches"},
])
def test_every_closed_form_start_is_the_design_it_rebuilds(fields):
    """The starts a mixed tree's model is hinted and bounded by (FatTree.mixed_leaf_splits): their switches,
    cost, bisection ratio, blast radius and spare ports are those of the design they rebuild."""
    req = _request(**fields)
    request = req.sizing_request()
    cold = next(c for c in enumerate_candidates(req) if c.tier_switches is not None)
    found = list(FAT_TREE.mixed_leaf_splits(cold, request))
    assert found
    best = FAT_TREE.mixed_start(cold, request)
    assert best.size == min(found, key=lambda key_size: key_size[0])[1]
    for key, size_ in found[:: max(1, len(found) // 40)]:
        _check_start_rebuilds(cold, key, size_, req)


@pytest.mark.parametrize("fields", [{"endpoints": 3000}, {"endpoints": 1500, "objective": "switches"},
                                    {"endpoints": 2500, "objective": "cost_per_endpoint"}])
def test_the_mixed_trees_lower_bound_is_below_its_answer(fields):
    req = _request(**fields)
    mixed = next(c for c in enumerate_candidates(req) if c.tier_switches is not None)
    best = size(req).best
    switches, cents = mixed.lower_bound
    if best.solution.candidate.tier_switches is not None:
        assert switches <= best.solution.num_switches and cents <= best.solution.cost_cents


def test_no_switch_per_tier_under_a_power_objective_or_cap():
    for extra in ({"objective": "power"}, {"max_power_kw": 1e6}):
        req = _request(endpoints=3000, **extra)
        assert not any(c.tier_switches is not None for c in enumerate_candidates(req))


def test_switches_of_another_speed_or_a_name_their_design_shares_are_not_mixed():
    other_speed = parse_requirement({"endpoints": 512, "endpoint_speed_gbps": 400, "switches": [
        {"model": "qm9700"}, {"model": "th5-64x800g"}]}, "test")
    assert tier_switches(other_speed) == []  # 400G and 800G ports: no cable joins them
    ethernet = parse_requirement({"endpoints": 512, "endpoint_speed_gbps": 400, "switches": [
        {"model": "qm9700"}, {"model": "th5-128x400g"}]}, "test")
    assert tier_switches(ethernet) == []  # InfiniBand and Ethernet
    same_name = parse_requirement({"endpoints": 512, "switches": [
        {"model": "qm9700", "radix": 16}, {"model": "qm9700", "radix": 24}, {"model": "q3400", "breakouts": [2]}]},
        "test")
    (group,) = tier_switches(same_name)
    # both custom switches would be named qm9700 in a design: the first takes part
    assert [config.radix for config in group.configs] == [16, 288]


def test_a_breakout_mixes_with_a_switch_of_its_port_speed():
    req = parse_requirement({"endpoints": 512, "switches": [{"model": "qm9700"}, {"model": "q3400",
                                                                                  "breakouts": [1, 2]}]}, "test")
    (group,) = tier_switches(req)
    assert [(config.name, config.radix) for config in group.configs] == [("qm9700", 64), ("q3400 as 288x400G", 288)]
    # the pair's cables are priced at their two cages (2 ports to 4), not either end's own book
    assert group.links[0][1] == group.links[1][0] or group.links[0][1] != group.links[0][0]


def test_the_cli_saves_a_mixed_design_that_export_takes(tmp_path):
    runner = CliRunner()
    requirement = tmp_path / "req.yaml"
    requirement.write_text(yaml.safe_dump({"endpoints": 3000, "switches": SMALL_AND_WIDE, "families": ["fat_tree"],
                                           "max_planes": 1}))
    saved = tmp_path / "sized.yaml"
    result = runner.invoke(app, ["design", "--requirement", str(requirement), "--save", str(saved)])
    assert result.exit_code == 0, result.output
    spec = yaml.safe_load(saved.read_text())
    assert spec["role_switches"]["aggregation"]["radix"] == 16
    out = tmp_path / "netbox"
    result = runner.invoke(app, ["export", str(saved), "-f", "netbox", "-o", str(out)])
    assert result.exit_code == 0, result.output
    same = runner.invoke(app, ["design", str(saved), "-f", "json"])
    assert same.exit_code == 0, same.output
    assert json.loads(same.output)["switches_by_model"] == [
        {"model": "ib-ndr-64x400g", "switches": 232, "power_typical_w": 466.9},
        {"model": "qm9700", "switches": 380, "power_typical_w": 186.8}]


def test_two_tier_trees_choose_their_leaf_and_spine_switches():
    """300 endpoints: 38 16-port leaves (8 down, 8 up) under 8 40-port spines, one cable from each leaf to
    each; neither switch alone comes near (three tiers of 16 ports, or 40-port leaves)."""
    fields = {"endpoints": 300, "switches": SMALL_AND_WIDE, "families": ["fat_tree"], "max_planes": 1}
    best = size(parse_requirement(fields, "test")).best
    assert best.solution.candidate.switch_label() == "leaf qm9700, spine ib-ndr-64x400g"
    spec = best.spec(parse_requirement(fields, "test"))
    assert spec.parameters == {"k": 16, "tiers": 2, "oversubscription": 1, "endpoints": 300, "spines": 8}
    assert spec.switch.radix == 16 and spec.role_switches["spine"].radix == 40
    report = design_report(best.design)
    assert report.num_switches_by_role == {"leaf": 38, "spine": 8}
    assert best.design.topology.ports_by_role() == {"leaf": 16, "spine": 38}
    assert "leaf 8:8 down:up on k=16 at leaf, k=40 at spine, 8 spines (1 cable from each leaf" in best.design.variant
    assert round(best.design.cost.total_usd * 100) == best.stats.objective == 110_344_000
    assert [_alone(fields, i) for i in range(2)] == [146_760_000, 162_400_000]


@pytest.mark.parametrize("fields", [
    {"endpoints": 150},
    {"endpoints": 300, "min_bisection_ratio": 0.5},
    {"endpoints": 250, "max_blast_radius": 8, "spare_ports_percent": 10},
    {"endpoints": 200, "objective": "switches"},
])
def test_every_closed_form_two_tier_start_is_the_design_it_rebuilds(fields):
    """The two-tier starts (FatTree.leaf_spine_splits), as the three-tier ones."""
    req = _request(max_tiers=2, **fields)
    request = req.sizing_request()
    cold = next(c for c in enumerate_candidates(req) if c.tier_switches is not None)
    found = list(FAT_TREE.leaf_spine_splits(cold, request))
    assert found
    for key, size_ in found:
        _check_start_rebuilds(cold, key, size_, req)


@pytest.mark.parametrize("seed", range(24))
def test_two_tier_mixing_is_never_beaten_by_brute_force(seed):
    """The sizer's optimum over two tiers is the best of brute force over the two-tier trees of a leaf switch
    and another spine switch (test_mixed_sizing_oracle.leaf_spine_best) and over every design on one of the
    switches (test_optimize_bruteforce)."""
    from test_mixed_sizing_oracle import leaf_spine_best
    from test_optimize_bruteforce import brute_force

    rng = random.Random(seed)
    switches = [{"model": "qm9700", "radix": rng.randint(4, 16), "price_usd": rng.choice([3000, 8000, 20000])},
                {"model": "ib-ndr-64x400g", "radix": rng.randint(8, 32), "price_usd": rng.choice([10000, 40000])}]
    fields = {"endpoints": rng.randint(10, 300), "switches": switches, "families": ["fat_tree"], "max_planes": 1,
              "max_tiers": 2, "min_bisection_ratio": rng.choice([0.25, 0.5, 1.0]),
              "objective": rng.choice(["cost", "switches", "cost_per_endpoint"]),
              **rng.choice([{}, {"max_blast_radius": 12}, {"spare_ports_percent": 10}])}
    req = parse_requirement(fields, "test")
    two_tier = leaf_spine_best(req)
    found = [None if two_tier is None else two_tier[0]]
    found += [brute_force(parse_requirement({**fields, "switches": [switch]}, "test")) for switch in switches]
    expected = min((value for value in found if value is not None), default=None)
    try:
        got = size(req).best.stats.objective
    except InfeasibleError:
        assert expected is None, fields
        return
    assert got == expected, (fields, found)
