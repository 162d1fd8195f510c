"""A design's report: everything an architect compares, as plain data (the JSON/YAML output).

``design_report`` gives counts, cost and the closed-form figures without building a graph;
``evaluate`` adds, with ``full``, the graph analysis of topoctl.metrics. The exact max-concurrent-flow
LP (topoctl.optimize.lp) is not imported here: the caller passes it in ``AnalysisOptions.lp``.
This module sits above ``metrics`` and ``design`` and below ``optimize``, whose sizing checks a
rebuilt design against this report.
"""

from __future__ import annotations

from typing import Any

from topoctl.cost import links_by_class
from topoctl.design import Design
from topoctl.metrics.analysis import AnalysisOptions, full_analysis, summary_fault_domains, summary_throughput
from topoctl.topologies.base import Bisection, bisection_demand_ports, bisection_ratio

__all__ = ["design_report", "with_full_analysis", "evaluate"]

COST_METHOD = "counts x unit prices (no cable lengths)"


def design_report(design: Design, options: AnalysisOptions | None = None) -> dict[str, Any]:
    """The closed-form report of ``design``; ``options`` sets the MoE traffic sample."""
    topo, counts, cost, switch = design.topology, design.counts, design.cost, design.switch
    fault_domains, fault_domains_method = summary_fault_domains(design)
    n = counts.num_endpoints
    bisection = topo.bisection(design.endpoint_speed_gbps / switch.port_speed_gbps)
    bisection_gbps = bisection.links * switch.port_speed_gbps
    demand = bisection_demand_ports(counts.num_endpoint_links, topo.num_planes())
    total = cost.total_usd
    return {
        "name": design.name,
        "family": topo.family,
        "variant": topo.variant,
        "parameters": topo.parameters(),
        "constructible": topo.constructible,
        "not_constructible_reason": topo.not_constructible_reason() or None,
        "switch": {
            "model": switch.name,
            "radix": switch.radix,
            "port_speed_gbps": _number(switch.port_speed_gbps),
            "price_usd": _number(switch.price_usd),
        },
        "endpoint_speed_gbps": _number(design.endpoint_speed_gbps),
        "ports_per_endpoint": topo.ports_per_endpoint,
        "num_planes": topo.num_planes(),
        "num_endpoints": n,
        "num_switches": counts.num_switches,
        "num_switches_by_role": dict(counts.num_switches_by_role),
        "num_switch_links": counts.num_switch_links,
        "num_switch_links_by_class": links_by_class(counts, design.cable_classes),
        "switch_link_groups": [
            {
                "link_group": group.name,
                "count": group.count,
                "cable_class": design.cable_classes.get(group.name, group.cable_class),
            }
            for group in counts.link_groups
        ],
        "num_endpoint_links": counts.num_endpoint_links,
        "cost_usd": _number(round(total, 2)),
        "cost_per_endpoint_usd": _number(round(total / n, 2)),
        "cost_breakdown_usd": {key: _number(value) for key, value in cost.as_dict().items()},
        "cost_method": COST_METHOD,
        "bisection_bandwidth_gbps": _number(round(bisection_gbps, 3)),
        "bisection_ratio": round(bisection_ratio(bisection_gbps, demand, design.endpoint_speed_gbps), 6),
        "bisection_method": bisection.method,
        "bisection_exact": bisection.exact,
        "bisection_kind": bisection.kind.value,
        **_proven_bisection(design, bisection, demand),
        "diameter_hops": topo.diameter_hops(),
        "fault_domains": fault_domains,
        "fault_domains_method": fault_domains_method,
        "throughput": summary_throughput(design, options or AnalysisOptions()),
    }


def _proven_bisection(design: Design, bisection: Bisection, demand: int) -> dict[str, Any]:
    """The proven lower bound on the bisection (Gb/s, ratio, method); None where none is known
    without a graph (see topoctl.metrics.analysis.bisection_interval for the graph-computed interval)."""
    proven = bisection.proven
    if proven is None:
        return {"bisection_lower_bound_gbps": None, "bisection_lower_bound_ratio": None,
                "bisection_lower_bound_method": None}
    gbps = proven[0] * design.switch.port_speed_gbps
    return {
        "bisection_lower_bound_gbps": _number(round(gbps, 3)),
        "bisection_lower_bound_ratio": round(bisection_ratio(gbps, demand, design.endpoint_speed_gbps), 6),
        "bisection_lower_bound_method": proven[1],
    }


def _number(value: float) -> float | int:
    """Whole floats as ints, so output reads 400 rather than 400.0 and stays stable."""
    return int(value) if float(value).is_integer() else value


def with_full_analysis(design: Design, report: dict[str, Any], options: AnalysisOptions = AnalysisOptions()) -> dict[str, Any]:
    """``report`` (``design_report``) with the graph analysis added under ``analysis``; its fault table
    and throughput replace the closed forms."""
    result = full_analysis(design, options)
    merged = {**report, "analysis": result}
    if "fault_domains" in result:
        merged["fault_domains"] = result["fault_domains"]
        merged["fault_domains_method"] = "graph: each entry names its method"
    merged["throughput"] = result["throughput"]
    return merged


def evaluate(design: Design, options: AnalysisOptions = AnalysisOptions(), *, full: bool = False) -> dict[str, Any]:
    """The design's report: closed forms and bounds, or with ``full`` the graph analysis merged in."""
    report = design_report(design, options)
    return with_full_analysis(design, report, options) if full else report
