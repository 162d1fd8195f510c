"""``--routing`` on design and compare, in-process: the figures per routing and pattern, the notes, the
tables at 80 columns, and the default outputs unchanged without the flag."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.metrics.results import PATTERNS, ROUTINGS

runner = CliRunner()
SMALL_DF = ("--family", "dragonfly", "--param", "p=2", "--param", "a=4", "--param", "h=2", "--param", "g=9")


def run(*args: str, columns: int = 80):
    return runner.invoke(app, list(args), env={"COLUMNS": str(columns)})


def test_design_routing_all_json():
    result = run("design", *SMALL_DF, "--routing", "all", "-f", "json")
    assert result.exit_code == 0, result.output
    routing = json.loads(result.stdout)["analysis"]["routing"]
    assert routing["routings"] == list(ROUTINGS)
    assert list(routing["patterns"]) == list(PATTERNS)
    uniform = routing["patterns"]["uniform"]
    assert uniform["minimal"]["kind"] == "exact" and uniform["minimal"]["value"] == 0.833333
    assert uniform["valiant"]["value"] == 0.428571  # n/(2(n-1)) of minimal, n = 36
    assert uniform["ideal"]["lower"] <= uniform["ideal"]["upper"]
    assert any("consecutive arrangement" in note for note in routing["notes"])
    for pattern in PATTERNS:
        figures = routing["patterns"][pattern]
        assert figures["minimal"]["value"] <= figures["adaptive"]["value"] + 1e-6
        assert figures["valiant"]["value"] <= figures["adaptive"]["value"] + 1e-6
        assert figures["adaptive"]["value"] <= figures["ideal"]["upper"] + 1e-6


def test_design_routing_one_table_fits_80_columns():
    result = run("design", *SMALL_DF, "--param", "arrangement=palmtree", "--routing", "valiant")
    assert result.exit_code == 0, result.output
    assert "Throughput by routing" in result.stdout and "palmtree arrangement" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "ideal" not in result.stdout.split("Throughput by routing")[1].splitlines()[2]


def test_routing_implies_the_graph_analysis_and_is_absent_without_it():
    plain = json.loads(run("design", *SMALL_DF, "--analysis", "full", "-f", "json").stdout)
    assert "routing" not in plain["analysis"]
    routed = json.loads(run("design", *SMALL_DF, "--routing", "minimal", "-f", "json").stdout)
    assert routed["analysis"]["level"] == "full"
    assert routed["analysis"]["routing"]["routings"] == ["minimal"]


def test_compare_routing_rows(tmp_path):
    spec = tmp_path / "two.yaml"
    spec.write_text(
        "name: two\ndefaults: {endpoint_speed_gbps: 400, switch: {model: ib-ndr-64x400g}}\ndesigns:\n"
        "  - {name: DF, family: dragonfly, parameters: {p: 2, a: 4, h: 2, g: 9}}\n"
        "  - {name: DFP, family: dragonfly, parameters: {p: 2, a: 4, h: 2, g: 9, arrangement: palmtree}}\n"
    )
    result = run("compare", str(spec), "--analysis", "full", "--routing", "adaptive")
    assert result.exit_code == 0, result.output
    for pattern in ("uniform", "shift", "bit-reverse", "moe"):
        assert f"{pattern}, adaptive" in result.stdout
    assert "DFP: global links in the palmtree arrangement" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_multiplane_routing_notes_say_what_forwarding_does():
    args = ("design", "--family", "multiplane_fat_tree", "--param", "planes=2", "--param", "k=8",
            "--param", "endpoints_per_node=2", "--routing", "minimal", "-f", "json")
    without = json.loads(run(*args).stdout)["analysis"]["routing"]["notes"]
    with_pxn = json.loads(run(*args, "--node-forwarding").stdout)["analysis"]["routing"]["notes"]
    assert any("no node-local forwarding" in note for note in without)
    assert any("(PXN)" in note for note in with_pxn)


def test_bad_routing_names_the_choices():
    result = run("design", *SMALL_DF, "--routing", "spray")
    assert result.exit_code == 2
    assert "'minimal', 'valiant', 'adaptive', 'ideal', 'all'" in result.output
