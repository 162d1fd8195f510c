"""The CLI in-process: outputs and error messages pinned, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.topologies import FAMILIES

from repo_paths import SPECS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_compare_default_is_table3_json():
    result = run("compare", "--format", "json")
    assert result.exit_code == 0, result.output
    designs = json.loads(result.stdout)["designs"]
    assert [d["name"] for d in designs] == ["FT2", "MPFT", "FT3", "SF", "DF"]
    required = {
        "name", "family", "parameters", "num_endpoints", "num_switches", "num_switches_by_role",
        "num_switch_links", "num_endpoint_links", "cost_usd", "cost_per_endpoint_usd",
        "bisection_bandwidth_gbps", "bisection_ratio", "diameter_hops", "fault_domains", "constructible",
    }
    for design in designs:
        assert required <= set(design)
        for entry in design["fault_domains"]:
            assert {"component", "count", "endpoints_disconnected"} <= set(entry)
    assert [d["num_switches"] for d in designs] == [96, 768, 5120, 1568, 16352]
    assert [d["constructible"] for d in designs] == [True, True, True, False, True]


def test_compare_is_deterministic_and_yaml_matches_json():
    first, second = run("compare", "-f", "json").stdout, run("compare", "-f", "json").stdout
    assert first == second
    assert yaml.safe_load(run("compare", "-f", "yaml").stdout) == json.loads(first)


def test_compare_table_shows_the_papers_numbers():
    out = run("compare").stdout
    for text in ["FT2", "MPFT", "FT3", "SF *", "DF", "16,384", "5,120", "131,072", "384,272", "$4.38k", "$7.51k",
                 "$5.80k", "bisection ratio", "0.667 (ub)", "diameter (switch hops)", "Fault domains",
                 "nearest valid: 27, 29"]:
        assert text in out, text


def test_compare_keeps_input_order(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text("name: A\nfamily: dragonfly\nparameters: {p: 2}\n")
    result = run("compare", str(a), str(SPECS / "fat-tree-2tier-partial.yaml"), "-f", "json")
    assert [d["name"] for d in json.loads(result.stdout)["designs"]] == ["A", "FT2-1000"]


def test_design_by_flags():
    result = run("design", "--family", "fat_tree", "--endpoints", "1000", "--radix", "64", "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["num_switches_by_role"] == {"leaf": 32, "spine": 16}
    assert report["parameters"]["endpoints"] == 1000


def test_design_multiplane_flags_and_params():
    result = run("design", "--family", "multiplane_fat_tree", "--planes", "4", "--tiers", "2",
                 "--param", "ports_per_endpoint=4", "-f", "json")
    report = json.loads(result.stdout)
    assert report["num_endpoints"] == 2048 and report["num_endpoint_links"] == 8192
    assert report["variant"].endswith("ideal: every endpoint has one NIC port in every plane")


def test_design_spec_file_with_flag_override():
    result = run("design", str(SPECS / "fat-tree-2tier-partial.yaml"), "--endpoints", "2048", "-f", "json")
    assert json.loads(result.stdout)["num_switches"] == 96


def test_design_table():
    result = run("design", str(SPECS / "slim-fly-q27.yaml"))
    assert result.exit_code == 0
    assert "MMS slim fly, q=27 (delta=-1), network radix 41, p=21" in result.stdout
    assert "Fault domains" in result.stdout


def test_families():
    result = run("families", "-f", "json")
    names = [f["name"] for f in json.loads(result.stdout)["families"]]
    assert names == sorted(FAMILIES)


def test_validate_ok_and_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: fat_tree\nparameters: {tiers: 5}\n")
    result = run("validate", str(SPECS / "deepseek-v3-table3.yaml"), str(bad))
    assert result.exit_code == 1
    assert f"ok: {SPECS / 'deepseek-v3-table3.yaml'}: 5 designs" in result.stdout
    assert result.stderr == f"Error: {bad}: parameters.tiers: input should be 2 or 3 (got 5)\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["design", "--family", "no_such_family"],
         f"Error: command line: family: unknown family 'no_such_family'; valid: {', '.join(sorted(FAMILIES))}\n"),
        (["design", "--family", "fat_tree", "--endpoints", "0"],
         "Error: command line: parameters.endpoints: input should be greater than or equal to 1 (got 0)\n"),
        (["design", "--family", "fat_tree", "--endpoints", "5000"],
         "Error: command line: parameters.endpoints: 5000 endpoints exceed the 2-tier maximum 2048 at k=64 with 32 "
         "down ports per leaf; use at most 2048, or 3 tiers or more planes\n"),
        (["design", "--family", "slim_fly", "--param", "q=28"],
         "Error: command line: parameters.q: q=28 is not a prime power; nearest valid: 27, 29 "
         "(or set formula_only: true for counts by formula)\n"),
        (["design", "--family", "slim_fly", "--param", "q=10"],
         "Error: command line: parameters.q: q=10 is 2 mod 4, so q = 4w + delta has no delta in -1, 0, 1; "
         "nearest valid: 9, 11\n"),
        (["design", "--family", "dragonfly", "--param", "p=16", "--param", "a=32", "--param", "h=16", "--param", "g=514"],
         "Error: command line: parameters.g: g=514 exceeds a*h + 1 = 513, the most groups a*h global ports reach\n"),
        (["design", "--family", "dragonfly", "--param", "p=20"],
         "Error: command line: parameters.p: p + (a - 1) + h = 20 + 39 + 20 = 79 ports exceed the switch radix 64\n"),
        (["design", "--family", "fat_tree", "--planes", "2"],
         "Error: command line: parameters.planes: unknown field 'planes'; valid: k, tiers, oversubscription, endpoints, construction, spines\n"),
        (["design", "missing.yaml"], "Error: missing.yaml: no such file\n"),
        (["compare", "missing.yaml"], "Error: missing.yaml: no such file\n"),
    ],
)
def test_errors_are_one_line_exit_1(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_design_of_a_set_points_to_compare():
    path = SPECS / "deepseek-v3-table3.yaml"
    result = run("design", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: holds a set of designs; 'topoctl compare {path}' compares them\n"


@pytest.mark.parametrize("args", [["design", "--param", "k"], ["design", "--format", "xml"], ["nope"], ["design"]])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_formula_only_design_by_flag():
    result = run("design", "--family", "slim_fly", "--param", "q=28", "--formula-only", "-f", "json")
    report = json.loads(result.stdout)
    assert report["constructible"] is False and report["num_switches"] == 1568


def test_help_does_not_import_rich_or_the_library():
    code = (
        "import sys; from topoctl.cli import app; "
        "bad = [m for m in ('networkx', 'pydantic', 'topoctl.design', 'numpy') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
