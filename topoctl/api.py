"""The library's entry points for the command line: one function per command, from the parsed flags to the
typed results the CLI renders as tables, or as JSON or YAML through their ``as_dict``. Nothing here prints.

It sits above ``report``, ``optimize`` and ``export`` and below ``cli``, and joins them: the exact LP of
``optimize.lp`` reaches the metrics through ``Analysis.options``. Each function imports what its
command needs when it is called, so a command loads only its own libraries (``compare`` never loads
OR-Tools, ``--help`` loads none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topoctl.errors import FlagError, SizingTimeLimitError, SpecError, TopoctlError
from topoctl.export.formats import formats_help as export_formats_help  # plain data, imports nothing heavy
from topoctl.metrics.moe import MAX_GBYTES_PER_S as MAX_GPU_GBYTES_PER_S  # imports nothing heavy

if TYPE_CHECKING:  # the result types, also for the CLI's annotations (it imports only this module)
    from topoctl.design import Design
    from topoctl.metrics.results import FaultAnalysis as FaultAnalysis
    from topoctl.metrics.results import MoeReport as MoeReport
    from topoctl.optimize.result import SizingResult
    from topoctl.parallel import Executor
    from topoctl.report import DesignReport as DesignReport
    from topoctl.report import Section as Section
    from topoctl.request import DesignFlags, SizingFlags
    from topoctl.requirement import Requirement
    from topoctl.topologies.base import BoundKind as BoundKind

__all__ = [
    "MAX_GPU_GBYTES_PER_S",
    "export_formats_help",
    "design_flags",
    "sizing_flags",
    "Analysis",
    "Solver",
    "Comparison",
    "SizedReports",
    "set_limits",
    "wants_sizing",
    "design_report",
    "size_reports",
    "design_request",
    "requested_designs",
    "compare",
    "fault_reports",
    "moe_reports",
    "export_design",
    "family_rows",
    "parts_catalog",
    "check_specs",
    "executor",
    "SweepResult",
    "sweep_fields",
    "SweepOutput",
    "sweep",
    "write_rows",
    "comparison_rows",
    "plot_rows",
    "check_plot_target",
    "plot_results",
    "html_report",
]


def design_flags(**values: Any) -> DesignFlags:
    """request.DesignFlags (imported when a command runs, not when the CLI starts)."""
    from topoctl.request import DesignFlags

    return DesignFlags(**values)


def sizing_flags(**values: Any) -> SizingFlags:
    """request.SizingFlags (imported when a command runs, not when the CLI starts)."""
    from topoctl.request import SizingFlags

    return SizingFlags(**values)


@dataclass(frozen=True)
class Analysis:
    """How deep to evaluate a design: ``full`` adds the graph analysis; the rest as
    metrics.analysis.AnalysisOptions (node-local forwarding, the exact LP, the MoE traffic sample, the
    routing models to evaluate, which need the graph)."""

    full: bool = False
    node_forwarding: bool = False
    exact_lp: bool = False
    moe_nodes: int = 4
    moe_seed: int = 0
    routing: str | None = None  # a routing model of metrics.routing, or "all"; implies the graph analysis

    def __post_init__(self) -> None:
        if self.routing is not None:
            object.__setattr__(self, "full", True)

    def options(self) -> Any:
        from topoctl.metrics.analysis import AnalysisOptions
        from topoctl.metrics.results import ROUTINGS

        lp = None
        if self.exact_lp:
            from topoctl.optimize.lp import max_concurrent_flow

            lp = max_concurrent_flow
        routing = () if self.routing is None else ROUTINGS if self.routing == "all" else (self.routing,)
        return AnalysisOptions(node_forwarding=self.node_forwarding, lp=lp, moe_nodes=self.moe_nodes,
                               moe_seed=self.moe_seed, routing=routing)


@dataclass(frozen=True)
class Solver:
    """The CP-SAT solve of a sizing request: time limit for the whole request, threads (1 is
    deterministic), seed, and whether reports carry the solve time (which varies run to run)."""

    time_limit_s: float = 10.0
    workers: int = 1
    seed: int = 0
    timings: bool = False


@dataclass(frozen=True)
class Comparison:
    """Designs side by side; ``infeasible`` (family -> why) only when they were sized, and ``timed_out``
    (family -> what the time limit interrupted) for the families the shared time limit left no design."""

    title: str
    reports: list[DesignReport]
    infeasible: dict[str, str] | None = None
    timed_out: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"designs": [report.as_dict() for report in self.reports]}
        if self.infeasible is not None:
            data["infeasible"] = dict(self.infeasible)
        if self.timed_out:
            data["timed_out"] = dict(self.timed_out)
        return data


@dataclass(frozen=True)
class SizedReports:
    """`topoctl size`: the reports of the designs found, best first, out of ``requested``; ``cut_short``
    (requested, found, reason) when the time limit ended the list before ``requested`` designs."""

    reports: list[DesignReport]
    requested: int = 1
    cut_short: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """One design's report when one was asked for, else ``designs`` (and ``cut_short`` when it was)."""
        if self.requested == 1:
            return self.reports[0].as_dict()
        data: dict[str, Any] = {"designs": [report.as_dict() for report in self.reports]}
        return data if self.cut_short is None else {**data, "cut_short": dict(self.cut_short)}

    def shortfall_line(self) -> str | None:
        """Why the list holds fewer designs than asked for, as one line for people: the time limit cut it
        short, or no more distinct designs meet the requirement; None when it holds them all."""
        if self.cut_short is not None:
            cut = self.cut_short
            return (f"cut short: {cut['found']} of {cut['requested']} designs found; {cut['reason']} "
                    "(raise --time-limit for the rest)")
        if len(self.reports) < self.requested:
            found = len(self.reports)
            return (f"only {found} distinct design{'s' * (found != 1)} meet{'s' * (found == 1)} the requirement; "
                    f"{self.requested} were asked for")
        return None


def set_limits(max_memory_gb: float | None, max_seconds: float | None, catalog: Sequence[Path] = ()) -> None:
    """The resource limits and the parts catalog files of this command (the CLI's error wrapper restores
    the defaults after it)."""
    from topoctl import budget

    budget.set_limits(budget.Limits.from_flags(max_memory_gb, max_seconds))
    if catalog:
        from topoctl import catalog as parts

        parts.use_files(catalog)


def wants_sizing(spec: Path | None, flags: DesignFlags, sizing: SizingFlags, *, top: int = 1,
                 save: Path | None = None) -> bool:
    """Whether `topoctl design` sizes: a requirement file, or --endpoints with neither SPEC nor --family.
    A sizing constraint flag beside SPEC or --family is a FlagError, as are ``top`` > 1 and ``save`` (the
    sizing's --top and --save) when nothing is sized."""
    from topoctl.request import given_constraints
    from topoctl.request import wants_sizing as asks_for_sizing

    sizes = asks_for_sizing(spec, flags.family, sizing.endpoints, sizing.requirement, given_constraints(sizing))
    if not sizes and (top > 1 or save is not None):
        raise FlagError("lists or saves sized designs; size with --endpoints (without SPEC or --family) or "
                        "--requirement, or drop it", flag="--top" if top > 1 else "--save")
    return sizes


def design_report(spec: Path | None, flags: DesignFlags, analysis: Analysis = Analysis(), *,
                  pick: str | None = None, cost_lengths: bool = False) -> DesignReport:
    """`topoctl design`: one design's report; ``cost_lengths`` adds the length-aware cost."""
    from dataclasses import replace

    from topoctl.design import designs_from_request
    from topoctl.report import evaluate

    (design,) = designs_from_request(spec, flags, pick=pick)
    report = evaluate(design, analysis.options(), full=analysis.full)
    if cost_lengths:
        from topoctl.physical.layout import length_aware_summary

        report = replace(report, length_aware=length_aware_summary(design))
    return report


def size_reports(sizing: SizingFlags, solver: Solver = Solver(), *, top: int = 1,
                 save: Path | None = None) -> SizedReports:
    """`topoctl size`: the ``top`` best designs for the requirement ``sizing`` gives (fewer when the time
    limit passes after the first, said in ``cut_short``), each report with the solver's figures under
    ``sizing``; ``save`` writes the best one as a design spec (see ``sized_fields``)."""
    req, result = _sized(sizing, solver, top=top, save=save)
    return SizedReports([sized.report(req, timings=solver.timings) for sized in result.designs], top,
                        result.cut_short())


SIZED_SOURCE = "sized design"  # how errors name a design sized on the fly


def _sized(sizing: SizingFlags, solver: Solver, *, top: int = 1,
           save: Path | None = None) -> tuple[Requirement, SizingResult]:
    """The requirement and its sizing; with ``save``, the best design written there as a spec (the
    target checked before the solve, the file written whole or not at all)."""
    from topoctl.optimize import size
    from topoctl.requirement import requirement_from_flags

    req = requirement_from_flags(sizing)
    if save is not None:
        from topoctl.export.atomic import check_target

        check_target(save)
    result = size(req, top=top, time_limit_s=solver.time_limit_s, workers=solver.workers, seed=solver.seed)
    if save is not None:
        from topoctl.export.spec_file import write_spec

        write_spec(sized_fields(result, req), save, _sized_header(sizing, req))
    return req, result


def sized_fields(result: SizingResult, req: Requirement) -> dict[str, Any]:
    """The best sized design as the fields of a design spec: name, family, parameters, the switch as
    resolved (model, radix, port speed, price), endpoint speed, and prices that differ from the default."""
    spec = result.best.spec(req)
    return {"name": spec.name, **spec.model_dump(mode="json", exclude_defaults=True, exclude={"name"})}


def _sized_header(sizing: SizingFlags, req: Requirement) -> list[str]:
    from topoctl.export.yamltext import flow_map
    from topoctl.request import COMMAND_LINE
    from topoctl.spec import spec_label

    source = spec_label(sizing.requirement) if sizing.requirement is not None else f"the {COMMAND_LINE}"
    return [
        f"topoctl design spec, sized from the requirement of {source}:",
        f"  {flow_map(req.model_dump(mode='json', exclude_defaults=True))}",
        "topoctl design, export, faults and moe take this file as SPEC.",
    ]


def design_request(spec: Path | None, flags: DesignFlags, sizing: SizingFlags | None = None,
                   solver: Solver = Solver(), *, pick: str | None = None,
                   load: Callable[[Path, str], Any] | None = None) -> tuple[Any, str, str]:
    """What a command line asks for as a parsed spec, with the label errors name it by and its default
    design name: SPEC (``load``-ed) or --family with the design flags over it, or, when ``sizing`` asks
    for sizing (as `topoctl design` decides), the best sized design's spec (sized_fields)."""
    from topoctl.request import read_design_request
    from topoctl.spec import load_yaml, spec_stem

    if sizing is not None and wants_sizing(spec, flags, sizing):
        if pick is not None:
            raise FlagError("a sized design is one design, not a set to pick from", flag="--design")
        req, result = _sized(sizing, solver)
        fields = sized_fields(result, req)
        return fields, SIZED_SOURCE, fields["name"]
    raw, source = read_design_request(spec, flags, load or load_yaml, pick=pick)
    return raw, source, spec_stem(spec) if spec else "design"


def requested_designs(spec: Path | None, flags: DesignFlags, sizing: SizingFlags | None = None,
                      solver: Solver = Solver(), *, allow_set: bool = False, pick: str | None = None) -> list[Design]:
    """The designs a command line asks for (design_request), resolved: a set's designs (with
    ``allow_set``) or the one ``pick`` names, or the one design."""
    from topoctl.design import designs_from_raw

    raw, source, name = design_request(spec, flags, sizing, solver, pick=pick)
    return designs_from_raw(raw, source, default_name=name, allow_set=allow_set, pick=pick)


def compare(paths: Sequence[Path], sizing: SizingFlags | None = None, solver: Solver = Solver(),
            analysis: Analysis = Analysis(), progress: Callable[[int, int], None] | None = None, *,
            plot: Path | None = None, figures: Sequence[str] = ()) -> Comparison:
    """`topoctl compare`: every design of the spec files (none: the paper's Table 3) or, when ``sizing``
    asks for it (SizingFlags with endpoints or a requirement), the best design of each allowed family.
    ``progress(done, total)`` is called before the first design is evaluated and after each one; ``plot``
    (PNG or SVG) gets the comparison's figures (topoctl.figures.plots)."""
    check_plot_target(plot)
    comparison = _compare(paths, sizing, solver, analysis, progress)
    if plot is not None:
        plot_rows(comparison_rows(comparison), plot, figures, title=comparison.title)
    return comparison


def _compare(paths: Sequence[Path], sizing: SizingFlags | None, solver: Solver, analysis: Analysis,
             progress: Callable[[int, int], None] | None) -> Comparison:
    if sizing is not None and (sizing.endpoints is not None or sizing.requirement is not None):
        if paths:
            raise FlagError("give spec files or --endpoints/--requirement, not both", flag="SPECS")
        return _size_each_family(sizing, solver)
    if sizing is not None:
        from topoctl.request import given_constraints

        # a sizing flag without --endpoints or --requirement would pass unapplied over the specs
        given = [*given_constraints(sizing), *(["--radix"] if sizing.radix is not None else []),
                 *(["--switch"] if sizing.switch is not None else [])]
        if given:
            raise FlagError("sizes each family, which needs --endpoints or --requirement; give one, or drop the flag "
                            "to compare the spec files", flag=given[0])
    from topoctl.design import load_designs
    from topoctl.report import evaluate
    from topoctl.spec import builtin_spec_path

    titles, designs = [], []
    for path in paths or [builtin_spec_path()]:
        spec_set, found = load_designs(path)
        titles.append(spec_set.name)
        designs += found
    reports = []
    for done, design in enumerate(designs):
        if progress is not None:
            progress(done, len(designs))
        reports.append(evaluate(design, analysis.options(), full=analysis.full))
    if progress is not None:
        progress(len(designs), len(designs))
    return Comparison(" + ".join(titles), reports)


def _size_each_family(sizing: SizingFlags, solver: Solver) -> Comparison:
    from topoctl.optimize.result import size_each_family
    from topoctl.requirement import requirement_from_flags

    req = requirement_from_flags(sizing)
    rows = size_each_family(req, time_limit_s=solver.time_limit_s, workers=solver.workers, seed=solver.seed)
    reports = [row.design.report(req, timings=solver.timings) for row in rows if row.design is not None]
    infeasible = {row.family: row.why for row in rows if row.design is None and not row.timed_out}
    timed_out = {row.family: row.why for row in rows if row.timed_out}
    if not reports:
        why = "; ".join(f"{row.family}: {row.why}" for row in rows)
        if timed_out:
            raise SizingTimeLimitError(f"no allowed family gave a design within the time limit: {why}")
        raise TopoctlError(f"no allowed family meets the requirement: {why}")
    return Comparison(f"best design of each family for {req.num_endpoints:,} endpoints", reports, infeasible,
                      timed_out)


def fault_reports(spec: Path | None, flags: DesignFlags, sizing: SizingFlags | None = None,
                  solver: Solver = Solver(), *, pick: str | None = None,
                  link_failures: str | None = None, switch_failures: str | None = None, trials: int = 200,
                  seed: int = 0, node_forwarding: bool = False,
                  progress: Callable[[str], AbstractContextManager[Any]] | None = None,
                  executor: Executor | None = None) -> list[FaultAnalysis]:
    """`topoctl faults`: the fault domains of every design asked for (a set: all, or ``pick``), computed
    on the graph, and with failure rates ('1%' or '0.01') the random-failure percentiles. ``progress``
    (a description) opens what the trials report to: an object with ``update(completed, total)``. With
    ``sizing`` (requested_designs), the sized design. The trials run on ``executor`` (parallel_executor)."""
    from contextlib import nullcontext
    from functools import partial

    from topoctl.metrics.analysis import RandomFailureRequest, fault_analysis
    from topoctl.request import parse_rate

    link_ratio = parse_rate(link_failures, "--link-failures")
    switch_ratio = parse_rate(switch_failures, "--switch-failures")
    randomised = link_failures is not None or switch_failures is not None
    request = RandomFailureRequest(link_ratio, switch_ratio, trials, seed) if randomised else None
    results = []
    for design in requested_designs(spec, flags, sizing, solver, allow_set=True, pick=pick):
        with (progress or (lambda _: nullcontext()))(f"{design.name}: {trials} trials") as bar:
            update = partial(bar.update, total=trials) if bar is not None else None
            results.append(fault_analysis(design, node_forwarding, request, update, executor))
    return results


def moe_reports(spec: Path | None, flags: DesignFlags, analysis: Analysis = Analysis(),
                sizing: SizingFlags | None = None, solver: Solver = Solver(), *, pick: str | None = None,
                gpu_bandwidth_gbytes_per_s: float | None = None, **model: int) -> list[MoeReport]:
    """`topoctl moe`: the MoE speed limit of every design asked for (requested_designs: with ``sizing``,
    the sized design), or of the given bandwidth alone; ``model`` overrides metrics.moe.MoeModel's
    figures (tokens_per_step, hidden_size, ...)."""
    from topoctl.metrics.moe import MoeModel, moe_speed_limit
    from topoctl.metrics.results import MoeReport

    moe_model = MoeModel(**model)
    sizes = sizing is not None and wants_sizing(spec, flags, sizing)
    if spec is None and flags.family is None and not sizes:
        if gpu_bandwidth_gbytes_per_s is None:
            raise FlagError("give a SPEC file, --family, --endpoints/--requirement or --gpu-bandwidth-gbytes-per-s",
                            flag="SPEC")
        return [MoeReport("given bandwidth", moe_speed_limit(gpu_bandwidth_gbytes_per_s, moe_model))]
    from topoctl.metrics.analysis import moe_report

    options = Analysis(moe_nodes=analysis.moe_nodes, moe_seed=analysis.moe_seed).options()
    return [
        moe_report(design, options, full=analysis.full, gpu_bandwidth_gbytes_per_s=gpu_bandwidth_gbytes_per_s,
                   model=moe_model)
        for design in requested_designs(spec, flags, sizing, solver, allow_set=True, pick=pick)
    ]


def export_design(spec: Path | None, flags: DesignFlags, fmt: str, out: Path, sizing: SizingFlags | None = None,
                  solver: Solver = Solver(), *, pick: str | None = None,
                  subset: str | None = None, endpoints: bool = True, switch_os: str | None = None,
                  layout: Sequence[str] = (), progress: Callable[[int, int], None] | None = None) -> tuple[int, str]:
    """`topoctl export`: one design (a set: the one named ``pick``) written in format ``fmt`` to ``out``,
    with the rack layout options ``layout`` (NAME=VALUE); with ``sizing`` (design_request), the sized
    design. Returns (count, what was counted)."""
    from topoctl.export.run import export
    from topoctl.export.source import job_from_raw, load_spec
    from topoctl.request import parse_assignments

    layout_overrides = parse_assignments(layout, "--layout")
    raw, source, name = design_request(spec, flags, sizing, solver, pick=pick, load=load_spec)
    job = job_from_raw(raw, source, default_name=name, layout_overrides=layout_overrides, progress=progress,
                       select=pick)
    return export(job, fmt, out, subset=subset, endpoints=endpoints, switch_os=switch_os)


def parts_catalog() -> dict[str, Any]:
    """`topoctl parts`: the active parts catalog (shipped, with --catalog files over it) as plain data."""
    from topoctl.catalog import active

    parts = active()
    return {
        "files": ["(shipped)", *parts.files],
        "switches": [
            {**entry.model_dump(mode="json"), "configurations": [
                f"{entry.cages * b} x {entry.cage_gbps / b:g}G" for b in entry.breakouts]}
            for entry in parts.switches.values()
        ],
        "nics": [entry.model_dump(mode="json") for entry in parts.nics.values()],
        "cables": [entry.model_dump(mode="json", exclude_none=True) for entry in parts.cables.values()],
        "link_layers": {name: entry.model_dump(mode="json") for name, entry in parts.link_layers.items()},
    }


def family_rows() -> list[dict[str, Any]]:
    """`topoctl families`: each family's name, summary and parameters, by name."""
    from topoctl.topologies import FAMILIES

    return [
        {"name": name, "summary": cls.summary, "parameters": list(cls.Parameters.model_fields)}
        for name, cls in sorted(FAMILIES.items())
    ]


def check_specs(paths: Sequence[Path]) -> Iterator[tuple[Path, int | TopoctlError]]:
    """`topoctl validate`: each spec file with its number of designs, or the first problem found."""
    from topoctl.design import load_designs

    for path in paths:
        try:
            _, designs = load_designs(path)
        except TopoctlError as exc:  # every file is checked, each problem reported on its own
            yield path, exc
            continue
        yield path, len(designs)


# -- sweeps, plots, the HTML report ----------------------------------------------------------------------
def executor(kind: str = "local", jobs: int | None = None, scheduler: str | None = None) -> Executor:
    """Where parallel work runs (topoctl.parallel): ``jobs`` local processes (default: one per core), or
    the Dask cluster at ``scheduler``."""
    from topoctl.parallel import Executor, default_jobs

    return Executor(kind, jobs if jobs is not None else default_jobs(), scheduler)


@dataclass(frozen=True)
class SweepResult:
    """A sweep's rows in point order (topoctl.sweep), its name, and the axes it varies."""

    name: str
    build: bool
    varied: list[str]
    rows: list[dict[str, Any]]
    text: str | None = None  # the rows for standard output, when asked for in a format other than table

    def flat_rows(self) -> list[dict[str, Any]]:
        from topoctl.sweep import flatten

        return [flatten(row) for row in self.rows]


@dataclass(frozen=True)
class SweepOutput:
    """Where a sweep's rows go: ``out`` in ``fmt`` (``table``: the format of out's suffix), the figures
    (``figures``, default all) to ``plot``; without ``out``, a ``fmt`` other than table goes to standard
    output (SweepResult.text)."""

    fmt: str = "table"
    out: Path | None = None
    plot: Path | None = None
    figures: tuple[str, ...] = ()

    def check(self) -> None:
        """The targets and formats, checked before any point runs."""
        from topoctl.export.atomic import check_target
        from topoctl.sweep import FORMATS

        if self.fmt == "parquet" and self.out is None:
            raise FlagError("Parquet is binary: write it to a file with --out FILE.parquet", flag="--format")
        if self.out is not None:
            if self.fmt == "table" and self.out.suffix.lower().lstrip(".") not in FORMATS:
                raise FlagError(f"{self.out.name!r}: give --format or a suffix of {', '.join(FORMATS)}",
                                flag="--out")
            check_target(self.out)
        check_plot_target(self.plot)
        if self.plot is not None:
            from topoctl.figures.plots import figure_names

            unknown = [name for name in self.figures if name not in figure_names()]
            if unknown:
                raise FlagError(f"{unknown[0]!r} is not a figure; valid: {', '.join(figure_names())}",
                                flag="--figure")

    @property
    def file_format(self) -> str | None:
        if self.out is None:
            return None
        return self.fmt if self.fmt != "table" else self.out.suffix.lower().lstrip(".")


def sweep_fields(sizing: SizingFlags | None = None, **flags: Any) -> dict[str, Any]:
    """The sweep fields of the command line (topoctl.sweep.fields_from_flags); ``sizing``'s fixed
    requirement fields (--max-planes ...) as single values."""
    from dataclasses import asdict

    from topoctl.sweep import fields_from_flags

    fixed = {key: value for key, value in asdict(sizing).items()
             if key not in ("requirement", "endpoints", "radix")} if sizing is not None else {}
    return fields_from_flags(**flags, fixed=fixed)


def sweep(path: Path | None, flags: dict[str, Any], sizing: SizingFlags | None = None, solver: Solver = Solver(),
          runner: Executor | None = None, progress: Callable[[int, int], None] | None = None,
          **outputs: Any) -> SweepResult:
    """`topoctl sweep`: the sweep file ``path`` (``-``: standard input) with the command line's fields
    (``flags`` as sweep_fields takes them, ``sizing``'s fixed fields) over its own; every point sized or
    built (topoctl.sweep) on ``runner``, ``progress(done, total)`` as points finish; the rows written as
    ``outputs`` (SweepOutput's fields: fmt, out, plot, figures) say."""
    import io

    from topoctl.spec import load_yaml, spec_label
    from topoctl.sweep import SweepSettings, run_sweep, sweep_from
    from topoctl.sweep import write_rows as write

    output = SweepOutput(**{**outputs, "figures": tuple(outputs.get("figures", ()))})
    fields = sweep_fields(sizing, **flags)
    output.check()
    source = spec_label(path) if path is not None else "command line"
    base = load_yaml(path, source) if path is not None else {}
    if not isinstance(base, dict):
        raise SpecError("expected a mapping of sweep fields (endpoints, families, ...)", source=source)
    merged = {**base, **{key: value for key, value in fields.items() if key != "parameters"}}
    if fields.get("parameters"):
        merged["parameters"] = {**(base.get("parameters") or {}), **fields["parameters"]}
    plan = sweep_from(merged, source)
    settings = SweepSettings(time_limit_s=solver.time_limit_s, seed=solver.seed, source=source)
    total = len(plan.points)
    done = None if progress is None else (lambda count: progress(count, total))
    rows = list(run_sweep(plan, settings, runner or executor(), done))
    text = None
    if output.file_format is not None and output.out is not None:
        write_rows(rows, output.file_format, output.out)
    elif output.fmt != "table":
        buffer = io.StringIO()
        write(rows, output.fmt, buffer)
        text = buffer.getvalue()
    result = SweepResult(plan.name, plan.build, plan.varied, rows, text)
    if output.plot is not None:
        plot_rows(result.flat_rows(), output.plot, output.figures, title=plan.name)
    return result


def write_rows(rows: Sequence[dict[str, Any]], fmt: str, out: Path) -> None:
    """Rows written whole to ``out`` (atomically) as csv, jsonl, json or parquet."""
    import io

    from topoctl.sweep import write_rows as write

    if fmt == "parquet":
        from topoctl.export.atomic import atomic_bytes

        buffer = io.BytesIO()
        write(rows, fmt, buffer)
        atomic_bytes(out, buffer.getvalue())
        return
    from topoctl.export.atomic import atomic_text

    with atomic_text(out) as handle:
        write(rows, fmt, handle)


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """A comparison's designs as flat rows (topoctl.sweep.flatten), for plots and the HTML report."""
    from topoctl.sweep import flatten

    return [flatten({"status": "ok", **report.as_dict()}) for report in comparison.reports]


def _image_format(out: Path) -> str:
    from topoctl.figures.plots import IMAGE_FORMATS

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise FlagError(f"{out.name!r}: a plot is written as .png or .svg", flag="--plot")
    return fmt


def check_plot_target(plot: Path | None) -> None:
    """A --plot target, checked before the work that feeds it."""
    if plot is not None:
        from topoctl.export.atomic import check_target

        _image_format(plot)
        check_target(plot)


def plot_rows(rows: Sequence[dict[str, Any]], out: Path, figures: Sequence[str] = (), title: str | None = None) -> None:
    """The figures (topoctl.figures.plots; default all the rows have) of flat ``rows`` as one PNG or SVG
    (by ``out``'s suffix), written atomically."""
    from topoctl.export.atomic import atomic_bytes, check_target
    from topoctl.figures.plots import draw

    fmt = _image_format(out)
    check_target(out)
    atomic_bytes(out, draw(rows, figures, fmt, title))


def plot_results(results: Path, out: Path, figures: Sequence[str] = ()) -> None:
    """`topoctl plot`: a results file of `topoctl sweep` (jsonl, json, csv or parquet) or a `compare
    --format json` output, plotted as plot_rows does."""
    from topoctl.spec import spec_stem
    from topoctl.sweep import read_rows

    _image_format(out)
    plot_rows(read_rows(results), out, figures, title=spec_stem(results))


def html_report(source: Path, out: Path, solver: Solver = Solver(), analysis: Analysis = Analysis(),
                progress: Callable[[int, int], None] | None = None) -> int:
    """`topoctl report`: SOURCE is a results file of `topoctl sweep` (.jsonl, .json, .csv, .parquet) or a
    spec (YAML: its designs compared as by `topoctl compare`); the HTML report written atomically to
    ``out``. Returns the number of designs reported."""
    from topoctl.export.atomic import atomic_text, check_target
    from topoctl.figures.html import report_html
    from topoctl.spec import spec_label, spec_stem
    from topoctl.sweep import read_rows

    check_target(out)
    if source.suffix.lower() in (".jsonl", ".json", ".csv", ".parquet"):
        rows = read_rows(source)
        title = f"topoctl results: {spec_stem(source)}"
    else:
        comparison = _compare([source], None, solver, analysis, progress)
        rows, title = comparison_rows(comparison), comparison.title
    page = report_html(title, rows, spec_label(source))
    with atomic_text(out) as handle:
        handle.write(page)
    return len(rows)
