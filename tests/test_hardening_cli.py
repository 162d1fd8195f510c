"""Hostile input on the command line: every failure is one ``Error:`` line with exit 1 (usage: 2),
never a traceback; names are validated once in the spec model; the same input gives the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from topoctl.cli import app
from topoctl.cli.errors import one_line

runner = CliRunner()
BIG = "9" * 5000
SPECS = Path(__file__).resolve().parent.parent / "specs"


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, code: int, text: str | None = None) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    if text is not None:
        assert result.stderr == f"Error: {text}\n"


@pytest.mark.parametrize(
    "args, code, text",
    [
        (("design", "--family", "fat_tree", "--param", f"k={BIG}"), 2, "--param: k: value of 5,000 characters; at most 1,000"),
        (("design", "--family", "fat_tree", "--param", "k=" + "[" * 5000), 2, "--param: k: value of 5,000 characters; at most 1,000"),
        (("design", "--family", "fat_tree", "--param", "k=" + "9" * 999), 1,
         "command line: parameters.k: input should be less than or equal to 4096 (got " + "9" * 57 + "...)"),
        (("design", "--family", "fat_tree", "--param", "k=" + "[" * 999), 2, "--param: k: value nested too deeply"),
        (("design", "--family", "fat_tree", "--param", "k={a: 1, a: 2}"), 1, None),
        (("design", "--endpoints", "512", "--seed", "1000000000000"), 2, "--seed: Input should be less than or equal to 2147483647"),
        (("moe", "--gpu-bandwidth-gbytes-per-s", "1e308"), 2, "--gpu-bandwidth-gbytes-per-s: 1e+308 is not a finite number in (0, 1e+06]"),
        (("moe", "--gpu-bandwidth-gbytes-per-s", "inf"), 2, "--gpu-bandwidth-gbytes-per-s: inf is not a finite number in (0, 1e+06]"),
        (("moe", "--gpu-bandwidth-gbytes-per-s", "nan"), 2, "--gpu-bandwidth-gbytes-per-s: nan is not a finite number in (0, 1e+06]"),
        (("design", "--endpoints", "512", "--time-limit", "nan"), 2, "--time-limit: nan is not a finite number in [0.01, 86400]"),
        (("design", "--endpoints", "512", "--max-cost-usd", "-inf"), 2, "--max-cost-usd: -inf is not a finite number in [0, 1e+15]"),
        (("faults", "--family", "fat_tree", "--param", "k=4", "--link-failures", "1"), 2,
         "--link-failures: '1' is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write 100%"),
        (("faults", "--family", "fat_tree", "--param", "k=4", "--switch-failures", "5"), 2,
         "--switch-failures: '5' is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write a percentage such as 1%"),
        (("faults", "--family", "fat_tree", "--param", "k=4", "--link-failures", "101%"), 2, "--link-failures: '101%' is outside 0%..100%"),
        (("faults", "--family", "fat_tree", "--param", "k=4", "--link-failures", "nan%"), 2, "--link-failures: 'nan%' is outside 0%..100%"),
        (("design", "no\nsuch.yaml"), 1, "no\\nsuch.yaml: no such file"),
        (("design", "--param", "k"), 2, "--param: 'k' is not NAME=VALUE"),
        (("design", "--format", "xml"), 2, "--format/-f: 'xml' is not one of 'table', 'json', 'yaml'."),
        (("nope",), 2, "No such command 'nope'."),
        # sizing flags a given design would leave unapplied (they once passed silently)
        (("design", "--family", "fat_tree", "--max-planes", "2"), 2,
         "--max-planes: constrains sizing, which SPEC or --family replaces with a given design; drop it, or drop "
         "SPEC/--family to size"),
        (("moe", "--family", "fat_tree", "--spare-ports", "10"), 2,
         "--spare-ports: constrains sizing, which SPEC or --family replaces with a given design; drop it, or drop "
         "SPEC/--family to size"),
        (("export", "--family", "fat_tree", "--objective", "power", "--format", "netbox", "--out", "nb"), 2,
         "--objective: constrains sizing, which SPEC or --family replaces with a given design; drop it, or drop "
         "SPEC/--family to size"),
        (("design", "--family", "fat_tree", "--top", "3"), 2,
         "--top: lists or saves sized designs; size with --endpoints (without SPEC or --family) or --requirement, "
         "or drop it"),
        (("design", "--family", "fat_tree", "--save", "x.yaml"), 2,
         "--save: lists or saves sized designs; size with --endpoints (without SPEC or --family) or --requirement, "
         "or drop it"),
        (("compare", "--max-hops", "2"), 2, "--max-hops: sizes each family, which needs --endpoints or --requirement; "
         "give one, or drop the flag to compare the spec files"),
        (("compare", "--radix", "32"), 2, "--radix: sizes each family, which needs --endpoints or --requirement; "
         "give one, or drop the flag to compare the spec files"),
    ],
)
def test_reproducers_end_in_one_error_line(args, code, text):
    assert_one_line_error(run(*args), code, text)


@pytest.mark.parametrize(
    "name, char",
    [("del\x7fx", "U+007F"), ("nel\x85x", "U+0085"), ("c1\x9fx", "U+009F"), ("a\ufffeb", "U+FFFE"),
     ("tab\tx", "U+0009"), ("line\u2028x", "U+2028"), ("nb\u00a0sp", "U+00A0"), ("zw\u200bj", "U+200B")],
)
def test_names_with_control_or_invisible_characters_are_refused(name, char):
    result = run("design", "--family", "fat_tree", "--param", "k=4", "--name", name)
    assert_one_line_error(result, 1)
    assert result.stderr.startswith(
        f"Error: command line: name: holds the character {char}; names take letters, digits, punctuation, symbols and spaces"
    )


def test_names_with_edge_spaces_are_refused_and_unicode_letters_accepted(tmp_path: Path):
    assert_one_line_error(run("design", "--family", "fat_tree", "--param", "k=4", "--name", " x"), 1,
                          "command line: name: must not start or end with white space (got ' x')")
    result = run("design", "--family", "fat_tree", "--param", "k=4", "--name", "Ünïcode désign 设计", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["name"] == "Ünïcode désign 设计"


def test_a_set_name_and_description_are_checked_too(write):
    bad = write("set.yaml", 'name: "s\\x1bx"\ndesigns: [{family: fat_tree}]\n')
    assert_one_line_error(run("compare", bad), 1)
    ok = write("ok.yaml", 'name: s\ndescription: "two\\nlines\\tand a tab"\ndesigns: [{family: fat_tree, parameters: {k: 4}}]\n')
    assert run("compare", ok, "-f", "json").exit_code == 0


def test_design_yaml_round_trip_keeps_a_unicode_name(tmp_path: Path):
    out = tmp_path / "d.yaml"
    assert run("export", "--family", "fat_tree", "--param", "k=4", "--name", "désign Ω", "-f", "design", "-o", out).exit_code == 0
    again = tmp_path / "again.yaml"
    assert run("export", out, "-f", "design", "-o", again).exit_code == 0
    assert out.read_bytes() == again.read_bytes()


def test_non_ascii_output_on_an_ascii_terminal(tmp_path: Path):
    spec = tmp_path / "u.yaml"
    spec.write_text('name: "Ünïcode"\nfamily: fat_tree\nparameters: {k: 4}\n', encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for fmt in ("table", "yaml", "json"):
        done = subprocess.run([sys.executable, "-m", "topoctl", "design", str(spec), "-f", fmt],
                              capture_output=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.isascii()
        if fmt != "table":  # machine formats escape, so the name reads back the same
            assert yaml.safe_load(done.stdout)["name"] == "Ünïcode"


def test_tiny_speeds_are_refused_so_no_figure_overflows(write):
    spec = write("d.yaml", "family: fat_tree\nendpoint_speed_gbps: 1.0e-320\n")
    assert_one_line_error(run("design", spec, "-f", "json"), 1,
                          f"{spec}: endpoint_speed_gbps: input should be greater than or equal to 1 (got 1e-320)")
    spec = write("s.yaml", "family: fat_tree\nswitch: {port_speed_gbps: 1.0e-320}\n")
    assert_one_line_error(run("design", spec), 1)


def test_duplicate_yaml_keys_are_refused(write):
    spec = write("dup.yaml", "family: fat_tree\nname: a\nname: b\n")
    assert_one_line_error(run("design", spec), 1, f"{spec}: malformed YAML at line 3, column 1: duplicate key 'name' (first at line 2)")
    nested = write("nested.yaml", "family: fat_tree\nparameters:\n  k: 4\n  k: 8\n")
    assert_one_line_error(run("validate", nested), 1)
    merged = write("merge.yaml", "base: &b {k: 4, tiers: 2}\nname: m\nfamily: fat_tree\nparameters:\n  <<: *b\n  k: 8\n")
    assert_one_line_error(run("design", merged), 1)  # 'base' is an unknown field, not a duplicate
    assert "duplicate key" not in run("design", merged).stderr


def test_failure_rates_as_percent_and_fraction_agree():
    pct = run("faults", "--family", "fat_tree", "--param", "k=4", "--link-failures", "10%", "--trials", "5", "-f", "json")
    frac = run("faults", "--family", "fat_tree", "--param", "k=4", "--link-failures", "0.1", "--trials", "5", "-f", "json")
    assert pct.exit_code == 0 and pct.stdout == frac.stdout


def test_sizing_output_is_the_same_bytes_every_run_and_timings_are_opt_in():
    args = ("design", "--endpoints", "2048", "-f", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert "solve_time_s" not in json.loads(first.stdout)["sizing"]
    timed = json.loads(run(*args, "--timings").stdout)
    assert timed["sizing"]["solve_time_s"] >= 0
    table = run("design", "--endpoints", "2048")
    assert " s over " not in table.stdout and "over " in table.stdout


def test_an_unexpected_exception_is_one_line_and_debug_shows_it(monkeypatch):
    import topoctl.cli.render as render

    def broken(*_: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(render, "render_families", broken)
    assert_one_line_error(run("families"), 1,
                          "internal error (ValueError: boom); rerun with TOPOCTL_DEBUG=1 and report it")
    monkeypatch.setenv("TOPOCTL_DEBUG", "1")
    assert isinstance(run("families").exception, ValueError)


def test_json_refuses_a_figure_that_is_not_finite(capsys):
    import typer

    from topoctl.cli import OutputFormat, _emit

    with pytest.raises(typer.Exit):
        _emit({"ratio": float("inf")}, OutputFormat.json)
    assert capsys.readouterr().err == (
        "Error: a computed figure is not a finite number; please report the command that gave it\n"
    )


def test_one_line_escapes_what_would_split_or_hide_a_line():
    assert one_line("a\nb\rc\x00d\x85e\u2028f") == "a\\nb\\rc\\x00d\\x85e\\u2028f"
    assert one_line("ok é 设计") == "ok é 设计"
    assert len(one_line("x" * 10_000)) < 2100


# -- every flag with extreme values ---------------------------------------------------------------------

EXTREME_NUMBERS = st.one_of(
    st.sampled_from(["0", "-1", "1", "2", "4096", "4097", "65536", "2147483648", "1e308", "-1e308", "1e-320",
                     "inf", "-inf", "nan", "NaN", "0x10", "1_000", " 7", "", BIG[:30], BIG, "9" * 4301]),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
EXTREME_TEXT = st.one_of(EXTREME_NUMBERS, st.text(max_size=40), st.sampled_from(["\x00", "\x7f", "\u0085", "\ufffe", "a" * 300]))

# (command prefix, flags that take a value); each prefix alone is a cheap valid command
DESIGN = ("design", "--family", "fat_tree", "--param", "k=4")
SIZING = ("design", "--endpoints", "64", "--time-limit", "2")
FLAG_TABLE = [
    (DESIGN, ["--radix", "--planes", "--tiers", "--endpoints", "--moe-nodes", "--moe-seed", "--name"]),
    (("design", "--family", "multiplane_fat_tree", "--param", "k=4"), ["--planes", "--tiers"]),
    (("design", "--family", "dragonfly", "--param", "p=1", "--param", "a=2", "--param", "h=1"), ["--radix", "--param"]),
    (SIZING, ["--radix", "--max-tiers", "--max-planes", "--max-ports-per-endpoint", "--min-bisection-ratio", "--max-hops",
              "--max-blast-radius", "--spare-ports", "--max-cost-usd", "--top", "--seed", "--workers", "--time-limit"]),
    (("compare", "--endpoints", "64", "--time-limit", "2"), ["--radix", "--max-planes", "--max-cost-usd", "--seed"]),
    (("faults", "--family", "fat_tree", "--param", "k=4", "--trials", "3"),
     ["--link-failures", "--switch-failures", "--seed", "--trials"]),
    (("moe", "--gpu-bandwidth-gbytes-per-s", "50"),
     ["--gpu-bandwidth-gbytes-per-s", "--tokens-per-step", "--hidden-size", "--experts-per-token", "--num-layers"]),
]
FLAG_CASES = [(prefix, flag) for prefix, flags in FLAG_TABLE for flag in flags]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(FLAG_CASES), value=EXTREME_TEXT, param_name=st.sampled_from(["k", "p", "a", "g", "x"]))
def test_every_flag_with_extreme_values_ends_cleanly(case, value, param_name):
    prefix, flag = case
    if flag == "--param":
        value = f"{param_name}={value}"
    result = run(*prefix, flag, value, "-f", "json")
    assert result.exit_code in (0, 1, 2), (prefix, flag, value, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (prefix, flag, value, repr(result.exception))
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        json.loads(result.stdout)  # valid JSON: no Infinity or NaN
    else:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (prefix, flag, value, result.stderr)


def test_the_time_limit_bounds_the_enumeration_of_shapes_too():
    """Millions of shapes at radix 4,096: the enumeration stops within the limit and the shapes found by then
    (the whole radix first) give a feasible answer, said to be unproven, with where the enumeration stopped."""
    result = run("design", "--endpoints", "1000000", "--radix", "4096", "--max-planes", "64", "--time-limit", "1",
                 "-f", "json")
    assert result.exit_code == 0, result.output
    sizing = json.loads(result.stdout)["sizing"]
    assert sizing["status"] == "feasible" and sizing["best_bound"] is None and sizing["gap"] is None
    assert sizing["enumeration_stopped"].startswith("enumerating ")
    table = run("design", "--endpoints", "1000000", "--radix", "4096", "--max-planes", "64", "--time-limit", "1")
    assert "not proven optimal: the time limit ended the enumeration of shapes while enumerating" in table.stdout


def test_a_dash_reads_the_spec_from_standard_input(tmp_path: Path):
    text = (SPECS / "fat-tree-2tier-partial.yaml").read_text()
    from_stdin = runner.invoke(app, ["design", "-", "-f", "json"], input=text)
    from_file = run("design", SPECS / "fat-tree-2tier-partial.yaml", "-f", "json")
    assert from_stdin.exit_code == 0 and from_stdin.stdout == from_file.stdout
    table3 = (SPECS / "deepseek-v3-table3.yaml").read_text()
    assert runner.invoke(app, ["compare", "-", "-f", "json"], input=table3).stdout == run("compare", "-f", "json").stdout
    out = tmp_path / "plan.csv"
    assert runner.invoke(app, ["export", "-", "-f", "cabling", "-o", out], input=text).exit_code == 0
    assert out.read_text().count("\n") == 2025
    requirement = (SPECS / "requirements" / "deepseek-v3-mpft.yaml").read_text()
    assert runner.invoke(app, ["design", "--requirement", "-", "-f", "json"], input=requirement).exit_code == 0
    bad = runner.invoke(app, ["design", "-"], input="family: fat_tree\nparameters: {k: 99}\n")
    assert_one_line_error(bad, 1, "<stdin>: parameters.k: k=99 exceeds the switch radix 64; use k <= 64")
    assert_one_line_error(runner.invoke(app, ["design", "-"], input=""), 1,
                          "<stdin>: expected a mapping of fields (a design or a set with 'designs'), got empty")


@pytest.mark.parametrize(
    "args, text",
    [
        (("--family", "fat_tree", "--radix", "4096", "--tiers", "3"),
         "command line: parameters.endpoints: the full 3-tier tree of k=4096: 17,179,869,184 endpoints, above the "
         "1,000,000,000 topoctl handles; set endpoints or use smaller parameters"),
        (("--family", "dragonfly", "--radix", "4096"),
         "command line: parameters.g: a dragonfly of p=1024, a=2048, g=2097153: 4,398,048,608,256 endpoints, above "
         "the 1,000,000,000 topoctl handles; set g or use smaller parameters"),
        (("--family", "multiplane_fat_tree", "--radix", "4096", "--tiers", "3"),
         "command line: parameters.endpoints: 8 planes of full 3-tier k=4096 trees: 137,438,953,472 endpoints, above "
         "the 1,000,000,000 topoctl handles; set endpoints or use smaller parameters"),
    ],
)
def test_default_sizes_are_checked_against_the_endpoint_limit(args, text):
    assert_one_line_error(run("design", *args), 1, text)


def test_a_large_dragonfly_summary_stays_closed_form():
    result = run("design", "--family", "dragonfly", "--radix", "256", "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["num_endpoints"] == 67_117_056
    assert "global link, group: 1/count, estimate" in report["fault_domains_method"]


def test_design_flags_change_the_picked_design_of_a_set_or_are_refused(tmp_path: Path):
    table3 = SPECS / "deepseek-v3-table3.yaml"
    picked = run("design", table3, "--design", "FT3", "--param", "k=8", "-f", "json")
    assert picked.exit_code == 0 and json.loads(picked.stdout)["num_switches"] == 80  # 5k^2/4 at k=8
    for command in ("design", "faults", "moe"):
        assert_one_line_error(run(command, table3, "--param", "k=8"), 2,
                              f"--design: the design flags change one design, and {table3} holds a set: "
                              "pick one with --design NAME")
    out = tmp_path / "ft2.csv"
    assert run("export", table3, "--design", "FT2", "--param", "k=8", "-f", "cabling", "-o", out).exit_code == 0
    assert out.read_text().count("\n") == 1 + 32 + 32  # header, 32 leaf-spine and 32 endpoint cables


def test_a_requirement_beside_a_design_is_refused():
    assert_one_line_error(
        run("design", "--family", "fat_tree", "--requirement", SPECS / "requirements" / "deepseek-v3-mpft.yaml"), 2,
        "--requirement: give a requirement to size, or a SPEC/--family to evaluate, not both")


def test_exponent_numbers_read_as_numbers_and_non_finite_values_are_refused(write):
    assert_one_line_error(run("design", "--family", "fat_tree", "--param", "k=4", "--param", "endpoints=1.6e1"), 1,
                          "command line: parameters.endpoints: 16 endpoints exceed the 2-tier maximum 8 at k=4 with 2 "
                          "down ports per leaf; use at most 8, or 3 tiers or more planes")  # 1.6e1 is the count 16
    assert_one_line_error(run("design", "--family", "fat_tree", "--param", "k=4", "--param", "endpoints=1.65e1"), 1,
                          "command line: parameters.endpoints: input should be a valid integer (got 16.5)")
    result = run("design", "--family", "fat_tree", "--param", "k=4", "--param", "oversubscription=1e0", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["parameters"]["oversubscription"] == 1
    spec = write("inf.yaml", "family: fat_tree\nendpoint_speed_gbps: .inf\n")
    assert_one_line_error(run("design", spec), 1, f"{spec}: endpoint_speed_gbps: input should be a finite number (got inf)")
    assert_one_line_error(run("design", "--family", "fat_tree", "--param", "oversubscription=.nan"), 1,
                          "command line: parameters.oversubscription: input should be a finite number (got nan)")


def test_date_like_values_stay_text(write):
    assert_one_line_error(run("design", "--family", "fat_tree", "--param", "k=2026-13-45"), 1,
                          "command line: parameters.k: input should be a valid integer (got '2026-13-45')")
    spec = write("dated.yaml", "name: 2026-01-05\nfamily: fat_tree\nparameters: {k: 4}\n")
    result = run("design", spec, "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["name"] == "2026-01-05"


@pytest.mark.parametrize("text, value", [("1e3", 1000), ("1.0e+3", 1000), ("2.048e3", 2048), ("-2e2", -200),
                                         ("1e-3", 0.001), ("1.5e3", 1500), ("3", 3)])
def test_exponent_numbers_in_yaml_are_whole_where_whole(text, value):
    from topoctl.spec import parse_scalar

    parsed = parse_scalar(text)
    assert parsed == value and type(parsed) is type(value)


def test_count_flags_and_parameters_take_a_whole_exponent():
    by_digits = run("design", "--family", "fat_tree", "--param", "endpoints=1000", "-f", "json")
    for args in (("--param", "endpoints=1e3"), ("--endpoints", "1e3")):
        result = run("design", "--family", "fat_tree", *args, "-f", "json")
        assert result.exit_code == 0, result.output
        assert result.output == by_digits.output


@pytest.mark.parametrize("value", ["1.5", "1e400", "abc", "nan"])
def test_count_flags_refuse_what_is_not_whole(value):
    assert_one_line_error(run("size", "--endpoints", value), 2, f"--endpoints: {value!r} is not a whole number")
