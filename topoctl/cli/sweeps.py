"""Commands over many designs and their pictures: sweep, plot, report."""

from typing import Any

import typer

from topoctl import api
from topoctl.cli import options as opt
from topoctl.cli import render
from topoctl.cli.app import app
from topoctl.cli.output import ProgressBar, console


@app.command(epilog=opt.example(
    "topoctl sweep --endpoints 1000..1000000 --families all --plot cost.png --figure cost",
    "topoctl sweep --endpoints 1024..65536x2 --families all --axis max_planes=1,8 --out rows.parquet",
    "topoctl sweep --endpoints 8192 --families all --param oversubscription=1,3 -f csv"))
@opt.grouped
def sweep(sweep_file: opt.SweepFile = None, endpoints: opt.SweepEndpoints = None, families: opt.Families = None,
          switch: opt.Switches = None, radix: opt.SweepRadix = None, planes: opt.SweepPlanes = None,
          tiers: opt.SweepTiers = None, params: opt.SweepParams = [], axes: opt.SweepAxes = [],
          sizing: Any = opt.SIZING.without("endpoints", "radix", "requirement", "switch"),
          solver: Any = opt.SOLVER.without("workers", "timings"), runner: Any = opt.EXECUTION,
          fmt: opt.ResultsAs = opt.ResultsFormat.table, out: opt.ResultsOut = None, plot: opt.PlotOut = None,
          figures: opt.Figures = [], limits: Any = opt.LIMITS) -> None:
    """Size or build a design at every point of a grid: one row per point.

    Points are the product of the values of every flag (and of SWEEP's fields): endpoints, families,
    switch models, radixes, requirement fields (--axis, and the sizing flags as single values), each
    point the best design of its family as `topoctl size` finds it. With family parameters (planes,
    tiers or any other) each point is built as `topoctl design --family` builds it instead.

    A point no design meets is a row with the reason. Rows come in the same order, with the same bytes,
    however many processes (--jobs) or which executor ran them.
    """
    api.set_limits(**limits)
    flags = dict(endpoints=endpoints, families=families, switch=switch, radix=radix, planes=planes, tiers=tiers,
                 params=params, axes=axes)
    with ProgressBar("sweep points") as bar:
        result = api.sweep(sweep_file, flags, sizing, solver, runner, bar.update, fmt=fmt.value, out=out, plot=plot,
                           figures=figures)
    if result.text is not None:
        typer.echo(result.text, nl=False)
    elif fmt is opt.ResultsFormat.table:
        render.render_sweep(console(), result)
    for path in (out, plot):
        if path is not None:
            typer.echo(f"wrote {path}", err=True)


@app.command(epilog=opt.example("topoctl plot rows.jsonl --out cost.svg --figure cost"))
def plot(results: opt.Results, out: opt.Out, figures: opt.Figures = []) -> None:
    """Draw the figures of sweep or compare results as one PNG or SVG.

    Sweep results are drawn as lines against the endpoints (log scale), one per family; designs side by
    side (compare) as bars.
    """
    api.plot_results(results, out, figures)
    typer.echo(f"wrote {out}")


@app.command(epilog=opt.example("topoctl report specs/deepseek-v3-table3.yaml --out table3.html"))
@opt.grouped
def report(source: opt.ReportSource, out: opt.Out, analysis: Any = opt.ANALYSIS.without("exact_lp"),
           solver: Any = opt.SOLVER.without("timings"), limits: Any = opt.LIMITS) -> None:
    """Write a self-contained HTML report: table, figures, methods.

    SPEC|RESULTS is a spec (its designs compared, as `topoctl compare` does) or the results of
    `topoctl sweep`. The file holds everything inline (no network, no script).
    """
    api.set_limits(**limits)
    with ProgressBar("evaluating designs") as bar:
        count = api.html_report(source, out, solver, analysis, progress=bar.update)
    typer.echo(f"wrote {out}: {count:,} design{'s' if count != 1 else ''}")
