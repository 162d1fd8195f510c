"""A fast start: the closed-form commands (``compare``, ``design --family X`` with the summary analysis)
import none of the graph and solver libraries, so ``topoctl compare`` runs in a fraction of a second.
Each command runs in a fresh interpreter, whose ``sys.modules`` is then read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from topoctl.topologies import FAMILIES

HEAVY = ("networkx", "scipy", "ortools", "pymetis")

RUN = """
import json, sys
from topoctl.cli import main
sys.argv = ["topoctl", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"code": code, "modules": sorted(m.split(".")[0] for m in sys.modules)}), file=sys.stderr)
"""


def imported(args: list[str]) -> set[str]:
    """Top-level packages a ``topoctl`` command imported; it must succeed."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(args)], capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    return set(report["modules"])


def test_compare_imports_no_graph_solver_or_array_library():
    """The Table 3 comparison is closed forms: no graph library, no solver, not even numpy (its import
    alone is a quarter of the command's time); the fat-tree MoE figure needs no sample when every
    cut carries its ports' line rate (metrics.moe_traffic), the dragonfly's cut shares no cable list."""
    modules = imported(["compare"])
    assert modules.isdisjoint(HEAVY + ("numpy",)), sorted(modules & set(HEAVY + ("numpy",)))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_design_summary_imports_no_graph_or_solver_library(family):
    modules = imported(["design", "--family", family, "-f", "json"])
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_design_summary_that_draws_the_moe_sample_still_needs_no_graph_library():
    """M = 3 destination nodes: the sums of the sampled figure are not exact in binary, so the sample is
    drawn and summed as before (numpy and scipy's sparse products)."""
    modules = imported(["design", "--family", "fat_tree", "--param", "endpoints=1000", "--param", "k=16",
                        "--tiers", "3", "--moe-nodes", "3", "-f", "json"])
    assert "numpy" in modules and modules.isdisjoint(("networkx", "ortools", "pymetis"))


def test_the_full_analysis_does_import_them():
    """The control: --analysis full builds the graph and runs METIS."""
    modules = imported(["design", "--family", "fat_tree", "--param", "k=8", "--analysis", "full", "-f", "json"])
    assert {"numpy", "scipy", "pymetis"} <= modules


@pytest.mark.parametrize("command", ["sweep", "plot", "report"])
def test_sweep_plot_and_report_help_import_no_plotting_table_or_cluster_library(command):
    modules = imported([command, "--help"])
    heavy = ("matplotlib", "pyarrow", "dask", "distributed", "rich", "pandas")
    assert modules.isdisjoint(HEAVY + heavy), sorted(modules & set(HEAVY + heavy))


def test_compare_with_a_plot_imports_matplotlib_but_still_no_graph_or_solver_library(tmp_path):
    modules = imported(["compare", "--plot", str(tmp_path / "t3.svg")])
    assert "matplotlib" in modules and modules.isdisjoint(("networkx", "ortools", "pymetis", "dask", "pyarrow"))


def test_sizing_imports_cp_sat_without_pandas():
    """OR-Tools' cp_model imports pandas (and pandas pyarrow) only for Series helpers topoctl never calls:
    sizing imports it with a stand-in, about 0.3 s less per command, and the sizing still solves."""
    assert {"ortools"} <= imported(["design", "--endpoints", "1000", "-f", "json"])
    assert not {"pandas", "pyarrow"} & imported(["design", "--endpoints", "1000", "-f", "json"])


AFTER = """
import sys
from topoctl.optimize.model import _cp_model
cp_model = _cp_model()
model = cp_model.CpModel()
x = model.new_int_var(0, 10, "x")
model.add(x >= 3)
model.minimize(x)
solver = cp_model.CpSolver()
assert solver.solve(model) == cp_model.OPTIMAL and solver.value(x) == 3
assert "pandas" not in sys.modules  # the stand-in is gone
import pandas
assert hasattr(pandas, "DataFrame") and pandas.Series([1, 2]).sum() == 3  # the real pandas afterwards
print("ok")
"""


def test_the_pandas_stand_in_leaves_the_real_pandas_to_later_imports():
    done = subprocess.run([sys.executable, "-c", AFTER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
