"""Every argument and flag of the command line, declared once; commands name these, never typer.Option.

A flag that several commands take means the same in each (``--endpoints`` is a design's parameter
beside a SPEC or --family, and on its own the size to design for). Flags that go together are a
``Group``: a command takes one as a parameter whose default is the group (``flags=DESIGN``), and
``grouped`` lays its flags into the command's signature and hands the command one object built from them.
The library is imported only when a command runs, so ``--help`` stays instant.
"""

import functools
import inspect
import math
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from topoctl import api
from topoctl.api import MAX_GPU_GBYTES_PER_S

__all__ = ["whole_number", "OutputFormat", "ResultsFormat", "ExecutorKind", "Objective", "AnalysisLevel", "Routing",
           "ExportFormat", "Group", "grouped", "example"]

MAX_SEED = 2**31 - 1  # CP-SAT and numpy both take a 32-bit seed
MAX_MOE_COUNT = 10**9
MAX_EXACT_WHOLE = 2**53  # every whole float up to here is an exact integer


def whole_number(text: str | int) -> int:
    """A count flag's value: digits, or a whole number written with an exponent (``--endpoints 1e5``)."""
    if isinstance(text, int):
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a whole number") from None
    if not (math.isfinite(value) and value.is_integer() and abs(value) <= MAX_EXACT_WHOLE):
        raise typer.BadParameter(f"{text!r} is not a whole number")
    return int(value)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


class Objective(str, Enum):
    cost = "cost"
    switches = "switches"
    cost_per_endpoint = "cost_per_endpoint"
    power = "power"


class AnalysisLevel(str, Enum):
    summary = "summary"
    full = "full"


class Routing(str, Enum):
    minimal = "minimal"
    valiant = "valiant"
    adaptive = "adaptive"
    ideal = "ideal"
    all = "all"


class ResultsFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    json = "json"


class ExecutorKind(str, Enum):
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    design = "design"
    cabling = "cabling"
    bom = "bom"
    netbox = "netbox"
    containerlab = "containerlab"
    air = "air"
    ansible = "ansible"
    ib_topo = "ib-topo"
    dot = "dot"
    graphml = "graphml"
    node_link = "node-link"
    booksim = "booksim"
    simai = "simai"


def finite(low: float, high: float, *, low_open: bool = False) -> Callable[[float | None], float | None]:
    """Option callback: a finite number in [low, high] ((low, high] with ``low_open``); inf and nan are
    refused by name (a range check alone lets nan through)."""

    def check(value: float | None) -> float | None:
        if value is None:
            return value
        below = value <= low if low_open else value < low
        if not math.isfinite(value) or below or value > high:
            bracket = "(" if low_open else "["
            raise typer.BadParameter(f"{value:g} is not a finite number in {bracket}{low:g}, {high:g}]")
        return value

    return check


def example(*commands: str) -> str:
    """A command's help epilog: its example(s), kept on their own lines."""
    return "Example:\n\n\b\n" + "\n".join(f"  {command}" for command in commands)


# -- arguments -------------------------------------------------------------------------------------------
Spec = Annotated[Path | None, typer.Argument(
    help="spec YAML: one design, or a set (--design picks one); flags override a design's fields; - is stdin",
    metavar="SPEC", show_default=False)]
SpecFiles = Annotated[list[Path] | None, typer.Argument(
    help="design or design-set YAML files (default: the paper's Table 3)", metavar="SPEC", show_default=False)]
CheckedFiles = Annotated[list[Path], typer.Argument(help="spec files to check", metavar="SPEC")]

# -- output ----------------------------------------------------------------------------------------------
Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="table for people; json or yaml for machines")]
Pick = Annotated[str | None, typer.Option("--design", help="the design NAME of a set of designs")]

# -- a design --------------------------------------------------------------------------------------------
Family = Annotated[str | None, typer.Option(
    "--family", help="a family name (topoctl families lists them)")]
Endpoints = Annotated[int | None, typer.Option(
    "--endpoints", parser=whole_number,
    help="a design's endpoints (families that take them) beside SPEC or --family; on its own, the size to design for")]
Radix = Annotated[int | None, typer.Option(
    "--radix", parser=whole_number,
    help="switch radix (ports per switch): picks the catalog switch with that many ports (topoctl parts)")]
SwitchModelFlag = Annotated[str | None, typer.Option(
    "--switch", metavar="MODEL", help="a catalog switch model (topoctl parts lists them)")]
Breakout = Annotated[int | None, typer.Option(
    "--breakout", parser=whole_number, help="ports per switch cage, e.g. 2 runs 64 x 800G as 128 x 400G")]
Nic = Annotated[str | None, typer.Option(
    "--nic", metavar="MODEL", help="a catalog NIC model (default: the cheapest that fits)")]
Planes = Annotated[int | None, typer.Option(
    "--planes", parser=whole_number, help="planes (families that take them)")]
Tiers = Annotated[int | None, typer.Option(
    "--tiers", parser=whole_number, help="tiers, 2 or 3 (families that take them)")]
Params = Annotated[list[str], typer.Option(
    "--param", metavar="NAME=VALUE", help="family parameter NAME=VALUE (repeatable)")]
Name = Annotated[str | None, typer.Option("--name", help="design name")]
FormulaOnly = Annotated[bool, typer.Option("--formula-only", help="allow counts by formula for designs with no graph")]

# -- sizing ----------------------------------------------------------------------------------------------
Requirement = Annotated[Path | None, typer.Option(
    "--requirement", help="requirement YAML: size the cheapest design meeting it (flags override its fields)")]
MaxTiers = Annotated[int | None, typer.Option(
    "--max-tiers", parser=whole_number, help="sizing: most fat-tree tiers, 2 or 3 (default 3)")]
MaxPlanes = Annotated[int | None, typer.Option(
    "--max-planes", parser=whole_number, help="sizing: most planes (default 1)")]
MaxPorts = Annotated[int | None, typer.Option(
    "--max-ports-per-endpoint", parser=whole_number, help="sizing: most NIC ports per endpoint (default 1)")]
MinBisection = Annotated[float | None, typer.Option(
    "--min-bisection-ratio", callback=finite(0, 1e6), help="sizing: least bisection ratio (default 1.0)")]
MaxHops = Annotated[int | None, typer.Option(
    "--max-hops", parser=whole_number, help="sizing: most switch hops between endpoints")]
MaxBlast = Annotated[int | None, typer.Option(
    "--max-blast-radius", parser=whole_number, help="sizing: most endpoints one switch failure disconnects")]
SparePorts = Annotated[float | None, typer.Option(
    "--spare-ports", callback=finite(0, 100), help="sizing: percent of switch ports kept free")]
MaxCost = Annotated[float | None, typer.Option(
    "--max-cost-usd", callback=finite(0, 1e15), help="sizing: budget in USD")]
MaxPower = Annotated[float | None, typer.Option(
    "--max-power-kw", callback=finite(0, 1e9, low_open=True),
    help="sizing: most power of switches, optics and NICs, in kW")]
ObjectiveFlag = Annotated[Objective | None, typer.Option("--objective", help="sizing: what to minimise (default cost)")]
Save = Annotated[Path | None, typer.Option(
    "--save", metavar="SPEC.yaml",
    help="sizing: write the (best) sized design as a design spec that design, export, faults and moe take")]
Top = Annotated[int, typer.Option("--top", min=1, max=50, help="sizing: list the K best distinct designs")]
TimeLimit = Annotated[float, typer.Option(
    "--time-limit", callback=finite(0.01, 86_400), help="sizing: time limit in seconds for the whole request")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="sizing: solver threads (1 is deterministic)")]
Seed = Annotated[int, typer.Option(
    "--seed", min=0, max=MAX_SEED,
    help="random seed of the sizing solver or of the failure trials (same seed, same output)")]
Timings = Annotated[bool, typer.Option(
    "--timings", help="sizing: add the solve time (the output then varies run to run)")]

# -- analysis --------------------------------------------------------------------------------------------
Analysis = Annotated[AnalysisLevel, typer.Option(
    "--analysis", help="summary: closed forms and bounds; full: graph bisection, paths, faults, throughput")]
NodeForwarding = Annotated[bool, typer.Option(
    "--node-forwarding",
    help="multi-plane, one port per endpoint: assume forwarding through a node-mate's NIC (NCCL PXN)")]
ExactLp = Annotated[bool, typer.Option(
    "--exact-lp", help="with --analysis full: solve the max-concurrent-flow LP (small designs)")]
RoutingFlag = Annotated[Routing | None, typer.Option(
    "--routing", help="throughput under this routing (all: every one) for uniform, shift, bit-reverse and MoE "
    "traffic, on the graph (implies --analysis full)")]
MoeNodes = Annotated[int, typer.Option(
    "--moe-nodes", min=1, max=1_000_000, help="MoE traffic: nodes each token's experts span (node-limited routing, M)")]
MoeSeed = Annotated[int, typer.Option(
    "--moe-seed", min=0, max=MAX_SEED, help="MoE traffic: seed of the sampled destination nodes")]
CostLengths = Annotated[bool, typer.Option(
    "--cost-lengths", help="also price the cabling plan by cable length (default rack layout; builds the graph)")]

# -- faults ----------------------------------------------------------------------------------------------
LinkFailures = Annotated[str | None, typer.Option(
    "--link-failures", help="random trials: share of cables failed: 1% or 0.01")]
SwitchFailures = Annotated[str | None, typer.Option(
    "--switch-failures", help="random trials: share of switches failed: 0.5% or 0.005")]
Trials = Annotated[int, typer.Option("--trials", min=1, max=100_000, help="random trials")]

# -- MoE speed limit -------------------------------------------------------------------------------------
GpuBandwidth = Annotated[float | None, typer.Option(
    "--gpu-bandwidth-gbytes-per-s", callback=finite(0, MAX_GPU_GBYTES_PER_S, low_open=True),
    help="per-GPU network bandwidth in GB/s (default: from the design)")]
TokensPerStep = Annotated[int, typer.Option(
    "--tokens-per-step", min=1, max=MAX_MOE_COUNT, help="tokens per GPU per step")]
HiddenSize = Annotated[int, typer.Option("--hidden-size", min=1, max=MAX_MOE_COUNT, help="hidden size (elements)")]
ExpertsPerToken = Annotated[int, typer.Option(
    "--experts-per-token", min=1, max=MAX_MOE_COUNT, help="experts per token (routed + shared)")]
NumLayers = Annotated[int, typer.Option("--num-layers", min=1, max=MAX_MOE_COUNT, help="MoE layers")]

# -- export ----------------------------------------------------------------------------------------------
ExportAs = Annotated[ExportFormat, typer.Option(
    "--format", "-f", metavar="FORMAT", help="what to write (the formats above)")]
Out = Annotated[Path, typer.Option(
    "--out", "-o", help="file to write (export netbox, ib-topo: a directory; plot: .png or .svg; report: .html)")]
Subset = Annotated[str | None, typer.Option(
    "--subset", help="containerlab, air slice: plane=P, pod=D, group=G, switches=N (comma-separated; "
    "default: the whole design up to 64 switches, else a plane, pod or group with its spines)")]
NoEndpoints = Annotated[bool, typer.Option("--no-endpoints", help="containerlab, air, ansible: switches only")]
SwitchOs = Annotated[str | None, typer.Option(
    "--switch-os", metavar="OS",
    help="the emulated switches' OS: containerlab sonic (default), srlinux, eos; air cumulus (default), sonic")]
Layout = Annotated[list[str], typer.Option(
    "--layout", metavar="NAME=VALUE",
    help="rack layout option NAME=VALUE, e.g. rack_units=48, rack_power_kw=60 (repeatable)")]

# -- parts catalog ---------------------------------------------------------------------------------------
CatalogFiles = Annotated[list[Path], typer.Option(
    "--catalog", metavar="FILE", help="a parts catalog YAML over the shipped one (repeatable; topoctl parts)")]

# -- sweeps, plots, reports ------------------------------------------------------------------------------
SweepFile = Annotated[Path | None, typer.Argument(
    help="sweep YAML (endpoints, families, switch, radix, requirement fields, parameters); flags override its fields",
    metavar="SWEEP", show_default=False)]
SweepEndpoints = Annotated[str | None, typer.Option(
    "--endpoints", metavar="N,A..B",
    help="sweep: the endpoints to design for: numbers and ranges, comma-separated; A..B log steps (4 a decade), "
         "A..B/N (N a decade), A..BxF (times F), A..B+S (step S)")]
Families = Annotated[str | None, typer.Option(
    "--families", metavar="all|F,F", help="sweep: families, comma-separated, or all (default all)")]
Switches = Annotated[str | None, typer.Option("--switch", metavar="MODEL,MODEL", help="sweep: catalog switch models")]
SweepRadix = Annotated[str | None, typer.Option("--radix", metavar="K,K", help="sweep: switch radixes")]
SweepPlanes = Annotated[str | None, typer.Option(
    "--planes", metavar="P,P", help="sweep: planes (a family parameter: each point is built, not sized)")]
SweepTiers = Annotated[str | None, typer.Option(
    "--tiers", metavar="T,T", help="sweep: tiers (a family parameter: each point is built, not sized)")]
SweepParams = Annotated[list[str], typer.Option(
    "--param", metavar="NAME=V1,V2",
    help="sweep: family parameter NAME over values (repeatable; each point is built, not sized)")]
SweepAxes = Annotated[list[str], typer.Option(
    "--axis", metavar="FIELD=V1,V2",
    help="sweep: a requirement field over values, e.g. max_planes=1,8 or min_bisection_ratio=1,0.5 (repeatable)")]
ResultsAs = Annotated[ResultsFormat, typer.Option(
    "--format", "-f", help="table for people; csv, jsonl, json or parquet (with --out) for machines")]
ResultsOut = Annotated[Path | None, typer.Option(
    "--out", "-o", help="sweep: write the rows to this file (format from --format, or the suffix)")]
PlotOut = Annotated[Path | None, typer.Option(
    "--plot", metavar="FILE.png|FILE.svg", help="also draw the figures, as PNG or SVG by the suffix")]
Figures = Annotated[list[str], typer.Option(
    "--figure", metavar="NAME",
    help="figures to draw: cost, switches, links, optics, power, bisection, faults (repeatable; default all the "
         "results have)")]
Results = Annotated[Path, typer.Argument(
    help="results of topoctl sweep (.jsonl, .json, .csv, .parquet) or topoctl compare --format json (.json)",
    metavar="RESULTS")]
ReportSource = Annotated[Path, typer.Argument(
    help="a spec (YAML: its designs compared) or sweep results (.jsonl, .json, .csv, .parquet)",
    metavar="SPEC|RESULTS")]
Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, max=256, help="local processes for sweep points or failure trials (default: one per core)")]
ExecutorFlag = Annotated[ExecutorKind, typer.Option(
    "--executor", help="local processes, or a dask.distributed cluster (with --scheduler)")]
Scheduler = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask)")]

# -- resource limits -------------------------------------------------------------------------------------
MaxMemory = Annotated[float | None, typer.Option(
    "--max-memory-gb", callback=finite(0, 1e6, low_open=True),
    help="refuse work estimated to need more memory, in GiB (default: half of this machine's, at most 32)")]
MaxSeconds = Annotated[float | None, typer.Option(
    "--max-seconds", callback=finite(0, 1e7, low_open=True),
    help="refuse work estimated to run longer, in seconds (default 600)")]


# -- groups ----------------------------------------------------------------------------------------------
class Group:
    """Flags a command takes together, handed to it as ``make(**values)`` (which imports the library
    type it builds, so declaring a group costs nothing)."""

    def __init__(self, make: Callable[..., Any], **flags: tuple[Any, Any]) -> None:
        self.make, self.flags = make, flags  # parameter name -> (annotated type, default)

    def without(self, *names: str) -> "Group":
        return Group(self.make, **{name: flag for name, flag in self.flags.items() if name not in names})


def _sizing_flags(objective: Objective | None = None, **values: Any) -> Any:
    return api.sizing_flags(objective=objective.value if objective else None, **values)


def _analysis(analysis: AnalysisLevel = AnalysisLevel.summary, routing: Routing | None = None, **values: Any) -> Any:
    return api.Analysis(full=analysis is AnalysisLevel.full, routing=routing.value if routing else None, **values)


DESIGN = Group(
    api.design_flags, family=(Family, None), endpoints=(Endpoints, None), radix=(Radix, None),
    switch=(SwitchModelFlag, None), breakout=(Breakout, None), nic=(Nic, None), planes=(Planes, None),
    tiers=(Tiers, None), params=(Params, []), name=(Name, None), formula_only=(FormulaOnly, False),
)
SIZING = Group(
    _sizing_flags, endpoints=(Endpoints, None), radix=(Radix, None), requirement=(Requirement, None),
    max_tiers=(MaxTiers, None), max_planes=(MaxPlanes, None), max_ports_per_endpoint=(MaxPorts, None),
    min_bisection_ratio=(MinBisection, None), max_hops=(MaxHops, None), max_blast_radius=(MaxBlast, None),
    spare_ports_percent=(SparePorts, None), max_cost_usd=(MaxCost, None), max_power_kw=(MaxPower, None),
    objective=(ObjectiveFlag, None), switch=(SwitchModelFlag, None),
)
SOLVER = Group(
    api.Solver, time_limit_s=(TimeLimit, 10.0), workers=(Workers, 1), seed=(Seed, 0), timings=(Timings, False))
ANALYSIS = Group(
    _analysis, analysis=(Analysis, AnalysisLevel.summary), node_forwarding=(NodeForwarding, False),
    exact_lp=(ExactLp, False), moe_nodes=(MoeNodes, 4), moe_seed=(MoeSeed, 0), routing=(RoutingFlag, None),
)
def _executor(kind: ExecutorKind = ExecutorKind.local, **values: Any) -> Any:
    return api.executor(kind.value, **values)


EXECUTION = Group(_executor, kind=(ExecutorFlag, ExecutorKind.local), jobs=(Jobs, None), scheduler=(Scheduler, None))
LIMITS = Group(dict, max_memory_gb=(MaxMemory, None), max_seconds=(MaxSeconds, None), catalog=(CatalogFiles, []))


def grouped(func: Callable[..., Any]) -> Callable[..., Any]:
    """The command with each group parameter replaced, in place, by the group's flags (a flag two groups
    share is taken once and given to both), and called with one object per group."""
    groups = {p.name: p.default for p in inspect.signature(func).parameters.values() if isinstance(p.default, Group)}
    hints = inspect.signature(func, eval_str=True).parameters
    parameters: dict[str, inspect.Parameter] = {}
    for name, param in hints.items():
        flags = groups[name].flags.items() if name in groups else [(name, (param.annotation, param.default))]
        for flag, (annotation, default) in flags:
            if flag in parameters:
                assert parameters[flag].annotation is annotation, f"{flag} declared twice"
                continue
            parameters[flag] = inspect.Parameter(
                flag, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    @functools.wraps(func)
    def command(**values: Any) -> Any:
        packed = {name: group.make(**{flag: values[flag] for flag in group.flags}) for name, group in groups.items()}
        own = {name: value for name, value in values.items() if name in hints and name not in groups}
        return func(**own, **packed)

    command.__signature__ = inspect.Signature(list(parameters.values()))  # type: ignore[attr-defined]
    command.__annotations__ = {name: param.annotation for name, param in parameters.items()}
    return command
