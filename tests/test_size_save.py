"""A sized design flows on: `size --save` writes a design spec that design, export, faults and moe load
as the same design, and those commands size on their own with the sizing flags."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.topologies import FAMILIES

runner = CliRunner()

# a requirement each family meets when it is the only one allowed
WINS = {family: {"endpoints": 1024} for family in FAMILIES}
WINS["multiplane_fat_tree"] = WINS["rail_only"] = {"endpoints": 1024, "max_planes": 8, "max_ports_per_endpoint": 8}
SAME = ("family", "num_endpoints", "num_planes", "num_switches", "num_switches_by_role", "cost_usd",
        "cost_per_endpoint_usd")


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def requirement(tmp_path, **fields):
    path = tmp_path / "requirement.yaml"
    path.write_text(yaml.safe_dump(fields), encoding="utf-8")
    return path


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_saved_design_of_every_family_is_the_same_design(tmp_path, family):
    req = requirement(tmp_path, families=[family], **WINS[family])
    saved = tmp_path / "sized.yaml"
    sized = run("size", "--requirement", req, "--save", saved, "-f", "json")
    assert sized.exit_code == 0, sized.output
    designed = run("design", saved, "-f", "json")
    assert designed.exit_code == 0, designed.output
    report, again = json.loads(sized.stdout), json.loads(designed.stdout)
    assert report["family"] == family
    assert {key: report[key] for key in SAME} == {key: again[key] for key in SAME}
    assert {key: value for key, value in report.items() if key != "sizing"} == again


def test_the_saved_spec_is_deterministic_and_says_what_it_was_sized_from(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for out in (first, second):
        assert run("size", "--endpoints", "2048", "--save", out).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text() == (
        "# topoctl design spec, sized from the requirement of the command line:\n"
        "#   {endpoints: 2048}\n"
        "# topoctl design, export, faults and moe take this file as SPEC.\n"
        "name: sized fat_tree\n"
        "family: fat_tree\n"
        "parameters:\n"
        "  k: 64\n"
        "  tiers: 2\n"
        "  oversubscription: 1\n"
        "  endpoints: 2048\n"
        "endpoint_speed_gbps: 400.0\n"
        "switch:\n"
        "  model: ib-ndr-64x400g\n"
        "  breakout: 2\n"
    )


def test_the_header_names_the_requirement_file_and_prices_are_kept(tmp_path):
    req = requirement(tmp_path, endpoints=2048, prices={"optical_cable_usd": 100})
    saved = tmp_path / "sized.yaml"
    assert run("design", "--requirement", req, "--save", saved).exit_code == 0
    text = saved.read_text()
    assert text.startswith(f"# topoctl design spec, sized from the requirement of {req}:\n"
                           "#   {endpoints: 2048, prices: {optical_cable_usd: 100}}\n")
    assert "prices:\n  optical_cable_usd: 100.0\n" in text


def test_with_top_the_best_design_is_saved(tmp_path):
    saved = tmp_path / "sized.yaml"
    sized = run("size", "--endpoints", "4096", "--max-planes", "4", "--top", "3", "--save", saved, "-f", "json")
    assert sized.exit_code == 0, sized.output
    best = json.loads(sized.stdout)["designs"][0]
    again = json.loads(run("design", saved, "-f", "json").stdout)
    assert {key: best[key] for key in SAME} == {key: again[key] for key in SAME}


@pytest.mark.parametrize("command", [["faults"], ["moe"], ["design"]])
def test_commands_size_with_the_sizing_flags_as_the_saved_spec(tmp_path, command):
    saved = tmp_path / "sized.yaml"
    assert run("size", "--endpoints", "2048", "--max-planes", "2", "--save", saved).exit_code == 0
    sized = run(*command, "--endpoints", "2048", "--max-planes", "2", "-f", "json")
    assert sized.exit_code == 0, sized.output
    loaded = json.loads(run(*command, saved, "-f", "json").stdout)
    assert {k: v for k, v in json.loads(sized.stdout).items() if k != "sizing"} == loaded


def test_export_sizes_with_the_sizing_flags_as_the_saved_spec(tmp_path):
    saved, req = tmp_path / "sized.yaml", requirement(tmp_path, endpoints=1024, families=["dragonfly"])
    assert run("size", "--requirement", req, "--save", saved).exit_code == 0
    for fmt in ("bom", "design"):
        sized, loaded = tmp_path / f"sized.{fmt}", tmp_path / f"loaded.{fmt}"
        assert run("export", "--requirement", req, "-f", fmt, "-o", sized).exit_code == 0
        assert run("export", saved, "-f", fmt, "-o", loaded).exit_code == 0
        assert sized.read_bytes() == loaded.read_bytes()


def test_save_refuses_what_exports_refuse_and_writes_nothing(tmp_path):
    result = run("size", "--endpoints", "2048", "--save", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    missing = tmp_path / "no" / "sized.yaml"
    result = run("size", "--endpoints", "2048", "--save", missing)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert not missing.parent.exists()


def test_an_infeasible_request_saves_nothing(tmp_path):
    saved = tmp_path / "sized.yaml"
    result = run("size", "--endpoints", "313", "--radix", "8", "--max-planes", "4", "--save", saved)
    assert result.exit_code == 1 and result.stderr.startswith("Error: no design for 313 endpoints")
    assert list(tmp_path.iterdir()) == []


def test_design_picks_nothing_from_a_sized_design():
    result = run("faults", "--endpoints", "2048", "--design", "FT2")
    assert result.exit_code == 2
    assert result.stderr == "Error: --design: a sized design is one design, not a set to pick from\n"
