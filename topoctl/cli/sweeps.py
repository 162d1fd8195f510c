"""Commands over many designs and their pictures: sweep, plot, report."""

from typing import Any

import typer

from topoctl import api
from topoctl.cli import render
from topoctl.cli.app import app
from topoctl.cli.options import (
    ANALYSIS,
    EXECUTION,
    LIMITS,
    SIZING,
    SOLVER,
    Families,
    Figures,
    Out,
    PlotOut,
    ReportSource,
    Results,
    ResultsAs,
    ResultsFormat,
    ResultsOut,
    SweepAxes,
    SweepEndpoints,
    SweepFile,
    SweepParams,
    SweepPlanes,
    SweepRadix,
    SweepTiers,
    Switches,
    example,
    grouped,
)
from topoctl.cli.output import ProgressBar, console


@app.command(epilog=example(
    "topoctl sweep --endpoints 1000..1000000 --families all --plot cost.png --figure cost",
    "topoctl sweep --endpoints 1024..65536x2 --families all --axis max_planes=1,8 --out rows.parquet",
    "topoctl sweep --endpoints 8192 --families all --param oversubscription=1,3 -f csv"))
@grouped
def sweep(sweep_file: SweepFile = None, endpoints: SweepEndpoints = None, families: Families = None,
          switch: Switches = None, radix: SweepRadix = None, planes: SweepPlanes = None, tiers: SweepTiers = None,
          params: SweepParams = [], axes: SweepAxes = [],
          sizing: Any = SIZING.without("endpoints", "radix", "requirement"),
          solver: Any = SOLVER.without("workers", "timings"), runner: Any = EXECUTION,
          fmt: ResultsAs = ResultsFormat.table, out: ResultsOut = None, plot: PlotOut = None, figures: Figures = [],
          limits: Any = LIMITS) -> None:
    """Size or build a design at every point of a grid: one row per point.

    Points are the product of the values of every flag (and of SWEEP's fields): endpoints, families,
    switch models, radixes, requirement fields (--axis, and the sizing flags as single values), each
    point the best design of its family as `topoctl size` finds it. With family parameters (--param,
    --planes, --tiers) each point is built as `topoctl design --family` builds it instead.

    A point no design meets is a row with the reason. Rows come in the same order, with the same bytes,
    however many processes (--jobs) or which executor ran them.
    """
    api.set_limits(**limits)
    flags = dict(endpoints=endpoints, families=families, switch=switch, radix=radix, planes=planes, tiers=tiers,
                 params=params, axes=axes)
    output = api.SweepOutput(fmt.value, out, plot, tuple(figures))
    with ProgressBar("sweep points") as bar:
        result = api.sweep(sweep_file, flags, sizing, solver, runner, output, progress=bar.update)
    if result.text is not None:
        typer.echo(result.text, nl=False)
    elif fmt is ResultsFormat.table:
        render.render_sweep(console(), result)
    for path in (out, plot):
        if path is not None:
            typer.echo(f"wrote {path}", err=True)


@app.command(epilog=example("topoctl plot rows.jsonl --out cost.svg --figure cost"))
def plot(results: Results, out: Out, figures: Figures = []) -> None:
    """Draw the figures of sweep or compare results as one PNG or SVG.

    Sweep results are drawn as lines against the endpoints (log scale), one per family; designs side by
    side (compare) as bars.
    """
    api.plot_results(results, out, figures)
    typer.echo(f"wrote {out}")


@app.command(epilog=example("topoctl report specs/deepseek-v3-table3.yaml --out table3.html"))
@grouped
def report(source: ReportSource, out: Out, analysis: Any = ANALYSIS.without("exact_lp"),
           solver: Any = SOLVER.without("timings"), limits: Any = LIMITS) -> None:
    """Write a self-contained HTML report: table, figures, methods.

    SPEC|RESULTS is a spec (its designs compared, as `topoctl compare` does) or the results of
    `topoctl sweep`. The file holds everything inline (no network, no script).
    """
    api.set_limits(**limits)
    with ProgressBar("evaluating designs") as bar:
        count = api.html_report(source, out, solver, analysis, progress=bar.update)
    typer.echo(f"wrote {out}: {count:,} design{'s' if count != 1 else ''}")
