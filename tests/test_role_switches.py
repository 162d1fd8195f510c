"""A switch model per role (DesignSpec.role_switches): resolution and its checks, the figures that follow
each switch's own model (cost, power, racks and parts, each against the built plan), a design set's default
role models (DefaultsSpec.role_switches) and what a person reads of a mixed design (its variant)."""

from __future__ import annotations

import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.spec import DesignSpec
from topoctl.topologies import FAMILIES

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
     "role_switches.core", "this qm9700 has radix 16, the design's other qm9700 radix 8"),
    ({"switch": {"model": "qm9700"}, "role_switches": {"core": {"model": "qm9700", "price_usd": 20000}}},
     "role_switches.core", "this qm9700 has price_usd 20000, the design's other qm9700 price_usd 32000"),
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


# -- a design set's defaults (DefaultsSpec.role_switches) ------------------------------------------------------
TWO_TIER = {"name": "two-tier", "family": "fat_tree", "parameters": {"tiers": 2, "endpoints": 2000}}
THREE_TIER = {"name": "three-tier", "family": "fat_tree",
              "parameters": {"tiers": 3, "endpoints": 10000, "construction": CONSTRUCTION}}
Q3400 = {"model": "q3400", "breakout": 4}


def design_set(roles, *designs, **defaults):
    return {"name": "set", "defaults": {"switch": {"model": "qm9700"}, "role_switches": roles, **defaults},
            "designs": list(designs)}


def resolved(raw):
    from topoctl.design import designs_from_raw

    return designs_from_raw(raw, "set.yaml", allow_set=True)


def test_defaults_roles_merge_role_by_role_and_field_by_field_as_switch_does():
    from topoctl.spec import SwitchSpec, parse_design_set

    spec_set = parse_design_set(design_set(
        {"core": Q3400, "spine": {"model": "qm9700"}},
        {"family": "fat_tree", "role_switches": {"core": {"breakout": 2, "price_usd": 1}}},
        {"family": "fat_tree", "role_switches": {"leaf": {"model": "qm9700"}}},
        {"family": "fat_tree", "role_switches": {}},
        {"family": "fat_tree"},
    ), "set.yaml")
    first, second, third, fourth = spec_set.designs
    assert first.role_switches == {"core": SwitchSpec(model="q3400", breakout=2, price_usd=1),
                                   "spine": SwitchSpec(model="qm9700")}
    assert first.default_roles == {"spine"}  # core is the design's own: it names it
    assert list(second.role_switches) == ["core", "spine", "leaf"] and second.default_roles == {"core", "spine"}
    assert third.role_switches == fourth.role_switches == {"core": SwitchSpec(**Q3400),
                                                           "spine": SwitchSpec(model="qm9700")}
    assert third.default_roles == fourth.default_roles == {"core", "spine"}
    assert first.switch == SwitchSpec(model="qm9700")


def test_a_default_role_goes_to_the_designs_whose_family_has_it():
    """Defaults' core model: the 3-tier tree's 128 cores are q3400, the 2-tier tree (leaf, spine; its k the
    qm9700's 64, not the core's 288) and the dragonfly (one model for all) are as without it, byte for byte
    in their reports."""
    from topoctl.report import design_report

    dragonfly = {"name": "df", "family": "dragonfly", "parameters": {"p": 4, "a": 8, "h": 4, "g": 9}}
    two, three, df = resolved(design_set({"core": Q3400}, TWO_TIER, THREE_TIER, dragonfly))
    assert two.role_switches == {} and df.role_switches == {}
    assert [(m.name, n) for m, n in three.switches_by_model] == [("qm9700", 640), ("q3400", 128)]
    assert three == resolve(spec(name="three-tier"))
    alone = resolved({"name": "set", "defaults": {"switch": {"model": "qm9700"}}, "designs": [TWO_TIER, dragonfly]})
    for with_defaults, without in zip((two, df), alone, strict=True):
        assert with_defaults == without
        assert design_report(with_defaults).as_dict() == design_report(without).as_dict()


def test_a_default_role_for_a_family_of_one_model_is_left_to_it():
    """A spine of the defaults goes to the fat tree's spines, not to the Dragonfly+'s (one model for all)."""
    dfp = {"name": "dfp", "family": "dragonfly_plus", "parameters": {}}
    two_tier = {**TWO_TIER, "parameters": {"k": 64, "tiers": 2, "endpoints": 2000}}  # k: not the spine's radix
    dragonfly_plus, tree = resolved(design_set({"spine": Q3400}, dfp, two_tier))
    assert dragonfly_plus.role_switches == {}
    assert tree.switch_of("spine").name == "q3400" and tree.switch_of("leaf").name == "qm9700"


def test_a_default_model_that_does_not_fit_matters_only_where_its_role_is():
    """An 800G spine model of the defaults is nothing to the 3-tier tree (no spine) nor to a 2-tier tree that
    names its spine's model; it is an error where a design takes it."""
    roles = {"core": Q3400, "spine": {"model": "q3400", "breakout": 2}}
    own_spine = {**TWO_TIER, "role_switches": {"spine": {"model": "qm9700"}}}
    three, two = resolved(design_set(roles, THREE_TIER, own_spine))
    assert three == resolve(spec(name="three-tier")) and two.switch_of("spine").name == "qm9700"
    with pytest.raises(SpecError) as caught:
        resolved(design_set(roles, THREE_TIER, TWO_TIER))
    assert str(caught.value).startswith("set.yaml: designs[1].role_switches.spine: q3400 (144 x 800G, 72 cages "
                                        "split 2) has 800G ports, the switch 400G")


def test_a_design_overrides_a_default_roles_fields():
    """The design's price over the defaults' core model and breakout."""
    (three,) = resolved(design_set({"core": Q3400}, {**THREE_TIER, "role_switches": {"core": {"price_usd": 100000}}}))
    core = three.switch_of("core")
    assert (core.name, core.radix, core.price_usd) == ("q3400", 288, 100000)
    assert three.cost.switches_usd == 640 * 32_000 + 128 * 100_000


@pytest.mark.parametrize(("roles", "designs", "message"), [
    # a role of the defaults no design has: misspelt, or of no family in the set
    ({"cores": Q3400}, [TWO_TIER, {**THREE_TIER, "role_switches": {"core": Q3400}}],
     "set.yaml: defaults.role_switches.cores: no design of the set has a switch role 'cores'; the designs' roles: "
     "leaf, spine, edge, aggregation, core"),
    ({"core": Q3400}, [{"family": "dragonfly", "parameters": {}}],
     "set.yaml: defaults.role_switches.core: no design of the set has a switch role 'core'; none of the set's "
     "families takes a switch model per role; leave role_switches out"),
    # a role the design names itself must be its family's, as in a design on its own
    ({"core": Q3400}, [{**TWO_TIER, "role_switches": {"core": {"breakout": 4}}}, THREE_TIER],
     "set.yaml: designs[0].role_switches.core: no switch role 'core' in fat_tree; valid: leaf, spine"),
    # a default role that goes to a design and does not fit it says where it comes from
    ({"core": {"model": "q3400", "breakout": 2}}, [TWO_TIER, THREE_TIER],
     "set.yaml: designs[1].role_switches.core: q3400 (144 x 800G, 72 cages split 2) has 800G ports, the switch "
     "400G; a cable runs at one speed: give a breakout or model at the switch's port speed (the set's "
     "defaults.role_switches.core; give the design role_switches.core to change it)"),
    ({"core": {"model": "nope"}}, [TWO_TIER, THREE_TIER],
     "set.yaml: designs[1].role_switches.core.model: unknown switch model 'nope'; valid: ib-ndr-64x400g, qm9700, "
     "q3400, sn5600, th5-64x800g, th6-64x1600g, th5-128x400g (the set's defaults.role_switches.core; give the "
     "design role_switches.core to change it)"),
    ({"core": {"model": "q3400", "breakout": 4}}, [{**THREE_TIER, "parameters": {**THREE_TIER["parameters"],
      "construction": {**CONSTRUCTION, "pods": 160}}}],
     "set.yaml: designs[0].parameters.construction.pods: a core needs 160 x 2 x 2 = 640 ports, more than k=288"),
    # hostile input: every wrong shape is refused naming its field
    (None, [TWO_TIER], "set.yaml: defaults.role_switches: input should be a valid dictionary (got None)"),
    ({"core": 5}, [TWO_TIER],
     "set.yaml: defaults.role_switches.core: input should be a valid dictionary or instance of SwitchSpec (got 5)"),
    ({"core": [Q3400]}, [TWO_TIER],
     "set.yaml: defaults.role_switches.core: input should be a valid dictionary or instance of SwitchSpec"),
    ({"core": {"colour": "red"}}, [TWO_TIER],
     "set.yaml: defaults.role_switches.core.colour: unknown field 'colour'; valid: model, breakout, radix, "
     "port_speed_gbps, price_usd"),
    ({"": Q3400}, [TWO_TIER],
     "set.yaml: defaults.role_switches: key '': string should have at least 1 character (got '')"),
    ({1: Q3400}, [TWO_TIER], "set.yaml: defaults.role_switches: key 1: input should be a valid string (got 1)"),
    ({"core": Q3400}, [{**TWO_TIER, "role_switches": None}],
     "set.yaml: designs[0].role_switches: input should be a valid dictionary (got None)"),
    ({"core": Q3400}, [{**TWO_TIER, "role_switches": {"core": 5}}],
     "set.yaml: designs[0].role_switches.core: input should be a valid dictionary or instance of SwitchSpec (got 5)"),
    ({"core": Q3400}, [{**TWO_TIER, "role_switches": {"core": None}}],
     "set.yaml: designs[0].role_switches.core: input should be a valid dictionary or instance of SwitchSpec "
     "(got None)"),
    ({"core": Q3400}, [{**THREE_TIER, "role_switches": {"core": {"breakout": 3}}}],
     "set.yaml: designs[0].role_switches.core.breakout: q3400 has no breakout 3; valid: 2 (144 x 800G), "
     "4 (288 x 400G)"),
])
def test_default_roles_that_cannot_be_are_refused_naming_the_field(roles, designs, message):
    with pytest.raises(SpecError) as caught:
        resolved(design_set(roles, *designs))
    assert str(caught.value) == message


def test_an_unknown_field_of_the_defaults_lists_role_switches_among_the_valid():
    with pytest.raises(SpecError) as caught:
        resolved({"name": "set", "defaults": {"roles": {"core": Q3400}}, "designs": [TWO_TIER]})
    assert str(caught.value) == ("set.yaml: defaults.roles: unknown field 'roles'; valid: endpoint_speed_gbps, switch, "
                                 "role_switches, nic, prices, cable_classes")


def test_empty_default_roles_change_nothing():
    (two,) = resolved(design_set({}, TWO_TIER))
    (alone,) = resolved({"name": "set", "defaults": {"switch": {"model": "qm9700"}}, "designs": [TWO_TIER]})
    assert two == alone and two.role_switches == {}


def test_a_sets_design_yaml_holds_the_role_models_its_design_took(tmp_path):
    """Exported from a set, the 2-tier tree's design YAML holds no core model (its reload would refuse it)
    and the 3-tier tree's holds the defaults' one; each file read back is the same design."""
    import yaml

    from topoctl.design import load_designs
    from topoctl.export.source import job_from_raw

    raw = design_set({"core": Q3400}, TWO_TIER, THREE_TIER)
    for name, roles in (("two-tier", None), ("three-tier", {"core": Q3400})):
        job = job_from_raw(raw, "set.yaml", select=name)
        assert job.spec.get("role_switches") == roles
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(job.spec, sort_keys=False))
        _, (again,) = load_designs(path)
        assert again == job.design


# -- what a person sees of a mixed design ---------------------------------------------------------------------
SMALL = {"tiers": 3, "endpoints": 96, "construction": {
    "pods": 3, "edges_per_pod": 4, "aggregations_per_pod": 4, "edge_aggregation_links": 2,
    "aggregations_per_core_group": 2, "cores_per_group": 4, "aggregation_core_links": 2}}
MIXED_VARIANT = ("3-tier fat tree, partially populated, leaf 32:32 down:up on k=64 at edge and aggregation, k=288 "
                 "at core, 20 pods of 16 edges x 16 aggregations (2 cables each), 8 x 16 cores (2 cables to each)")


def test_a_mixed_designs_variant_names_each_roles_k():
    """The family is resolved on the largest radix (k=288), but the edges and aggregation switches are
    64-port: the variant says so, in the report, its JSON and the fault analysis."""
    from topoctl.metrics.analysis import fault_analysis
    from topoctl.report import design_report

    design = resolve(spec())
    assert design.topology.parameters()["k"] == 288
    assert design.variant == MIXED_VARIANT
    assert design_report(design).as_dict()["variant"] == MIXED_VARIANT
    small = resolve(spec(parameters=SMALL))
    assert fault_analysis(small).as_dict()["variant"] == small.variant
    assert "k=64 at edge and aggregation, k=288 at core" in small.variant


def test_a_role_model_of_the_switchs_radix_leaves_the_variant_as_it_was():
    design = resolve(spec(parameters=SMALL, role_switches={"core": {"model": "qm9700"}}))
    assert design.role_switches and design.variant == design.topology.variant
    assert "on k=64, " in design.variant


def test_the_design_command_shows_each_roles_model_at_80_columns(tmp_path):
    """The text report names the roles on the switch model and each role's own one, and the variant names
    each role's k; no line is wider than the terminal."""
    import yaml
    from typer.testing import CliRunner

    from topoctl.cli import app

    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump({"family": "fat_tree", "parameters": spec().parameters,
                                    "switch": {"model": "qm9700"}, "role_switches": {"core": Q3400}}))
    result = CliRunner().invoke(app, ["design", str(path)], env={"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert MIXED_VARIANT in text
    assert ("switch: qm9700 (64 x 400G, 32 cages split 2, $32,000, infiniband), edge and aggregation switches; "
            "endpoints: 1 x 400G port(s) each core switches: q3400 (288 x 400G, 72 cages split 4, $125,000)") in text
    assert max(len(line) for line in result.output.splitlines()) <= 80


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_of_role_models_names_each_roles_k(name):
    """Topology.variant_on: with every role on the resolved radix it is ``variant``, byte for byte; with the
    lowest-tier role on fewer ports, a family whose variant names k names that role's k and the others'."""
    family = FAMILIES[name]
    for params in family.examples():
        topology = family.from_parameters(family.Parameters.model_validate(params), 64)
        roles = list(topology.counts().num_switches_by_role)
        assert topology.variant_on({role: topology.radix for role in roles}) == topology.variant
        if topology.ports_by_role() is None or len(roles) < 2:
            continue
        k = topology.parameters()["k"]
        if k < 4:
            continue
        bottom = min(roles, key=topology.role_tier)
        mixed = topology.variant_on({role: k // 2 if role == bottom else k for role in roles})
        others = [role for role in roles if role != bottom]
        assert f"k={k // 2} at {bottom}, k={k} at " in mixed and all(role in mixed for role in others), mixed
        assert f"on k={k}" not in mixed
