"""A switch model per role (DesignSpec.role_switches): resolution and its checks, and the figures that follow
each switch's own model (cost, power, racks and parts, each against the built plan)."""

from __future__ import annotations

import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.spec import DesignSpec

CONSTRUCTION = {"pods": 20, "edges_per_pod": 16, "aggregations_per_pod": 16, "edge_aggregation_links": 2,
                "aggregations_per_core_group": 2, "cores_per_group": 16, "aggregation_core_links": 2}


def spec(**fields):
    base = {"family": "fat_tree", "parameters": {"tiers": 3, "endpoints": 10000, "construction": CONSTRUCTION},
            "switch": {"model": "qm9700"}, "role_switches": {"core": {"model": "q3400", "breakout": 4}}}
    return DesignSpec.model_validate({**base, **fields})


def test_a_role_takes_its_own_model():
    design = resolve(spec())
    assert design.switch_of("core").name == "q3400" and design.switch_of("edge").name == "qm9700"
    assert [(m.name, n) for m, n in design.switches_by_model] == [("qm9700", 640), ("q3400", 128)]


@pytest.mark.parametrize(("fields", "path", "words"), [
    ({"role_switches": {"spine": {"model": "q3400", "breakout": 4}}}, "role_switches.spine",
     "no switch role 'spine' in fat_tree; valid: edge, aggregation, core"),
    ({"role_switches": {"core": {"model": "q3400", "breakout": 2}}}, "role_switches.core", "a cable runs at one speed"),
    ({"role_switches": {"core": {"model": "th5-128x400g"}}}, "role_switches.core", "one fabric takes one link layer"),
    ({"parameters": {"tiers": 3, "endpoints": 10000, "construction": {**CONSTRUCTION, "aggregations_per_core_group": 8}}},
     "parameters.construction.pods", "a core needs 20 x 8 x 2 = 320 ports, more than k=288"),  # the largest radix
    ({"role_switches": {"core": {"model": "q3400", "breakout": 4}}, "parameters": {"tiers": 3, "endpoints": 10000,
      "construction": {**CONSTRUCTION, "cores_per_group": 32}}}, "switch",
     "the busiest aggregation switch cables 96 ports, more than the 64 of qm9700"),
    ({"family": "dragonfly", "parameters": {}, "role_switches": {"switch": {"model": "qm9700"}}}, "role_switches",
     "dragonfly takes one switch model"),
    ({"role_switches": {"core": {"model": "nope"}}}, "role_switches.core.model", "unknown switch model 'nope'"),
    # two models of one name would be one NetBox device type and one IBDM system with two port counts
    ({"switch": {"model": "qm9700", "radix": 8}, "role_switches": {"core": {"model": "qm9700", "radix": 16}}},
     "role_switches.core", "differs from qm9700 (8 x 400G), another qm9700 of the design"),
    ({"role_switches": {"core": {"model": "qm9700", "breakout": 3}}}, "role_switches.core.breakout",
     "qm9700 has no breakout 3"),
])
def test_role_switches_that_cannot_be_are_refused_naming_the_field(fields, path, words):
    with pytest.raises(SpecError) as caught:
        resolve(spec(**fields))
    assert caught.value.path == path and words in str(caught.value), str(caught.value)


def test_cost_power_racks_and_parts_follow_each_roles_model():
    """640 qm9700 and 128 q3400: switch cost and power by model; the aggregation-core cables take a twin-port
    module at the aggregation switch (2 ports a cage) and a quad-port one at the core (4): 10,240 ends each,
    5,120 and 2,560 modules; each model in racks of its own (42 1U, 10 4U by the 42 kW rack's power)."""
    from topoctl.physical.footprint import footprint

    design = resolve(spec())
    assert design.cost.switches_usd == 640 * 32_000 + 128 * 125_000
    fp = footprint(design)
    assert fp.switch_power_w == 640 * 747 + 128 * 3500
    modules = dict((name, count) for line in fp.parts.lines for name, count, _, _ in line.modules)
    assert modules == {"2x400G twin-port OSFP DR8": 5120, "1.6T OSFP 4x400G DR (breakout)": 2560}
    racks = fp.racks
    assert [(g.model, g.count, g.u, g.per_rack, g.num_racks) for g in racks.switch_groups] == [
        ("qm9700", 640, 1, 42, 16), ("q3400", 128, 4, 10, 13)]


def test_the_plans_parts_and_bom_agree_for_a_mixed_design():
    """The cabling plan of a small mixed tree: its switch-end modules by each switch's own cage, every port a
    name of its switch's model, and the bill of materials' total the length-aware cost."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from topoctl.export.bom import bill_of_materials
    from topoctl.physical.layout import CableTally
    from topoctl.physical.parts import plan_parts

    from export_cases import small_job

    job = small_job("ft3-mixed")
    tally = CableTally(job.layout.cage_of)
    for cable in job.cables():
        tally.add(cable)
        for device, port in ((cable.a_device, cable.a_port), (cable.z_device, cable.z_port)):
            if device in job.plan.index:
                assert 1 <= job.model_of(device).port_number(port) <= job.model_of(device).radix
    bom = bill_of_materials(job)
    assert bom["totals"]["total_usd"] == pytest.approx(tally.cost(job.design).total_usd)
    assert [(line["item"].split()[0], line["count"]) for line in bom["switches"]] == [("qm9700", 24), ("q3400", 8)]
    ports_of = {m.name: m.ports for line in plan_parts(job.design, tally).lines
                for m in job.design.parts.cables[line.part].modules or ()}
    modules = {name: count for line in plan_parts(job.design, tally).lines for name, count, _, _ in line.modules}
    assert all(ports_of[name] in (1, 2, 4) for name in modules)
