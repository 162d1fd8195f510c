"""The analysis commands in-process: faults, moe, design --analysis full, and the report keys."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from topoctl.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_faults_json_for_design_flags():
    result = run("faults", "--family", "fat_tree", "--param", "k=8", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    leaf = next(e for e in data["fault_domains"] if e["component"] == "leaf")
    assert leaf == {**leaf, "count": 8, "endpoints_disconnected": 4, "endpoints_degraded": 0}
    assert "random_failures" not in data


def test_faults_random_failures_reproducible():
    args = ("faults", "--family", "fat_tree", "--param", "k=8", "--tiers", "3", "--link-failures", "5%",
            "--switch-failures", "0.02", "--trials", "10", "--seed", "7", "--format", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    rf = json.loads(first.stdout)["random_failures"]
    assert rf["trials"] == 10 and rf["seed"] == 7
    assert set(rf["disconnected_pairs_ratio"]) == {"p5", "median", "p95"}
    assert set(rf["retained_bisection_ratio"]) == {"p5", "median", "p95"}
    assert rf["link_failure_ratio"] == 0.05 and rf["switch_failure_ratio"] == 0.02


def test_faults_bad_ratio_is_a_usage_error():
    result = run("faults", "--family", "fat_tree", "--param", "k=8", "--link-failures", "lots")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --link-failures: 'lots' is not a rate; use a percentage (1%) or a fraction below 1 (0.01)\n"
    )


def test_faults_unknown_design_in_set():
    result = run("faults", "specs/deepseek-v3-table3.yaml", "--design", "XX")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: specs/deepseek-v3-table3.yaml: --design: no design named 'XX'; valid: FT2, MPFT, FT3, SF, DF"
    )


def test_faults_formula_only_design_keeps_closed_forms():
    result = run("faults", "specs/deepseek-v3-table3.yaml", "--design", "SF", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "no graph" in data["note"] and data["fault_domains"]


def test_moe_given_bandwidth_json():
    result = run("moe", "--gpu-bandwidth-gbytes-per-s", "900", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["step_time_us"], data["time_per_output_token_ms"]) == (6.72, 0.8198)
    assert 1150 < data["tokens_per_s"] < 1250


def test_moe_from_design():
    result = run("moe", "specs/deepseek-v3-table3.yaml", "--design", "FT2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["step_time_us"] == 120.96 and data["gpu_bandwidth_gbytes_per_s"] == 50


def test_moe_needs_an_input():
    result = run("moe")
    assert result.exit_code == 2


def test_design_full_analysis_keys():
    result = run("design", "--family", "slim_fly", "--param", "q=5", "--analysis", "full", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    b = report["analysis"]["bisection"]
    assert b["lower_bound_links"] <= b["upper_bound_links"]
    assert set(report["throughput"]) == {"all_to_all", "permutation", "moe"}
    for entry in report["fault_domains"]:
        assert {"component", "count", "endpoints_disconnected", "endpoints_degraded", "bisection_lost_ratio"} <= set(entry)


def test_compare_reports_carry_throughput_and_lost_ratio():
    result = run("compare", "--format", "json")
    assert result.exit_code == 0, result.output
    for report in json.loads(result.stdout)["designs"]:
        assert set(report["throughput"]) == {"all_to_all", "permutation", "moe"}
        assert all("method" in f for f in report["throughput"].values())
        assert all("bisection_lost_ratio" in e for e in report["fault_domains"])


def test_faults_table_renders():
    result = run("faults", "--family", "multiplane_fat_tree", "--param", "k=8", "--param", "ports_per_endpoint=8",
                 "--link-failures", "1%", "--trials", "3")
    assert result.exit_code == 0, result.output
    assert "Fault domains" in result.stdout and "Random failures" in result.stdout


def test_design_exact_lp_on_a_small_design():
    result = run("design", "--family", "dragonfly", "--param", "p=2", "--param", "a=4", "--param", "h=2",
                 "--param", "g=9", "--analysis", "full", "--exact-lp", "--format", "json")
    assert result.exit_code == 0, result.output
    figure = json.loads(result.stdout)["throughput"]["all_to_all"]
    assert figure["method"].startswith("exact") and figure["value"] <= figure["upper_bound"] + 1e-9


def test_compare_full_analysis_on_a_small_set(write):
    path = write("set.yaml", "name: small\ndesigns:\n  - {name: a, family: fat_tree, parameters: {k: 8}}\n"
                 "  - {name: b, family: slim_fly, parameters: {q: 5}}\n")
    result = run("compare", str(path), "--analysis", "full", "--format", "json")
    assert result.exit_code == 0, result.output
    designs = json.loads(result.stdout)["designs"]
    assert [d["analysis"]["level"] for d in designs] == ["full", "full"]
    assert designs[1]["analysis"]["bisection"]["lower_bound_links"] is not None


def test_full_analysis_output_is_deterministic():
    args = ("design", "--family", "dragonfly", "--param", "p=2", "--param", "a=4", "--param", "h=2", "--param", "g=9",
            "--analysis", "full", "--format", "json")
    assert run(*args).stdout == run(*args).stdout


def test_faults_negative_seed_is_a_usage_error():
    assert run("faults", "--family", "fat_tree", "--param", "k=8", "--switch-failures", "1%", "--seed", "-1").exit_code == 2
