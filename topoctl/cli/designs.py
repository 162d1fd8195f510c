"""Commands that make designs: design, size, compare, families, validate."""

from typing import Any

import typer

from topoctl import api
from topoctl.cli import render
from topoctl.cli.app import app
from topoctl.cli.errors import one_line
from topoctl.cli.options import (
    ANALYSIS,
    DESIGN,
    LIMITS,
    SIZING,
    SOLVER,
    CheckedFiles,
    CostLengths,
    Figures,
    Format,
    OutputFormat,
    Pick,
    PlotOut,
    Save,
    Spec,
    SpecFiles,
    Top,
    example,
    grouped,
)
from topoctl.cli.output import ProgressBar, show, working


@app.command(epilog=example("topoctl design specs/deepseek-v3-table3.yaml --design FT3 --analysis full"))
@grouped
def design(spec: Spec = None, flags: Any = DESIGN, pick: Pick = None, analysis: Any = ANALYSIS,
           cost_lengths: CostLengths = False, sizing: Any = SIZING, top: Top = 1, solver: Any = SOLVER,
           save: Save = None, fmt: Format = OutputFormat.table, limits: Any = LIMITS) -> None:
    """Build, count, price and evaluate one design.

    The design is SPEC (a set's design named by --design), or the design flags alone, which also
    override SPEC's fields.

    With --endpoints and neither SPEC nor --family, or with --requirement, it sizes the cheapest design
    instead, exactly as `topoctl size` does (--save too).
    """
    api.set_limits(**limits)
    if api.wants_sizing(spec, flags, sizing, top=top, save=save):
        return _size(sizing, solver, top, save, fmt)
    with working("evaluating the design"):
        report = api.design_report(spec, flags, analysis, pick=pick, cost_lengths=cost_lengths)
    show(fmt, report.as_dict(), lambda console: render.render_design(console, report))


@app.command(no_args_is_help=True, epilog=example("topoctl size --endpoints 16384 --max-tiers 2 --max-planes 8"))
@grouped
def size(sizing: Any = SIZING, top: Top = 1, solver: Any = SOLVER, save: Save = None,
         fmt: Format = OutputFormat.table, limits: Any = LIMITS) -> None:
    """Size the cheapest design that meets a requirement (CP-SAT).

    The requirement is --endpoints and the constraint flags, or a --requirement file (flags override its
    fields). Each design is reported as by `topoctl design`, with the solver's status, objective and best
    bound.

    Saved as a design spec with --save (with --top, the best design); design, export, faults and moe
    load that file as the same design.
    """
    api.set_limits(**limits)
    _size(sizing, solver, top, save, fmt)


def _size(sizing: Any, solver: Any, top: int, save: Any, fmt: OutputFormat) -> None:
    with working("sizing"):
        sized = api.size_reports(sizing, solver, top=top, save=save)
    show(fmt, sized.as_dict(), lambda console: render.render_sized(console, sized.reports, top > 1,
                                                                   sized.shortfall_line()))


@app.command(epilog=example("topoctl compare specs/*.yaml"))
@grouped
def compare(specs: SpecFiles = None, analysis: Any = ANALYSIS.without("exact_lp"), sizing: Any = SIZING,
            solver: Any = SOLVER, plot: PlotOut = None, figures: Figures = [], fmt: Format = OutputFormat.table,
            limits: Any = LIMITS) -> None:
    """Compare designs side by side (default: the paper's Table 3).

    With no SPEC, the DeepSeek-V3 paper's Table 3 (a spec shipped with topoctl). With --endpoints or
    --requirement, size the best design of each allowed family and compare those. --plot draws the
    comparison's figures (PNG or SVG).
    """
    api.set_limits(**limits)
    with ProgressBar("evaluating designs") as bar:
        comparison = api.compare(specs or [], sizing, solver, analysis, progress=bar.update, plot=plot,
                                 figures=figures)
    show(fmt, comparison.as_dict(), lambda console: render.render_comparison(console, comparison))
    if plot is not None:
        typer.echo(f"wrote {plot}", err=True)


@app.command(epilog=example("topoctl families --format yaml"))
def families(fmt: Format = OutputFormat.table) -> None:
    """List the topology families and their parameters."""
    rows = api.family_rows()
    show(fmt, {"families": rows}, lambda console: render.render_families(console, rows))


@app.command(epilog=example("topoctl parts", "topoctl parts --catalog my-parts.yaml --format yaml"))
@grouped
def parts(fmt: Format = OutputFormat.table, limits: Any = LIMITS) -> None:
    """List the parts catalog: switch models and their breakouts, NICs, cable and optics classes.

    Every price and power figure names its source (a dated document or an assumption); --catalog FILE
    adds entries or replaces shipped ones of the same name.
    """
    api.set_limits(**limits)
    data = api.parts_catalog()
    show(fmt, data, lambda console: render.render_parts(console, data))


@app.command(epilog=example("topoctl validate specs/*.yaml"))
def validate(specs: CheckedFiles) -> None:
    """Check spec files: syntax, fields, every design resolves.

    Every file is checked; each problem is one `Error:` line naming the file and the field.
    """
    failed = False
    for path, outcome in api.check_specs(specs):
        if isinstance(outcome, int):
            typer.echo(f"ok: {path}: {outcome} design{'s' if outcome != 1 else ''}")
        else:  # every file is checked, each problem on its own line
            typer.echo(f"Error: {one_line(outcome)}", err=True)
            failed = True
    if failed:
        raise typer.Exit(1)
