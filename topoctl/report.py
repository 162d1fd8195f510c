"""A design's report: everything an architect compares, as a frozen record of exact figures.

``design_report`` gives counts, cost and the closed-form figures without building a graph, once per
design and analysis options (kept on the design); ``evaluate`` adds, with ``full``, the graph analysis
of topoctl.metrics. ``DesignReport.as_dict`` is the JSON/YAML output: the published keys in their
order, the figures rounded as published; nothing else rounds. The exact max-concurrent-flow LP
(topoctl.optimize.lp) is not imported here: the caller passes it in ``AnalysisOptions.lp``.
This module sits above ``metrics`` and ``design`` and below ``optimize``, whose sizing checks a
rebuilt design against this report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from topoctl.catalog import SwitchModel
from topoctl.cost import CostBreakdown, links_by_class
from topoctl.design import Design
from topoctl.metrics.analysis import AnalysisOptions, full_analysis, summary_fault_domains, summary_throughput
from topoctl.metrics.results import FaultDomainRow, FullAnalysis, GraphlessAnalysis, Throughput
from topoctl.physical.footprint import Footprint, footprint
from topoctl.topologies.base import BoundKind, LinkGroup, bisection_demand_ports, bisection_ratio

if TYPE_CHECKING:
    from topoctl.physical.layout import LengthAwareCost

__all__ = ["COST_METHOD", "Section", "ProvenBisection", "BisectionFigure", "DesignReport", "design_report",
           "with_full_analysis", "evaluate"]

COST_METHOD = "counts x unit prices (no cable lengths)"
GRAPH_FAULT_DOMAINS_METHOD = "graph: each entry names its method"
DEFAULT_OPTIONS = AnalysisOptions()  # frozen: safe to share as a default argument


class Section(Protocol):
    """A part a caller above adds to a report (the solver's figures of a sized design): its output form."""

    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ProvenBisection:
    """A proven lower bound on the design's bisection."""

    gbps: float
    ratio: float  # of the full bisection the endpoints could use (topoctl.topologies.demand)
    method: str


@dataclass(frozen=True)
class BisectionFigure:
    """The design's closed-form bisection, what it is (exact, or a bound), and its proven lower bound,
    None where none is known without a graph (topoctl.metrics.analysis.bisection_interval computes one
    on the graph)."""

    gbps: float
    ratio: float
    method: str
    kind: BoundKind
    proven: ProvenBisection | None


@dataclass(frozen=True)
class DesignReport:
    """One design: inventory, cost and figures, exact; ``as_dict`` is its output form.

    After ``with_full_analysis``, ``fault_domains`` and ``throughput`` are the graph's (as in the output)
    and ``analysis`` holds the whole graph analysis."""

    name: str
    family: str
    variant: str
    parameters: Mapping[str, Any]
    constructible: bool
    not_constructible_reason: str | None
    switch: SwitchModel
    endpoint_speed_gbps: float
    ports_per_endpoint: int
    num_planes: int
    num_endpoints: int
    num_switches_by_role: Mapping[str, int]
    num_switch_links_by_class: Mapping[str, int]
    switch_link_groups: tuple[LinkGroup, ...]  # each with the cable class it is priced at
    num_endpoint_links: int
    cost: CostBreakdown  # count-based (COST_METHOD)
    footprint: Footprint  # power, parts by class, racks, latency (count-based)
    bisection: BisectionFigure
    diameter_hops: int
    fault_domains: tuple[FaultDomainRow, ...]
    fault_domains_method: str
    throughput: Throughput
    analysis: FullAnalysis | GraphlessAnalysis | None = None
    length_aware: LengthAwareCost | None = None
    sizing: Section | None = None  # the solver's figures, for a sized design (topoctl.optimize)
    role_switches: Mapping[str, SwitchModel] = field(default_factory=lambda: MappingProxyType({}))  # not ``switch``
    switches_by_model: tuple[tuple[SwitchModel, int], ...] = ()  # with role_switches: each model and how many

    @property
    def num_switches(self) -> int:
        return sum(self.num_switches_by_role.values())

    @property
    def num_switch_links(self) -> int:
        return sum(group.count for group in self.switch_link_groups)

    @property
    def cost_usd(self) -> float:
        return self.cost.total_usd

    @property
    def cost_per_endpoint_usd(self) -> float:
        return self.cost.total_usd / self.num_endpoints

    @property
    def blast_radius(self) -> int:
        """Endpoints the worst single switch failure disconnects (the fault classes named as a switch role)."""
        return max((d.endpoints_disconnected for d in self.fault_domains if d.component in self.num_switches_by_role),
                   default=0)

    def as_dict(self) -> dict[str, Any]:
        """The output form (JSON, YAML, the design YAML's ``generated.report``)."""
        switch, bisection, proven = self.switch, self.bisection, self.bisection.proven
        analysis = None if self.analysis is None else self.analysis.as_dict()
        # The graph analysis' throughput and fault table, where they replace the closed forms, are the same
        # objects at the top and under ``analysis`` (YAML writes the second as an alias of the first).
        throughput = self.throughput.as_dict()
        fault_domains = [row.as_dict() for row in self.fault_domains]
        if analysis is not None and self.analysis is not None:
            if self.throughput is self.analysis.throughput:
                throughput = analysis["throughput"]
            if isinstance(self.analysis, FullAnalysis) and self.fault_domains is self.analysis.fault_domains:
                fault_domains = analysis["fault_domains"]
        out: dict[str, Any] = {
            "name": self.name,
            "family": self.family,
            "variant": self.variant,
            "parameters": dict(self.parameters),
            "constructible": self.constructible,
            "not_constructible_reason": self.not_constructible_reason,
            "switch": _switch_dict(switch),
            **({"role_switches": {role: _switch_dict(model) for role, model in self.role_switches.items()},
                "switches_by_model": [{"model": model.name, "switches": count,
                                       "power_typical_w": _number(round(model.power_typical_w, 1))}
                                      for model, count in self.switches_by_model]}
               if self.role_switches else {}),
            "endpoint_speed_gbps": _number(self.endpoint_speed_gbps),
            "ports_per_endpoint": self.ports_per_endpoint,
            "num_planes": self.num_planes,
            "num_endpoints": self.num_endpoints,
            "num_switches": self.num_switches,
            "num_switches_by_role": dict(self.num_switches_by_role),
            "num_switch_links": self.num_switch_links,
            "num_switch_links_by_class": dict(self.num_switch_links_by_class),
            "switch_link_groups": [
                {"link_group": group.name, "count": group.count, "cable_class": group.cable_class}
                for group in self.switch_link_groups
            ],
            "num_endpoint_links": self.num_endpoint_links,
            "cost_usd": _number(round(self.cost_usd, 2)),
            "cost_per_endpoint_usd": _number(round(self.cost_per_endpoint_usd, 2)),
            "cost_breakdown_usd": {key: _number(value) for key, value in self.cost.as_dict().items()},
            "cost_method": COST_METHOD,
            **self.footprint.as_dict(),
            "bisection_bandwidth_gbps": _number(round(bisection.gbps, 3)),
            "bisection_ratio": round(bisection.ratio, 6),
            "bisection_method": bisection.method,
            "bisection_exact": bisection.kind is BoundKind.EXACT,
            "bisection_kind": bisection.kind.value,
            "bisection_lower_bound_gbps": None if proven is None else _number(round(proven.gbps, 3)),
            "bisection_lower_bound_ratio": None if proven is None else round(proven.ratio, 6),
            "bisection_lower_bound_method": None if proven is None else proven.method,
            "diameter_hops": self.diameter_hops,
            "fault_domains": fault_domains,
            "fault_domains_method": self.fault_domains_method,
            "throughput": throughput,
        }
        if analysis is not None:
            out["analysis"] = analysis
        if self.length_aware is not None:
            out.update(self.length_aware.as_dict())
        if self.sizing is not None:
            out["sizing"] = self.sizing.as_dict()
        return out


def design_report(design: Design, options: AnalysisOptions | None = None) -> DesignReport:
    """The closed-form report of ``design``; ``options`` sets the MoE traffic sample. Computed once per
    design and options: the design keeps it (``Design.cache``); the record is frozen, so callers share it."""
    options = options or AnalysisOptions()
    key = ("report", options)
    if key not in design.cache:
        design.cache[key] = _closed_form_report(design, options)
    return design.cache[key]


def _closed_form_report(design: Design, options: AnalysisOptions) -> DesignReport:
    topo, counts, switch = design.topology, design.counts, design.switch
    fault_domains, fault_domains_method = summary_fault_domains(design)
    bisection = topo.bisection(design.endpoint_speed_gbps / switch.port_speed_gbps)
    demand = bisection_demand_ports(counts.num_endpoint_links, topo.num_planes())

    def ratio(gbps: float) -> float:
        return bisection_ratio(gbps, demand, design.endpoint_speed_gbps)

    bisection_gbps = bisection.links * switch.port_speed_gbps
    proven = None
    if bisection.proven is not None:
        proven_links, proven_method = bisection.proven
        proven_gbps = proven_links * switch.port_speed_gbps
        proven = ProvenBisection(proven_gbps, ratio(proven_gbps), proven_method)
    return DesignReport(
        name=design.name,
        family=topo.family,
        variant=design.variant,
        parameters=MappingProxyType(topo.parameters()),
        constructible=topo.constructible,
        not_constructible_reason=topo.not_constructible_reason() or None,
        switch=switch,
        endpoint_speed_gbps=design.endpoint_speed_gbps,
        ports_per_endpoint=topo.ports_per_endpoint,
        num_planes=topo.num_planes(),
        num_endpoints=counts.num_endpoints,
        num_switches_by_role=MappingProxyType(dict(counts.num_switches_by_role)),
        num_switch_links_by_class=MappingProxyType(links_by_class(counts, design.cable_classes)),
        switch_link_groups=tuple(
            replace(group, cable_class=design.cable_classes.get(group.name, group.cable_class))
            for group in counts.link_groups
        ),
        num_endpoint_links=counts.num_endpoint_links,
        cost=design.cost,
        footprint=footprint(design),
        bisection=BisectionFigure(bisection_gbps, ratio(bisection_gbps), bisection.method, bisection.kind, proven),
        diameter_hops=topo.diameter_hops(),
        fault_domains=fault_domains,
        fault_domains_method=fault_domains_method,
        throughput=summary_throughput(design, options),
        role_switches=MappingProxyType(dict(design.role_switches)),
        switches_by_model=tuple(design.switches_by_model) if design.role_switches else (),
    )


def _switch_dict(switch: SwitchModel) -> dict[str, Any]:
    return {
        "model": switch.name,
        "radix": switch.radix,
        "port_speed_gbps": _number(switch.port_speed_gbps),
        "price_usd": _number(switch.price_usd),
        "breakout": switch.ports_per_cage,
        "link_layer": switch.link_layer,
        "power_typical_w": _number(round(switch.power_typical_w, 1)),
        "rack_units": switch.rack_units,
        "selection": switch.selection or None,
    }


def _number(value: float) -> float | int:
    """Whole floats as ints, so output reads 400 rather than 400.0 and stays stable."""
    return int(value) if float(value).is_integer() else value


def with_full_analysis(
    design: Design, report: DesignReport, options: AnalysisOptions = DEFAULT_OPTIONS
) -> DesignReport:
    """``report`` (``design_report``) with the graph analysis under ``analysis``; its fault table and
    throughput replace the closed forms."""
    result = full_analysis(design, options)
    if isinstance(result, FullAnalysis):
        report = replace(report, fault_domains=result.fault_domains, fault_domains_method=GRAPH_FAULT_DOMAINS_METHOD)
    return replace(report, analysis=result, throughput=result.throughput)


def evaluate(design: Design, options: AnalysisOptions = DEFAULT_OPTIONS, *, full: bool = False) -> DesignReport:
    """The design's report: closed forms and bounds, or with ``full`` the graph analysis merged in."""
    report = design_report(design, options)
    return with_full_analysis(design, report, options) if full else report
