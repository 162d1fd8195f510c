"""Per-design network analysis: bisection, paths, fault domains, throughput and the MoE speed limit.

Two levels:
- ``summary_analysis``: closed forms and bounds only, no graph; cheap enough for every ``design`` and
  ``compare`` run, at any size.
- ``full_analysis``: builds the switch-level graph (one plane for multi-plane designs, whose planes
  are identical and disjoint) and computes the graph figures of topoctl.metrics; seconds at 16k
  switches. Formula-only designs (no graph exists) keep the summary figures. The exact LP, on small
  graphs, is the solver the caller passes in ``AnalysisOptions.lp`` (topoctl.optimize.lp), so the
  metrics never import a solver.
Every figure carries a ``method`` naming how it was obtained and a ``kind`` (exact, a bound or an
estimate). The results are the frozen records of topoctl.metrics.results, with exact figures; their
``as_dict`` is the output form. The report that gathers these figures is assembled above, in
topoctl.report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from topoctl import budget
from topoctl.metrics.moe import DEEPSEEK_V3, MoeModel, MoeSpeedLimit, gbytes_per_s, moe_speed_limit
from topoctl.metrics.moe_traffic import (
    DEFAULT_ENDPOINTS_PER_NODE,
    DEFAULT_MOE_NODES,
    DEFAULT_MOE_SEED,
    MoeTraffic,
    moe_traffic,
    tree_moe,
)
from topoctl.metrics.results import (
    BoundedFigure,
    FaultAnalysis,
    FaultDomainRow,
    FullAnalysis,
    GraphBisection,
    GraphlessAnalysis,
    MoeFigure,
    MoeReport,
    PathFigures,
    RoutingAnalysis,
    Throughput,
)
from topoctl.metrics.throughput import (
    Figure,
    bisection_bound,
    capped,
    path_length_bound,
    scale_up_caps,
    tree_all_to_all,
    tree_worst_permutation,
)
from topoctl.parallel import SERIAL, Executor
from topoctl.topologies.base import BoundKind, bisection_demand_ports, bisection_ratio

if TYPE_CHECKING:  # numpy stays out of the summaries (design, compare): only graphs and samples need it
    import numpy as np

    from topoctl.design import Design
    from topoctl.metrics.faults import FabricView
    from topoctl.metrics.graph_arrays import GraphArrays

# The exact max-concurrent-flow LP: (one plane's arrays, switch-pair demand in units of r, r, c) -> theta.
FlowSolver = Callable[["GraphArrays", "np.ndarray", float, float], Figure]

__all__ = [
    "AnalysisOptions",
    "FlowSolver",
    "RandomFailureRequest",
    "fault_analysis",
    "summary_throughput",
    "summary_moe",
    "full_moe",
    "summary_lost_ratios",
    "summary_fault_domains",
    "fabric_view",
    "full_analysis",
    "design_moe",
    "moe_report",
]

LP_MAX_SWITCHES = 64  # exact LP per plane: GLOP solves the 50-switch Hoffman-Singleton design in about 4 s
MOE_ECMP_MAX_SOURCES = 1500  # every source switch up to 1,458 (specs/slim-fly-q27.yaml); bounds above
MOE_SUMMARY_METHOD = (
    "not computed: the sampled MoE matrix concentrates traffic, so the all-to-all figure is no guide; "
    "--analysis full evaluates it on the graph"
)


@dataclass(frozen=True)
class AnalysisOptions:
    node_forwarding: bool = False  # multi-plane, one port: forward through a node-mate's NIC (NCCL PXN)
    lp: FlowSolver | None = None  # the exact LP to solve on small designs (optimize.lp.max_concurrent_flow)
    moe_nodes: int = DEFAULT_MOE_NODES  # M: nodes each token's experts span (node-limited routing)
    moe_seed: int = DEFAULT_MOE_SEED  # seed of the sampled MoE destinations
    routing: tuple[str, ...] = ()  # routing models to evaluate per traffic pattern (metrics.routing)


def moe_ports_per_node(topology: Any) -> tuple[int, int, str]:
    """(ports per node in the analysed graph, endpoints per node G, how G was chosen)."""
    g = topology.node_size()
    if g is not None:  # the family's nodes: G*m endpoint ports spread over the P planes
        return g * topology.ports_per_endpoint // topology.num_planes(), g, (
            f"G={g} from {topology.node_size_parameter}, one plane")
    g = DEFAULT_ENDPOINTS_PER_NODE
    return g, g, f"G={g} consecutive endpoints assumed (the family has no node size)"


def _moe_figure(figure: Figure, traffic: MoeTraffic, g: int, note: str) -> MoeFigure:
    method = f"{figure.method}; {traffic.description}; {note}"
    return MoeFigure(figure.value, method, figure.kind, traffic.moe_nodes, g, traffic.seed)


def _tree_moe_figure(
    tree: Any, ports_per_node: int, options: AnalysisOptions, r: float, c: float
) -> tuple[Figure, MoeTraffic]:
    budget.check("moe-sample", tree.counts())  # per-port arrays: refused before they are allocated
    traffic = moe_traffic(tree.endpoints_per_leaf, ports_per_node, options.moe_nodes, options.moe_seed)
    pods = tree.edges_per_pod if tree.tiers == 3 else None
    value = tree_moe(traffic, tree.up, pods, r, c, tree.pod_uplinks if tree.tiers == 3 else None)
    method = "closed form: leaf and pod cuts against the sampled demand, met by even spreading (Leiserson 1985)"
    return Figure(value, method, BoundKind.EXACT), traffic


def scale_up_limits(design: Design) -> dict[str, Figure]:
    """The caps the scale-up domain sets (throughput.scale_up_caps) where traffic between planes must
    cross it: the family models one (``Topology.scale_up_domain``), P > 1 planes, one port per endpoint."""
    topo = design.topology
    domain = topo.scale_up_domain()
    if domain is None or topo.num_planes() < 2 or topo.ports_per_endpoint != 1:
        return {}
    return scale_up_caps(design.counts.num_endpoints, domain.size, topo.num_planes(), domain.gbps_per_endpoint,
                         design.endpoint_speed_gbps)


def capped_moe(entry: MoeFigure, cap: Figure | None) -> MoeFigure:
    """A MoE figure (its value None when not computed) at most ``cap``."""
    if cap is None or entry.value is None or entry.kind is None:
        return entry
    figure = capped(Figure(entry.value, entry.method, entry.kind), cap)
    return replace(entry, value=figure.value, method=figure.method, kind=figure.kind)


def summary_moe(design: Design, options: AnalysisOptions = AnalysisOptions()) -> MoeFigure:
    """Fat trees: the closed form on the sampled MoE matrix (no graph needed). Other families: no value
    (None) until --analysis full evaluates the matrix on the graph."""
    topo = design.topology
    ports_per_node, g, note = moe_ports_per_node(topo)
    tree = topo.tree_plane()
    if tree is None:
        return MoeFigure(None, MOE_SUMMARY_METHOD, None, options.moe_nodes, g, options.moe_seed)
    figure, traffic = _tree_moe_figure(
        tree, ports_per_node, options, design.endpoint_speed_gbps, design.switch.port_speed_gbps
    )
    return _moe_figure(figure, traffic, g, note)


def summary_throughput(design: Design, options: AnalysisOptions = AnalysisOptions()) -> Throughput:
    """Closed forms for fat trees (per plane for multi-plane), bounds for the other families."""
    all_to_all, permutation = _closed_form_throughput(design)
    caps = scale_up_limits(design)
    return Throughput(capped(all_to_all, caps.get("all_to_all")), capped(permutation, caps.get("permutation")),
                      capped_moe(summary_moe(design, options), caps.get("moe")))


def _closed_form_throughput(design: Design) -> tuple[Figure, Figure]:
    """All-to-all and permutation throughput without the graph: (all-to-all, permutation)."""
    topo = design.topology
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps
    tree = topo.tree_plane()
    if tree is not None:
        budget.check("moe-sample", tree.counts())  # before the per-leaf closed forms, so a refusal is instant
        pods = tree.edges_per_pod if tree.tiers == 3 else None
        all_to_all = tree_all_to_all(tree.endpoints_per_leaf, tree.up, pods, r, c,
                                     tree.pod_uplinks if tree.tiers == 3 else None)
        permutation = tree_worst_permutation(tree.endpoints_per_leaf[0], tree.up, r, c)
    else:
        counts = design.counts
        family = family_upper_bound(design)  # a balanced partition's cut, so a valid bound
        bounds = [] if family is None else [bisection_bound(counts.num_endpoints, family[0], r, c)]
        mean_hops = topo.mean_hops()
        if mean_hops is not None:
            bounds.append(path_length_bound(counts.num_endpoints, counts.num_switch_links, mean_hops, r, c))
        # with no cut and no mean hops, the trivial bound theta <= 1
        trivial = Figure(1.0, "no bound without the graph: the family has no explicit cut", BoundKind.UPPER_BOUND)
        all_to_all = min(bounds, key=lambda f: f.value) if bounds else trivial
        permutation = all_to_all
    return all_to_all, permutation


def full_moe(design: Design, arrays: Any, options: AnalysisOptions, side: np.ndarray, cut_cables: float) -> MoeFigure:
    """The sampled MoE matrix on the analysed graph (one plane for multi-plane designs): the exact LP
    on request for small graphs; the fat-tree closed form; else the ECMP estimate from every source
    switch up to MOE_ECMP_MAX_SOURCES, and above that the tighter of two bounds, the explicit cut
    ``side`` (cut_cables cables) against the demand crossing it in either direction, and the ingress
    cap of the receiving ports."""
    import numpy as np

    from topoctl.metrics.throughput import ecmp_demand, group_partial_load

    topo = design.topology
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps
    ports_per_node, g, note = moe_ports_per_node(topo)
    traffic = moe_traffic(arrays.endpoints, ports_per_node, options.moe_nodes, options.moe_seed)
    network = traffic.network_demand()
    tree = topo.tree_plane()
    if options.lp is not None and arrays.num_switches <= LP_MAX_SWITCHES:
        lp = options.lp(arrays, network.toarray(), r, c)
        figure = Figure(
            min(lp.value, traffic.ingress_cap), lp.method + ", capped at the receiving ports' line rate", lp.kind
        )
    elif tree is not None:
        figure, _ = _tree_moe_figure(tree, ports_per_node, options, r, c)
    elif int((np.diff(network.indptr) > 0).sum()) <= MOE_ECMP_MAX_SOURCES:
        ecmp = ecmp_demand(arrays, network, r, c, "MoE")
        figure = Figure(min(ecmp.value, traffic.ingress_cap), ecmp.method, ecmp.kind)
    else:
        a_to_b = float(network[side][:, ~side].sum())
        b_to_a = float(network[~side][:, side].sum())
        crossing = max(a_to_b, b_to_a)
        value = traffic.ingress_cap if crossing == 0 else min(traffic.ingress_cap, cut_cables * c / (r * crossing))
        method = (
            f"bound: the METIS bisection ({cut_cables:g} cables) against the MoE demand crossing it "
            f"(ECMP from every source skipped: more than {MOE_ECMP_MAX_SOURCES} source switches)"
        )
        if arrays.pod_kind == "group" and (arrays.pods >= 0).all():
            # the pairs touching one whole group already load some cable this much under ECMP
            partial = group_partial_load(arrays, network, int(arrays.pods[0]))
            if partial > 0 and c / (r * partial) < value:
                value = c / (r * partial)
                method = (
                    f"bound: ECMP even split over shortest paths reaches at most this; the MoE pairs touching "
                    f"group {int(arrays.pods[0])} alone load a cable {partial:.6g} x line rate (exact, every "
                    f"switch of the group a source); the METIS bisection allows "
                    f"{min(1.0, cut_cables * c / (r * crossing)) if crossing else 1.0:.6g}"
                )
        figure = Figure(min(1.0, value), method, BoundKind.UPPER_BOUND)
    return _moe_figure(figure, traffic, g, note)


def summary_lost_ratios(design: Design) -> tuple[dict[str, float], str]:
    """Share of the bisection one component of each class carries (the worst of its class), with the
    method: the family's closed forms on its cut where they hold (Topology.bisection_shares; an
    endpoint port none), and 1/count (1/B for one cable of a B-cable cut) as an estimate elsewhere."""
    topo = design.topology
    endpoint_link = design.endpoint_speed_gbps / design.switch.port_speed_gbps
    shares = {"endpoint port": (0.0, True), **topo.bisection_shares(endpoint_link)}
    cut = topo.bisection(endpoint_link).links
    ratios: dict[str, float] = {}
    estimated: list[str] = []
    for domain in topo.fault_domains():
        if domain.component in shares:
            value, exact = shares[domain.component]
        else:
            value, exact = (
                (1 / cut if cut else 0.0)
                if "link" in domain.component
                else (1 / domain.count if domain.count else 0.0)
            ), False
        ratios[domain.component] = value
        if not exact:
            estimated.append(domain.component)
    method = "closed form; bisection_lost_ratio: share of the family's bisection cut the worst component carries"
    if estimated:
        method += f" (exact by symmetry, except {', '.join(estimated)}: 1/count, estimate)"
    else:
        method += " (exact by symmetry)"
    return ratios, method + "; graph: --analysis full"


def summary_fault_domains(design: Design) -> tuple[tuple[FaultDomainRow, ...], str]:
    """The family's closed-form fault domains, each with the bisection share of summary_lost_ratios,
    and the method."""
    lost_ratios, method = summary_lost_ratios(design)
    domains = tuple(
        FaultDomainRow(d.component, d.count, d.endpoints_disconnected, d.endpoints_degraded,
                       lost_ratios.get(d.component, 0.0))
        for d in design.topology.fault_domains()
    )
    return domains, method


def fabric_view(design: Design, options: AnalysisOptions) -> FabricView:
    """The graph analysed: one plane of a multi-plane fat tree, otherwise the whole design."""
    from topoctl.metrics.faults import FabricView

    topo = design.topology
    plane = topo.analysed_plane()
    forwarding = options.node_forwarding and plane is not topo  # through a node-mate's NIC in another plane
    return FabricView(plane.build(), topo.num_planes(), topo.ports_per_endpoint, forwarding)


def _bfs_sources(topology: Any) -> int:
    """Whole-graph BFS passes of the graph metrics (the budget's sweeps): from every switch up to
    paths.MAX_EXACT_SOURCES, else from a sample, or from every switch of a few whole groups
    (throughput._group_busiest_cable)."""
    from topoctl.metrics.paths import MAX_EXACT_SOURCES, SAMPLED_SOURCES
    from topoctl.metrics.throughput import PARTNER_GROUPS, SEED_GROUPS

    switches = topology.counts().num_switches
    if switches <= MAX_EXACT_SOURCES:
        return switches
    group = topology.switches_per_group()
    if group is not None:
        return max(SAMPLED_SOURCES, (SEED_GROUPS + PARTNER_GROUPS) * group)
    return SAMPLED_SOURCES


def _racks_swept(design: Design) -> int:
    """Racks rack_fault removes one at a time, at most: the network racks (switches stand apart from the
    nodes in the default layout) and its sample of compute racks."""
    from topoctl.metrics.rack_faults import MAX_NODE_RACKS
    from topoctl.physical.layout import rack_plan

    counts = design.counts
    racks = rack_plan(counts.num_endpoints, design.topology.node_size() or 1, design.switches_by_model)
    return racks.num_switch_racks + MAX_NODE_RACKS


def design_moe(design: Design, all_to_all: float, gpu_bandwidth_gbytes_per_s: float | None = None,
               model: MoeModel = DEEPSEEK_V3) -> MoeSpeedLimit:
    """The MoE speed limit at the design's per-GPU bandwidth times its all-to-all throughput, or at an
    explicit bandwidth."""
    if gpu_bandwidth_gbytes_per_s is None:
        gpu = gbytes_per_s(design.endpoint_bandwidth_gbps) * all_to_all
        source = f"design: {design.endpoint_bandwidth_gbps:g} Gb/s per GPU x all-to-all throughput {all_to_all:.6g}"
    else:
        gpu = gpu_bandwidth_gbytes_per_s
        source = "given"
    return replace(moe_speed_limit(gpu, model), gpu_bandwidth_source=source)


def family_upper_bound(design: Design) -> tuple[float, str] | None:
    """The family's closed-form cut as an upper bound on the endpoint-balanced bisection, in cables
    (endpoint links at r/c: the families count the endpoints they place across a cut), or None when
    the family has no explicit partition."""
    cut = design.topology.bisection(design.endpoint_speed_gbps / design.switch.port_speed_gbps)
    if cut.kind not in (BoundKind.EXACT, BoundKind.UPPER_BOUND):
        return None
    return cut.links, cut.method


def bisection_interval(design: Design, arrays: Any, planes: int) -> tuple[GraphBisection, int, np.ndarray, float]:
    """The bisection interval of ``--analysis full`` from one plane's graph ``arrays``, in cables with
    an endpoint link at r/c (see topoctl.metrics.bisection): (the report, the METIS switch partition's
    cut cables and side, the plane's upper bound). Upper: the least of the family's cut
    (family_upper_bound), the METIS partition completed by placing its leftover endpoints across, and
    every switch on one side with floor(W/2) endpoints across. Lower: the family's proven closed form
    where it has one, which counts cuts through endpoint links (``Bisection.proven``: exact for the
    tree families, a congestion bound for the grouped one), dropped if an explicit cut refutes it,
    else the proven spectral bound. ``exact`` when the two meet."""
    from topoctl.metrics.bisection import balanced_upper_bound, metis_bisection, spectral_bound

    c = design.switch.port_speed_gbps
    endpoint_link = design.endpoint_speed_gbps / c  # an endpoint link, in cables
    metis_cut, metis_side, imbalance = metis_bisection(arrays)
    upper, upper_method, _ = balanced_upper_bound(arrays, metis_cut, imbalance, endpoint_link)
    upper_method += ", summed over planes" if planes > 1 else ""
    family = family_upper_bound(design)
    if family is not None and family[0] / planes <= upper:
        upper, upper_method = family[0] / planes, family[1]
    proven = design.topology.bisection(endpoint_link).proven
    lower: float | None
    if proven is not None:
        lower, lower_method = proven[0] / planes, proven[1]
        if lower > upper * (1 + 1e-9):  # a closed form above an explicit balanced cut is refuted
            lower_method = (
                f"no lower bound: the closed form ({lower * planes:g}: {lower_method}) "
                "exceeds an explicit balanced cut"
            )
            lower = None
    else:
        spectral = spectral_bound(arrays, endpoint_link_cables=endpoint_link)
        lower, lower_method = spectral.links, spectral.method
    demand = bisection_demand_ports(design.counts.num_endpoint_links, design.topology.num_planes())

    def ratio(links: float) -> float:
        return bisection_ratio(links * planes * c, demand, design.endpoint_speed_gbps)

    report = GraphBisection(
        upper_bound_links=upper * planes,
        upper_bound_gbps=upper * planes * c,
        upper_bound_ratio=ratio(upper),
        upper_bound_method=upper_method,
        lower_bound_links=None if lower is None else lower * planes,
        lower_bound_gbps=None if lower is None else lower * planes * c,
        lower_bound_ratio=None if lower is None else ratio(lower),
        lower_bound_method=lower_method,
        exact=lower is not None and abs(upper - lower) <= 1e-9 * max(1.0, upper),
        metis_cut_links=metis_cut * planes,
        metis_imbalance_endpoints=imbalance,
    )
    return report, metis_cut, metis_side, upper


def full_analysis(design: Design, options: AnalysisOptions = AnalysisOptions()) -> FullAnalysis | GraphlessAnalysis:
    """Graph-based figures for one design (see the module docstring)."""
    from topoctl.metrics.faults import fault_table
    from topoctl.metrics.paths import path_diversity, path_stats
    from topoctl.metrics.throughput import all_to_all_demand, ecmp_all_to_all

    topo = design.topology
    if not topo.constructible:
        summary = summary_throughput(design, options)
        note = f"no graph: {topo.not_constructible_reason()}; closed forms and bounds only"
        return GraphlessAnalysis(note, summary, design_moe(design, summary.all_to_all.value))
    analysed = topo.analysed_plane()
    sweeps = _bfs_sources(analysed)
    if options.routing:  # minimal and both Valiant legs of each traffic pattern sweep the sources again
        sweeps *= 1 + ROUTING_SWEEPS * len(ROUTING_CAPS)
    budget.check("analysis", analysed.counts(), sweeps=sweeps)
    view = fabric_view(design, options)
    arrays, planes = view.plane, view.num_planes
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps

    # Bisection: the interval on one plane, times the planes.
    bisection, metis_cut, metis_side, upper = bisection_interval(design, arrays, planes)

    stats = path_stats(arrays)
    diversity = path_diversity(arrays)
    paths = PathFigures(
        mean_hops=stats.mean_hops,
        diameter_hops=stats.diameter_hops,
        method=stats.method + (" (one plane)" if planes > 1 else ""),
        unreachable_pairs_ratio=stats.unreachable_pairs_ratio,
        shortest_paths_min=diversity.shortest_paths_min,
        shortest_paths_median=diversity.shortest_paths_median,
        edge_disjoint_paths_min=diversity.edge_disjoint_paths_min,
        edge_disjoint_paths_median=diversity.edge_disjoint_paths_median,
        diversity_method=diversity.method,
    )

    # Throughput: closed forms for fat trees; estimate and bounds for the rest; exact LP on request.
    closed_forms = _closed_form_throughput(design) if topo.tree_plane() is not None else None
    plane_endpoints = arrays.num_endpoints
    bounds = [
        path_length_bound(plane_endpoints, arrays.num_cables, stats.mean_hops, r, c),
        bisection_bound(plane_endpoints, upper, r, c),
    ]
    bound = min(bounds, key=lambda f: f.value)
    all_to_all = closed_forms[0] if closed_forms is not None else ecmp_all_to_all(arrays, r, c)
    lp_note = None
    if options.lp is not None and arrays.num_switches <= LP_MAX_SWITCHES:
        all_to_all = options.lp(arrays, all_to_all_demand(arrays), r, c)
    elif options.lp is not None:
        lp_note = f"exact LP skipped: {arrays.num_switches} switches per plane exceed {LP_MAX_SWITCHES}"
    caps = scale_up_limits(design)
    all_to_all = capped(all_to_all, caps.get("all_to_all"))
    if stats.method.startswith("sampled") and bound is bounds[0]:
        bound = replace(bound, method=bound.method + " (mean hops sampled)")
    permutation = (
        closed_forms[1]
        if closed_forms is not None
        else replace(bounds[0], method="bound: random permutation, " + bounds[0].method.removeprefix("bound: "))
    )
    permutation = capped(permutation, caps.get("permutation"))
    throughput = Throughput(
        BoundedFigure(all_to_all, bound, lp_note),
        permutation,
        capped_moe(full_moe(design, arrays, options, metis_side.astype(bool), metis_cut), caps.get("moe")),
    )
    faults = tuple(FaultDomainRow.from_fault(entry) for entry in fault_table(view, (metis_cut, metis_side)))
    if view.node_forwarding and view.num_planes > 1 and view.ports_per_endpoint == 1:
        pxn = "; assumes node-local forwarding to a node-mate's NIC (PXN)"
        faults = tuple(replace(entry, method=f"{entry.method}{pxn}") for entry in faults)
    moe = design_moe(design, all_to_all.value)
    routing = None
    if options.routing:
        exact_hops = analysed.mean_hops()  # the family's closed form (the graph's figure is rounded or sampled)
        cut = bisection_bound(plane_endpoints, upper, r, c)  # the analysed bisection's explicit cut
        routing = routing_analysis(design, view, options, metis_side.astype(bool), exact_hops, closed_forms, cut)
    return FullAnalysis(view.node_forwarding, bisection, paths, throughput, faults, moe, routing)


ROUTING_CAPS = {"uniform": "all_to_all", "shift": "permutation", "bit_reverse": "permutation", "moe": "moe"}
ROUTING_SWEEPS = 3  # per traffic pattern: minimal, Valiant's two legs (the budget's estimate of --routing)


def routing_analysis(design: Design, view: FabricView, options: AnalysisOptions, side: np.ndarray,
                     mean_hops_exact: float | None, closed_forms: tuple[Figure, Figure] | None,
                     uniform_upper: Figure | None = None) -> RoutingAnalysis:
    """Throughput under each routing of ``options.routing`` and each traffic pattern on the analysed
    graph (topoctl.metrics.routing), the family's facts through its Topology hooks (Valiant groups and
    intermediates, rotation, closed-form routing, cabling). Multi-plane designs with one port per endpoint:
    the pattern among one plane's endpoints, which is what each plane carries when traffic between planes
    is forwarded inside the node (PXN); with --node-forwarding the scale-up caps apply, without it the
    notes say that a one-port endpoint reaches only its own plane."""
    from topoctl.metrics.results import PATTERNS, RoutingFigure
    from topoctl.metrics.routing import RoutingContext, make_traffic, routing_figures

    topo = design.topology
    plane = topo.analysed_plane()
    arrays = view.plane
    r, c = design.endpoint_speed_gbps, design.switch.port_speed_gbps
    ports_per_node, g, _ = moe_ports_per_node(topo)
    moe = moe_traffic(arrays.endpoints.tolist(), ports_per_node, options.moe_nodes, options.moe_seed)
    exact_moe = None
    tree = topo.tree_plane()
    if tree is not None:
        exact_moe, _ = _tree_moe_figure(tree, ports_per_node, options, r, c)
    groups = plane.valiant_groups(arrays)
    ctx = RoutingContext(
        arrays, r, c, plane.valiant_weights(arrays), groups, plane.switch_rotation(), plane.congestion(),
        mean_hops_exact, side, closed_forms[0] if closed_forms is not None else None, exact_moe, uniform_upper,
    )
    notes = []
    cabling = plane.cabling_note()
    if cabling:
        notes.append(cabling)
    caps: dict[str, Figure] = {}
    one_port_planes = topo.num_planes() > 1 and topo.ports_per_endpoint == 1
    if one_port_planes and view.node_forwarding:
        caps = scale_up_limits(design)
        notes.append("multi-plane, one port per endpoint, node-local forwarding (PXN): traffic between planes is "
                     "forwarded inside the node to the destination's plane, so each plane carries the pattern "
                     "among its own endpoints (the figures, one plane)"
                     + ("; capped by the scale-up domain" if caps else "; the forwarding itself taken as free"))
    elif one_port_planes:
        notes.append(f"multi-plane, one port per endpoint, no node-local forwarding: an endpoint reaches only its "
                     f"own plane, so {topo.num_planes() - 1} of {topo.num_planes()} destinations of uniform "
                     "traffic are unreachable; the figures are for the pattern within one plane "
                     "(--node-forwarding: with PXN)")
    elif topo.num_planes() > 1:
        notes.append(f"multi-plane, {topo.ports_per_endpoint} ports per endpoint: traffic spread over the planes, "
                     "each carrying the pattern (one plane analysed)")
    descriptions: dict[str, str] = {}
    figures: dict[str, dict[str, RoutingFigure]] = {}
    for pattern in PATTERNS:
        traffic = make_traffic(pattern, arrays, groups, moe)
        descriptions[pattern] = traffic.description
        by_routing = routing_figures(ctx, traffic, options.routing)
        cap = caps.get(ROUTING_CAPS[pattern])
        if cap is not None:
            by_routing = {name: _capped_routing(fig, cap) for name, fig in by_routing.items()}
        figures[pattern] = by_routing
    return RoutingAnalysis(tuple(options.routing), descriptions, figures, tuple(notes))


def _capped_routing(figure: Any, cap: Figure) -> Any:
    """A routing figure at most ``cap`` (a bound from outside the switch graph)."""
    if figure.value <= cap.value and (figure.upper is None or figure.upper <= cap.value):
        return figure
    lower = None if figure.lower is None else min(figure.lower, cap.value)
    upper = cap.value if figure.upper is None else min(figure.upper, cap.value)
    kind = cap.kind if figure.value > cap.value else figure.kind
    return replace(figure, value=min(figure.value, cap.value), lower=lower,
                   upper=upper if figure.interval else None,
                   kind=kind, method=f"{figure.method}; at most {cap.value:.6g} by {cap.method}")


def moe_report(design: Design, options: AnalysisOptions = AnalysisOptions(), *, full: bool = False,
               gpu_bandwidth_gbytes_per_s: float | None = None, model: MoeModel = DEEPSEEK_V3) -> MoeReport:
    """`topoctl moe` for one design: the speed limit at its bandwidth times its all-to-all throughput
    (closed form, or from the graph with ``full``), or at the given bandwidth, and the throughputs used."""
    throughput = full_analysis(design, options).throughput if full else summary_throughput(design, options)
    limit = design_moe(design, throughput.all_to_all.value, gpu_bandwidth_gbytes_per_s, model)
    return MoeReport(design.name, limit, throughput.all_to_all, throughput.moe)


@dataclass(frozen=True)
class RandomFailureRequest:
    """Independent failures of a share of the cables and of the switches, over seeded trials."""

    link_ratio: float
    switch_ratio: float
    trials: int
    seed: int


def fault_analysis(
    design: Design,
    node_forwarding: bool = False,
    random: RandomFailureRequest | None = None,
    progress: Callable[[int], None] | None = None,
    executor: Executor | None = None,
) -> FaultAnalysis:
    """`topoctl faults`: every fault class removed on the graph (racks from the default layout), and
    with ``random`` the random-failure percentiles, the trials run on ``executor`` (topoctl.parallel; default
    this process); closed forms only for a design with no graph."""
    from topoctl.metrics.faults import fault_table
    from topoctl.metrics.rack_faults import rack_fault

    topology = design.topology
    if not topology.constructible:
        note = f"no graph: {topology.not_constructible_reason()}; closed-form fault domains only"
        return FaultAnalysis(design.name, design.variant, summary_fault_domains(design)[0], note=note)
    counts = design.counts
    cost = budget.estimate("faults", counts, sweeps=_racks_swept(design))
    if random is not None:
        cost += budget.estimate("failure-trial", counts, repeats=random.trials)
    budget.check_estimate(cost)
    view = fabric_view(design, AnalysisOptions(node_forwarding=node_forwarding))
    rows = [*fault_table(view), rack_fault(design, node_forwarding)]
    trials = None
    if random is not None:
        from topoctl.metrics.random_failures import random_failures

        trials = random_failures(view, random.link_ratio, random.switch_ratio, random.trials, random.seed, progress,
                                 executor or SERIAL)
    return FaultAnalysis(design.name, design.variant, tuple(FaultDomainRow.from_fault(row) for row in rows),
                         node_forwarding=node_forwarding, random_failures=trials)
