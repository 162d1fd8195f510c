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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topoctl.errors import FlagError, TopoctlError
from topoctl.metrics.moe import MAX_GBYTES_PER_S as MAX_GPU_GBYTES_PER_S  # imports nothing heavy

if TYPE_CHECKING:  # the result types, also for the CLI's annotations (it imports only this module)
    from topoctl.metrics.results import FaultAnalysis as FaultAnalysis
    from topoctl.metrics.results import MoeReport as MoeReport
    from topoctl.report import DesignReport as DesignReport
    from topoctl.report import Section as Section
    from topoctl.request import DesignFlags, SizingFlags
    from topoctl.topologies.base import BoundKind as BoundKind

__all__ = [
    "MAX_GPU_GBYTES_PER_S",
    "design_flags",
    "sizing_flags",
    "Analysis",
    "Solver",
    "Comparison",
    "set_limits",
    "wants_sizing",
    "design_report",
    "size_reports",
    "compare",
    "fault_reports",
    "moe_reports",
    "export_design",
    "family_rows",
    "check_specs",
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
    metrics.analysis.AnalysisOptions (node-local forwarding, the exact LP, the MoE traffic sample)."""

    full: bool = False
    node_forwarding: bool = False
    exact_lp: bool = False
    moe_nodes: int = 4
    moe_seed: int = 0

    def options(self) -> Any:
        from topoctl.metrics.analysis import AnalysisOptions

        lp = None
        if self.exact_lp:
            from topoctl.optimize.lp import max_concurrent_flow

            lp = max_concurrent_flow
        return AnalysisOptions(node_forwarding=self.node_forwarding, lp=lp, moe_nodes=self.moe_nodes,
                               moe_seed=self.moe_seed)


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
    """Designs side by side; ``infeasible`` (family -> why) only when they were sized."""

    title: str
    reports: list[DesignReport]
    infeasible: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"designs": [report.as_dict() for report in self.reports]}
        return data if self.infeasible is None else {**data, "infeasible": dict(self.infeasible)}


def set_limits(max_memory_gb: float | None, max_seconds: float | None) -> None:
    """The resource limits of this command (the CLI's error wrapper restores the defaults after it)."""
    from topoctl import budget

    budget.set_limits(budget.Limits.from_flags(max_memory_gb, max_seconds))


def wants_sizing(spec: Path | None, flags: DesignFlags, sizing: SizingFlags) -> bool:
    """Whether `topoctl design` sizes: a requirement file, or --endpoints with neither SPEC nor --family."""
    from topoctl.request import wants_sizing as asks_for_sizing

    return asks_for_sizing(spec, flags.family, sizing.endpoints, sizing.requirement)


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


def size_reports(sizing: SizingFlags, solver: Solver = Solver(), *, top: int = 1) -> list[DesignReport]:
    """`topoctl size`: the ``top`` best designs for the requirement ``sizing`` gives, each report with the
    solver's figures under ``sizing``."""
    from topoctl.optimize import size
    from topoctl.requirement import requirement_from_flags

    req = requirement_from_flags(sizing)
    result = size(req, top=top, time_limit_s=solver.time_limit_s, workers=solver.workers, seed=solver.seed)
    return [sized.report(req, timings=solver.timings) for sized in result.designs]


def compare(paths: Sequence[Path], sizing: SizingFlags | None = None, solver: Solver = Solver(),
            analysis: Analysis = Analysis()) -> Comparison:
    """`topoctl compare`: every design of the spec files (none: the paper's Table 3) or, when ``sizing``
    asks for it (SizingFlags with endpoints or a requirement), the best design of each allowed family."""
    if sizing is not None and (sizing.endpoints is not None or sizing.requirement is not None):
        if paths:
            raise FlagError("give spec files or --endpoints/--requirement, not both", flag="SPECS")
        return _size_each_family(sizing, solver)
    from topoctl.design import load_designs
    from topoctl.report import evaluate
    from topoctl.spec import builtin_spec_path

    reports, titles = [], []
    for path in paths or [builtin_spec_path()]:
        spec_set, designs = load_designs(path)
        titles.append(spec_set.name)
        reports += [evaluate(design, analysis.options(), full=analysis.full) for design in designs]
    return Comparison(" + ".join(titles), reports)


def _size_each_family(sizing: SizingFlags, solver: Solver) -> Comparison:
    from topoctl.optimize.result import size_each_family
    from topoctl.requirement import requirement_from_flags

    req = requirement_from_flags(sizing)
    rows = size_each_family(req, time_limit_s=solver.time_limit_s, workers=solver.workers, seed=solver.seed)
    reports = [sized.report(req, timings=solver.timings) for _, sized, _ in rows if sized is not None]
    infeasible = {family: why for family, sized, why in rows if sized is None}
    if not reports:
        why = "; ".join(f"{family}: {reason}" for family, reason in infeasible.items())
        raise TopoctlError(f"no allowed family meets the requirement: {why}")
    return Comparison(f"best design of each family for {req.num_endpoints:,} endpoints", reports, infeasible)


def fault_reports(spec: Path | None, flags: DesignFlags, *, pick: str | None = None,
                  link_failures: str | None = None, switch_failures: str | None = None, trials: int = 200,
                  seed: int = 0, node_forwarding: bool = False,
                  progress: Callable[[str], AbstractContextManager[Any]] | None = None) -> list[FaultAnalysis]:
    """`topoctl faults`: the fault domains of every design asked for (a set: all, or ``pick``), computed
    on the graph, and with failure rates ('1%' or '0.01') the random-failure percentiles. ``progress``
    (a description) opens what the trials report to: an object with ``update(completed, total)``."""
    from contextlib import nullcontext
    from functools import partial

    from topoctl.design import designs_from_request
    from topoctl.metrics.analysis import RandomFailureRequest, fault_analysis
    from topoctl.request import parse_rate

    link_ratio = parse_rate(link_failures, "--link-failures")
    switch_ratio = parse_rate(switch_failures, "--switch-failures")
    randomised = link_failures is not None or switch_failures is not None
    request = RandomFailureRequest(link_ratio, switch_ratio, trials, seed) if randomised else None
    results = []
    for design in designs_from_request(spec, flags, allow_set=True, pick=pick):
        with (progress or (lambda _: nullcontext()))(f"{design.name}: {trials} trials") as bar:
            update = partial(bar.update, total=trials) if bar is not None else None
            results.append(fault_analysis(design, node_forwarding, request, update))
    return results


def moe_reports(spec: Path | None, flags: DesignFlags, analysis: Analysis = Analysis(), *, pick: str | None = None,
                gpu_bandwidth_gbytes_per_s: float | None = None, **model: int) -> list[MoeReport]:
    """`topoctl moe`: the MoE speed limit of every design asked for, or of the given bandwidth alone;
    ``model`` overrides metrics.moe.MoeModel's figures (tokens_per_step, hidden_size, ...)."""
    from topoctl.metrics.moe import MoeModel, moe_speed_limit
    from topoctl.metrics.results import MoeReport

    moe_model = MoeModel(**model)
    if spec is None and flags.family is None:
        if gpu_bandwidth_gbytes_per_s is None:
            raise FlagError("give a SPEC file, --family or --gpu-bandwidth-gbytes-per-s", flag="SPEC")
        return [MoeReport("given bandwidth", moe_speed_limit(gpu_bandwidth_gbytes_per_s, moe_model))]
    from topoctl.design import designs_from_request
    from topoctl.metrics.analysis import moe_report

    options = Analysis(moe_nodes=analysis.moe_nodes, moe_seed=analysis.moe_seed).options()
    return [
        moe_report(design, options, full=analysis.full, gpu_bandwidth_gbytes_per_s=gpu_bandwidth_gbytes_per_s,
                   model=moe_model)
        for design in designs_from_request(spec, flags, allow_set=True, pick=pick)
    ]


def export_design(spec: Path | None, flags: DesignFlags, fmt: str, out: Path, *, pick: str | None = None,
                  subset: str | None = None, endpoints: bool = True, layout: Sequence[str] = (),
                  progress: Callable[[int, int], None] | None = None) -> tuple[int, str]:
    """`topoctl export`: one design (a set: the one named ``pick``) written in format ``fmt`` to ``out``,
    with the rack layout options ``layout`` (NAME=VALUE); returns (count, what was counted)."""
    from topoctl.export.run import export
    from topoctl.export.source import job_from_raw, load_spec
    from topoctl.request import parse_assignments, read_design_request
    from topoctl.spec import spec_stem

    layout_overrides = parse_assignments(layout, "--layout")
    raw, source = read_design_request(spec, flags, load_spec, pick=pick)
    job = job_from_raw(raw, source, default_name=spec_stem(spec) if spec else "design",
                       layout_overrides=layout_overrides, progress=progress, select=pick)
    return export(job, fmt, out, subset=subset, endpoints=endpoints)


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
