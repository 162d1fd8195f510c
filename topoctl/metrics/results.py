"""The typed results of topoctl.metrics.analysis: frozen records holding exact (unrounded) figures.

Each record's ``as_dict`` is the JSON/YAML form the command line prints: the keys in their published
order and the figures rounded as published (throughput and ratios to 6 decimals, links and Gb/s to 3).
Rounding happens there and nowhere else, so code that reads a result (sizing, the tables' bound marks)
sees the exact values and each figure's kind, never a rounded number or the wording of a method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from topoctl.metrics.moe import MoeSpeedLimit
from topoctl.metrics.throughput import Figure
from topoctl.topologies.base import BoundKind

if TYPE_CHECKING:
    from topoctl.metrics.faults import FaultResult
    from topoctl.metrics.random_failures import RandomFailureResult

__all__ = [
    "ROUTINGS",
    "PATTERNS",
    "RoutingFigure",
    "RoutingAnalysis",
    "MoeFigure",
    "BoundedFigure",
    "Throughput",
    "FaultDomainRow",
    "GraphBisection",
    "PathFigures",
    "FullAnalysis",
    "GraphlessAnalysis",
    "MoeReport",
    "FaultAnalysis",
]


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass(frozen=True)
class MoeFigure:
    """Throughput under the sampled MoE traffic matrix (topoctl.metrics.moe_traffic) and its sample."""

    value: float | None  # None: not computed without the graph
    method: str
    kind: BoundKind | None  # None exactly when there is no value
    moe_nodes: int  # M: nodes each token's experts span
    endpoints_per_node: int  # G
    seed: int

    def as_dict(self) -> dict[str, Any]:
        return {"value": _ratio(self.value), "method": self.method, "moe_nodes": self.moe_nodes,
                "endpoints_per_node": self.endpoints_per_node, "seed": self.seed}


@dataclass(frozen=True)
class BoundedFigure:
    """A figure with the tightest graph bound beside it (the all-to-all throughput of the full analysis),
    and a note when the exact LP was asked for and skipped."""

    figure: Figure
    upper_bound: Figure
    note: str | None = None

    @property
    def value(self) -> float:
        return self.figure.value

    @property
    def method(self) -> str:
        return self.figure.method

    @property
    def kind(self) -> BoundKind:
        return self.figure.kind

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.figure.as_dict(),
            "upper_bound": round(self.upper_bound.value, 6),
            "upper_bound_method": self.upper_bound.method,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Throughput:
    """Throughput under the three traffic patterns, as fractions of endpoint line rate."""

    all_to_all: Figure | BoundedFigure
    permutation: Figure
    moe: MoeFigure

    def figures(self) -> dict[str, Figure | BoundedFigure | MoeFigure]:
        """Pattern name (as the output spells it) -> figure, in output order."""
        return {"all_to_all": self.all_to_all, "permutation": self.permutation, "moe": self.moe}

    def as_dict(self) -> dict[str, Any]:
        return {pattern: figure.as_dict() for pattern, figure in self.figures().items()}


@dataclass(frozen=True)
class FaultDomainRow:
    """One fault class: what one failure of its worst component takes down."""

    component: str
    count: int
    endpoints_disconnected: int
    endpoints_degraded: int
    bisection_lost_ratio: float  # share of the bisection cut the failure takes away
    method: str | None = None  # graph rows name theirs; the closed-form table has one method for all rows

    @classmethod
    def from_fault(cls, result: FaultResult) -> FaultDomainRow:
        return cls(result.component, result.count, result.endpoints_disconnected, result.endpoints_degraded,
                   result.bisection_lost_ratio, result.method)

    def as_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "count": self.count,
            "endpoints_disconnected": self.endpoints_disconnected,
            "endpoints_degraded": self.endpoints_degraded,
            "bisection_lost_ratio": round(self.bisection_lost_ratio, 6),
            **({"method": self.method} if self.method is not None else {}),
        }


@dataclass(frozen=True)
class GraphBisection:
    """The whole design's minimum endpoint-balanced bisection lies in [lower, upper], from the graph
    (topoctl.metrics.analysis.bisection_interval); lower is None where no bound survives."""

    upper_bound_links: float
    upper_bound_gbps: float
    upper_bound_ratio: float
    upper_bound_method: str
    lower_bound_links: float | None
    lower_bound_gbps: float | None
    lower_bound_ratio: float | None
    lower_bound_method: str
    exact: bool  # the bounds meet
    metis_cut_links: int  # the METIS switch partition's cut, summed over planes
    metis_imbalance_endpoints: int

    @property
    def kind(self) -> BoundKind:
        """EXACT when the bounds meet; otherwise the figure a single value would be is the upper bound."""
        return BoundKind.EXACT if self.exact else BoundKind.UPPER_BOUND

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None, digits: int) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "upper_bound_links": round(self.upper_bound_links, 3),
            "upper_bound_gbps": round(self.upper_bound_gbps, 3),
            "upper_bound_ratio": round(self.upper_bound_ratio, 6),
            "upper_bound_method": self.upper_bound_method,
            "lower_bound_links": rounded(self.lower_bound_links, 3),
            "lower_bound_gbps": rounded(self.lower_bound_gbps, 3),
            "lower_bound_ratio": rounded(self.lower_bound_ratio, 6),
            "lower_bound_method": self.lower_bound_method,
            "exact": self.exact,
            "metis_cut_links": self.metis_cut_links,
            "metis_imbalance_endpoints": self.metis_imbalance_endpoints,
        }


@dataclass(frozen=True)
class PathFigures:
    """Hop counts and path diversity on the graph (topoctl.metrics.paths), as that module gives them."""

    mean_hops: float
    diameter_hops: int
    method: str
    unreachable_pairs_ratio: float
    shortest_paths_min: int
    shortest_paths_median: float
    edge_disjoint_paths_min: int
    edge_disjoint_paths_median: float
    diversity_method: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "mean_hops": self.mean_hops,
            "diameter_hops": self.diameter_hops,
            "method": self.method,
            "unreachable_pairs_ratio": self.unreachable_pairs_ratio,
            "shortest_paths_min": self.shortest_paths_min,
            "shortest_paths_median": self.shortest_paths_median,
            "edge_disjoint_paths_min": self.edge_disjoint_paths_min,
            "edge_disjoint_paths_median": self.edge_disjoint_paths_median,
            "diversity_method": self.diversity_method,
        }


ROUTINGS = ("minimal", "valiant", "adaptive", "ideal")  # the routing models of topoctl.metrics.routing
PATTERNS = ("uniform", "shift", "bit_reverse", "moe")  # its traffic patterns


@dataclass(frozen=True)
class RoutingFigure:
    """theta under one routing and one traffic pattern (topoctl.metrics.routing). ``value`` is the figure a
    table shows; an interval (``ideal`` past the exact LP) carries ``lower`` (a feasible flow reaches it;
    None when none is certified) and ``upper`` (no routing does better), and ``value`` is the lower end
    where there is one (kind LOWER_BOUND), else the upper (UPPER_BOUND); EXACT when they meet."""

    value: float
    method: str
    kind: BoundKind
    lower: float | None = None
    upper: float | None = None
    interval: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _ratio(self.value), "kind": self.kind.value, "method": self.method}
        if self.interval:
            out["lower"] = _ratio(self.lower)
            out["upper"] = _ratio(self.upper)
        return out


@dataclass(frozen=True)
class RoutingAnalysis:
    """Throughput by routing model for each traffic pattern, on the analysed graph (one plane of a
    multi-plane design), with what the figures assume (``notes``)."""

    routings: tuple[str, ...]
    descriptions: dict[str, str]  # pattern -> the demand, in words
    figures: dict[str, dict[str, RoutingFigure]]  # pattern -> routing -> figure
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "routings": list(self.routings),
            "patterns": {
                pattern: {"description": self.descriptions[pattern],
                          **{routing: figure.as_dict() for routing, figure in by_routing.items()}}
                for pattern, by_routing in self.figures.items()
            },
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class FullAnalysis:
    """``--analysis full`` of a design with a graph."""

    level: ClassVar[str] = "full"
    node_forwarding: bool
    bisection: GraphBisection
    paths: PathFigures
    throughput: Throughput
    fault_domains: tuple[FaultDomainRow, ...]
    moe: MoeSpeedLimit
    routing: RoutingAnalysis | None = None  # with --routing

    def as_dict(self) -> dict[str, Any]:
        out = {
            "level": self.level,
            "node_forwarding": self.node_forwarding,
            "bisection": self.bisection.as_dict(),
            "paths": self.paths.as_dict(),
            "throughput": self.throughput.as_dict(),
            "fault_domains": [row.as_dict() for row in self.fault_domains],
            "moe": self.moe.as_dict(),
        }
        if self.routing is not None:
            out["routing"] = self.routing.as_dict()
        return out


@dataclass(frozen=True)
class GraphlessAnalysis:
    """``--analysis full`` of a formula-only design: no graph, so the closed forms and bounds."""

    level: ClassVar[str] = "summary"
    note: str
    throughput: Throughput
    moe: MoeSpeedLimit

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "note": self.note, "throughput": self.throughput.as_dict(),
                "moe": self.moe.as_dict()}


@dataclass(frozen=True)
class MoeReport:
    """`topoctl moe` for one design (with the throughputs the limit used), or for a given bandwidth."""

    name: str
    limit: MoeSpeedLimit
    all_to_all: Figure | BoundedFigure | None = None
    moe_traffic: MoeFigure | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, **self.limit.as_dict()}
        if self.all_to_all is not None:
            out["all_to_all"] = self.all_to_all.as_dict()
        if self.moe_traffic is not None:
            out["moe_traffic"] = self.moe_traffic.as_dict()
        return out


@dataclass(frozen=True)
class FaultAnalysis:
    """`topoctl faults` for one design: each fault class on the graph (closed forms, with ``note``, for a
    design with no graph), and the random-failure percentiles when asked for."""

    name: str
    variant: str
    fault_domains: tuple[FaultDomainRow, ...]
    note: str | None = None  # set exactly when there is no graph
    node_forwarding: bool = False
    random_failures: RandomFailureResult | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "variant": self.variant}
        rows = [row.as_dict() for row in self.fault_domains]
        if self.note is not None:
            return {**out, "note": self.note, "fault_domains": rows}
        out.update(node_forwarding=self.node_forwarding, fault_domains=rows)
        if self.random_failures is not None:
            out["random_failures"] = self.random_failures.as_dict()
        return out
