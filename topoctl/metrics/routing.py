"""Throughput by routing: one figure per routing model and traffic pattern, each with its kind and method.

theta is the fraction of endpoint line rate r that every sending endpoint reaches at once; loads are per
directed cable bundle (a CSR entry of the switch graph), in units of theta*r, against a capacity of
count x c / r (c the cable rate).

Routing models (the figure's method names the model):
- ``minimal``: ECMP, every switch pair's demand split evenly over all its shortest paths (parallel cables
  counted as separate paths; Brandes-style accumulation on the BFS DAG, topoctl.metrics.throughput).
- ``valiant``: Valiant and Brebner, "Universal schemes for parallel communication", STOC 1981; Kim,
  Dally, Scott, Abts, ISCA 2008 for grouped networks. Traffic between two switches goes minimally (ECMP)
  to a random intermediate switch, then minimally on to its destination. The intermediate is drawn
  from ``Topology.valiant_weights`` (a random group, then a random top-tier switch of it). Linear in the
  demand: with R and C the demand's row and column sums and w the intermediate distribution, the loads
  are ECMP(R w^T) plus ECMP(C w^T) read on the reversed cables (a shortest path reversed is one).
- ``adaptive``: UGAL-style (Singh, "Load-balanced routing in interconnection networks", PhD thesis,
  Stanford 2005; Kim et al. 2008), as a flow-level approximation: every flow takes its minimal route with
  one probability alpha and its Valiant route otherwise, alpha chosen to minimise the busiest cable, the
  equilibrium UGAL's per-packet comparison of queue loads drives towards when flows see the same
  congestion. theta = max a + b subject to a*L_min + b*L_val <= capacity (a two-variable LP). Per-flow
  choices differing between flows (a UGAL that diverts only the flows whose minimal route is congested)
  can do better on uneven patterns; the figure never exceeds ``ideal`` and is at least the better of the
  other two.
- ``ideal``: maximum concurrent flow over all paths (Shahrokhi and Matula 1990). Exact as an LP (scipy's
  HiGHS, source-aggregated edge flows) on small graphs. Larger: an interval by column generation over
  whole routings (Dantzig-Wolfe): the master LP mixes routings (minimal, Valiant, then shortest-path
  routings under lengths exponential in the current mix's cable utilisation, the multiplicative weights
  of Garg and Koenemann 1998 and Fleischer 2000); its value is a feasible flow (the lower end). Every
  length function y gives the upper end sum_e cap_e*y_e / sum_st d_st*dist_y(s, t) (LP duality; unit
  lengths give the path-length bound of Jyothi et al., SC 2016). Past the all-source size, the lower end
  is the best exact routing figure or the family's closed-form routing (``Topology.congestion``) and the
  upper end the tighter of the cut bound on the analysed bisection and the path-length bound.

Traffic patterns (endpoint ports numbered consecutively over the switches in build order):
- ``uniform``: all-to-all, every endpoint sends theta*r/(W-1) to every other.
- ``shift``: adversarial shift: endpoint i sends to endpoint i + S (mod W), S the endpoints of one group
  (``Topology.valiant_groups``: every group sends everything to the next one, the worst case of minimal
  routing in Kim et al. 2008), or W/2 without groups.
- ``bit_reverse``: endpoint i < 2^b (b = floor(log2 W)) sends to the endpoint whose b-bit index is i's
  reversed (Dally and Towles, "Principles and Practices of Interconnection Networks", 2004, Section 3.2);
  the rest send nothing.
- ``moe``: the sampled node-limited MoE matrix of topoctl.metrics.moe_traffic, capped at the receiving
  ports' line rate.

Scale. Up to MAX_EXACT_SOURCES switches every source is routed: exact loads. Larger graphs: where the
family gives a rotation that maps the graph onto itself (``Topology.switch_rotation``) and the demand is
invariant under it, the first s switches are routed and the loads summed over each cable's orbit (exact);
otherwise, on grouped graphs, the exact loads of the pairs touching whole sampled groups, at most the
true loads cable by cable (so theta is an upper bound: throughput.group_partial_loads); otherwise an
evenly spaced sample of sources scaled up, with the mean load of each link group standing in for its
busiest cable (an estimate, optimistic where a few cables are hot). Valiant under a demand whose row and column
sums are proportional to the endpoints, with intermediates spread likewise, routes exactly the uniform
all-to-all twice over, so its loads are the uniform minimal loads scaled ((W-1)/W * (R/e + C/e)).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from topoctl.metrics.graph_arrays import GraphArrays
from topoctl.metrics.results import PATTERNS, ROUTINGS, RoutingFigure
from topoctl.metrics.throughput import _ecmp_loads, _reverse_entries, group_partial_loads, group_partial_vector
from topoctl.topologies.base import BoundKind

if TYPE_CHECKING:
    from topoctl.metrics.moe_traffic import MoeTraffic

__all__ = [
    "ROUTINGS",
    "PATTERNS",
    "RoutingFigure",
    "Traffic",
    "make_traffic",
    "RoutingContext",
    "routing_figures",
    "exact_max_concurrent_flow",
    "ideal_interval",
    "MAX_EXACT_SOURCES",
]

MAX_EXACT_SOURCES = 1500  # every source routed up to 1,458 switches (the q = 27 slim design of specs/)
SAMPLED_SOURCES = 64
EXACT_LP_VARIABLES = 12_000  # sources x directed bundles of the exact LP (HiGHS: a few seconds at this size)
CG_TIME_S = 30.0  # column generation: time budget per figure
CG_MAX_COLUMNS = 60
CG_TOLERANCE = 0.01  # stop once upper <= lower * (1 + this)
PROPORTIONAL_RTOL = 1e-9
SMOOTHING = 30.0  # exponent of the utilisation in the next routing's lengths
MIX_STEPS = 100  # ternary steps of the adaptive share: (2/3)^100 of the unit interval


@dataclass(frozen=True)
class Traffic:
    """A switch-level demand in units of r: ``demand`` (CSR, between distinct switches) or, for uniform
    all-to-all, None (e_s*e_t/(W-1), never built)."""

    pattern: str
    description: str
    endpoints: np.ndarray
    demand: sp.csr_matrix | None
    ingress_cap: float = 1.0

    @property
    def uniform(self) -> bool:
        return self.demand is None

    def row(self, s: int) -> np.ndarray:
        if self.demand is None:
            e = self.endpoints.astype(np.float64)
            out = e[s] * e / (e.sum() - 1)
            out[s] = 0.0
            return out
        return np.asarray(self.demand[s].toarray()).ravel()

    def rows(self, sources: np.ndarray) -> np.ndarray:
        if self.demand is None:
            e = self.endpoints.astype(np.float64)
            out = np.outer(e[sources], e) / (e.sum() - 1)
            out[np.arange(len(sources)), sources] = 0.0
            return out
        return np.asarray(self.demand[sources].toarray())

    @property
    def row_sums(self) -> np.ndarray:
        if self.demand is None:
            e = self.endpoints.astype(np.float64)
            return e * (e.sum() - e) / (e.sum() - 1)
        return np.asarray(self.demand.sum(axis=1)).ravel()

    @property
    def col_sums(self) -> np.ndarray:
        if self.demand is None:
            return self.row_sums
        return np.asarray(self.demand.sum(axis=0)).ravel()

    def sources(self) -> np.ndarray:
        return np.flatnonzero(self.row_sums > 0)

    def invariant(self, step: int) -> bool:
        """Whether moving every switch i to (i + step) mod n leaves the demand unchanged."""
        n = len(self.endpoints)
        perm = (np.arange(n) + step) % n
        if not np.array_equal(self.endpoints[perm], self.endpoints):
            return False
        if self.demand is None:
            return True
        moved = sp.csr_matrix((np.ones(n), (np.arange(n), perm)), shape=(n, n))
        diff = moved @ self.demand @ moved.T - self.demand
        return bool(abs(diff).max() <= 1e-12 * max(1.0, abs(self.demand).max())) if diff.nnz else True


def _permutation_demand(port_switch: np.ndarray, targets: np.ndarray, senders: np.ndarray, n: int) -> sp.csr_matrix:
    """Switch x switch demand (units of r) of endpoint ``senders[i]`` sending to ``targets[i]``, pairs
    on one switch left out (they meet inside it)."""
    u, v = port_switch[senders], port_switch[targets]
    keep = u != v
    matrix = sp.csr_matrix((np.ones(int(keep.sum())), (u[keep], v[keep])), shape=(n, n))
    matrix.sum_duplicates()
    return matrix


def make_traffic(pattern: str, arrays: GraphArrays, groups: np.ndarray | None,
                 moe: MoeTraffic | None = None) -> Traffic:
    """The switch-level demand of ``pattern`` on ``arrays`` (module docstring); ``groups`` from
    ``Topology.valiant_groups``; ``moe`` the sampled MoE traffic for "moe"."""
    e = arrays.endpoints.astype(np.int64)
    n, w = arrays.num_switches, int(e.sum())
    port_switch = np.repeat(np.arange(n), e)
    ports = np.arange(w)
    if pattern == "uniform":
        return Traffic(pattern, "uniform all-to-all", e, None)
    if pattern == "shift":
        if groups is not None:
            first = groups[np.flatnonzero(e > 0)[0]]
            shift = int(e[groups == first].sum())
            how = f"adversarial shift: every endpoint to the same endpoint of the next group ({shift} endpoints on)"
        else:
            shift = w // 2
            how = f"adversarial shift: every endpoint to the one W/2 = {shift} endpoints on"
        return Traffic(pattern, how, e, _permutation_demand(port_switch, (ports + shift) % w, ports, n))
    if pattern == "bit_reverse":
        bits = max(1, w.bit_length() - 1)
        senders = np.arange(1 << bits) if w >= 2 else np.zeros(0, dtype=np.int64)
        reversed_ = np.zeros_like(senders)
        for bit in range(bits):
            reversed_ |= ((senders >> bit) & 1) << (bits - 1 - bit)
        how = f"bit reverse over the first 2^{bits} = {1 << bits:,} endpoints (b-bit index reversed)"
        return Traffic(pattern, how, e, _permutation_demand(port_switch, reversed_, senders, n))
    if pattern == "moe":
        if moe is None:
            raise ValueError("the moe pattern needs its sampled traffic")
        return Traffic(pattern, moe.description, e, moe.network_demand(), moe.ingress_cap)
    raise ValueError(f"unknown traffic pattern {pattern!r}")


@dataclass
class _Loads:
    """A load vector over the directed CSR entries and what it is: EXACT; UPPER_BOUND (cable by cable at
    most the true loads, so theta from it is an upper bound); or ESTIMATE."""

    vector: np.ndarray
    kind: BoundKind
    how: str


@dataclass
class RoutingContext:
    """One analysed graph (one plane) and what the routing figures need of its family."""

    arrays: GraphArrays
    endpoint_gbps: float
    link_gbps: float
    valiant_weights: np.ndarray
    groups: np.ndarray | None = None
    rotation: int | None = None
    congestion: float | None = None  # Topology.congestion: a closed-form routing of uniform all-to-all
    mean_hops_exact: float | None = None  # endpoint-weighted mean hops, when exact
    cut_side: np.ndarray | None = None  # an explicit partition of the switches (bool) for the cut bound
    exact_uniform: Any = None  # a figure known exact for uniform all-to-all (tree closed form), or None
    exact_moe: Any = None  # likewise for the MoE pattern
    uniform_upper: Any = None  # a proven upper bound on uniform all-to-all (the analysed bisection), or None
    cg_time_s: float = CG_TIME_S
    _cache: dict[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.adj = self.arrays.adjacency()
        self.n = self.arrays.num_switches
        self.cap = self.adj.data * self.link_gbps / self.endpoint_gbps  # per CSR entry, units of r
        self.rev = _reverse_entries(self.adj)
        self.row_of = np.repeat(np.arange(self.n), np.diff(self.adj.indptr))
        self.entry_keys = self.row_of * self.n + self.adj.indices  # sorted
        step = self.rotation
        if step is not None and (step <= 0 or self.n % step or not self._is_automorphism(step)):
            self.rotation = None

    @property
    def all_sources(self) -> bool:
        return self.n <= MAX_EXACT_SOURCES

    def _is_automorphism(self, step: int) -> bool:
        """Check the family's rotation on the graph itself: the moved entries, sorted, are the entries, with
        the same cable counts, and the endpoints move onto equal endpoints (one sort of the entry keys)."""
        n = self.n
        keys = ((self.row_of + step) % n) * n + (self.adj.indices + step) % n
        order = np.argsort(keys, kind="stable")
        endpoints = self.arrays.endpoints
        return (np.array_equal(keys[order], self.entry_keys) and np.array_equal(self.adj.data[order], self.adj.data)
                and np.array_equal(np.roll(endpoints, step), endpoints))

    def orbit_sum(self, partial: np.ndarray) -> np.ndarray:
        """Loads from the first ``rotation`` switches as sources, summed over each entry's orbit: the
        loads from every source (each source is the rotation of one of them)."""
        step, n = self.rotation, self.n
        assert step is not None
        base = self.row_of - self.row_of % step
        canon = (self.row_of % step) * n + (self.adj.indices - base) % n
        labels = np.unique(canon, return_inverse=True)[1]
        return np.bincount(labels, weights=partial)[labels]

    def group_means(self, vector: np.ndarray) -> np.ndarray:
        """Each entry's load replaced by the mean load per cable of its link group (sampled sources load the
        cables near them far more than the average: the maximum of a scaled sample is no estimate)."""
        _, _, _, bundle = self.arrays._csr_template  # CSR entry -> bundle, the order of adj
        labels = np.unique(self.arrays.edge_groups[bundle].astype(str), return_inverse=True)[1]
        per_cable = np.bincount(labels, weights=vector) / np.bincount(labels, weights=self.adj.data)
        return per_cable[labels] * self.adj.data

    def theta(self, vector: np.ndarray, cap_at: float = 1.0) -> float:
        busy = vector > 0
        if not busy.any():
            return cap_at
        return float(min(cap_at, (self.cap[busy] / vector[busy]).min()))


# -- routing the demand -------------------------------------------------------------------------------
def _sampled(ctx: RoutingContext, sources: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Evenly spaced sources of ``sources`` and the scale that makes their weight the whole."""
    picks = np.unique(np.linspace(0, len(sources) - 1, SAMPLED_SOURCES).round().astype(np.int64))
    chosen = sources[picks]
    return chosen, float(weights[sources].sum() / weights[chosen].sum())


def _minimal_uniform(ctx: RoutingContext, traffic: Traffic) -> _Loads:
    """ECMP loads of uniform all-to-all (cached: Valiant reuses them)."""
    if "uniform" in ctx._cache:
        return ctx._cache["uniform"]
    loads = _minimal_loads(ctx, traffic)
    ctx._cache["uniform"] = loads
    return loads


def _minimal_loads(ctx: RoutingContext, traffic: Traffic) -> _Loads:
    arrays, adj = ctx.arrays, ctx.adj
    sources = traffic.sources()
    demand = traffic.demand
    if ctx.all_sources:
        vector = _ecmp_loads(arrays, adj, sources, demand) * adj.data
        return _Loads(vector, BoundKind.EXACT, "every source")
    if ctx.rotation is not None and traffic.invariant(ctx.rotation):
        first = sources[sources < ctx.rotation]
        vector = ctx.orbit_sum(_ecmp_loads(arrays, adj, first, demand) * adj.data)
        return _Loads(vector, BoundKind.EXACT, f"sources {len(first)} switches, summed over the family's rotation")
    if ctx.groups is not None and arrays.pod_kind == "group":
        if traffic.uniform:
            per_cable, sampled = group_partial_loads(arrays, adj)
            vector = per_cable * adj.data
            how = f"the exact loads of the pairs touching whole groups {', '.join(map(str, sampled))}"
        else:
            assert demand is not None
            group = int(arrays.pods[sources[0]])
            vector = group_partial_vector(arrays, demand, group) * adj.data
            how = f"the exact loads of the pairs touching whole group {group}"
        return _Loads(vector, BoundKind.UPPER_BOUND, how)
    chosen, scale = _sampled(ctx, sources, traffic.row_sums)
    vector = ctx.group_means(_ecmp_loads(arrays, adj, chosen, demand) * scale * adj.data)
    return _Loads(vector, BoundKind.ESTIMATE, f"{len(chosen)} sampled sources, scaled, "
                  "mean load of each link group (the busiest single cable may carry more)")


def _proportional(values: np.ndarray, endpoints: np.ndarray) -> float | None:
    """k with values = k * endpoints (to PROPORTIONAL_RTOL), or None."""
    e = endpoints.astype(np.float64)
    if e.sum() == 0:
        return None
    k = float(values.sum() / e.sum())
    return k if np.allclose(values, k * e, rtol=PROPORTIONAL_RTOL, atol=PROPORTIONAL_RTOL * max(1.0, k)) else None


def _valiant_loads(ctx: RoutingContext, traffic: Traffic) -> _Loads:
    arrays, adj, w = ctx.arrays, ctx.adj, ctx.valiant_weights
    r_sums, c_sums = traffic.row_sums, traffic.col_sums
    out_sources, in_sources = np.flatnonzero(r_sums > 0), np.flatnonzero(c_sums > 0)

    def leg(sources: np.ndarray, sums: np.ndarray) -> np.ndarray:
        # per cable from ECMP, so times the bundle's cables: the load of the whole bundle
        return _ecmp_loads(arrays, adj, sources, demand_row=lambda s: sums[s] * w) * adj.data

    if ctx.all_sources:
        vector = leg(out_sources, r_sums) + leg(in_sources, c_sums)[ctx.rev]
        return _Loads(vector, BoundKind.EXACT, "every source")
    e = traffic.endpoints
    rho, kappa, omega = _proportional(r_sums, e), _proportional(c_sums, e), _proportional(w, e)
    if rho is not None and kappa is not None and omega is not None:
        uniform = _minimal_uniform(ctx, make_traffic("uniform", arrays, ctx.groups))
        total = float(e.sum())
        vector = (total - 1) * omega * (rho * uniform.vector + kappa * uniform.vector[ctx.rev])
        how = ("both legs are uniform all-to-all (row and column sums and intermediates proportional to the "
               f"endpoints): the uniform minimal loads scaled, from {uniform.how}")
        return _Loads(vector, uniform.kind, how)
    step = ctx.rotation
    if step is not None and traffic.invariant(step) and np.allclose(w, np.roll(w, step)):
        vector = ctx.orbit_sum(leg(out_sources[out_sources < step], r_sums)) + ctx.orbit_sum(
            leg(in_sources[in_sources < step], c_sums))[ctx.rev]
        return _Loads(vector, BoundKind.EXACT, "sources summed over the family's rotation")
    out_chosen, out_scale = _sampled(ctx, out_sources, r_sums)
    in_chosen, in_scale = _sampled(ctx, in_sources, c_sums)
    vector = ctx.group_means(leg(out_chosen, r_sums) * out_scale + (leg(in_chosen, c_sums) * in_scale)[ctx.rev])
    return _Loads(vector, BoundKind.ESTIMATE, f"{len(out_chosen)} sampled sources per leg, scaled, mean load of "
                  "each link group (the busiest single cable may carry more)")


def _mix(ctx: RoutingContext, minimal: np.ndarray, valiant: np.ndarray, cap_at: float) -> tuple[float, float]:
    """max a + b <= cap_at with a*minimal + b*valiant <= capacity: (theta, share on minimal routes). With
    a = theta*alpha, b = theta*(1 - alpha) this is theta = min(cap_at, 1/g(alpha)) at the alpha minimising
    the convex piecewise-linear g(alpha) = max_e (alpha*m_e + (1 - alpha)*v_e) (utilisations per unit
    theta): a ternary search to float precision, no LP solver."""
    busy = (minimal > 0) | (valiant > 0)
    if not busy.any():
        return cap_at, 1.0
    m, v = minimal[busy] / ctx.cap[busy], valiant[busy] / ctx.cap[busy]
    slope = m - v

    def g(alpha: float) -> float:
        return float((v + alpha * slope).max())

    low, high = 0.0, 1.0
    for _ in range(MIX_STEPS):
        one, two = low + (high - low) / 3, high - (high - low) / 3
        if g(one) <= g(two):
            high = two
        else:
            low = one
    alpha = (low + high) / 2
    best = min((g(alpha), -alpha), (g(1.0), -1.0), (g(0.0), -0.0))  # ties: the most minimal routing
    share = -best[1]
    return (min(cap_at, 1.0 / best[0]) if best[0] > 0 else cap_at), share


def _combined_kind(*kinds: BoundKind) -> BoundKind:
    if any(k is BoundKind.ESTIMATE for k in kinds):
        return BoundKind.ESTIMATE
    if any(k is BoundKind.UPPER_BOUND for k in kinds):
        return BoundKind.UPPER_BOUND
    return BoundKind.EXACT


_KIND_PREFIX = {BoundKind.EXACT: "exact", BoundKind.UPPER_BOUND: "bound (at most)", BoundKind.ESTIMATE: "estimate"}


# -- the ideal: exact LP, column generation, bounds -----------------------------------------------------
def _incidence(ctx: RoutingContext) -> sp.csr_matrix:
    """n x entries: +1 at an entry's head, -1 at its tail."""
    nnz = ctx.adj.nnz
    cols = np.arange(nnz)
    return sp.csr_matrix(
        (np.concatenate([np.ones(nnz), -np.ones(nnz)]),
         (np.concatenate([ctx.adj.indices, ctx.row_of]), np.concatenate([cols, cols]))),
        shape=(ctx.n, nnz),
    )


def exact_max_concurrent_flow(ctx: RoutingContext, traffic: Traffic) -> float | None:
    """Maximum concurrent flow, theta <= the ingress cap, as an LP (scipy HiGHS): one flow variable per
    demand source and directed bundle; capacity per bundle; conservation per source and switch. None
    when the LP is larger than EXACT_LP_VARIABLES or HiGHS does not prove optimality."""
    from scipy.optimize import linprog

    sources = traffic.sources()
    k, nnz, n = len(sources), ctx.adj.nnz, ctx.n
    if k == 0:
        return traffic.ingress_cap
    if k * nnz > EXACT_LP_VARIABLES:
        return None
    incidence = _incidence(ctx)
    need = traffic.rows(sources)  # k x n
    keep = np.ones((k, n), dtype=bool)
    keep[np.arange(k), sources] = False  # a source's own conservation row is free
    flows = sp.kron(sp.identity(k, format="csr"), incidence, format="csr")[keep.ravel()]
    theta_col = sp.csr_matrix(-need[keep].reshape(-1, 1))
    a_eq = sp.hstack([flows, theta_col], format="csr")
    a_ub = sp.hstack([sp.kron(np.ones((1, k)), sp.identity(nnz), format="csr"), sp.csr_matrix((nnz, 1))], format="csr")
    cost = np.zeros(k * nnz + 1)
    cost[-1] = -1.0
    bounds = [(0, None)] * (k * nnz) + [(0, traffic.ingress_cap)]
    res = linprog(cost, A_ub=a_ub, b_ub=ctx.cap, A_eq=a_eq, b_eq=np.zeros(a_eq.shape[0]), bounds=bounds,
                  method="highs")
    if res.status != 0:
        return None
    return float(min(traffic.ingress_cap, max(0.0, -res.fun)))


def _tree_loads(ctx: RoutingContext, dist: np.ndarray, pred: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Loads of routing each source's demand (rows of ``need``) along its shortest-path tree."""
    k, n = dist.shape
    acc = np.where(np.isfinite(dist), need, 0.0)
    order = np.argsort(-np.where(np.isfinite(dist), dist, -1.0), axis=1, kind="stable")  # farthest first
    rows = np.arange(k)
    for j in range(n):
        v = order[:, j]
        p = pred[rows, v]
        ok = p >= 0
        acc[rows[ok], p[ok]] += acc[rows[ok], v[ok]]
    rr, vv = np.nonzero(pred >= 0)
    entries = np.searchsorted(ctx.entry_keys, pred[rr, vv] * n + vv)
    return np.bincount(entries, weights=acc[rr, vv], minlength=ctx.adj.nnz)


def _price(ctx: RoutingContext, traffic: Traffic, lengths: np.ndarray, sources: np.ndarray,
           need: np.ndarray, orbit: bool) -> tuple[float, np.ndarray]:
    """Shortest paths under ``lengths`` (per entry, > 0): the dual bound's denominator
    sum_st d_st * dist(s, t), and the loads of the shortest-path routing (a new column)."""
    from scipy.sparse.csgraph import dijkstra

    graph = sp.csr_matrix((lengths, ctx.adj.indices, ctx.adj.indptr), shape=ctx.adj.shape)
    dist, pred = dijkstra(graph, directed=True, indices=sources, return_predecessors=True)
    reach = np.isfinite(dist)
    alpha = float((np.where(reach, dist, 0.0) * need).sum())
    column = _tree_loads(ctx, dist, pred, need)
    if orbit:
        assert ctx.rotation is not None
        column = ctx.orbit_sum(column)
        alpha *= ctx.n // ctx.rotation
    return alpha, column


def ideal_interval(ctx: RoutingContext, traffic: Traffic, columns: list[np.ndarray],
                   time_budget_s: float | None = None) -> tuple[float, float, int] | None:
    """Column generation (module docstring): (lower, upper, columns) with lower a feasible flow's theta
    and upper a dual bound, both before the ingress cap; None past the all-source size without a
    rotation the demand respects. Each round prices the lengths (shortest paths from every source:
    the bound, and the shortest-path routing as a new column), then solves the master LP over the
    columns (rows: directed bundles, or their orbits under the rotation); it stops within CG_TOLERANCE,
    at CG_MAX_COLUMNS or past the time budget."""
    from scipy.optimize import linprog

    budget = ctx.cg_time_s if time_budget_s is None else time_budget_s
    sources = traffic.sources()
    if len(sources) == 0:
        return math.inf, math.inf, 0
    orbit = False
    if not ctx.all_sources:
        if ctx.rotation is None or not traffic.invariant(ctx.rotation):
            return None
        sources, orbit = sources[sources < ctx.rotation], True
    need = traffic.rows(sources)
    if orbit:  # rows are orbit classes: one per class of equal load and capacity
        base = ctx.row_of - ctx.row_of % ctx.rotation  # type: ignore[operator]
        canon = (ctx.row_of % ctx.rotation) * ctx.n + (ctx.adj.indices - base) % ctx.n  # type: ignore[operator]
        _, first, labels = np.unique(canon, return_index=True, return_inverse=True)
        reps = first
    else:
        labels = np.arange(ctx.adj.nnz)
        reps = labels
    sizes = np.bincount(labels).astype(np.float64)
    cap = ctx.cap[reps]
    start = time.perf_counter()
    cols = [c[reps] for c in columns if c.any()]
    lengths = np.ones(len(reps))
    lower, upper = 0.0, math.inf
    while True:
        full = lengths[labels]
        alpha, column = _price(ctx, traffic, full, sources, need, orbit)
        if alpha > 0:
            upper = min(upper, float((cap * lengths * sizes).sum() / alpha))
        cols.append(column[reps])
        matrix = np.column_stack(cols) / cap[:, None]
        busy = matrix.max(axis=1) > 0
        res = linprog(-np.ones(len(cols)), A_ub=matrix[busy], b_ub=np.ones(int(busy.sum())),
                      bounds=[(0, None)] * len(cols), method="highs")
        if res.status != 0:
            break
        lower = max(lower, float(-res.fun))
        if upper <= lower * (1 + CG_TOLERANCE) or len(cols) >= CG_MAX_COLUMNS:
            break
        if time.perf_counter() - start > budget:
            break
        # next lengths: exponential in the mix's utilisation (multiplicative weights: Garg and Koenemann
        # 1998; Fleischer 2000), which spread the next routing away from the busiest cables; the LP's own
        # duals are degenerate and give extreme routings that mix poorly
        usage = matrix @ res.x
        lengths = np.exp(SMOOTHING * (usage - usage.max())) / cap
        lengths += 1e-6 * lengths.max()  # positive, so shortest paths are simple and the bound holds
    return lower, upper, len(cols)


def _cut_bound(ctx: RoutingContext, traffic: Traffic) -> float | None:
    """theta <= cut capacity / the larger demand across the explicit partition ``cut_side``."""
    side = ctx.cut_side
    if side is None:
        return None
    crossing = side[ctx.row_of] & ~side[ctx.adj.indices]
    back = ~side[ctx.row_of] & side[ctx.adj.indices]
    if traffic.demand is None:
        e = traffic.endpoints.astype(np.float64)
        across = float(e[side].sum() * e[~side].sum() / (e.sum() - 1))
        a_to_b = b_to_a = across
    else:
        a_to_b = float(traffic.demand[side][:, ~side].sum())
        b_to_a = float(traffic.demand[~side][:, side].sum())
    bounds = []
    if a_to_b > 0:
        bounds.append(float(ctx.cap[crossing].sum()) / a_to_b)
    if b_to_a > 0:
        bounds.append(float(ctx.cap[back].sum()) / b_to_a)
    return min(bounds) if bounds else None


# -- the figures -----------------------------------------------------------------------------------------
def _figure(value: float, kind: BoundKind, method: str) -> RoutingFigure:
    return RoutingFigure(value, f"{_KIND_PREFIX[kind]}: {method}", kind)


def _ideal(ctx: RoutingContext, traffic: Traffic, minimal: _Loads, valiant: _Loads,
           feasible: list[tuple[float, str]]) -> RoutingFigure:
    cap_at = traffic.ingress_cap
    known = ctx.exact_uniform if traffic.uniform else ctx.exact_moe if traffic.pattern == "moe" else None
    if known is not None:
        return RoutingFigure(known.value, f"exact: {known.method} (no routing does better, even spreading "
                             "reaches it)", BoundKind.EXACT, known.value, known.value, True)
    exact = exact_max_concurrent_flow(ctx, traffic)
    if exact is not None:
        return RoutingFigure(exact, "exact: maximum concurrent flow LP (scipy HiGHS, source-aggregated edge flows)",
                             BoundKind.EXACT, exact, exact, True)
    lows: list[tuple[float, str]] = list(feasible)
    highs: list[tuple[float, str]] = [(cap_at, "the ingress cap" if cap_at < 1 else "line rate")]
    columns = [load.vector for load in (minimal, valiant) if load.kind is BoundKind.EXACT]
    cut = _cut_bound(ctx, traffic)
    if cut is not None:
        highs.append((min(cap_at, cut), "cut bound on the analysed bisection partition"))
    if traffic.uniform and ctx.uniform_upper is not None:
        highs.append((min(cap_at, ctx.uniform_upper.value), ctx.uniform_upper.method.removeprefix("bound: ")))
    if traffic.uniform and ctx.mean_hops_exact:
        w = float(traffic.endpoints.sum())
        hop_demand = w * ctx.mean_hops_exact  # sum_st d_st * hops, units of r (mean over ordered pairs)
        highs.append((min(cap_at, float(ctx.cap.sum()) / hop_demand), "path-length bound (exact mean hops)"))
    if traffic.uniform and ctx.congestion:
        w = float(traffic.endpoints.sum())
        theta = min(cap_at, ctx.link_gbps * (w - 1) / (ctx.endpoint_gbps * ctx.congestion))
        lows.append((theta, "the family's closed-form routing, busiest cable C (Topology.congestion)"))
    best_low = max((value for value, _ in lows), default=0.0)
    if best_low <= 0 or min(value for value, _ in highs) > best_low * (1 + CG_TOLERANCE):  # not closed yet
        generated = ideal_interval(ctx, traffic, columns)
        if generated is not None:
            low, high, count = generated
            lows.append((min(cap_at, low), f"column generation over {count} routings (a feasible mix)"))
            highs.append((min(cap_at, high), f"LP dual of column generation ({count} routings)"))
    upper, up_how = min(highs, key=lambda x: x[0])
    lower, low_how = max(lows, key=lambda x: x[0]) if lows else (None, "")
    if lower is not None and upper < lower <= upper * (1 + 1e-6):  # the LP solvers' float noise
        lower = upper
    if lower is not None and upper - lower <= 1e-9 * max(1.0, upper):
        return RoutingFigure(upper, f"exact: interval closed ({low_how}; {up_how})", BoundKind.EXACT, upper, upper,
                             True)
    if lower is None:
        return RoutingFigure(upper, f"interval: no feasible flow certified at this size; at most {up_how}",
                             BoundKind.UPPER_BOUND, None, upper, True)
    return RoutingFigure(lower, f"interval: at least {low_how}; at most {up_how}", BoundKind.LOWER_BOUND, lower, upper,
                         True)


def routing_figures(ctx: RoutingContext, traffic: Traffic, routings: tuple[str, ...]) -> dict[str, RoutingFigure]:
    """The figures of ``routings`` (in ROUTINGS order) for one pattern."""
    cap_at = traffic.ingress_cap
    out: dict[str, RoutingFigure] = {}
    want = set(routings)
    need_loads = bool(want & {"minimal", "adaptive", "ideal"})
    minimal = _minimal_uniform(ctx, traffic) if traffic.uniform and need_loads else (
        _minimal_loads(ctx, traffic) if need_loads else None)
    valiant = _valiant_loads(ctx, traffic) if want & {"valiant", "adaptive", "ideal"} else None
    feasible: list[tuple[float, str]] = []
    if minimal is not None:
        theta, kind, how = ctx.theta(minimal.vector, cap_at), minimal.kind, minimal.how
        known = ctx.exact_uniform if traffic.uniform else ctx.exact_moe if traffic.pattern == "moe" else None
        if known is not None and kind is not BoundKind.EXACT:
            # the family's closed form is met by even spreading over the shortest paths, as ECMP spreads
            theta, kind, how = known.value, BoundKind.EXACT, known.method
        if kind is BoundKind.EXACT:
            feasible.append((theta, "minimal (ECMP) routing"))
        if "minimal" in want:
            out["minimal"] = _figure(theta, kind, f"minimal routing, ECMP over shortest paths, busiest cable; {how}")
    if valiant is not None:
        theta = ctx.theta(valiant.vector, cap_at)
        if valiant.kind is BoundKind.EXACT:
            feasible.append((theta, "Valiant routing"))
        if "valiant" in want:
            out["valiant"] = _figure(theta, valiant.kind, f"Valiant routing via a random intermediate switch "
                                     f"(ECMP both legs), busiest cable; {valiant.how}")
    if minimal is not None and valiant is not None:
        theta, share = _mix(ctx, minimal.vector, valiant.vector, cap_at)
        kind = _combined_kind(minimal.kind, valiant.kind)
        if kind is BoundKind.EXACT:
            feasible.append((theta, "adaptive mix of minimal and Valiant routing"))
        if "adaptive" in want:
            out["adaptive"] = _figure(theta, kind, f"adaptive (UGAL-style flow-level mix: {abs(share):.1%} of every "
                                      "flow minimal, the rest Valiant, the share that minimises the busiest cable)")
    if "ideal" in want and minimal is not None and valiant is not None:
        out["ideal"] = _ideal(ctx, traffic, minimal, valiant, feasible)
    return {name: out[name] for name in ROUTINGS if name in out}
