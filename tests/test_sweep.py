"""topoctl.sweep and `topoctl sweep`: the grid, each point sized or built exactly as `topoctl size` /
`topoctl design` give it, infeasible points as rows, every output format deterministic and read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from topoctl import api
from topoctl.cli import app
from topoctl.errors import FlagError, SpecError
from topoctl.sweep import (
    SweepSettings,
    flatten,
    parse_endpoints,
    read_rows,
    run_point,
    run_sweep,
    split_values,
    sweep_from,
    unflatten,
    write_rows,
)
from topoctl.topologies import FAMILIES

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


# -- endpoints and values ------------------------------------------------------------------------------------

def test_log_range_has_four_points_a_decade_rounded_to_two_digits():
    assert parse_endpoints("1000..100000") == [1000, 1800, 3200, 5600, 10000, 18000, 32000, 56000, 100000]


@pytest.mark.parametrize("text, expected", [
    ("1000..1000000/1", [1000, 10000, 100000, 1000000]),
    ("1000..1000000/1,16384", [1000, 10000, 16384, 100000, 1000000]),
    ("1024..65536x2", [1024, 2048, 4096, 8192, 16384, 32768, 65536]),
    ("1000..5000x2", [1000, 2000, 4000, 5000]),  # the end is always a point
    ("1000..3000+1000", [1000, 2000, 3000]),
    ("2048", [2048]),
    ("1e5", [100000]),
    ([512, "1024..2048x2"], [512, 1024, 2048]),
])
def test_endpoint_ranges(text, expected):
    assert parse_endpoints(text) == expected


@pytest.mark.parametrize("text, message", [
    ("5000..1000", "endpoints: '5000..1000': the range ends below its start"),
    ("abc", "endpoints: 'abc' is not a whole number"),
    ("1000..2000/0", "endpoints: '1000..2000/0': points a decade must be a whole number 1..1000"),
    ("1000..2000x1", "endpoints: '1000..2000x1': the factor must be a number above 1 (at most 1000)"),
    ("1..1000000+1", "endpoints: '1..1000000+1' has 1,000,000 points; at most 10,000"),
    ("0", "endpoints: '0' is not a whole number of at least 1"),
])
def test_bad_endpoints_are_one_error_naming_the_field(text, message):
    with pytest.raises(SpecError) as caught:
        parse_endpoints(text)
    assert str(caught.value) == message


def test_values_split_at_top_level_commas_only():
    assert split_values("[4,4],[8,8], 3") == ["[4,4]", "[8,8]", "3"]


# -- the grid ------------------------------------------------------------------------------------------------

def test_points_are_grouped_by_family_with_endpoints_innermost():
    sweep = sweep_from({"endpoints": "1000,2000", "families": "all", "radix": [32, 64]})
    assert not sweep.build
    assert len(sweep.points) == len(FAMILIES) * 2 * 2
    first = list(FAMILIES)[0]
    assert sweep.points[:4] == ({"family": first, "radix": 32, "endpoints": 1000},
                                {"family": first, "radix": 32, "endpoints": 2000},
                                {"family": first, "radix": 64, "endpoints": 1000},
                                {"family": first, "radix": 64, "endpoints": 2000})
    assert sweep.varied == ["family", "radix", "endpoints"]


def test_family_parameters_make_a_built_sweep():
    sweep = sweep_from({"endpoints": 512, "families": "fat_tree", "parameters": {"k": [16, 32]}, "tiers": 2})
    assert sweep.build
    assert sweep.points == ({"family": "fat_tree", "tiers": 2, "parameters.k": 16, "endpoints": 512},
                            {"family": "fat_tree", "tiers": 2, "parameters.k": 32, "endpoints": 512})


@pytest.mark.parametrize("fields, message", [
    ({"endpoints": 100, "colour": "red"},
     "sweep: colour: unknown field; valid: name, endpoints, families, switch, radix, endpoint_speed_gbps, "
     "endpoints_per_node, max_tiers, max_planes, max_ports_per_endpoint, min_bisection_ratio, max_hops, "
     "max_blast_radius, spare_ports_percent, max_cost_usd, objective, planes, tiers, parameters"),
    ({"families": "fat_tree"}, "sweep: endpoints: a sweep needs endpoints, e.g. 1000..1000000"),
    ({"endpoints": 100, "families": ["fat_tree", "torus"]},
     f"sweep: families: 'torus' is not a family; valid: all, {', '.join(FAMILIES)}"),
    ({"endpoints": 100, "switch": "nope"}, "sweep: switch: unknown switch model 'nope'; valid: ib-ndr-64x400g, qm9700, q3400, sn5600, th5-64x800g, "
     "th6-64x1600g, th5-128x400g"),
    ({"endpoints": 100, "max_planes": 8, "planes": 2},
     "sweep: max_planes: a sweep either sizes (requirement fields) or builds (family parameters), not both; drop "
     "max_planes or the family parameters"),
    ({"endpoints": 100, "max_tiers": [2, 5]}, "sweep: max_tiers: input should be 2 or 3 (got 5)"),
])
def test_a_bad_sweep_is_one_error_before_anything_runs(fields, message):
    with pytest.raises(SpecError) as caught:
        sweep_from(fields)
    assert str(caught.value) == message


# -- points are what size and design give ----------------------------------------------------------------

@pytest.fixture(scope="module")
def compared_1000():
    """`topoctl compare --endpoints 1000`: the best design of each family, sized one family at a time."""
    comparison = api.compare([], api.sizing_flags(endpoints=1000), api.Solver(time_limit_s=300))
    return {report.family: report.as_dict() for report in comparison.reports}, comparison.infeasible


def test_a_sized_point_is_the_best_design_of_its_family_as_compare_sizes_it(compared_1000):
    reports, infeasible = compared_1000
    rows = list(run_sweep(sweep_from({"endpoints": 1000, "families": "all"})))
    assert [row["point"]["family"] for row in rows] == list(FAMILIES)
    for row in rows:
        family = row["point"]["family"]
        if family in reports:
            expected = reports[family]
            assert row["status"] == "ok" and row["reason"] is None
            for key in ("family", "parameters", "num_endpoints", "num_switches_by_role", "cost_usd",
                        "bisection_ratio", "diameter_hops", "fault_domains", "sizing"):
                assert row[key] == expected[key], (family, key)
        else:
            assert row["status"] == "infeasible"
            assert row["reason"] == infeasible[family]
            assert "num_switches" not in row


def test_a_built_point_is_what_design_builds():
    row = run_point(SweepSettings(), (True, {"family": "fat_tree", "parameters.k": 16, "tiers": 3, "endpoints": 600}))
    result = run("design", "--family", "fat_tree", "--param", "k=16", "--tiers", "3", "--endpoints", "600",
                 "-f", "json")
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    assert {k: v for k, v in row.items() if k not in ("point", "status", "reason", "name")} == \
        {k: v for k, v in expected.items() if k != "name"}
    assert row["num_endpoints"] == 600 and row["name"] == 'fat_tree parameters.k=16 tiers=3 endpoints=600' \
        or row["name"].startswith("fat_tree ")


def test_a_parameter_a_family_refuses_is_a_row_with_the_reason():
    (row,) = run_sweep(sweep_from({"endpoints": 1000, "families": "dragonfly", "parameters": {"k": 16}}))
    assert row["status"] == "infeasible"
    assert "parameters" in row["reason"] and "k" in row["reason"]


# -- outputs -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rows():
    return list(run_sweep(sweep_from({"endpoints": "1000,100000", "families": ["fat_tree", "hyperx"]})))


def test_flatten_and_unflatten_round_trip_mappings():
    row = {"a": {"b": 1, "c": {"d": None}}, "e": 2}
    assert unflatten(flatten(row)) == {"a": {"b": 1}, "e": 2}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_text_outputs_are_the_same_bytes_and_read_back(rows, fmt, tmp_path):
    first, second = io.StringIO(), io.StringIO()
    write_rows(rows, fmt, first)
    write_rows(rows, fmt, second)
    assert first.getvalue() == second.getvalue()
    path = tmp_path / f"rows.{fmt}"
    path.write_text(first.getvalue())
    back = read_rows(path)
    flat = [flatten(row) for row in rows]
    assert len(back) == len(rows) == 4
    for got, want in zip(back, flat, strict=True):
        assert got == {k: v for k, v in want.items() if v is not None}


def test_csv_has_one_row_per_point_and_every_report_field(rows):
    out = io.StringIO()
    write_rows(rows, "csv", out)
    lines = out.getvalue().splitlines()
    header = lines[0].split(",")
    assert len(lines) == 1 + len(rows)
    for column in ("point.family", "point.endpoints", "status", "reason", "cost_per_endpoint_usd",
                   "num_switches_by_role.leaf", "fault_domains.leaf.endpoints_disconnected", "sizing.status",
                   "throughput.all_to_all.value", "bisection_kind"):
        assert column in header, column
    infeasible = [line for line in lines[1:] if ",infeasible," in line]
    assert len(infeasible) == 1 and "no design for 100,000 endpoints" in infeasible[0]


def test_parquet_is_the_same_bytes_and_reads_back_typed(rows, tmp_path):
    import pyarrow.parquet as pq

    first, second = io.BytesIO(), io.BytesIO()
    write_rows(rows, "parquet", first)
    write_rows(rows, "parquet", second)
    assert first.getvalue() == second.getvalue()
    path = tmp_path / "rows.parquet"
    path.write_bytes(first.getvalue())
    table = pq.read_table(path)
    assert table.num_rows == 4
    assert str(table.schema.field("num_switches").type) == "int64"
    assert str(table.schema.field("cost_per_endpoint_usd").type) == "double"
    assert str(table.schema.field("status").type) == "string"
    assert read_rows(path) == [{k: v for k, v in flatten(r).items() if v is not None} for r in rows]


# -- the command ---------------------------------------------------------------------------------------------

def test_sweep_table_fits_80_columns_and_notes_the_reason():
    result = run("sweep", "--endpoints", "1000,100000", "--families", "fat_tree,hyperx", "--jobs", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    assert "none [1]" in result.stdout
    assert "[1] no design for 100,000 endpoints at radix 64 meets" in result.stdout
    assert result.stderr == ""  # no progress bar without a terminal


def test_sweep_jsonl_to_stdout_and_files_written(tmp_path):
    out, plot = tmp_path / "rows.csv", tmp_path / "cost.svg"
    result = run("sweep", "--endpoints", "1000..4000x2", "--families", "fat_tree", "--jobs", "1", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["point"]["endpoints"] for row in rows] == [1000, 2000, 4000]
    result = run("sweep", "--endpoints", "1000..4000x2", "--families", "fat_tree", "--jobs", "1", "--out", out,
                 "--plot", plot)
    assert result.exit_code == 0, result.output
    assert out.read_text().count("\n") == 4 and plot.read_bytes().startswith(b"<?xml")
    assert result.stderr == f"wrote {out}\nwrote {plot}\n"


def test_sweep_file_with_flags_over_it(tmp_path):
    spec = tmp_path / "sweep.yaml"
    spec.write_text("name: scale\nendpoints: 1000..4000x2\nfamilies: [fat_tree, hyperx]\nmax_hops: 4\n")
    result = run("sweep", spec, "--families", "fat_tree", "-f", "jsonl", "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["point"] for row in rows] == [{"family": "fat_tree", "max_hops": 4, "endpoints": n}
                                             for n in (1000, 2000, 4000)]


@pytest.mark.parametrize("args, code, message", [
    (["--endpoints", "1000", "-f", "parquet"], 2,
     "Error: --format: Parquet is binary: write it to a file with --out FILE.parquet\n"),
    (["--endpoints", "1000", "--out", "rows.txt"], 2,
     "Error: --out: 'rows.txt': give --format or a suffix of csv, jsonl, parquet, json\n"),
    (["--endpoints", "1000", "--plot", "cost.pdf"], 2, "Error: --plot: 'cost.pdf': a plot is written as .png or .svg\n"),
    (["--endpoints", "1000", "--axis", "colour=1,2"], 2,
     "Error: --axis: 'colour=1,2' is not FIELD=V1,V2 of a requirement field; fields: endpoints_per_node, max_tiers, "
     "max_planes, max_ports_per_endpoint, min_bisection_ratio, max_hops, max_blast_radius, spare_ports_percent, "
     "max_cost_usd, objective, endpoint_speed_gbps\n"),
    (["--endpoints", "1000", "--axis", "max_planes=1,8", "--max-planes", "8"], 2,
     "Error: --axis: max_planes is given both as a flag and in --axis; give it once\n"),
    (["--endpoints", "1000..10", "--families", "fat_tree"], 1,
     "Error: command line: endpoints: '1000..10': the range ends below its start\n"),
    (["--endpoints", "1000", "--executor", "dask"], 2,
     "Error: --scheduler: the dask executor needs the scheduler's address (tcp://HOST:8786)\n"),
    (["--endpoints", "1000", "--figure", "colour", "--plot", "x.png"], 2,
     "Error: --figure: 'colour' is not a figure; valid: cost, switches, links, optics, power, bisection, faults\n"),
])
def test_sweep_errors_are_one_line(args, code, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("sweep", "--families", "fat_tree", "--jobs", "1", *args) if "--families" not in args else \
        run("sweep", "--jobs", "1", *args)
    assert result.exit_code == code, result.output
    assert result.stderr == message
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_flag_errors_are_flag_errors():
    with pytest.raises(FlagError):
        api.sweep_fields(None, params=["k"])


def test_results_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "rows.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(SpecError) as caught:
        read_rows(bad)
    assert str(caught.value) == f"{bad}: line 1: not JSON: Expecting property name enclosed in double quotes"
    with pytest.raises(SpecError) as caught:
        read_rows(tmp_path / "rows.txt")
    assert str(caught.value).endswith("unknown results format '.txt'; valid: .jsonl, .json, .csv, .parquet")


def test_sweep_points_of_a_path(tmp_path: Path):
    """Rows carry the point's values in the axes' order, so a reader can group them without the file."""
    (row,) = run_sweep(sweep_from({"endpoints": 2048, "families": "fat_tree", "radix": 32}))
    assert list(row)[:3] == ["point", "status", "reason"]
    assert row["point"] == {"family": "fat_tree", "radix": 32, "endpoints": 2048}
    assert row["switch"]["radix"] == 32


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "specs" / "sweeps").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_every_example_sweep_file_reads(path):
    from topoctl.spec import load_yaml

    sweep = sweep_from(load_yaml(path), str(path))
    assert sweep.points and sweep.name


def test_the_built_example_runs(tmp_path):
    result = run("sweep", Path(__file__).parent.parent / "specs" / "sweeps" / "oversubscription.yaml", "-f", "jsonl",
                 "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3 * 5 and all(row["status"] == "ok" for row in rows)
    full = [row for row in rows if row["point"]["parameters.oversubscription"] == 1]
    assert [row["num_endpoints"] for row in full] == [4096, 8192, 16384, 32768, 65536]
    assert full[-1]["num_switches"] == 5 * 64**2 // 4  # the full k = 64 three-tier tree: 5k^2/4 switches
