"""Sizing that chooses a switch per tier: a three-tier tree's edge, aggregation and core switches are each
one of the requirement's switches (CP-SAT Booleans per tier and config, FatTree.construction_model), the
answer rebuilt as a design with ``role_switches`` and checked against it. The exhaustive oracle over the
same space is tests/test_mixed_sizing_oracle.py."""

from __future__ import annotations

import itertools
import json
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
    starts = list(itertools.islice(FAT_TREE.mixed_leaf_splits(cold, request), 40))
    assert starts
    for start in starts:
        solution = Solution(start, start.size, req.num_endpoints, start.num_switches, start.cost_cents, 0)
        design = resolve(sized_spec(solution, req))
        report = design_report(design)
        assert report.num_switches == start.num_switches
        assert round(design.cost.total_usd * 100) == start.cost_cents
        assert report.bisection.ratio == pytest.approx(float(start.bisection_ratio), abs=1e-9)
        assert report.bisection.ratio >= float(request.bisection_ratio) - 1e-9
        assert report.blast_radius == start.blast_radius
        total = sum(model.radix * count for model, count in design.switches_by_model)
        used = report.num_endpoint_links + 2 * report.num_switch_links
        assert Fraction(total - used, total) == start.spare_ports >= request.spare_ports


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
