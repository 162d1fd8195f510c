"""The command line's shape: a thin layer over topoctl.api, every flag declared once, help with an example,
tables that fit 80 columns, --version, the size command, --design on every command that takes a set."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from topoctl import api
from topoctl.cli import app

from repo_paths import REPO, SPECS

runner = CliRunner()
CLI = REPO / "topoctl" / "cli"
TABLE3 = SPECS / "deepseek-v3-table3.yaml"
COMMANDS = typer.main.get_command(app).commands  # name -> click command


def run(*args: object, columns: int | None = None):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": None if columns is None else str(columns)})


def test_version_comes_from_the_package_metadata():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"topoctl {version('topoctl')}\n"


@pytest.mark.parametrize("args", [
    ["--endpoints", "2048", "-f", "json"],
    ["--endpoints", "4096", "--max-tiers", "2", "--max-planes", "4", "--top", "2"],
    ["--requirement", SPECS / "requirements" / "deepseek-v3-mpft.yaml", "-f", "yaml"],
])
def test_size_gives_what_design_gives_in_sizing_mode(args):
    sized, designed = run("size", *args), run("design", *args)
    assert sized.exit_code == 0, sized.output
    assert sized.stdout == designed.stdout and sized.stderr == designed.stderr == ""


def test_size_with_no_flags_shows_its_help():
    result = run("size")
    assert result.exit_code == 2 and result.stdout.startswith("Usage: ") and " size [OPTIONS]" in result.stdout


@pytest.mark.parametrize("name", ["FT2", "MPFT", "FT3", "SF", "DF"])
def test_design_of_a_set_with_design_name_is_that_entry_of_compare(name):
    compared = {d["name"]: d for d in json.loads(run("compare", TABLE3, "-f", "json").stdout)["designs"]}
    result = run("design", TABLE3, "--design", name, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == compared[name]


def test_design_names_the_designs_of_a_set_when_the_name_is_wrong():
    result = run("design", TABLE3, "--design", "FT4")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {TABLE3}: --design: no design named 'FT4'; valid: FT2, MPFT, FT3, SF, DF\n"


def test_every_command_that_takes_a_spec_takes_design():
    for name, command in COMMANDS.items():
        params = {p.name for p in command.params}
        if "spec" in params:
            assert any("--design" in p.opts for p in command.params), name


# -- help ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_an_example_and_lists_each_flag_once(name):
    """The rule: the help ends in 'Example:' and a `topoctl <command> ...` line, and every flag of the
    command is listed exactly once in its Options section."""
    result = run(name, "--help", columns=100)
    assert result.exit_code == 0
    help_text = result.stdout
    assert re.search(rf"Example:\n\n\s+topoctl {name}\b", help_text), help_text
    for param in COMMANDS[name].params:
        for flag in [o for o in param.opts if o.startswith("--")]:
            listed = re.findall(rf"^\s+(?:-\w, )?{re.escape(flag)}(?![\w-])", help_text, flags=re.MULTILINE)
            assert len(listed) == 1, (name, flag)


def test_the_group_help_lists_the_commands_version_and_completion():
    help_text = run("--help").stdout
    for word in ["--version", "--install-completion", "--show-completion", "Example:", *COMMANDS]:
        assert word in help_text, word


@pytest.mark.parametrize("args", [["--help"], ["design", "--help"], ["size", "--help"], ["compare", "--help"]])
def test_help_imports_neither_rich_nor_the_library(args):
    code = (
        "import sys\nfrom topoctl.cli import app\ntry:\n    app(sys.argv[1:], prog_name='topoctl')\n"
        "except SystemExit:\n    pass\n"
        "bad = [m for m in ('rich', 'networkx', 'pydantic', 'numpy', 'scipy', 'ortools', 'topoctl.design') if m in sys.modules]\n"
        "print(','.join(bad), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, check=True)
    assert done.stderr.strip() == "" and "Usage: topoctl" in done.stdout


# -- tables at 80 columns ----------------------------------------------------------------------------------

NARROW = [
    ("compare",),
    ("compare", SPECS / "fat-tree-2tier-partial.yaml", SPECS / "dragonfly-balanced.yaml", "--analysis", "full"),
    ("design", TABLE3, "--design", "DF"),
    ("design", SPECS / "dragonfly-balanced.yaml", "--analysis", "full"),
    ("faults", "--family", "fat_tree", "--param", "k=8", "--link-failures", "1%", "--trials", "5"),
    ("moe", TABLE3),
    ("families",),
]


@pytest.mark.parametrize("args", NARROW, ids=lambda args: " ".join(str(a) for a in args[:2]))
def test_tables_fit_80_columns_and_keep_every_figure_whole(args):
    """The rule: at COLUMNS=80 no line is longer than 80 characters and no cell is cut short (rich's
    ellipsis); the comparison's figures stay on one line each."""
    result = run(*args, columns=80)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    if args == ("compare",):
        for figure in ["$1,518.12M", "26,112.8 Tb/s", "253,456 / 130,816", "1 (x261,632)", "graph needed"]:
            assert figure in result.stdout, figure
        assert "DeepSeek-V3 Table 3 (1 of 2)" in result.stdout


def test_without_a_terminal_tables_are_as_wide_as_ever_and_the_same_bytes():
    first, second = run("compare"), run("compare")
    assert first.stdout == second.stdout
    assert "(1 of" not in first.stdout  # one table: written to a pipe, 160 columns
    assert max(len(line) for line in first.stdout.splitlines()) > 80


# -- a thin layer ----------------------------------------------------------------------------------------

ALLOWED_IMPORTS = ("topoctl.api", "topoctl.cli", "topoctl.errors", "topoctl.budget")
COMMAND_MODULES = ("designs.py", "analysis.py", "export.py", "sweeps.py")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_the_cli_imports_only_the_api_from_the_library(path):
    for node in ast.walk(_tree(path)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in names:
            if name.startswith("topoctl"):
                assert name == "topoctl" or name.startswith(ALLOWED_IMPORTS), f"{path.name} imports {name}"
            assert name.split(".")[0] not in ("networkx", "scipy", "ortools", "pymetis", "numpy"), path.name


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_commands_call_one_api_entry_point_each(name):
    """Every call into the library is an ``api.<entry point>``; a command makes one, besides setting its
    resource limits and asking whether it sizes."""
    bookkeeping = {"set_limits", "wants_sizing"}
    for function in (n for n in _tree(CLI / name).body if isinstance(n, ast.FunctionDef)):
        calls = [n.func.attr for n in ast.walk(function) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id == "api"]
        assert set(calls) <= set(api.__all__), (function.name, calls)
        assert len([c for c in calls if c not in bookkeeping]) <= 1, (function.name, calls)


def test_every_flag_is_declared_once_in_options():
    """typer.Option and typer.Argument appear in options.py only (app.py: the group's --version), and no
    flag is declared twice; but --format/-f, which is the output format (table, json, yaml) of every
    command and the format of the file `export` writes, and the list form `topoctl sweep` takes of a
    flag (help starting "sweep:"): the same field over several values (--endpoints 1000..1000000)."""
    seen: dict[str, str] = {}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("Option", "Argument"):
                assert path.name in ("options.py", "app.py"), f"{path.name} declares a flag"
                help_text = next((k.value.value for k in node.keywords if k.arg == "help"
                                  and isinstance(k.value, ast.Constant)), "")
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("-"):
                        if arg.value not in ("--format", "-f") and not help_text.startswith("sweep:"):
                            assert arg.value not in seen, f"{arg.value} declared twice"
                        seen.setdefault(arg.value, path.name)
    assert {"--endpoints", "--design", "--seed", "--format"} <= set(seen)


def test_command_code_is_short():
    """Command code: the CLI without its flag declarations (options.py), its table drawing (render.py) and
    its error wrapper (errors.py), docstrings and comments apart: about 25 lines a command (13 commands)."""
    lines = 0
    for path in CLI.glob("*.py"):
        if path.name in ("options.py", "render.py", "errors.py"):
            continue
        tree = _tree(path)
        docstrings = {line for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
                      for line in range(n.body[0].lineno, n.body[0].end_lineno + 1)}
        lines += sum(1 for number, line in enumerate(path.read_text().splitlines(), 1)
                     if line.strip() and not line.strip().startswith("#") and number not in docstrings)
    assert lines <= 325, lines


def test_the_console_script_and_python_m_run_the_same_app():
    done = subprocess.run([sys.executable, "-m", "topoctl", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"topoctl {version('topoctl')}\n"
    scripts = (REPO / "pyproject.toml").read_text()
    assert 'topoctl = "topoctl.cli:main"' in scripts and '"topoctl.cli"' in scripts
