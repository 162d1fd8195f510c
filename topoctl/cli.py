"""The ``topoctl`` command line: parse, call the library, render. No design logic lives here."""

from __future__ import annotations

import json
import math
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, Optional

import typer

from topoctl.cli_errors import EXIT_INTERRUPTED, GuardedGroup, fail

app = typer.Typer(
    cls=GuardedGroup,
    add_completion=False,
    no_args_is_help=True,
    help="Design, size, price and compare network topologies for AI clusters.",
)

COMMAND_LINE = "command line"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


FORMAT_OPTION = typer.Option(OutputFormat.table, "--format", "-f", help="table for people; json or yaml for machines")


_fail = fail


def _stdout_takes_unicode() -> bool:
    import sys

    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("-", "")
    return encoding.startswith("utf")


def _emit(data: Any, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        try:  # Infinity and NaN are not JSON: a figure that is not finite is a bug, not output
            text = json.dumps(data, indent=2, allow_nan=False)
        except ValueError:
            _fail("a computed figure is not a finite number; please report the command that gave it")
        typer.echo(text)
    else:
        import yaml

        typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=_stdout_takes_unicode()), nl=False)


def _finite(low: float, high: float, *, low_open: bool = False) -> Any:
    """Option callback: a finite number in [low, high] ((low, high] with ``low_open``); inf and nan
    are refused by name (a range check alone lets nan through)."""

    def check(value: Optional[float]) -> Optional[float]:
        if value is None:
            return value
        below = value <= low if low_open else value < low
        if not math.isfinite(value) or below or value > high:
            bracket = "(" if low_open else "["
            raise typer.BadParameter(f"{value:g} is not a finite number in {bracket}{low:g}, {high:g}]")
        return value

    return check


def _console():  # rich stays out of start-up
    from rich.console import Console

    return Console(width=160)


MAX_PARAM_CHARS = 1000


def _param_value(text: str, option: str = "--param") -> tuple[str, Any]:
    """NAME=VALUE with VALUE read as YAML (so k=64 is a number); text YAML cannot read stays text."""
    import yaml

    from topoctl.spec import parse_scalar

    name, sep, value = text.partition("=")
    if not sep or not name:
        raise typer.BadParameter(f"{text[:80]!r} is not NAME=VALUE", param_hint=option)
    if len(value) > MAX_PARAM_CHARS:
        raise typer.BadParameter(f"{name}: value of {len(value):,} characters; at most {MAX_PARAM_CHARS:,}", param_hint=option)
    try:
        return name, parse_scalar(value)
    except yaml.YAMLError:
        return name, value
    except (ValueError, OverflowError):  # an integer past Python's 4,300-digit conversion limit
        raise typer.BadParameter(f"{name}: {value[:20]}... is too large a number", param_hint=option) from None
    except RecursionError:
        raise typer.BadParameter(f"{name}: value nested too deeply", param_hint=option) from None


class Objective(str, Enum):
    cost = "cost"
    switches = "switches"
    cost_per_endpoint = "cost_per_endpoint"


# Sizing flags (issue 3), shared by `design` and `compare`; None means "not given".
REQUIREMENT_OPTION = typer.Option(None, "--requirement", help="requirement YAML: size the cheapest design meeting it")
MAX_TIERS_OPTION = typer.Option(None, "--max-tiers", help="sizing: most fat-tree tiers, 2 or 3 (default 3)")
MAX_PLANES_OPTION = typer.Option(None, "--max-planes", help="sizing: most planes (default 1)")
MAX_PORTS_OPTION = typer.Option(None, "--max-ports-per-endpoint", help="sizing: most NIC ports per endpoint (default 1)")
MIN_BISECTION_OPTION = typer.Option(
    None, "--min-bisection-ratio", callback=_finite(0, 1e6), help="sizing: least bisection ratio (default 1.0)"
)
MAX_HOPS_OPTION = typer.Option(None, "--max-hops", help="sizing: most switch hops between endpoints")
MAX_BLAST_OPTION = typer.Option(None, "--max-blast-radius", help="sizing: most endpoints one switch failure disconnects")
SPARE_PORTS_OPTION = typer.Option(
    None, "--spare-ports", callback=_finite(0, 100), help="sizing: percent of switch ports kept free"
)
MAX_COST_OPTION = typer.Option(None, "--max-cost-usd", callback=_finite(0, 1e15), help="sizing: budget in USD")
OBJECTIVE_OPTION = typer.Option(None, "--objective", help="sizing: what to minimise (default cost)")
TOP_OPTION = typer.Option(1, "--top", min=1, max=50, help="sizing: list the K best distinct designs")
TIME_LIMIT_OPTION = typer.Option(
    10.0, "--time-limit", callback=_finite(0.01, 86_400), help="sizing: solver time limit in seconds"
)
WORKERS_OPTION = typer.Option(1, "--workers", min=1, max=64, help="sizing: solver threads (1 is deterministic)")
MAX_SEED = 2**31 - 1  # CP-SAT and numpy both take a 32-bit seed
SEED_OPTION = typer.Option(0, "--seed", min=0, max=MAX_SEED, help="sizing: solver random seed")
TIMINGS_OPTION = typer.Option(False, "--timings", help="sizing: add the solve time (the output then varies run to run)")


def _sizing_requirement(requirement: Optional[Path], flags: dict[str, Any]):
    """The requirement from a file and/or flags; TopoctlError if invalid."""
    from topoctl.optimize.requirement import build_requirement
    from topoctl.spec import load_yaml

    base = load_yaml(requirement, str(requirement)) if requirement is not None else None
    return build_requirement(base, str(requirement) if requirement else COMMAND_LINE, flags, from_file=requirement is not None)


class AnalysisLevel(str, Enum):
    summary = "summary"
    full = "full"


ANALYSIS_OPTION = typer.Option(
    AnalysisLevel.summary, "--analysis", help="summary: closed forms and bounds; full: graph bisection, paths, faults, throughput"
)
NODE_FORWARDING_OPTION = typer.Option(
    False, "--node-forwarding", help="multi-plane, one port per endpoint: assume forwarding through a node-mate's NIC (NCCL PXN)"
)
MOE_NODES_OPTION = typer.Option(
    4, "--moe-nodes", min=1, max=1_000_000, help="MoE traffic: nodes each token's experts span (node-limited routing, M)"
)
MOE_SEED_OPTION = typer.Option(0, "--moe-seed", min=0, max=MAX_SEED, help="MoE traffic: seed of the sampled destination nodes")


def _raw_design(
    spec: Optional[Path],
    load: Any,
    family: Optional[str],
    endpoints: Optional[int],
    radix: Optional[int],
    planes: Optional[int],
    tiers: Optional[int],
    param: list[str],
    name: Optional[str],
    formula_only: bool = False,
) -> tuple[Any, str]:
    """The parsed spec (``load``-ed from the file, or built from --family) with the design flags laid
    over a single design's fields, and its source label. A set of designs is returned untouched."""
    overrides = dict(_param_value(p) for p in param)
    for key, value in (("endpoints", endpoints), ("planes", planes), ("tiers", tiers)):
        if value is not None:
            overrides[key] = value
    if spec is None:
        if family is None:
            raise typer.BadParameter("give a SPEC file or --family", param_hint="SPEC")
        raw: Any = {"family": family}
        source = COMMAND_LINE
    else:
        source = str(spec)
        raw = load(spec, source)
    if isinstance(raw, dict) and "designs" not in raw:
        raw = dict(raw)
        if family is not None:
            raw["family"] = family
        if overrides:
            base = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
            raw["parameters"] = {**base, **overrides}
        if radix is not None:
            switch = raw.get("switch") if isinstance(raw.get("switch"), dict) else {}
            raw["switch"] = {**switch, "radix": radix}
        if name is not None:
            raw["name"] = name
        if formula_only:
            raw["formula_only"] = True
    return raw, source


def _designs_from_flags(
    spec: Optional[Path],
    family: Optional[str],
    endpoints: Optional[int],
    radix: Optional[int],
    planes: Optional[int],
    tiers: Optional[int],
    param: list[str],
    name: Optional[str],
    formula_only: bool = False,
    *,
    allow_set: bool = False,
    pick: Optional[str] = None,
) -> list[Any]:
    """Designs from a spec file and/or the design flags (flags override the file's fields). A file
    holding a set of designs is accepted with ``allow_set`` (all of them, or the one named ``pick``)."""
    from topoctl.design import resolve_set
    from topoctl.errors import SpecError
    from topoctl.spec import load_yaml, parse_design_set

    raw, source = _raw_design(spec, load_yaml, family, endpoints, radix, planes, tiers, param, name, formula_only)
    is_set = isinstance(raw, dict) and "designs" in raw
    if is_set and not allow_set:
        _fail(f"{source}: holds a set of designs; 'topoctl compare {source}' compares them")
    spec_set = parse_design_set(raw, source, default_name=spec.stem if spec else "design")
    designs = resolve_set(spec_set, source, single=not is_set)
    if pick is not None:
        chosen = [d for d in designs if d.name == pick]
        if not chosen:
            raise SpecError(f"no design named {pick!r}; valid: {', '.join(d.name for d in designs)}", source=source, path="--design")
        return chosen
    return designs


def _analysis_options(node_forwarding: bool = False, exact_lp: bool = False, moe_nodes: int = 4, moe_seed: int = 0) -> Any:
    from topoctl.metrics.analysis import AnalysisOptions

    return AnalysisOptions(node_forwarding=node_forwarding, exact_lp=exact_lp, moe_nodes=moe_nodes, moe_seed=moe_seed)


def _with_full_analysis(built: Any, report: dict[str, Any], node_forwarding: bool, exact_lp: bool = False,
                        moe_nodes: int = 4, moe_seed: int = 0) -> dict[str, Any]:
    """The report with the graph analysis added; its fault table and throughput replace the closed forms."""
    from topoctl.metrics.analysis import full_analysis

    result = full_analysis(built, _analysis_options(node_forwarding, exact_lp, moe_nodes, moe_seed))
    report = {**report, "analysis": result}
    if "fault_domains" in result:
        report["fault_domains"] = result["fault_domains"]
        report["fault_domains_method"] = "graph: each entry names its method"
    report["throughput"] = result["throughput"]
    return report


def _requirement_flags(
    endpoints: Optional[int], radix: Optional[int], max_tiers: Optional[int], max_planes: Optional[int],
    max_ports_per_endpoint: Optional[int], min_bisection_ratio: Optional[float], max_hops: Optional[int],
    max_blast_radius: Optional[int], spare_ports: Optional[float], max_cost_usd: Optional[float],
    objective: Optional[Objective],
) -> dict[str, Any]:
    """The sizing flags of `design` and `compare` as requirement fields."""
    return {
        "endpoints": endpoints, "radix": radix, "max_tiers": max_tiers, "max_planes": max_planes,
        "max_ports_per_endpoint": max_ports_per_endpoint, "min_bisection_ratio": min_bisection_ratio,
        "max_hops": max_hops, "max_blast_radius": max_blast_radius, "spare_ports_percent": spare_ports,
        "max_cost_usd": max_cost_usd, "objective": objective.value if objective else None,
    }


@app.command()
def design(
    spec: Optional[Path] = typer.Argument(None, help="design spec YAML (flags override its fields)"),
    family: Optional[str] = typer.Option(None, "--family", help="fat_tree, multiplane_fat_tree, dragonfly, slim_fly"),
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="endpoints (fat trees)"),
    radix: Optional[int] = typer.Option(None, "--radix", help="switch radix (ports per switch)"),
    planes: Optional[int] = typer.Option(None, "--planes", help="planes (multiplane_fat_tree)"),
    tiers: Optional[int] = typer.Option(None, "--tiers", help="tiers, 2 or 3 (fat trees)"),
    param: list[str] = typer.Option([], "--param", help="family parameter NAME=VALUE (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="design name"),
    formula_only: bool = typer.Option(False, "--formula-only", help="allow counts by formula for designs with no graph"),
    fmt: OutputFormat = FORMAT_OPTION,
    requirement: Optional[Path] = REQUIREMENT_OPTION,
    max_tiers: Optional[int] = MAX_TIERS_OPTION,
    max_planes: Optional[int] = MAX_PLANES_OPTION,
    max_ports_per_endpoint: Optional[int] = MAX_PORTS_OPTION,
    min_bisection_ratio: Optional[float] = MIN_BISECTION_OPTION,
    max_hops: Optional[int] = MAX_HOPS_OPTION,
    max_blast_radius: Optional[int] = MAX_BLAST_OPTION,
    spare_ports: Optional[float] = SPARE_PORTS_OPTION,
    max_cost_usd: Optional[float] = MAX_COST_OPTION,
    objective: Optional[Objective] = OBJECTIVE_OPTION,
    top: int = TOP_OPTION,
    time_limit: float = TIME_LIMIT_OPTION,
    workers: int = WORKERS_OPTION,
    seed: int = SEED_OPTION,
    timings: bool = TIMINGS_OPTION,
    analysis: AnalysisLevel = ANALYSIS_OPTION,
    node_forwarding: bool = NODE_FORWARDING_OPTION,
    exact_lp: bool = typer.Option(False, "--exact-lp", help="with --analysis full: solve the max-concurrent-flow LP (small designs)"),
    moe_nodes: int = MOE_NODES_OPTION,
    moe_seed: int = MOE_SEED_OPTION,
    cost_lengths: bool = typer.Option(
        False, "--cost-lengths", help="also price the cabling plan by cable length (default rack layout; builds the graph)"
    ),
) -> None:
    """Build, count, price and evaluate one design; or, with --endpoints and no family (or with
    --requirement), size the cheapest design that meets the constraints."""
    if requirement is not None or (spec is None and family is None and endpoints is not None):
        flags = _requirement_flags(
            endpoints, radix, max_tiers, max_planes, max_ports_per_endpoint, min_bisection_ratio,
            max_hops, max_blast_radius, spare_ports, max_cost_usd, objective,
        )
        _size_design(requirement, flags, top, time_limit, workers, seed, fmt, timings)
        return

    (built,) = _designs_from_flags(spec, family, endpoints, radix, planes, tiers, param, name, formula_only)
    report = built.report(_analysis_options(moe_nodes=moe_nodes, moe_seed=moe_seed))
    if analysis is AnalysisLevel.full:
        report = _with_full_analysis(built, report, node_forwarding, exact_lp, moe_nodes, moe_seed)
    if cost_lengths:
        from topoctl.export.layout import length_aware_summary

        report = {**report, **length_aware_summary(built)}
    if fmt is OutputFormat.table:
        from topoctl.render import render_design

        render_design(_console(), report)
    else:
        _emit(report, fmt)


@app.command()
def compare(
    specs: list[Path] = typer.Argument(None, help="design or design-set YAML files (default: the paper's Table 3)"),
    fmt: OutputFormat = FORMAT_OPTION,
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="size the best design of each family for N endpoints"),
    radix: Optional[int] = typer.Option(None, "--radix", help="sizing: switch radix"),
    requirement: Optional[Path] = REQUIREMENT_OPTION,
    max_tiers: Optional[int] = MAX_TIERS_OPTION,
    max_planes: Optional[int] = MAX_PLANES_OPTION,
    max_ports_per_endpoint: Optional[int] = MAX_PORTS_OPTION,
    min_bisection_ratio: Optional[float] = MIN_BISECTION_OPTION,
    max_hops: Optional[int] = MAX_HOPS_OPTION,
    max_blast_radius: Optional[int] = MAX_BLAST_OPTION,
    spare_ports: Optional[float] = SPARE_PORTS_OPTION,
    max_cost_usd: Optional[float] = MAX_COST_OPTION,
    objective: Optional[Objective] = OBJECTIVE_OPTION,
    time_limit: float = TIME_LIMIT_OPTION,
    workers: int = WORKERS_OPTION,
    seed: int = SEED_OPTION,
    timings: bool = TIMINGS_OPTION,
    analysis: AnalysisLevel = ANALYSIS_OPTION,
    node_forwarding: bool = NODE_FORWARDING_OPTION,
    moe_nodes: int = MOE_NODES_OPTION,
    moe_seed: int = MOE_SEED_OPTION,
) -> None:
    """Compare designs side by side (default: the DeepSeek-V3 paper's Table 3); with --endpoints or
    --requirement, size the best design of each allowed family and compare those."""
    from topoctl.design import load_designs
    from topoctl.spec import builtin_spec_path

    if endpoints is not None or requirement is not None:
        if specs:
            raise typer.BadParameter("give spec files or --endpoints/--requirement, not both", param_hint="SPECS")
        flags = _requirement_flags(
            endpoints, radix, max_tiers, max_planes, max_ports_per_endpoint, min_bisection_ratio,
            max_hops, max_blast_radius, spare_ports, max_cost_usd, objective,
        )
        _size_compare(requirement, flags, time_limit, workers, seed, fmt, timings)
        return

    reports, titles = [], []
    for path in specs or [builtin_spec_path()]:
        spec_set, designs = load_designs(path)
        titles.append(spec_set.name)
        for built in designs:
            report = built.report(_analysis_options(moe_nodes=moe_nodes, moe_seed=moe_seed))
            if analysis is AnalysisLevel.full:
                report = _with_full_analysis(built, report, node_forwarding, moe_nodes=moe_nodes, moe_seed=moe_seed)
            reports.append(report)
    if fmt is OutputFormat.table:
        from topoctl.render import render_compare

        render_compare(_console(), " + ".join(titles), reports)
    else:
        _emit({"designs": reports}, fmt)


def _ratio(text: Optional[str], option: str) -> float:
    """A failure rate as a probability in [0, 1]: a percentage ('1%', '0.5%') or a fraction below 1
    ('0.01'). A bare 1 or more is refused: '1' could mean 1% or 100%."""
    if text is None:
        return 0.0
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        number = float(raw[:-1] if percent else raw)
    except ValueError:
        raise typer.BadParameter(f"{text[:40]!r} is not a rate; use a percentage (1%) or a fraction below 1 (0.01)",
                                 param_hint=option) from None
    if not math.isfinite(number) or number < 0 or (percent and number > 100):
        raise typer.BadParameter(f"{text[:40]!r} is outside 0%..100%", param_hint=option)
    if not percent and number >= 1:
        hint = "100%" if number == 1 else "a percentage such as 1%"
        raise typer.BadParameter(
            f"{text[:40]!r} is ambiguous: a bare number is a fraction below 1 (0.01 = 1%); write {hint}",
            param_hint=option,
        )
    return number / 100 if percent else number


@app.command()
def faults(
    spec: Optional[Path] = typer.Argument(None, help="design spec YAML, or a set of designs (all, or --design NAME)"),
    family: Optional[str] = typer.Option(None, "--family", help="fat_tree, multiplane_fat_tree, dragonfly, slim_fly"),
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="endpoints (fat trees)"),
    radix: Optional[int] = typer.Option(None, "--radix", help="switch radix (ports per switch)"),
    planes: Optional[int] = typer.Option(None, "--planes", help="planes (multiplane_fat_tree)"),
    tiers: Optional[int] = typer.Option(None, "--tiers", help="tiers, 2 or 3 (fat trees)"),
    param: list[str] = typer.Option([], "--param", help="family parameter NAME=VALUE (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="design name"),
    pick: Optional[str] = typer.Option(None, "--design", help="the design to analyse from a set of designs"),
    link_failures: Optional[str] = typer.Option(None, "--link-failures", help="random trials: share of cables failed: 1% or 0.01"),
    switch_failures: Optional[str] = typer.Option(None, "--switch-failures", help="random trials: share of switches failed: 0.5% or 0.005"),
    trials: int = typer.Option(200, "--trials", min=1, max=100_000, help="random trials"),
    seed: int = typer.Option(0, "--seed", min=0, max=MAX_SEED, help="random seed (same seed, same numbers)"),
    node_forwarding: bool = NODE_FORWARDING_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Fault domains computed on the graph (one failure of each component class) and, with
    --link-failures/--switch-failures, random failures over seeded trials."""
    link_ratio = _ratio(link_failures, "--link-failures")
    switch_ratio = _ratio(switch_failures, "--switch-failures")
    randomised = link_failures is not None or switch_failures is not None
    results = []
    designs = _designs_from_flags(
        spec, family, endpoints, radix, planes, tiers, param, name, allow_set=True, pick=pick
    )
    for built in designs:
        results.append(_fault_result(built, node_forwarding, randomised, link_ratio, switch_ratio, trials, seed))
    if fmt is OutputFormat.table:
        from topoctl.render import render_faults

        console = _console()
        for result in results:
            render_faults(console, result)
    else:
        _emit(results[0] if len(results) == 1 else {"designs": results}, fmt)


def _fault_result(
    built: Any, node_forwarding: bool, randomised: bool, link_ratio: float, switch_ratio: float, trials: int, seed: int
) -> dict[str, Any]:
    from topoctl.metrics.analysis import RandomFailureRequest, fault_analysis

    request = RandomFailureRequest(link_ratio, switch_ratio, trials, seed) if randomised else None
    with _ProgressBar(f"{built.name}: {trials} trials") as bar:
        return fault_analysis(built, node_forwarding, request, partial(bar.update, total=trials))


from topoctl.metrics.moe import MAX_GBYTES_PER_S as MAX_GPU_GBYTES_PER_S  # noqa: E402
MAX_MOE_COUNT = 10**9


@app.command()
def moe(
    spec: Optional[Path] = typer.Argument(None, help="design spec YAML (optional: or give --gpu-bandwidth-gbytes-per-s)"),
    family: Optional[str] = typer.Option(None, "--family", help="fat_tree, multiplane_fat_tree, dragonfly, slim_fly"),
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="endpoints (fat trees)"),
    radix: Optional[int] = typer.Option(None, "--radix", help="switch radix (ports per switch)"),
    planes: Optional[int] = typer.Option(None, "--planes", help="planes (multiplane_fat_tree)"),
    tiers: Optional[int] = typer.Option(None, "--tiers", help="tiers, 2 or 3 (fat trees)"),
    param: list[str] = typer.Option([], "--param", help="family parameter NAME=VALUE (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="design name"),
    pick: Optional[str] = typer.Option(None, "--design", help="the design to use from a set of designs"),
    gpu_bandwidth: Optional[float] = typer.Option(
        None, "--gpu-bandwidth-gbytes-per-s", callback=_finite(0, MAX_GPU_GBYTES_PER_S, low_open=True),
        help="per-GPU network bandwidth in GB/s (default: from the design)"
    ),
    tokens_per_step: int = typer.Option(32, "--tokens-per-step", min=1, max=MAX_MOE_COUNT, help="tokens per GPU per step"),
    hidden_size: int = typer.Option(7000, "--hidden-size", min=1, max=MAX_MOE_COUNT, help="hidden size (elements)"),
    experts_per_token: int = typer.Option(
        9, "--experts-per-token", min=1, max=MAX_MOE_COUNT, help="experts per token (routed + shared)"
    ),
    num_layers: int = typer.Option(61, "--num-layers", min=1, max=MAX_MOE_COUNT, help="MoE layers"),
    analysis: AnalysisLevel = ANALYSIS_OPTION,
    moe_nodes: int = MOE_NODES_OPTION,
    moe_seed: int = MOE_SEED_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """The expert-parallel MoE speed limit (DeepSeek-V3 paper, Section 2.3.2): step time, time per
    output token and tokens per second at a design's per-GPU bandwidth or a given one."""
    from topoctl.metrics.moe import MoeModel, moe_speed_limit

    model = MoeModel(
        tokens_per_step=tokens_per_step, hidden_size=hidden_size, experts_per_token=experts_per_token, num_layers=num_layers
    )
    results = []
    if spec is None and family is None:
        if gpu_bandwidth is None:
            raise typer.BadParameter("give a SPEC file, --family or --gpu-bandwidth-gbytes-per-s", param_hint="SPEC")
        results.append({"name": "given bandwidth", **moe_speed_limit(gpu_bandwidth, model)})
    else:
        from topoctl.metrics.analysis import design_moe, full_analysis, summary_throughput

        designs = _designs_from_flags(spec, family, endpoints, radix, planes, tiers, param, name, allow_set=True, pick=pick)
        for built in designs:
            options = _analysis_options(moe_nodes=moe_nodes, moe_seed=moe_seed)
            if analysis is AnalysisLevel.full:
                throughput = full_analysis(built, options)["throughput"]
            else:
                throughput = summary_throughput(built, options)
            all_to_all = throughput["all_to_all"]
            result = design_moe(built, float(all_to_all["value"]), gpu_bandwidth, model)
            results.append({"name": built.name, **result, "all_to_all": all_to_all, "moe_traffic": throughput["moe"]})
    if fmt is OutputFormat.table:
        from topoctl.render import render_moe

        render_moe(_console(), results)
    else:
        _emit(results[0] if len(results) == 1 else {"designs": results}, fmt)


@app.command()
def families(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List the topology families and their parameters."""
    from topoctl.topologies import FAMILIES

    rows = [
        {"name": name, "summary": cls.summary, "parameters": list(cls.Parameters.model_fields)}
        for name, cls in sorted(FAMILIES.items())
    ]
    if fmt is OutputFormat.table:
        from topoctl.render import render_families

        render_families(_console(), rows)
    else:
        _emit({"families": rows}, fmt)


@app.command()
def validate(specs: list[Path] = typer.Argument(..., help="spec files to check")) -> None:
    """Check spec files: syntax, fields, and that every design resolves."""
    from topoctl.cli_errors import one_line
    from topoctl.design import load_designs
    from topoctl.errors import TopoctlError

    failed = False
    for path in specs:
        try:
            _, designs = load_designs(path)
        except TopoctlError as exc:  # every file is checked, each problem on its own line
            typer.echo(f"Error: {one_line(exc)}", err=True)
            failed = True
            continue
        typer.echo(f"ok: {path}: {len(designs)} design{'s' if len(designs) != 1 else ''}")
    if failed:
        raise typer.Exit(1)


class ExportFormat(str, Enum):
    design = "design"
    cabling = "cabling"
    bom = "bom"
    netbox = "netbox"
    containerlab = "containerlab"
    ansible = "ansible"
    ib_topo = "ib-topo"
    dot = "dot"


class _ProgressBar:
    """A transient rich progress bar on stderr: drawn on a terminal only, and only once the work has run
    for ``delay_s`` (so quick runs print nothing)."""

    def __init__(self, description: str, delay_s: float = 0.0) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._description, self._delay_s = description, delay_s
        self._bar: Any = None
        self._task: Any = None
        self._done = 0

    def advance(self, steps: int, total: int) -> None:
        self.update(self._done + steps, total)

    def update(self, completed: int, total: int) -> None:
        self._done = completed
        if self._bar is None:
            if self._clock() - self._start < self._delay_s:
                return
            from rich.console import Console
            from rich.progress import Progress

            console = Console(stderr=True)
            self._bar = Progress(console=console, transient=True, disable=not console.is_terminal)
            self._bar.start()
            self._task = self._bar.add_task(self._description, total=total)
        self._bar.update(self._task, completed=self._done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@app.command()
def export(
    spec: Optional[Path] = typer.Argument(None, help="design spec YAML, or a design YAML written by topoctl"),
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="what to write"),
    out: Path = typer.Option(..., "--out", "-o", help="file to write (netbox: a directory)"),
    family: Optional[str] = typer.Option(None, "--family", help="fat_tree, multiplane_fat_tree, dragonfly, slim_fly"),
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="endpoints (fat trees)"),
    radix: Optional[int] = typer.Option(None, "--radix", help="switch radix (ports per switch)"),
    planes: Optional[int] = typer.Option(None, "--planes", help="planes (multiplane_fat_tree)"),
    tiers: Optional[int] = typer.Option(None, "--tiers", help="tiers, 2 or 3 (fat trees)"),
    param: list[str] = typer.Option([], "--param", help="family parameter NAME=VALUE (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="design name"),
    pick: Optional[str] = typer.Option(None, "--design", help="the design to export from a set of designs"),
    subset: Optional[str] = typer.Option(
        None, "--subset", help="containerlab slice: plane=P, pod=D, group=G, switches=N (comma-separated)"
    ),
    no_endpoints: bool = typer.Option(False, "--no-endpoints", help="containerlab, ansible: switches only"),
    layout: list[str] = typer.Option(
        [], "--layout", help="rack layout option NAME=VALUE, e.g. rack_units=48, electric_max_m=5 (repeatable)"
    ),
) -> None:
    """Export one design: design YAML, cabling plan, BOM, NetBox, containerlab, Ansible, ib-topo, DOT."""
    from topoctl.export.run import export as run_export
    from topoctl.export.source import job_from_raw, load_spec

    layout_overrides = dict(_param_value(p, "--layout") for p in layout)
    bar = _ProgressBar(f"export {fmt.value}", delay_s=1.0)
    progress = bar.advance
    try:
        raw, source = _raw_design(spec, load_spec, family, endpoints, radix, planes, tiers, param, name)
        job = job_from_raw(
            raw,
            source,
            default_name=spec.stem if spec else "design",
            layout_overrides=layout_overrides,
            progress=progress,
            select=pick,
        )
        count, unit = run_export(job, fmt.value, out, subset=subset, endpoints=not no_endpoints)
    except KeyboardInterrupt:
        _fail("interrupted; the earlier file, if any, is untouched", EXIT_INTERRUPTED)
    finally:
        bar.close()
    typer.echo(f"wrote {out}: {fmt.value}, {count:,} {unit}")


def _size_design(requirement: Optional[Path], flags: dict[str, Any], top: int, time_limit: float, workers: int, seed: int,
                 fmt: OutputFormat, timings: bool = False) -> None:
    """`design` in sizing mode: the K best designs, each with its normal report and the solver's figures."""
    from topoctl.optimize import size

    req = _sizing_requirement(requirement, flags)
    result = size(req, top=top, time_limit_s=time_limit, workers=workers, seed=seed)
    reports = [sized.report(req, timings=timings) for sized in result.designs]
    if fmt is OutputFormat.table:
        from topoctl.render import render_design, render_sizing

        console = _console()
        for index, report in enumerate(reports):
            if top > 1:
                console.print(f"[bold]#{index + 1} of {len(reports)}[/bold]")
            render_design(console, report)
            render_sizing(console, report["sizing"])
    else:
        _emit(reports[0] if top == 1 else {"designs": reports}, fmt)


def _size_compare(requirement: Optional[Path], flags: dict[str, Any], time_limit: float, workers: int, seed: int,
                  fmt: OutputFormat, timings: bool = False) -> None:
    """`compare` in sizing mode: the best design of each allowed family, side by side."""
    from topoctl.optimize.result import size_each_family

    req = _sizing_requirement(requirement, flags)
    rows = size_each_family(req, time_limit_s=time_limit, workers=workers, seed=seed)
    reports = [sized.report(req, timings=timings) for _, sized, _ in rows if sized is not None]
    infeasible = {family: why for family, sized, why in rows if sized is None}
    if not reports:
        _fail(f"no allowed family meets the requirement: {'; '.join(f'{f}: {w}' for f, w in infeasible.items())}")
    if fmt is OutputFormat.table:
        from topoctl.render import render_compare, render_sizing

        console = _console()
        render_compare(console, f"best design of each family for {req.num_endpoints:,} endpoints", reports)
        for report in reports:
            render_sizing(console, report["sizing"], prefix=f"{report['name']}: ")
        for family, why in infeasible.items():
            console.print(f"{family}: none: {why}", highlight=False)
    else:
        _emit({"designs": reports, "infeasible": infeasible}, fmt)


def main() -> None:
    app()
