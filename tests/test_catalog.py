"""The parts catalog (topoctl/catalog/parts.yaml): every entry checked on its own (schema, units, breakout
arithmetic, sources), the class choice, user files over the shipped catalog, and the figures every
report now carries (power, parts, racks, latency) against closed forms and the paper's Table 5."""

from __future__ import annotations

import pytest
import yaml

from topoctl.catalog import CATALOG_FILE, DEFAULT_PRICES, active, load_catalog, restored, use_files
from topoctl.catalog.schema import CableEntry, NicEntry, SwitchEntry
from topoctl.design import load_designs, resolve
from topoctl.errors import SpecError
from topoctl.physical.footprint import footprint
from topoctl.physical.layout import Layout, LayoutOptions, rack_plan
from topoctl.physical.ports import PortPlan
from topoctl.report import design_report
from topoctl.spec import DesignSpec, builtin_spec_path

RAW = yaml.safe_load(CATALOG_FILE.read_text())
SWITCHES = {entry["name"]: entry for entry in RAW["switches"]}
NICS = {entry["name"]: entry for entry in RAW["nics"]}
CABLES = {entry["name"]: entry for entry in RAW["cables"]}
LANE_GBPS = (50, 100, 200)  # PAM4 lane speeds of 400G/800G/1.6T generations


@pytest.mark.parametrize("name", SWITCHES)
def test_switch_entry(name):
    entry = SwitchEntry.model_validate(SWITCHES[name])  # strict: unknown fields and wrong units fail here
    assert entry.cage_gbps / entry.cage_lanes in LANE_GBPS, f"{name}: lane speed"
    for b in entry.breakouts:
        model = active().switch_model(name, b)
        assert model.radix == entry.cages * b and model.port_speed_gbps * model.radix == entry.cages * entry.cage_gbps
        assert model.port_name(model.radix).startswith(("p", "swp", "Ethernet"))
        # the last port names the last cage, never a port number past it
        assert str(entry.cages) in model.port_name(model.radix) and str(model.radix + 1) not in model.port_name(1)
        for medium in ("electric", "optical"):
            option = active().cheapest(model.port_speed_gbps, model.link_layer, (b, b), 0.0, medium)
            assert option.medium == medium, f"{name} breakout {b}: no {medium} part"
    # a switch ASIC draws of the order of 10-50 W per Tb/s (25-30 pJ/bit), fans and CPU included
    assert 5 <= entry.power_typical_w / (entry.cages * entry.cage_gbps / 1000) <= 100, f"{name}: W per Tb/s"


@pytest.mark.parametrize("name", NICS)
def test_nic_entry(name):
    entry = NicEntry.model_validate(NICS[name])
    assert 5 <= entry.power_w <= 100 and all(entry.port_gbps % p == 0 for p in entry.planes)


@pytest.mark.parametrize("name", CABLES)
def test_cable_entry(name):
    entry = CableEntry.model_validate(CABLES[name])
    assert entry.name.endswith(f"-{entry.link_gbps:g}g"), f"{name}: named by its speed"
    if entry.kind == "transceiver":
        for module in entry.modules or ():
            # a module serving N links of a cage is at most N single-port modules' power
            single = next(m for m in entry.modules or () if m.ports == 1)
            assert module.power_w <= module.ports * single.power_w + 1e-9, f"{name}: {module.name}"
        assert entry.reach_m >= 50
    else:
        assert entry.reach_m <= 100 and (entry.power_per_end_w == 0) == (entry.kind == "dac")


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"switches": [{**SWITCHES["qm9700"], "colour": "red"}]}, "switches[0].colour: unknown field 'colour'; valid: name, vendor, product, asic, link_layer, cages, cage_form_factor, cage_gbps, cage_lanes, breakouts, port_names, rack_units, power_typical_w, power_max_w, power_source, price_usd, price_source, calibrated_prices, description"),
        ({"switches": [{**SWITCHES["qm9700"], "breakouts": [3]}]},
         "switches[0]: breakouts: 3 does not divide the cage's 8 lanes"),
        ({"switches": [{**SWITCHES["qm9700"], "price_source": "a reseller"}]},
         "switches[0].price_source: must start with 'assumption: ' (saying what it rests on) or name a "
         "document with its date (YYYY-MM) (got 'a reseller')"),
        ({"cables": [{**CABLES["dac-400g"], "modules": []}]}, "cables[0]: a dac class has no modules or fibre_usd"),
    ],
)
def test_user_file_errors_name_file_and_field(tmp_path, patch, message):
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(patch))
    with pytest.raises(SpecError) as info:
        load_catalog((str(path),))
    assert str(info.value) == f"{path}: {message}"


def test_user_file_overrides_and_adds(tmp_path):
    path = tmp_path / "mine.yaml"
    cheap = {**SWITCHES["sn5600"], "price_usd": 10_000, "price_source": "assumption: a quote in hand"}
    mine = {**SWITCHES["th5-64x800g"], "name": "my-box", "price_source": "assumption: our own"}
    path.write_text(yaml.safe_dump({"switches": [cheap, mine]}))
    with restored():
        use_files([path])
        assert active().switches["sn5600"].price_usd == 10_000 and "my-box" in active().switches
        assert resolve(DesignSpec(family="fat_tree", parameters={"k": 16}, switch={"model": "my-box"})).switch.name == "my-box"
    assert active().switches["sn5600"].price_usd == 55_000 and "my-box" not in active().switches


def test_cheapest_class_that_reaches():
    cat = active()
    # a 400G link from a NIC to a twin-port cage: DAC in the rack, ACC to 5 m, SR optics to 50 m, DR beyond
    assert [cat.cheapest(400, "infiniband", (1, 2), length).name for length in (2, 4, 30, 200, 1500)] == [
        "dac-400g", "acc-400g", "sr4-400g", "dr4-400g", "fr4-400g"]
    sr = cat.cheapest(400, "infiniband", (1, 2), 30)
    # a single-port module at the NIC, half a twin-port 2 x 400G OSFP at the switch
    assert [m.ports for m in sr.modules if m] == [1, 2] and sr.power_w == 9 + 17 / 2
    assert cat.cheapest(400, "ethernet", (1, 2), 30).name == "aoc-400g"  # Ethernet has 400G AOCs


def test_calibrated_preset_keeps_the_table3_price_book():
    model = active().switch_model("ib-ndr-64x400g")
    assert active().price_book(model) is DEFAULT_PRICES and model.price_usd == 49_000
    assert (model.radix, model.cages, model.port_name(64)) == (64, 32, "p32/2")


def test_radix_picks_a_catalog_switch_or_says_none_does():
    picked = resolve(DesignSpec(family="fat_tree", parameters={"k": 128}, switch={"radix": 128})).switch
    assert (picked.name, picked.radix, picked.port_speed_gbps) == ("th5-64x800g", 128, 400)
    assert picked.port_name(128) == "Ethernet64/5" and "the catalog's cheapest" in picked.selection
    custom = resolve(DesignSpec(family="fat_tree", parameters={"k": 16}, switch={"radix": 16})).switch
    assert custom.catalog_model is None and custom.selection.startswith("radix 16: no catalog switch has 16 ports")
    assert custom.port_name(16) == "p16"


def test_breakout_splits_cages_in_port_names():
    spec = DesignSpec(family="fat_tree", parameters={"k": 128, "tiers": 2, "endpoints": 256},
                      switch={"model": "sn5600", "breakout": 2})
    design = resolve(spec)
    ports = {c.z_port for c in PortPlan(design).cables()}
    assert "swp1s0" in ports and "swp1s1" in ports and not any(p.startswith("swp65") for p in ports)


def test_table5_latency_reproduced():
    """Table 5 of the paper: IB 2.8 / 3.7 us and RoCE 3.6 / 5.6 us, same leaf / cross leaf."""
    for model, (same, cross) in (("ib-ndr-64x400g", (2.8, 3.7)), ("sn5600", (3.6, 5.6))):
        layer = active().latency(active().switch_model(model).link_layer)
        assert layer.endpoint_us + layer.per_switch_us == pytest.approx(same)
        assert layer.endpoint_us + 3 * layer.per_switch_us == pytest.approx(cross)


@pytest.fixture(scope="module")
def table3():
    _, designs = load_designs(builtin_spec_path())
    return {d.name: d for d in designs}


def test_table3_footprint(table3):
    """Power from counts: switches x 747 W, a twin-port SR8 per two leaf-spine link ends, a NIC per GPU."""
    ft2 = footprint(table3["FT2"])
    assert ft2.switch_power_w == 96 * 747 and ft2.nic_power_w == 2048 * 25
    assert ft2.optics_power_w == 2048 * 17  # 4,096 switch-side ends / 2 ports per module
    assert ft2.latency.worst_us == pytest.approx(3.7)
    assert footprint(table3["MPFT"]).latency.worst_us == pytest.approx(3.7 + 3.33)  # cross-plane via NVLink
    assert footprint(table3["FT3"]).latency.worst_us == pytest.approx(2.35 + 5 * 0.45)
    report = design_report(table3["DF"]).as_dict()
    assert report["optics_by_class"]["sr4-400g"]["links"] == 130_816  # the global links
    assert report["optics_by_class"]["dac-400g"]["links"] == 253_456 + 261_632  # intra-group and endpoint


def test_racks_closed_form_matches_layout(table3):
    design = table3["MPFT"]
    plan = rack_plan(16384, 8, [(design.switch, 768)])
    assert (plan.nodes_per_rack, plan.num_node_racks) == (4, 512)  # 4 x 10.2 kW nodes in a 42 kW rack
    assert footprint(design).racks == plan
    small = resolve(DesignSpec(family="fat_tree", parameters={"k": 16, "tiers": 2}))
    layout = Layout(PortPlan(small), LayoutOptions())
    assert layout.num_racks == footprint(small).racks.num_racks
    assert max(rack for rack, _ in layout.node_position) < min(rack for rack, _ in layout.switch_position)


def test_plan_parts_agree_with_counts_when_lengths_agree():
    """A small design whose cables all fit the nominal reach: the plan's parts equal the count-based ones."""
    from topoctl.physical.layout import length_aware_summary

    design = resolve(DesignSpec(family="fat_tree", parameters={"k": 8, "tiers": 2}, cable_classes={"endpoint": "optical"}))
    plan = length_aware_summary(design).parts
    counted = footprint(design).parts
    assert plan is not None
    assert sum(line.links for line in plan.lines) == sum(line.links for line in counted.lines) == 32 + 32


def test_catalog_flag_is_the_commands_own(tmp_path):
    from typer.testing import CliRunner

    from topoctl.cli import app

    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"switches": [{**SWITCHES["th5-64x800g"], "name": "my-box"}]}))
    runner = CliRunner()
    with_file = runner.invoke(app, ["parts", "--catalog", str(path), "-f", "json"])
    assert with_file.exit_code == 0 and '"my-box"' in with_file.output
    assert '"my-box"' not in runner.invoke(app, ["parts", "-f", "json"]).output
    bad = tmp_path / "bad.yaml"
    bad.write_text("switches: [{name: x}]\n")
    result = runner.invoke(app, ["compare", "--catalog", str(bad)])
    assert result.exit_code == 1 and result.output == f"Error: {bad}: switches[0].vendor: required field is missing\n"


def test_sizing_minimises_and_caps_power():
    """The closed-form power the sizer minimises is the report's (FT2 of 2,048: whole twin-port modules)."""
    from topoctl.optimize import size
    from topoctl.requirement import parse_requirement

    req = parse_requirement({"endpoints": 2048, "max_tiers": 2, "objective": "power"}, "test")
    best = size(req).best
    assert best.solution.objective == round(footprint(best.design).power_w * 1000)
    capped = parse_requirement({"endpoints": 2048, "max_tiers": 2, "max_power_kw": 160}, "test")
    assert footprint(size(capped).best.design).power_w <= 160_000


@pytest.mark.slow
def test_a_power_cap_below_every_design_names_the_smallest_relaxation():
    """Explaining infeasibility enumerates every family's shapes twice (prices, then power): slow."""
    from topoctl.errors import InfeasibleError
    from topoctl.optimize import size
    from topoctl.requirement import parse_requirement

    capped = parse_requirement({"endpoints": 2048, "max_tiers": 2, "max_power_kw": 100}, "test")
    with pytest.raises(InfeasibleError, match=r"max_power_kw=157\.728"):
        size(capped, time_limit_s=300)


def test_shipped_file_has_no_duplicate_keys():
    """The shipped catalog is read with libyaml's fast loader, which keeps the last of two equal keys: the
    strict loader of user files must accept it as it is."""
    from topoctl.spec import load_yaml

    assert load_yaml(CATALOG_FILE) == RAW


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--switch", "nope"], "command line: switch.model: unknown switch model 'nope'; valid: ib-ndr-64x400g, qm9700, "
                               "q3400, sn5600, th5-64x800g, th6-64x1600g, th5-128x400g"),
        (["--switch", "sn5600", "--breakout", "3"],
         "command line: switch.breakout: sn5600 has no breakout 3; valid: 1 (64 x 800G), 2 (128 x 400G), 4 (256 x 200G)"),
        (["--nic", "nope"], "command line: nic: unknown NIC 'nope'; valid: connectx-7, connectx-8, thor2-400g"),
    ],
)
def test_part_flags_name_what_is_valid(flags, message):
    from typer.testing import CliRunner

    from topoctl.cli import app

    result = CliRunner().invoke(app, ["design", "--family", "fat_tree", "--param", "k=16", *flags])
    assert result.exit_code == 1 and result.output == f"Error: {message}\n"
