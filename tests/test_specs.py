"""Every spec in specs/ loads, resolves, builds (when constructible) and checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from topoctl.design import Design, load_designs
from topoctl.errors import SpecError
from topoctl.report import design_report
from topoctl.topologies import FAMILIES
from topoctl.topologies.check import check_graph

from repo_paths import SPECS

SPEC_FILES = sorted(SPECS.glob("*.yaml"))
SMALL_ENOUGH_TO_BUILD = 20_000  # switches; bigger graphs are timed in bench/, not built in tests
QUICK_TO_BUILD = 200_000  # switch links; bigger graphs (Table 3's dragonfly) are built under the slow marker


def _buildable(design: Design) -> bool:
    return design.topology.constructible and design.counts.num_switches <= SMALL_ENOUGH_TO_BUILD


def _slow_designs() -> list[tuple[Path, str]]:
    """(spec file, design name) of the buildable designs past QUICK_TO_BUILD (closed-form counts only)."""
    return [
        (path, design.name)
        for path in SPEC_FILES
        for design in load_designs(path)[1]
        if _buildable(design) and design.counts.num_switch_links > QUICK_TO_BUILD
    ]


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_spec_loads_builds_and_checks(path: Path):
    _, designs = load_designs(path)
    assert designs, path
    for design in designs:
        report = design_report(design)
        assert report.num_endpoints > 0 and report.cost_usd > 0, path
        if _buildable(design) and design.counts.num_switch_links <= QUICK_TO_BUILD:
            check_graph(design.topology, design.topology.build())


@pytest.mark.slow
@pytest.mark.parametrize("path, name", _slow_designs(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_large_spec_design_builds_and_checks(path: Path, name: str):
    """The rest of test_spec_loads_builds_and_checks: Table 3's dragonfly, 16,352 switches and 384,272
    switch links: 1.1-1.7 s and about 110 MB above the test process to build and check (186 MB peak)."""
    design = next(d for d in load_designs(path)[1] if d.name == name)
    check_graph(design.topology, design.topology.build())


def test_builtin_spec_ships_with_the_package():
    from topoctl.spec import builtin_spec_path

    assert builtin_spec_path().is_file()


def test_set_defaults_are_merged_and_overridable(write):
    path = write(
        "set.yaml",
        "name: s\ndefaults: {switch: {radix: 16, price_usd: 1000}}\n"
        "designs:\n  - {family: fat_tree}\n  - {family: fat_tree, switch: {radix: 8}}\n",
    )
    _, designs = load_designs(path)
    assert [d.switch.radix for d in designs] == [16, 8]
    assert [d.switch.price_usd for d in designs] == [1000, 1000]


@pytest.mark.parametrize(
    "text, message",
    [
        ("family: fat_tree\nparameters: {k: 0}\n",
         "{f}: parameters.k: input should be greater than or equal to 2 (got 0)"),
        ("family: fat_tree\ncolour: red\n",
         "{f}: colour: unknown field 'colour'; valid: name, family, parameters, endpoint_speed_gbps, switch, "
         "role_switches, nic, prices, cable_classes, formula_only"),
        ("family: no_such_family\n",
         "{f}: family: unknown family 'no_such_family'; valid: " + ", ".join(sorted(FAMILIES))),
        ("family: fat_tree\nparameters: {k: 64, nodes: 3}\n",
         "{f}: parameters.nodes: unknown field 'nodes'; valid: k, tiers, oversubscription, endpoints, construction, spines"),
        ("family: fat_tree\nparameters: {k: '64'}\n", "{f}: parameters.k: input should be a valid integer (got '64')"),
        ("family: slim_fly\nparameters: {q: 28}\n",
         "{f}: parameters.q: q=28 is not a prime power; nearest valid: 27, 29 (or set formula_only: true for counts by formula)"),
        ("family: dragonfly\nparameters: {p: 16, a: 32, h: 16, g: 600}\n",
         "{f}: parameters.g: g=600 exceeds a*h + 1 = 513, the most groups a*h global ports reach"),
        ("family: fat_tree\nparameters: {k: 65}\n", "{f}: parameters.k: k=65 exceeds the switch radix 64; use k <= 64"),
        ("family: fat_tree\nswitch: {model: nope}\n", "{f}: switch.model: unknown switch model 'nope'; valid: ib-ndr-64x400g, qm9700, q3400, sn5600, th5-64x800g, th6-64x1600g, th5-128x400g"),
        ("family: fat_tree\nendpoint_speed_gbps: 800\n",
         "{f}: endpoint_speed_gbps: 800 Gb/s exceeds the switch port speed 400 Gb/s"),
        ("family: fat_tree\ncable_classes: {uplinks: optical}\n",
         "{f}: cable_classes: no link group 'uplinks' in fat_tree; valid: leaf-spine, endpoint"),
        ("family: [fat_tree\n", "{f}: malformed YAML at line 2, column 1: expected ',' or ']', but got '<stream end>'"),
        ("", "{f}: expected a mapping of fields (a design or a set with 'designs'), got empty"),
        ("- 1\n", "{f}: expected a mapping of fields (a design or a set with 'designs'), got list"),
        ("name: s\ndesigns: []\n", "{f}: designs: list should have at least 1 item after validation, not 0"),
        ("name: s\ndesigns:\n  - {family: fat_tree}\n  - {family: fat_tree, parameters: {tiers: 4}}\n",
         "{f}: designs[1].parameters.tiers: input should be 2 or 3 (got 4)"),
        ("name: s\ndefaults: {switch: {radix: -1}}\ndesigns: [{family: fat_tree}]\n",
         "{f}: defaults.switch.radix: input should be greater than or equal to 2 (got -1)"),
    ],
)
def test_errors_name_file_field_and_what_is_valid(write, text, message):
    path = write("spec.yaml", text)
    with pytest.raises(SpecError) as info:
        load_designs(path)
    assert str(info.value) == message.format(f=path)


def test_missing_file(tmp_path):
    with pytest.raises(SpecError, match="nope.yaml: no such file"):
        load_designs(tmp_path / "nope.yaml")
