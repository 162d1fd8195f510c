"""The command line's request as the library reads it (topoctl.request), without the CLI."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from topoctl.errors import FlagError, SpecError
from topoctl.request import (
    COMMAND_LINE,
    DesignFlags,
    SizingFlags,
    parse_assignment,
    parse_rate,
    pick_design,
    read_design_request,
    wants_sizing,
)
from topoctl.requirement import requirement_from_flags

from repo_paths import SPECS


@pytest.mark.parametrize("text, rate", [(None, 0.0), ("1%", 0.01), ("0.5%", 0.005), ("0.01", 0.01), (" 100% ", 1.0), ("0", 0.0)])
def test_rates_are_percentages_or_fractions_below_one(text, rate):
    assert parse_rate(text, "--link-failures") == pytest.approx(rate)


@pytest.mark.parametrize("text, message", [
    ("1", "'1' is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write 100%"),
    ("2", "'2' is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write a percentage such as 1%"),
    ("101%", "'101%' is outside 0%..100%"),
    ("-0.1", "'-0.1' is outside 0%..100%"),
    ("x", "'x' is not a rate; use a percentage (1%) or a fraction below 1 (0.01)"),
])
def test_a_bad_rate_is_a_flag_error_naming_the_flag(text, message):
    with pytest.raises(FlagError) as caught:
        parse_rate(text, "--switch-failures")
    assert str(caught.value) == f"--switch-failures: {message}" and caught.value.exit_code == 2


def test_assignments_read_values_as_yaml():
    assert parse_assignment("k=64") == ("k", 64)
    assert parse_assignment("x=[1, 2") == ("x", "[1, 2")  # YAML cannot read it: kept as text
    with pytest.raises(FlagError, match="^--layout: 'x' is not NAME=VALUE$"):
        parse_assignment("x", "--layout")


def test_flags_override_a_single_designs_fields():
    flags = DesignFlags(endpoints=1000, radix=48, params=("tiers=2",), name="mine", formula_only=True)
    raw, source = read_design_request(SPECS / "fat-tree-2tier-partial.yaml", flags)
    assert source == str(SPECS / "fat-tree-2tier-partial.yaml")
    assert raw["parameters"]["endpoints"] == 1000 and raw["parameters"]["tiers"] == 2
    assert raw["switch"]["radix"] == 48 and raw["name"] == "mine" and raw["formula_only"] is True


def test_flags_change_the_picked_design_of_a_set_and_flags_alone_need_a_family():
    table3 = SPECS / "deepseek-v3-table3.yaml"
    assert read_design_request(table3, DesignFlags()) == read_design_request(table3, DesignFlags(), pick="FT3")
    raw, _ = read_design_request(table3, DesignFlags(endpoints=10), pick="FT3")
    ft3 = next(d for d in raw["designs"] if d["name"] == "FT3")
    assert ft3["parameters"]["endpoints"] == 10 and all("endpoints" not in d.get("parameters", {})
                                                        for d in raw["designs"] if d["name"] != "FT3")
    with pytest.raises(FlagError, match="holds a set: pick one with --design NAME$"):
        read_design_request(table3, DesignFlags(endpoints=10))
    with pytest.raises(FlagError, match="the set names no design 'FT9'$"):
        read_design_request(table3, DesignFlags(endpoints=10), pick="FT9")
    assert read_design_request(None, DesignFlags(family="dragonfly")) == ({"family": "dragonfly"}, COMMAND_LINE)
    with pytest.raises(FlagError, match="^SPEC: give a SPEC file or --family$"):
        read_design_request(None, DesignFlags(endpoints=10))


def test_endpoints_size_only_without_a_spec_or_family(tmp_path):
    assert wants_sizing(None, None, 512, None)
    assert not wants_sizing(None, "fat_tree", 512, None)
    assert not wants_sizing(tmp_path, None, 512, None)
    assert wants_sizing(None, None, None, tmp_path)
    with pytest.raises(FlagError, match="not both$"):
        wants_sizing(tmp_path, "fat_tree", None, tmp_path)
    assert wants_sizing(None, None, 512, None, ["--max-hops"])
    with pytest.raises(FlagError, match="^--max-hops: constrains sizing"):
        wants_sizing(None, "fat_tree", 512, None, ["--max-hops", "--max-planes"])


def test_picking_a_design_by_name():
    designs = [SimpleNamespace(name="A"), SimpleNamespace(name="B")]
    assert pick_design(designs, None, "f.yaml") == designs
    assert pick_design(designs, "B", "f.yaml") == designs[1:]
    with pytest.raises(SpecError, match=r"^f.yaml: --design: no design named 'C'; valid: A, B$"):
        pick_design(designs, "C", "f.yaml")


def test_sizing_flags_override_the_requirement_file():
    path = SPECS / "requirements" / "deepseek-v3-mpft.yaml"
    req = requirement_from_flags(SizingFlags(requirement=path, endpoints=4096, objective="switches"))
    assert req.num_endpoints == 4096 and req.objective == "switches" and req.max_planes == 8
