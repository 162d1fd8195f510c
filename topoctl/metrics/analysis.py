"""Per-design network analysis: bisection, paths, fault domains, throughput and the MoE speed limit.

Two levels:
- ``summary_analysis``: closed forms and bounds only, no graph; cheap enough for every ``design`` and
  ``compare`` run, at any size.
- ``full_analysis``: builds the switch-level graph (one plane for multi-plane designs, whose planes
  are identical and disjoint) and computes the graph figures of topoctl.metrics; seconds at 16k
  switches. Formula-only designs (no graph exists) keep the summary figures.
Every figure carries a ``method`` naming how it was obtained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from topoctl.metrics.moe import DEEPSEEK_V3, MoeModel, gbytes_per_s, moe_speed_limit
from topoctl.metrics.throughput import (
    Figure,
    bisection_bound,
    fat_tree_all_to_all,
    fat_tree_worst_permutation,
    path_length_bound,
)
from topoctl.topologies.fat_tree import FatTree
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree
from topoctl.topologies.slim_fly import SlimFly

if TYPE_CHECKING:
    from topoctl.design import Design
    from topoctl.metrics.faults import FabricView

__all__ = [
    "AnalysisOptions",
    "summary_throughput",
    "summary_lost_ratios",
    "fabric_view",
    "full_analysis",
    "design_moe",
]

LP_MAX_SWITCHES = 64  # exact LP per plane: GLOP solves the 50-switch slim fly (q=5) in about 4 s
MOE_METHOD = (
    "estimate: node-limited routing (each token to at most M nodes) spreads expected demand evenly over "
    "nodes, so the all-to-all figure stands in"
)


@dataclass(frozen=True)
class AnalysisOptions:
    node_forwarding: bool = False  # multi-plane, one port: forward through a node-mate's NIC (NCCL PXN)
    exact_lp: bool = False  # solve the max-concurrent-flow LP on small designs


def _plane_tree(topology: Any) -> FatTree | None:
    if isinstance(topology, MultiplaneFatTree):
        return topology.plane
    if isinstance(topology, FatTree):
        return topology
    return None


def _slim_fly_mean_hops(sf: SlimFly) -> float:
    """MMS graphs have diameter 2 and degree k': from a switch, k' switches at 1 hop and the other
    n - 1 - k' at 2 (McKay, Miller, Siran 1998); endpoints on the same switch are 0 hops apart."""
    n, p, k = 2 * sf.q**2, sf.p, sf.network_radix
    total = n * p
    return p * (k + 2 * (n - 1 - k)) / (total - 1)


def summary_throughput(design: Design) -> dict[str, dict[str, object]]:
    """Closed forms for fat trees (per plane for multi-plane), bounds for the other families."""
    topo = design.topology
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps
    tree = _plane_tree(topo)
    if tree is not None:
        pods = tree.edges_per_pod if tree.tiers == 3 else None
        all_to_all = fat_tree_all_to_all(tree.endpoints_per_leaf, tree.up, pods, r, c)
        permutation = fat_tree_worst_permutation(tree.endpoints_per_leaf[0], tree.up, r, c)
    else:
        counts = design.counts
        cut = topo.bisection().links
        bounds = [bisection_bound(counts.num_endpoints, cut, r, c)]
        if isinstance(topo, SlimFly):
            bounds.append(path_length_bound(counts.num_endpoints, counts.num_switch_links, _slim_fly_mean_hops(topo), r, c))
        all_to_all = min(bounds, key=lambda f: f.value)
        permutation = all_to_all
    moe = Figure(all_to_all.value, MOE_METHOD)
    return {"all_to_all": all_to_all.as_dict(), "permutation": permutation.as_dict(), "moe": moe.as_dict()}


def summary_lost_ratios(design: Design) -> dict[str, float]:
    """Share of the bisection one component of each class takes away, estimated as 1/count for
    switch-like classes (the cut is spread evenly over them in these regular designs), 1/B for one
    cable of a cut of B cables, 0 for an endpoint port."""
    topo = design.topology
    cut = topo.bisection().links
    ratios: dict[str, float] = {}
    for domain in topo.fault_domains():
        if domain.component == "endpoint port":
            ratios[domain.component] = 0.0
        elif "link" in domain.component:
            ratios[domain.component] = round(1 / cut, 6) if cut else 0.0
        else:
            ratios[domain.component] = round(1 / domain.count, 6) if domain.count else 0.0
    return ratios


def fabric_view(design: Design, options: AnalysisOptions) -> FabricView:
    """The graph analysed: one plane of a multi-plane fat tree, otherwise the whole design."""
    from topoctl.metrics.faults import FabricView
    from topoctl.metrics.graph_arrays import to_arrays

    topo = design.topology
    if isinstance(topo, MultiplaneFatTree):
        return FabricView(to_arrays(topo.plane.build()), topo.planes, topo.ports, options.node_forwarding)
    return FabricView(to_arrays(topo.build()), 1, topo.ports_per_endpoint, False)


def design_moe(design: Design, all_to_all: float, gpu_bandwidth_gbytes_per_s: float | None = None,
               model: MoeModel = DEEPSEEK_V3) -> dict[str, object]:
    """The MoE speed limit at the design's per-GPU bandwidth times its all-to-all throughput, or at an
    explicit bandwidth."""
    if gpu_bandwidth_gbytes_per_s is None:
        gpu = gbytes_per_s(design.endpoint_bandwidth_gbps) * all_to_all
        source = f"design: {design.endpoint_bandwidth_gbps:g} Gb/s per GPU x all-to-all throughput {all_to_all:.6g}"
    else:
        gpu = gpu_bandwidth_gbytes_per_s
        source = "given"
    return {**moe_speed_limit(gpu, model), "gpu_bandwidth_source": source}


def full_analysis(design: Design, options: AnalysisOptions = AnalysisOptions()) -> dict[str, Any]:
    """Graph-based figures for one design (see the module docstring)."""
    from topoctl.metrics.bisection import metis_bisection, spectral_lower_bound, UPPER_METHOD, METIS_SEEDS, LOWER_METHOD
    from topoctl.metrics.faults import fault_table
    from topoctl.metrics.paths import path_diversity, path_stats
    from topoctl.metrics.throughput import all_to_all_demand, ecmp_all_to_all, max_concurrent_flow

    topo = design.topology
    if not topo.constructible:
        summary = summary_throughput(design)
        return {
            "level": "summary",
            "note": f"no graph: {topo.not_constructible_reason()}; closed forms and bounds only",
            "throughput": summary,
            "moe": design_moe(design, float(summary["all_to_all"]["value"])),  # type: ignore[arg-type]
        }
    view = fabric_view(design, options)
    arrays, planes = view.plane, view.num_planes
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps

    # Bisection: the interval on one plane, times the planes.
    family_cut = topo.bisection()
    metis_cut, metis_side, imbalance = metis_bisection(arrays)
    plane_family_cut = family_cut.links / planes
    if plane_family_cut <= metis_cut:
        upper, upper_method = plane_family_cut, family_cut.method
    else:
        upper, upper_method = float(metis_cut), UPPER_METHOD.format(seeds=len(METIS_SEEDS))
        upper_method += ", summed over planes" if planes > 1 else ""
    if family_cut.exact:
        lower, lower_method = plane_family_cut, family_cut.method
    else:
        lower = spectral_lower_bound(arrays)
        lower_method = LOWER_METHOD if lower is not None else "none: switches hold unequal endpoint counts"
    full_gbps = design.counts.num_endpoints / 2 * design.endpoint_bandwidth_gbps
    bisection = {
        "upper_bound_links": round(upper * planes, 3),
        "upper_bound_gbps": round(upper * planes * c, 3),
        "upper_bound_ratio": round(upper * planes * c / full_gbps, 6),
        "upper_bound_method": upper_method,
        "lower_bound_links": None if lower is None else round(lower * planes, 3),
        "lower_bound_gbps": None if lower is None else round(lower * planes * c, 3),
        "lower_bound_ratio": None if lower is None else round(lower * planes * c / full_gbps, 6),
        "lower_bound_method": lower_method,
        "exact": bool(family_cut.exact),
        "metis_cut_links": metis_cut * planes,
        "metis_imbalance_endpoints": imbalance,
    }

    stats = path_stats(arrays)
    diversity = path_diversity(arrays)
    paths = {
        "mean_hops": stats.mean_hops,
        "diameter_hops": stats.diameter_hops,
        "method": stats.method + (" (one plane)" if planes > 1 else ""),
        "unreachable_pairs_ratio": stats.unreachable_pairs_ratio,
        "shortest_paths_min": diversity.shortest_paths_min,
        "shortest_paths_median": diversity.shortest_paths_median,
        "edge_disjoint_paths_min": diversity.edge_disjoint_paths_min,
        "edge_disjoint_paths_median": diversity.edge_disjoint_paths_median,
        "diversity_method": diversity.method,
    }

    # Throughput: closed forms for fat trees; estimate and bounds for the rest; exact LP on request.
    summary = summary_throughput(design)
    plane_endpoints = arrays.num_endpoints
    bounds = [
        path_length_bound(plane_endpoints, arrays.num_cables, stats.mean_hops, r, c),
        bisection_bound(plane_endpoints, upper, r, c),
    ]
    bound = min(bounds, key=lambda f: f.value)
    if _plane_tree(topo) is not None:
        all_to_all = Figure(float(summary["all_to_all"]["value"]), str(summary["all_to_all"]["method"]))  # type: ignore[arg-type]
    else:
        all_to_all = ecmp_all_to_all(arrays, r, c)
    lp_note = None
    if options.exact_lp and arrays.num_switches <= LP_MAX_SWITCHES:
        all_to_all = max_concurrent_flow(arrays, all_to_all_demand(arrays), r, c)
    elif options.exact_lp:
        lp_note = f"exact LP skipped: {arrays.num_switches} switches per plane exceed {LP_MAX_SWITCHES}"
    if stats.method.startswith("sampled") and bound is bounds[0]:
        bound = Figure(bound.value, bound.method + " (mean hops sampled)")
    permutation = (
        Figure(float(summary["permutation"]["value"]), str(summary["permutation"]["method"]))  # type: ignore[arg-type]
        if _plane_tree(topo) is not None
        else Figure(bounds[0].value, "bound: random permutation, " + bounds[0].method.removeprefix("bound: "))
    )
    throughput = {
        "all_to_all": {
            **all_to_all.as_dict(),
            "upper_bound": round(bound.value, 6),
            "upper_bound_method": bound.method,
            **({"note": lp_note} if lp_note else {}),
        },
        "permutation": permutation.as_dict(),
        "moe": Figure(all_to_all.value, MOE_METHOD).as_dict(),
    }
    faults = [entry.as_dict() for entry in fault_table(view, (metis_cut, metis_side))]
    if view.node_forwarding and view.num_planes > 1 and view.ports_per_endpoint == 1:
        for entry in faults:
            entry["method"] = f"{entry['method']}; assumes node-local forwarding to a node-mate's NIC (PXN)"
    return {
        "level": "full",
        "node_forwarding": view.node_forwarding,
        "bisection": bisection,
        "paths": paths,
        "throughput": throughput,
        "fault_domains": faults,
        "moe": design_moe(design, all_to_all.value),
    }
