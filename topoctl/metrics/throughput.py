"""Throughput under traffic patterns, as the fraction theta of endpoint line rate every endpoint can
send at concurrently. Every figure is labelled exact, closed form, bound or estimate.

Symbols: W endpoint ports, r endpoint line rate (Gb/s), c cable rate (Gb/s), L switch-to-switch cables
(full duplex), h mean switch hops between endpoints, B cables across a balanced cut.
- Fat trees, uniform all-to-all (closed form): every leaf sends e*theta*r*(W-e)/(W-1) over its u
  uplinks, every pod likewise over its aggregation uplinks; even spreading over the upper tier (as
  ECMP or packet spraying does) meets the tightest of these cuts, so
  theta = min(1, min over leaves and pods of capacity_up * (W-1) / (e * r * (W-e)))  (Leiserson 1985).
- Path-length bound (Jyothi et al., "Measuring and understanding throughput of network topologies",
  SC 2016; TopoBench): the 2L directed cables carry all traffic for h hops on average:
  theta <= 2 * L * c / (W * r * h).
- Bisection bound: all-to-all sends floor(W/2) * ceil(W/2) * theta * r/(W-1) across a cut with
  floor(W/2) and ceil(W/2) endpoints on its sides in each direction, so
  theta <= B * c * (W-1) / (floor(W/2) * ceil(W/2) * r) (4*B*c*(W-1)/(W^2*r) for even W), B in cables
  with an endpoint link across counting r/c; any explicit balanced cut gives a valid bound.
- ECMP estimate: every endpoint pair's demand split evenly over all shortest paths (Brandes-style
  accumulation on the BFS DAG; parallel cables counted as separate paths); theta = c / (r * max cable
  load). Exact loads from every source up to 1,500 endpoint switches. Larger grouped graphs: every source
  of a few whole groups gives the exact load of all pairs touching those groups on every cable (reversal
  symmetry), a lower bound on the busiest cable's load, so the figure is labelled a bound on ECMP; it
  equals the every-source figure on Table 3's DF design (0.586) and on the small ones tested. Other
  large graphs: an evenly spaced sample of sources, scaled, with the mean load per link group standing
  in for the maximum (exact for link-symmetric designs, an estimate otherwise).
- Permutation: for a random permutation each endpoint sends to one random other endpoint, so the
  path-length bound applies unchanged; on fat trees, a worst-case permutation makes every leaf send all
  its traffic up: theta <= min(1, u * c / (e * r)).
- MoE: the sampled node-limited traffic matrix of topoctl.metrics.moe_traffic, evaluated with the same
  machinery (``ecmp_demand``, the exact LP; the fat-tree closed form is in moe_traffic).
- Scale-up forwarding (``scale_up_caps``): where an endpoint has one port in one of P planes, traffic
  between planes crosses a scale-up domain (NVLink) first, so its bandwidth B per endpoint caps every
  pattern as well as the network (Wang et al., "Rail-only", HotI 2024: cross-rail traffic forwarded in
  the HB domain).
- Exact: maximum concurrent flow as a linear program, opt-in for small graphs: a solver, so it lives in
  topoctl.optimize.lp; ``all_to_all_demand`` gives its all-to-all demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from topoctl.topologies.base import BoundKind

if TYPE_CHECKING:  # numpy and scipy stay out of the import path of the closed forms (design, compare)
    import numpy as np
    import scipy.sparse as sp

    from topoctl.metrics.graph_arrays import GraphArrays

__all__ = [
    "Figure",
    "tree_all_to_all",
    "tree_worst_permutation",
    "path_length_bound",
    "bisection_bound",
    "ecmp_all_to_all",
    "ecmp_demand",
    "group_partial_load",
    "all_to_all_demand",
    "scale_up_caps",
    "capped",
]


@dataclass(frozen=True)
class Figure:
    """A throughput figure (fraction of line rate), how it was obtained, and whether it is the true
    value (EXACT: a closed form or the LP), a bound on it, or an estimate."""

    value: float
    method: str
    kind: BoundKind

    def as_dict(self) -> dict[str, object]:
        return {"value": round(self.value, 6), "method": self.method}


def tree_all_to_all(
    endpoints_per_leaf: list[int], up: int, leaves_per_pod: list[int] | None, endpoint_gbps: float, link_gbps: float,
    pod_uplinks: int | None = None,
) -> Figure:
    """Closed form for a fat tree, a tree plane's leaves and pods (see the module docstring);
    ``leaves_per_pod`` for three tiers, with ``pod_uplinks`` cables leaving each pod (default: its
    leaves' uplinks, L_p*u)."""
    total = sum(endpoints_per_leaf)
    if total < 2:
        return Figure(1.0, "closed form: a single endpoint sends nothing", BoundKind.EXACT)
    theta = 1.0
    for e in endpoints_per_leaf:
        if 0 < e < total:
            theta = min(theta, up * link_gbps * (total - 1) / (e * endpoint_gbps * (total - e)))
    if leaves_per_pod and len(leaves_per_pod) > 1:
        start = 0
        for leaves in leaves_per_pod:
            e = sum(endpoints_per_leaf[start : start + leaves])
            start += leaves
            if 0 < e < total:
                pod_up = leaves * up if pod_uplinks is None else pod_uplinks
                theta = min(theta, pod_up * link_gbps * (total - 1) / (e * endpoint_gbps * (total - e)))
    method = "closed form: uplink cuts of every leaf and pod, met by even spreading (Leiserson 1985)"
    return Figure(theta, method, BoundKind.EXACT)


def tree_worst_permutation(max_endpoints_per_leaf: int, up: int, endpoint_gbps: float, link_gbps: float) -> Figure:
    """Worst-case permutation: a full leaf sends everything up its u uplinks."""
    theta = min(1.0, up * link_gbps / (max_endpoints_per_leaf * endpoint_gbps)) if max_endpoints_per_leaf else 1.0
    method = "closed form: worst-case permutation, leaf uplinks over leaf endpoints (Leiserson 1985)"
    return Figure(theta, method, BoundKind.EXACT)


def path_length_bound(
    num_endpoints: int, num_cables: int, mean_hops: float, endpoint_gbps: float, link_gbps: float
) -> Figure:
    if mean_hops <= 0 or num_endpoints == 0:
        return Figure(1.0, "bound: path length (no switch hops needed)", BoundKind.UPPER_BOUND)
    theta = min(1.0, 2 * num_cables * link_gbps / (num_endpoints * endpoint_gbps * mean_hops))
    return Figure(theta, "bound: path length, 2*L*c / (W*r*h) (Jyothi et al. 2016)", BoundKind.UPPER_BOUND)


def bisection_bound(num_endpoints: int, cut_cables: float, endpoint_gbps: float, link_gbps: float) -> Figure:
    """``cut_cables`` B: the cut of a partition with floor(W/2) and ceil(W/2) endpoints on its sides,
    in cables (an endpoint link across it counts r/c). All-to-all sends floor(W/2)*ceil(W/2) *
    theta*r/(W-1) across it each way, so theta <= B*c*(W-1) / (floor(W/2)*ceil(W/2)*r), which is
    4*B*c*(W-1) / (W^2*r) for even W."""
    w = num_endpoints
    if w < 2:
        return Figure(1.0, "bound: bisection (fewer than two endpoints)", BoundKind.UPPER_BOUND)
    pairs = (w // 2) * (w - w // 2)
    theta = min(1.0, cut_cables * link_gbps * (w - 1) / (pairs * endpoint_gbps))
    return Figure(theta, "bound: bisection, B*c*(W-1) / (floor(W/2)*ceil(W/2)*r)", BoundKind.UPPER_BOUND)


def _ecmp_loads(
    arrays: GraphArrays,
    adj: sp.csr_matrix,
    sources: np.ndarray,
    demand: sp.csr_matrix | None = None,
    dest_masks: np.ndarray | None = None,
    demand_row: Callable[[int], np.ndarray] | None = None,
) -> np.ndarray:
    """Per-cable load (in units of theta*r) on every directed CSR entry, from ``sources``; ``demand``
    (switch x switch, units of r) defaults to uniform all-to-all; ``demand_row`` (source -> demand vector)
    stands in for a demand matrix that is never built (a rank-one one). With ``dest_masks`` (k x
    switches, bool) returns k+1 rows: the load of all the traffic, then of the traffic to each mask's
    switches (the recurrence is linear in the demand, so one BFS serves every split)."""
    import numpy as np

    from topoctl.metrics.paths import bfs_levels, path_counts

    weights = arrays.endpoints.astype(np.float64)
    total = weights.sum()
    rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
    cols = adj.indices
    masks = (
        np.ones((1, adj.shape[0]), dtype=bool)
        if dest_masks is None
        else np.vstack([np.ones(adj.shape[0], bool), dest_masks])
    )
    loads = np.zeros((len(masks), adj.nnz))
    for start in range(0, len(sources), 64):
        batch = sources[start : start + 64]
        dists = bfs_levels(adj, batch)
        for s, dist in zip(batch, dists, strict=True):
            sigma = path_counts(adj, dist)
            if demand_row is not None:
                wanted = np.array(demand_row(int(s)), dtype=np.float64)
            elif demand is None:
                wanted = weights[s] * weights / (total - 1)
            else:
                wanted = demand[s].toarray().ravel()
            wanted[s] = 0.0
            reach = np.isfinite(dist)
            wanted[~reach] = 0.0
            if not wanted.any():
                continue
            split = (masks * wanted).T  # switch x split
            flow = np.zeros_like(split)  # (demand + transit) / sigma, per switch and split
            delta = np.zeros_like(split)
            deepest = int(dist[wanted > 0].max())  # nothing flows beyond the farthest destination
            for level in range(deepest, 0, -1):
                here = dist == level
                flow[here] = (split[here] + delta[here]) / sigma[here, None]
                upstream = dist == level - 1
                delta[upstream] += sigma[upstream, None] * (adj @ np.where(here[:, None], flow, 0.0))[upstream]
            on_dag = np.flatnonzero(dist[cols] == dist[rows] + 1)
            loads[:, on_dag] += sigma[rows[on_dag]] * flow[cols[on_dag]].T
    return loads if dest_masks is not None else loads[0]


SEED_GROUPS = 3  # evenly spaced whole groups whose every switch is a source
PARTNER_GROUPS = 2  # far ends of their busiest global cables, sampled next (about 0.7 s each at 16k switches)


def _reverse_entries(adj: sp.csr_matrix) -> np.ndarray:
    """For each CSR entry (u, v), the index of the entry (v, u) of the symmetric matrix."""
    import numpy as np

    n = adj.shape[0]
    rows = np.repeat(np.arange(n), np.diff(adj.indptr))
    keys = rows * n + adj.indices  # sorted: CSR rows in order, columns sorted within a row
    return np.searchsorted(keys, adj.indices * n + rows)


def _group_busiest_cable(arrays: GraphArrays, adj: sp.csr_matrix) -> tuple[float, list[int]]:
    """A lower bound on the busiest single cable's ECMP all-to-all load in a grouped graph,
    from every source of a few whole groups.

    Shortest paths reversed are shortest paths and all-to-all demand is symmetric, so the loads that
    the sources of group X put on the reversed cables are the loads of the pairs entering X: the sources
    of X alone give, exactly, the load of every endpoint pair with a switch in X (pairs inside X counted
    once), on every cable. With a second group B the pairs touching X or B follow by inclusion-exclusion.
    Both are parts of the true load, so their maximum over cables bounds the busiest cable from below.
    Sampled: SEED_GROUPS evenly spaced groups, then the far ends of their busiest global cables (the pair
    of groups a global cable joins carries nearly all its load; on Table 3's DF design exactly the
    load found with every one of the 16,352 sources, 1.706, in 240 s).
    Returns (the bound, the groups sampled)."""
    vector, groups = group_partial_loads(arrays, adj)
    return float(vector.max()), groups


def group_partial_loads(arrays: GraphArrays, adj: sp.csr_matrix) -> tuple[np.ndarray, list[int]]:
    """``_group_busiest_cable``'s partial loads as a vector over the directed CSR entries: on every cable,
    the most load found among the pair sets sampled, each of them part of the ECMP all-to-all load, so
    the vector is at most the true load cable by cable. Returns (the vector, the groups sampled)."""
    import numpy as np

    group_ids = np.unique(arrays.pods[arrays.pods >= 0])
    g = len(group_ids)
    rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
    cols = adj.indices
    rev = _reverse_entries(adj)
    seeds = group_ids[np.unique(np.linspace(0, g - 1, min(SEED_GROUPS, g)).round().astype(np.int64))]
    best = np.zeros(adj.nnz)
    own: dict[int, np.ndarray] = {}
    for grp in seeds:
        mask = arrays.pods == grp
        loads = _ecmp_loads(arrays, adj, np.flatnonzero(mask), dest_masks=mask[None, :])
        own[int(grp)] = loads[0] + loads[0][rev] - loads[1][rev]
        best = np.maximum(best, own[int(grp)])
    # partners: the far groups of the busiest global cables found so far
    candidates = []
    for grp, part in own.items():
        leaving = np.flatnonzero((arrays.pods[rows] == grp) & (arrays.pods[cols] != grp))
        for entry in leaving[np.argsort(-part[leaving], kind="stable")][:PARTNER_GROUPS]:
            candidates.append((-float(part[entry]), int(arrays.pods[cols[entry]]), grp))
    partners: list[tuple[int, int]] = []
    for _, far, near in sorted(candidates):
        if far not in own and far not in [p for p, _ in partners]:
            partners.append((far, near))
        if len(partners) == PARTNER_GROUPS:
            break
    for far, near in partners:
        mask_far, mask_near = arrays.pods == far, arrays.pods == near
        loads = _ecmp_loads(arrays, adj, np.flatnonzero(mask_far), dest_masks=np.array([mask_near, mask_far]))
        own_far = loads[0] + loads[0][rev] - loads[2][rev]
        shared = loads[1] + loads[1][rev]  # pairs between the two groups, in both counts
        best = np.maximum(best, own[near] + own_far - shared)
    return best, [int(x) for x in seeds] + [far for far, _ in partners]


def group_partial_load(arrays: GraphArrays, demand: sp.csr_matrix, group: int) -> float:
    """A lower bound on the busiest cable's ECMP load under ``demand`` (switch x switch, units of r,
    not necessarily symmetric): the exact load of the pairs with a switch in ``group``. Sources in the
    group with the demand give the pairs leaving it; sources in the group with the transposed demand,
    read on the reversed cables, the pairs entering it (reversed shortest paths are shortest, split
    the same way); pairs inside the group are subtracted once."""
    return float(group_partial_vector(arrays, demand, group).max())


def group_partial_vector(arrays: GraphArrays, demand: sp.csr_matrix, group: int) -> np.ndarray:
    """``group_partial_load`` cable by cable: the exact ECMP load of the pairs with a switch in ``group``
    on every directed CSR entry, at most the load of the whole demand there."""
    import numpy as np

    adj = arrays.adjacency()
    mask = arrays.pods == group
    members = np.flatnonzero(mask)
    rev = _reverse_entries(adj)
    leaving = _ecmp_loads(arrays, adj, members, demand, dest_masks=mask[None, :])
    entering = _ecmp_loads(arrays, adj, members, demand.T.tocsr())
    return np.asarray(leaving[0] + entering[rev] - leaving[1])


def ecmp_all_to_all(
    arrays: GraphArrays, endpoint_gbps: float, link_gbps: float, sample_limit: int | None = None
) -> Figure:
    """Estimate of uniform all-to-all throughput under even splitting over shortest paths."""

    from topoctl.metrics.paths import source_sample

    adj = arrays.adjacency()
    if arrays.num_endpoints < 2 or adj.nnz == 0:
        return Figure(1.0, "estimate: no switch-to-switch traffic", BoundKind.ESTIMATE)
    sources, exact = source_sample(arrays) if sample_limit is None else source_sample(arrays, sample_limit)
    if not exact and arrays.pod_kind == "group" and (arrays.pods >= 0).all():
        busiest, groups = _group_busiest_cable(arrays, adj)
        method = (
            "bound: ECMP even split over shortest paths reaches at most this; busiest single cable's load "
            f"bounded from below by the exact load of the pairs touching whole groups {', '.join(map(str, groups))} "
            "(every switch of them a source)"
        )
        theta = min(1.0, link_gbps / (endpoint_gbps * busiest)) if busiest > 0 else 1.0
        return Figure(theta, method, BoundKind.UPPER_BOUND)
    loads = _ecmp_loads(arrays, adj, sources)
    if exact:
        worst = float(loads.max())
        method = "estimate: ECMP even split over shortest paths, max cable load, every source"
    else:
        weights = arrays.endpoints
        loads *= weights.sum() / weights[sources].sum()
        _, _, _, bundle = arrays._csr_template  # CSR entry -> bundle, same order as adj
        groups = arrays.edge_groups[bundle]
        worst = 0.0
        for group in dict.fromkeys(arrays.edge_groups.tolist()):
            mask = groups == group
            worst = max(worst, float(loads[mask].sum() / (adj.data[mask]).sum()))
        method = (
            f"estimate: ECMP even split over shortest paths, {len(sources)} sampled sources, "
            "mean cable load of the busiest link group (the busiest single cable may carry more)"
        )
    if worst <= 0:
        return Figure(1.0, method, BoundKind.ESTIMATE)
    return Figure(min(1.0, link_gbps / (endpoint_gbps * worst)), method, BoundKind.ESTIMATE)


def ecmp_demand(
    arrays: GraphArrays, demand: sp.csr_matrix, endpoint_gbps: float, link_gbps: float, pattern: str
) -> Figure:
    """ECMP estimate for an arbitrary switch-pair demand (units of r): loads from every source switch
    with demand, theta = c / (r * max cable load). Callers bound the number of sources."""
    import numpy as np

    adj = arrays.adjacency()
    sources = np.flatnonzero(np.diff(demand.indptr) > 0)
    method = f"estimate: ECMP even split over shortest paths, max cable load, every source ({pattern})"
    if len(sources) == 0 or adj.nnz == 0:
        return Figure(1.0, method, BoundKind.ESTIMATE)
    worst = float(_ecmp_loads(arrays, adj, sources, demand).max())
    if worst <= 0:
        return Figure(1.0, method, BoundKind.ESTIMATE)
    return Figure(min(1.0, link_gbps / (endpoint_gbps * worst)), method, BoundKind.ESTIMATE)


def all_to_all_demand(arrays: GraphArrays) -> np.ndarray:
    """Switch-pair demand of uniform all-to-all, in units of r: e_s * e_t / (W - 1), s != t."""
    import numpy as np

    e = arrays.endpoints.astype(np.float64)
    demand = np.outer(e, e) / (e.sum() - 1)
    np.fill_diagonal(demand, 0.0)
    return demand


def scale_up_caps(num_endpoints: int, domain: int, planes: int, scale_up_gbps: float,
                  endpoint_gbps: float) -> dict[str, Figure]:
    """Caps on theta where traffic between planes is forwarded inside scale-up domains: N endpoints with
    one port each in one of P planes, domains of K endpoints (K/P in each plane), B = ``scale_up_gbps``
    per endpoint each direction, r the endpoint line rate (Wang et al., "Rail-only", HotI 2024: a
    cross-rail flow takes one NVLink hop to the domain-mate on the destination's rail, then that rail).
    - all-to-all: an endpoint sends theta*r/(N-1) to every other; what goes to its K-1 domain-mates and
      to the (N-K)(1-1/P) endpoints of other domains in other planes needs a scale-up hop, a share
      s = ((K-1) + (N-K)(1-1/P))/(N-1) of all traffic, over N scale-up ports of B each, so theta <= B/(r*s)
      whatever the routing; forwarding at the source (the hop before the rail) meets it, every port
      carrying the same share. For P = K (one endpoint per plane and domain) s = N(K-1)/(K(N-1)).
    - permutation, worst case: every flow changes planes, so each needs a scale-up hop: theta <= B/r.
      B/(2r) is always reached: colour the domain-to-domain flow multigraph (bipartite, K flows out of
      and into every domain) with K colours (Koenig 1916); a flow of colour x leaves by its source
      domain's port x and enters by its destination domain's port x (both in plane x mod P), so every
      network port carries one flow each way and every scale-up port at most two.
    - MoE, node-limited dispatch (DeepSeek-V3 Section 2.3.2; one copy per destination domain, sent from
      the sender's own plane to the same-index endpoint there): the copy continues over the scale-up
      domain unless the receiving endpoint holds the expert (1/K of the time, experts spread evenly), so
      the expected scale-up load is (K-1)/K of what arrives: theta <= B*K/(r*(K-1)).
    Empty when nothing crosses a scale-up domain (K = 1)."""
    n, k, p, b, r = num_endpoints, domain, planes, scale_up_gbps, endpoint_gbps
    if k < 2 or n < 2:
        return {}
    share = ((k - 1) + (n - k) * (1 - 1 / p)) / (n - 1)
    where = f"scale-up domains of {k} endpoints at {b:g} Gb/s each way per endpoint, {p} planes"
    return {
        "all_to_all": Figure(min(1.0, b / (r * share)), "bound: scale-up forwarding, B/(r*s), "
                             f"s = ((K-1) + (N-K)(1-1/P))/(N-1) ({where}; Wang et al. 2024)", BoundKind.UPPER_BOUND),
        "permutation": Figure(min(1.0, b / r), "bound: scale-up forwarding, B/r, every flow of the worst "
                              f"permutation changing planes ({where}; B/(2r) reached by Koenig edge colouring)",
                              BoundKind.UPPER_BOUND),
        "moe": Figure(min(1.0, b * k / (r * (k - 1))),
                      f"bound: scale-up fan-out at the destination, B*K/(r*(K-1)), expected load ({where})",
                      BoundKind.UPPER_BOUND),
    }


def capped(figure: Figure, cap: Figure | None) -> Figure:
    """``figure`` at most ``cap`` (a bound from outside the switch graph), its method naming the cap."""
    if cap is None or cap.method in figure.method:
        return figure
    kind = figure.kind if figure.value <= cap.value else cap.kind  # the cap binds: it is the figure now
    return Figure(min(figure.value, cap.value), f"{figure.method}; at most {cap.value:.6g} by {cap.method}", kind)
