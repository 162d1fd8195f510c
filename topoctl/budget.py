"""What a job will cost before it starts, and the check that refuses what will not fit.

Counts, cost and the closed forms are free at any size, but building the switch graph, analysing it
and exporting its cables grow with the design (a radix-4096 three-tier fat tree has 1.7e10 endpoints).
``estimate`` turns the closed-form counts (switches, switch-to-switch cables, endpoint ports: what
``topologies.base.Counts`` gives without building anything) into the peak memory and the seconds of
one kind of job at the rates measured below; ``check`` raises ResourceLimitError naming the figure,
the estimate and the limit when either exceeds the ``Limits`` in force, so the refusal is instant and
nothing is allocated. Limits default to half of the memory the machine allows this process (capped at
MEMORY_CAP_BYTES) and ten minutes; ``limited(max_memory_gb=..., max_seconds=...)`` sets them for a block.

Model: bytes = fixed + per_switch*S + per_cable*L + per_endpoint_port*E, and the same for seconds, with
S switches, L switch-to-switch cables, E endpoint ports. A job that sweeps the whole graph many times
(BFS from many sources, racks removed one at a time) passes ``sweeps``: a sweep takes visit_s per
switch, cable and port, and holds sweep_switch_bytes per switch (the analysis keeps three float64
sources x switches matrices at once in paths.path_stats: 24 bytes). Work repeated without holding more
memory (random-failure trials) passes ``repeats``, which multiplies the time.

How RATES were measured: each job alone in a fresh process on 20 designs (fat trees k = 16 to 128, two
and three tiers, one oversubscribed; balanced grouped designs p = 4 to 20, up to 32,040 switches and 945,180
cables, and two unbalanced ones, p=1 a=60 h=3 and p=40 a=16 h=8, to tell cables from ports; slim flies
q = 13, 27, 43; multi-plane fat trees 8 x two-tier k=64 and 4 x three-tier k=32), peak RSS growth from
resource.getrusage (ru_maxrss after the job less before it, with modules imported and the design
resolved first) and wall time, on a shared 2-core x86 machine (Python 3.11, numpy 2.4, networkx 3.6);
the graph build re-measured the same way once it became arrays.
The constants are the non-negative upper envelope of the samples (a linear program: every
sample at or under its estimate, least total overestimate), rounded up: the estimate is at least the
measured peak and, above 20 MB, at most 1.0-2.1x it (the graph analysis 1.0-2.5x, and 4.4x on the
direct network with 40 endpoints a switch, where the endpoint term dominates); time 1.0-2.2x above
half a second (a design export 3.8x, the graph analysis 4.7x on designs of up to 1,500 switches, where
it runs BFS from every switch). Times scale with the machine; the limit on them is a guard against
hours, not a promise.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Protocol

from topoctl.errors import ResourceLimitError, SpecError

__all__ = [
    "Rates",
    "RATES",
    "Estimate",
    "Limits",
    "estimate",
    "check",
    "check_estimate",
    "current_limits",
    "set_limits",
    "limited",
    "machine_memory_bytes",
    "EXPORT_JOBS",
]

GIB = 1 << 30
MEMORY_SHARE = 0.5  # of what the machine (or the process's rlimit or cgroup) allows
MEMORY_CAP_BYTES = 32 * GIB  # even on a large server, more than this needs asking for
FALLBACK_MEMORY_BYTES = 8 * GIB  # when the platform does not say
DEFAULT_MAX_SECONDS = 600.0  # refuse what would run for more than ten minutes at the measured rates
MEMORY_FLAG = "--max-memory-gb"
TIME_FLAG = "--max-seconds"


class CountsLike(Protocol):
    """The closed-form inventory a budget needs (``topologies.base.Counts`` has it)."""

    @property
    def num_switches(self) -> int: ...

    @property
    def num_switch_links(self) -> int: ...

    @property
    def num_endpoint_links(self) -> int: ...


@dataclass(frozen=True)
class Rates:
    """Peak memory growth (bytes) and wall time (seconds) of one kind of job: fixed, per switch, per
    switch-to-switch cable, per endpoint port; a sweep holds a row per switch (BFS distances) and
    visits every switch, cable and port."""

    label: str  # what the job is, in "design too large for <label>"
    fixed_bytes: float = 0.0
    switch_bytes: float = 0.0
    cable_bytes: float = 0.0
    endpoint_bytes: float = 0.0
    sweep_switch_bytes: float = 0.0
    fixed_s: float = 0.0
    switch_s: float = 0.0
    cable_s: float = 0.0
    endpoint_s: float = 0.0
    visit_s: float = 0.0


# Measured as the module docstring says (fit rounded up to two figures); re-measure the same way when the
# code they time changes. The switch graph itself is arrays (topologies.graph.SwitchGraph: a name and
# five array rows per switch, four per bundle, and the sort of the build); the exports keep the
# networkx graph of the port plan too, 4,600 bytes per switch and 161 per cable (node and edge
# dicts). FIXED_FLOOR_BYTES is an allowance for small jobs (buffers, caches), not a fit.
FIXED_FLOOR_BYTES = 1e6
RATES: dict[str, Rates] = {
    # topology.build(): the switch graph as arrays (Table 3 DF: 32 MB, 0.06 s in a fresh process)
    "graph": Rates("a graph", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=150, cable_bytes=80,
                   fixed_s=2e-3, switch_s=1e-6, cable_s=1.2e-7),
    # metrics.analysis.full_analysis on one plane: graph arrays, METIS, paths, ECMP, faults, MoE;
    # sweeps = BFS sources (every switch up to 1,500, else 64 sampled or 5 whole groups).
    # Memory re-fitted (19 designs) once the graph became arrays: no networkx graph is held any more
    "analysis": Rates("the graph analysis", fixed_bytes=2.1e6, switch_bytes=1300, cable_bytes=150, endpoint_bytes=970,
                      sweep_switch_bytes=20, fixed_s=0.38, switch_s=4.2e-4, cable_s=4.3e-6, visit_s=5.4e-8),
    # metrics.analysis.fault_analysis without random trials: one plane's fault table, then the rack
    # faults on the whole design (port plan, layout, METIS per plane); sweeps = racks removed one at a time
    "faults": Rates("the fault analysis", fixed_bytes=1.2e6, switch_bytes=4600, cable_bytes=650, endpoint_bytes=390,
                    fixed_s=0.015, switch_s=2.4e-4, cable_s=1.6e-5, visit_s=8.3e-8),
    # metrics.random_failures.random_failures: its METIS bisection, then per trial (repeats) every plane
    "failure-trial": Rates("the random-failure trials", fixed_bytes=2.3e6, switch_bytes=660, cable_bytes=180,
                           endpoint_bytes=68, fixed_s=3.6e-4, switch_s=7.7e-6, cable_s=3.5e-7, endpoint_s=1.6e-7),
    # metrics.moe_traffic.moe_traffic on one plane's endpoint ports (the fat-tree summary samples it)
    "moe-sample": Rates("the MoE traffic sample", fixed_bytes=1.8e6, endpoint_bytes=49, fixed_s=0.0032,
                        endpoint_s=1.6e-7),
    # metrics.analysis.summary_lost_ratios of a grouped design: the size of its global-link list, the
    # cap past which the family's bisection_shares gives no shares (it counts port ranges, not the list)
    "cut-shares": Rates("the fault-domain bisection shares", fixed_bytes=FIXED_FLOOR_BYTES, cable_bytes=35,
                        fixed_s=3.5e-4, switch_s=1.3e-6, cable_s=1.4e-8),
    # export.run.export by format: graph, port plan, rack layout, then the cables streamed
    "export:design": Rates("a design export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=200,
                           endpoint_bytes=610, cable_s=2.2e-5, endpoint_s=1.2e-4),
    "export:cabling": Rates("a cabling export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=230,
                            endpoint_bytes=80, switch_s=5.8e-5, cable_s=1.2e-5, endpoint_s=2.2e-5),
    "export:bom": Rates("a bom export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=230,
                        endpoint_bytes=65, cable_s=1.2e-5, endpoint_s=1.9e-5),
    "export:netbox": Rates("a netbox export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=200,
                           endpoint_bytes=560, switch_s=6.1e-5, cable_s=1.8e-5, endpoint_s=5.1e-5),
    "export:containerlab": Rates("a containerlab export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=6700,
                                 cable_bytes=350, endpoint_bytes=890, cable_s=2.4e-5, endpoint_s=3.6e-5),
    # a --subset slice holds only its own links; the whole design's cables still stream by (as cabling)
    "export:containerlab-subset": Rates("a containerlab export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600,
                                        cable_bytes=230, endpoint_bytes=80, switch_s=5.8e-5, cable_s=2.4e-5,
                                        endpoint_s=3.6e-5),
    "export:ansible": Rates("an ansible export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=190,
                            endpoint_bytes=300, switch_s=4.3e-5, cable_s=1.2e-6, endpoint_s=2.0e-5),
    "export:ib-topo": Rates("an ib-topo export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=240,
                            endpoint_bytes=260, switch_s=6.5e-6, cable_s=1.2e-5, endpoint_s=8.1e-7),
    "export:dot": Rates("a dot export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=240,
                        endpoint_bytes=58, fixed_s=0.027, switch_s=2.6e-5, cable_s=1.3e-5, endpoint_s=2.8e-5),
    # The formats below were not fitted on their own: timed against the formats whose rates they take, on the
    # Table 3 FT3 and DF and a k=32 three-tier fat tree (bench/bench_export.py, loaded 2-core machine), each
    # took the same peak memory and at most that format's time (node-link 0.55-0.62x the DOT export's;
    # booksim 0.1x, simai 0.35x and air 0.15x the cabling export's), so those rates bound them; graphml
    # took 0.8-1.15x the DOT export's time, so its time rates are 1.5x DOT's.
    # simai holds a counter per endpoint port and its links per GPU: 620 bytes an endpoint port measured.
    "export:graphml": Rates("a graphml export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=240,
                            endpoint_bytes=58, fixed_s=0.04, switch_s=3.9e-5, cable_s=2.0e-5, endpoint_s=4.2e-5),
    "export:node-link": Rates("a node-link export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=240,
                              endpoint_bytes=58, fixed_s=0.027, switch_s=2.6e-5, cable_s=1.3e-5, endpoint_s=2.8e-5),
    "export:booksim": Rates("a booksim export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=230,
                            endpoint_bytes=80, switch_s=5.8e-5, cable_s=1.2e-5, endpoint_s=2.2e-5),
    "export:simai": Rates("a simai export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=230,
                          endpoint_bytes=700, switch_s=5.8e-5, cable_s=1.2e-5, endpoint_s=2.2e-5),
    # containerlab and air take a slice: export.run checks them against containerlab-subset's rates
    "export:air": Rates("an air export", fixed_bytes=FIXED_FLOOR_BYTES, switch_bytes=4600, cable_bytes=230,
                        endpoint_bytes=80, switch_s=5.8e-5, cable_s=2.4e-5, endpoint_s=3.6e-5),
}
EXPORT_JOBS = tuple(
    name.removeprefix("export:") for name in RATES if name.startswith("export:") and not name.endswith("-subset")
)


@dataclass(frozen=True)
class Estimate:
    """Peak memory and time of a job, with the share of each unit (for the message)."""

    label: str
    memory_bytes: float
    seconds: float
    # unit -> (count, bytes, seconds): what each kind of item contributes
    terms: dict[str, tuple[int, float, float]] = field(default_factory=dict)

    @property
    def work(self) -> int:
        """Items the job builds, analyses or writes: switches, switch cables and endpoint ports."""
        return sum(count for count, _, _ in self.terms.values())

    def __add__(self, other: Estimate) -> Estimate:
        """Two jobs run one after the other, the first one's memory still held: memory and time add up;
        the label is the first one's."""
        terms = dict(self.terms)
        for unit, (count, mem, sec) in other.terms.items():
            mine = terms.get(unit, (0, 0.0, 0.0))
            terms[unit] = (max(mine[0], count), mine[1] + mem, mine[2] + sec)
        return Estimate(self.label, self.memory_bytes + other.memory_bytes, self.seconds + other.seconds, terms)

    def dominant(self, by_time: bool) -> tuple[str, int]:
        """The unit and count that contribute most memory (or time)."""
        if not self.terms:
            return "items", 0
        unit, (count, _, _) = max(self.terms.items(), key=lambda item: item[1][2 if by_time else 1])
        return unit, count


def estimate(job: str, counts: CountsLike, *, sweeps: int = 0, repeats: int = 1) -> Estimate:
    """The memory and time of ``job`` (a key of RATES) on a design with these counts; ``sweeps``
    whole-graph passes (BFS sources, racks), ``repeats`` runs of the work (trials)."""
    if job not in RATES:
        raise KeyError(f"unknown job {job!r}; known: {', '.join(RATES)}")
    rates = RATES[job]
    switches, cables, ports = counts.num_switches, counts.num_switch_links, counts.num_endpoint_links
    terms = {
        "switches": (switches, switches * (rates.switch_bytes + sweeps * rates.sweep_switch_bytes),
                     repeats * switches * (rates.switch_s + sweeps * rates.visit_s)),
        "cables": (cables, cables * rates.cable_bytes,
                   repeats * cables * (rates.cable_s + sweeps * rates.visit_s)),
        "endpoint ports": (ports, ports * rates.endpoint_bytes,
                           repeats * ports * (rates.endpoint_s + sweeps * rates.visit_s)),
    }
    memory = rates.fixed_bytes + sum(mem for _, mem, _ in terms.values())
    seconds = repeats * rates.fixed_s + sum(sec for _, _, sec in terms.values())
    return Estimate(rates.label, memory, seconds, terms)


# -- limits ----------------------------------------------------------------------------------------


def machine_memory_bytes() -> int:
    """What this process may use at most: the least of physical memory, the cgroup's limit and the
    address-space rlimit that apply (FALLBACK_MEMORY_BYTES if none can be read)."""
    found: list[int] = []
    with contextlib.suppress(AttributeError, ValueError, OSError):
        found.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as handle:
                text = handle.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:  # "max" or a huge number: no limit
            found.append(int(text))
    try:
        import resource  # POSIX only
    except ImportError:
        resource = None  # type: ignore[assignment]
    for name in ("RLIMIT_AS", "RLIMIT_DATA"):
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        soft, _ = resource.getrlimit(limit)
        if soft != resource.RLIM_INFINITY and soft > 0:
            found.append(soft)
    return min(found) if found else FALLBACK_MEMORY_BYTES


def _default_memory_bytes() -> int:
    return int(min(MEMORY_CAP_BYTES, MEMORY_SHARE * machine_memory_bytes()))


@dataclass(frozen=True)
class Limits:
    """The most memory (bytes of peak growth) and time (seconds) a job may be estimated to take."""

    max_memory_bytes: int = field(default_factory=_default_memory_bytes)
    max_seconds: float = DEFAULT_MAX_SECONDS

    def __post_init__(self) -> None:
        if not (isinstance(self.max_memory_bytes, int) and self.max_memory_bytes > 0):
            raise SpecError(
                f"must be a positive number of bytes (got {self.max_memory_bytes!r})", path="max_memory_bytes"
            )
        if not (isinstance(self.max_seconds, int | float) and 0 < self.max_seconds < math.inf):
            raise SpecError(f"must be a positive number of seconds (got {self.max_seconds!r})", path="max_seconds")

    @classmethod
    def from_flags(cls, max_memory_gb: float | None = None, max_seconds: float | None = None) -> Limits:
        """Limits from the CLI's flags: GiB (2^30 bytes) and seconds; None keeps the default."""
        if max_memory_gb is not None and not (isinstance(max_memory_gb, int | float) and 0 < max_memory_gb < math.inf):
            raise SpecError(f"must be a positive number of GiB (got {max_memory_gb!r})", path=MEMORY_FLAG)
        if max_seconds is not None and not (isinstance(max_seconds, int | float) and 0 < max_seconds < math.inf):
            raise SpecError(f"must be a positive number of seconds (got {max_seconds!r})", path=TIME_FLAG)
        memory = _default_memory_bytes() if max_memory_gb is None else max(1, int(max_memory_gb * GIB))
        return cls(memory, DEFAULT_MAX_SECONDS if max_seconds is None else float(max_seconds))


_LIMITS: ContextVar[Limits | None] = ContextVar("topoctl_budget_limits", default=None)


def current_limits() -> Limits:
    """The limits in force: the ones set, else the machine's defaults (read now)."""
    return _LIMITS.get() or Limits()


def set_limits(limits: Limits | None) -> None:
    """Set the limits for this context (thread, task) from now on; None restores the defaults."""
    _LIMITS.set(limits)


@contextlib.contextmanager
def limited(max_memory_gb: float | None = None, max_seconds: float | None = None) -> Iterator[Limits]:
    """The limits of ``Limits.from_flags`` in force inside the block, the previous ones after it."""
    token = _LIMITS.set(Limits.from_flags(max_memory_gb, max_seconds))
    try:
        yield current_limits()
    finally:
        _LIMITS.reset(token)


# -- the check -------------------------------------------------------------------------------------


def check_estimate(cost: Estimate, limits: Limits | None = None) -> Estimate:
    """``cost`` if it fits the limits (default: those in force); else ResourceLimitError naming the
    figure that dominates, the estimate, the limit and how to raise it."""
    limits = limits or current_limits()
    if cost.memory_bytes > limits.max_memory_bytes:
        unit, count = cost.dominant(by_time=False)
        raise ResourceLimitError(
            f"design too large for {cost.label}: {format_count(count)} {unit} need about "
            f"{format_bytes(cost.memory_bytes)} (limit {format_bytes(limits.max_memory_bytes)}); "
            f"raise it with {MEMORY_FLAG} or size a smaller design"
        )
    if cost.seconds > limits.max_seconds:
        unit, count = cost.dominant(by_time=True)
        raise ResourceLimitError(
            f"design too large for {cost.label}: {format_count(count)} {unit} take about "
            f"{format_seconds(cost.seconds)} (limit {format_seconds(limits.max_seconds)}); "
            f"raise it with {TIME_FLAG} or size a smaller design"
        )
    return cost


def check(job: str, counts: CountsLike, *, sweeps: int = 0, repeats: int = 1, limits: Limits | None = None) -> Estimate:
    """``estimate(job, counts, ...)`` checked against the limits (see check_estimate)."""
    return check_estimate(estimate(job, counts, sweeps=sweeps, repeats=repeats), limits)


# -- figures as people read them -------------------------------------------------------------------


def _scientific(value: float) -> str:
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _short(value: float) -> str:
    """Two or three significant figures, no trailing .0: 0.01, 1.3, 8, 48, 950."""
    if value >= 9.95:
        return f"{value:.0f}"
    text = f"{value:.1f}" if value >= 0.95 else f"{value:.2g}"
    return text.removesuffix(".0")


def format_count(count: float) -> str:
    """1,234,567 below ten million, 1.3e11 above."""
    return f"{int(count):,}" if count < 1e7 else _scientific(count)


def format_bytes(size: float) -> str:
    """Binary units, two or three significant figures: 950 MiB, 1.3 GiB, 48 GiB, 190 TiB."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if size < 1000 or unit == "EiB":
            break
        size /= 1024
    if size >= 1e4:
        return f"{_scientific(size)} {unit}"
    return f"{_short(size)} {unit}"


def format_seconds(seconds: float) -> str:
    """45 s, 12 min, 3.5 h, 21 days, 4.1e3 years."""
    value, unit = seconds, "s"
    for name, length in (("years", 365.25 * 86400), ("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * length:
            value, unit = seconds / length, name
            break
    if value >= 1e4:
        return f"{_scientific(value)} {unit}"
    return f"{_short(value)} {unit}"
