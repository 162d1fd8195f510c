"""The typed report: exact figures and kinds in the record, rounding only in ``as_dict``, one evaluation per
design and options, and tables whose bound marks follow each figure's kind."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
import yaml

from topoctl import report as report_module
from topoctl.design import load_designs
from topoctl.metrics.analysis import AnalysisOptions
from topoctl.metrics.throughput import Figure
from topoctl.optimize import parse_requirement, size
from topoctl.report import design_report, evaluate
from topoctl.spec import builtin_spec_path
from topoctl.topologies.base import BoundKind


@pytest.fixture(scope="module")
def table3():
    _, designs = load_designs(builtin_spec_path())
    return {d.name: d for d in designs}


def test_sizing_evaluates_each_rebuilt_design_once(monkeypatch):
    """Checking, proving and reporting a sized design share one report per rebuilt design."""
    calls: Counter[int] = Counter()
    build = report_module._closed_form_report

    def counted(design, options):
        calls[id(design)] += 1
        return build(design, options)

    monkeypatch.setattr(report_module, "_closed_form_report", counted)
    requirement = parse_requirement({"endpoints": 2048, "switches": [{"model": "ib-ndr-64x400g"}]}, "test")
    result = size(requirement, top=3)
    reports = [sized.report(requirement) for sized in result.designs]
    assert len(reports) == 3 and all(report.sizing is not None for report in reports)
    assert {id(sized.design) for sized in result.designs} <= set(calls)
    assert set(calls.values()) == {1}, calls


def test_report_is_kept_per_design_and_options(table3):
    ft2 = table3["FT2"]
    first = design_report(ft2)
    assert design_report(ft2) is first and design_report(ft2, AnalysisOptions()) is first
    other = design_report(ft2, AnalysisOptions(moe_seed=1))
    assert other is not first and other.throughput.moe.seed == 1
    assert design_report(replace(ft2)) is not first  # a changed design starts with nothing kept
    assert first.as_dict() == design_report(replace(ft2)).as_dict()


def test_figures_are_exact_and_rounded_only_for_output(table3):
    sf = design_report(table3["SF"])
    assert sf.bisection.kind is BoundKind.UPPER_BOUND
    assert sf.bisection.ratio == pytest.approx(2 / 3, abs=1e-5) and sf.bisection.ratio != round(sf.bisection.ratio, 6)
    data = sf.as_dict()
    assert data["bisection_ratio"] == round(sf.bisection.ratio, 6) and data["bisection_kind"] == "upper_bound"
    assert type(data["bisection_kind"]) is str  # safe_dump refuses enum members
    yaml.safe_dump(data)
    json.dumps(data, allow_nan=False)
    df = design_report(table3["DF"])
    assert df.bisection.proven is not None and df.bisection.proven.ratio < df.bisection.ratio
    assert data["cost_per_endpoint_usd"] == round(sf.cost_per_endpoint_usd, 2)


def test_every_throughput_figure_has_its_kind(table3):
    ft2 = design_report(table3["FT2"]).throughput
    assert {p: f.kind for p, f in ft2.figures().items()} == {
        "all_to_all": BoundKind.EXACT, "permutation": BoundKind.EXACT, "moe": BoundKind.EXACT}
    df = design_report(table3["DF"]).throughput
    assert df.all_to_all.kind is BoundKind.UPPER_BOUND and df.permutation.kind is BoundKind.UPPER_BOUND
    assert df.moe.value is None and df.moe.kind is None


def test_full_analysis_replaces_the_closed_forms_in_the_record(table3):
    from topoctl.design import resolve
    from topoctl.spec import DesignSpec

    spec = DesignSpec.model_validate({"name": "small", "family": "dragonfly", "parameters": {"p": 2, "a": 4, "h": 2, "g": 9}})
    design = resolve(spec)
    full = evaluate(design, full=True)
    assert full.analysis is not None and full.analysis.level == "full"
    assert full.throughput is full.analysis.throughput and full.fault_domains == full.analysis.fault_domains
    assert full.throughput.all_to_all.kind is BoundKind.ESTIMATE  # ECMP from every source
    assert all(row.method for row in full.fault_domains)
    data = full.as_dict()
    assert list(data)[-1] == "analysis" and data["throughput"] == data["analysis"]["throughput"]
    assert design_report(design).analysis is None  # the kept closed-form report is untouched


def test_tables_mark_bounds_by_kind_not_by_method_wording(table3):
    """A figure whose method reads like a closed form but whose kind is a bound is marked as a bound."""
    from rich.console import Console

    from topoctl.cli.render import render_compare

    ft2 = design_report(table3["FT2"])
    throughput = replace(ft2.throughput, all_to_all=Figure(0.5, "closed form: worded as exact", BoundKind.UPPER_BOUND),
                         permutation=Figure(0.25, "bound: worded as a bound", BoundKind.ESTIMATE))
    console = Console(width=160, record=True)
    render_compare(console, "kinds", [replace(ft2, throughput=throughput)])
    text = console.export_text()
    assert "0.500 (ub)" in text and "0.250 (est)" in text
