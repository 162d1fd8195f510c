"""Fault domains computed on the graph: remove one component, re-evaluate connectivity and bisection.

For each component class (endpoint port, each switch role, pod or group, one cable of each
link group, plane) we remove one component at a time (every one of the class, or an evenly spaced
sample of ``MAX_CANDIDATES`` when the class is larger, which the method says), and keep the worst:
- endpoints disconnected: endpoint ports on removed switches, plus those outside the connected part
  holding the most endpoint ports (they can no longer reach the bulk of the fabric);
- endpoints degraded: endpoints that lost a port but still reach the fabric through another plane
  (multi-port NICs), or through a node-mate's NIC by node-local forwarding (NVLink/PCIe, NCCL PXN)
  when ``node_forwarding`` is assumed for single-port multi-plane designs;
- bisection_lost_ratio: the share of the cables across the intact graph's best-known bisection (METIS)
  that the failure takes away, after rebalancing that partition over the live switches. Re-running
  METIS on the degraded graph instead would mix partitioner noise (a few %) into a change of a
  fraction of a percent, so this is an estimate of the loss, stable and comparable across classes.
  A failure that leaves no endpoint connected loses the whole cut (1.0), even when that cut is
  made of endpoint links only (a plane of one switch).
Multi-plane designs are analysed on one plane (planes are identical and disjoint) and mapped to the
whole fabric: a plane holds 1/P of the bisection, and a port lost in one plane leaves an endpoint's
other ports (m > 1) untouched.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from topoctl.metrics.bisection import matrix_cut, metis_bisection, rebalance
from topoctl.metrics.graph_arrays import GraphArrays

__all__ = ["FaultResult", "FabricView", "endpoints_cut_off", "fault_table"]

MAX_CANDIDATES = 64
CANDIDATE_BUDGET = 12_500_000  # candidates x CSR entries: Table 3's 16k-switch DF gets 16 per class, ~0.3 s


@dataclass(frozen=True)
class FaultResult:
    component: str
    count: int
    endpoints_disconnected: int
    endpoints_degraded: int
    bisection_lost_ratio: float
    method: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class FabricView:
    """One plane's graph and how the design replicates it."""

    plane: GraphArrays
    num_planes: int = 1
    ports_per_endpoint: int = 1
    node_forwarding: bool = False  # assume node-local forwarding to a node-mate's NIC (PXN)

    @property
    def survives_port_loss(self) -> bool:
        """An endpoint that loses one port still reaches the fabric."""
        return self.ports_per_endpoint > 1 or (self.num_planes > 1 and self.node_forwarding)


def endpoints_cut_off(arrays: GraphArrays, edge_count: np.ndarray, node_alive: np.ndarray) -> int:
    """Endpoint ports on dead switches or outside the live part that holds the most endpoint ports."""
    _, labels = arrays.components(edge_count, node_alive)
    alive = labels >= 0
    per_part = np.bincount(labels[alive], weights=arrays.endpoints[alive]) if alive.any() else np.zeros(1)
    return int(arrays.num_endpoints - per_part.max())


def _candidates(members: np.ndarray, num_cables: int) -> tuple[np.ndarray, bool]:
    limit = max(16, min(MAX_CANDIDATES, CANDIDATE_BUDGET // max(1, 2 * num_cables)))
    if len(members) <= limit:
        return members, True
    picks = np.unique(np.linspace(0, len(members) - 1, limit).round().astype(np.int64))
    return members[picks], False


class _Evaluator:
    """Connectivity and bisection of one plane with a failure applied."""

    def __init__(self, arrays: GraphArrays, intact: tuple[int, np.ndarray] | None = None) -> None:
        self.arrays = arrays
        self.intact_cut, self.intact_side = intact if intact is not None else metis_bisection(arrays)[:2]

    def disconnected(self, counts: np.ndarray, alive: np.ndarray) -> int:
        return endpoints_cut_off(self.arrays, counts, alive)

    def degraded_cut(self, counts: np.ndarray, alive: np.ndarray) -> int:
        """Cables still across the intact graph's best-known bisection, failed parts removed and
        rebalanced over the live switches."""
        live = self.arrays.live_adjacency(counts, alive)  # cut from the intact structure: a mask, no copy
        side = rebalance(live, self.arrays.endpoints[alive], self.intact_side[alive])
        return matrix_cut(live, side)

    def lost_ratio(self, counts: np.ndarray, alive: np.ndarray, disconnected: int) -> float:
        """Share of the intact cut the failure loses; ``disconnected``: its endpoints cut off (known from
        ranking the failures, so the components are not found twice)."""
        if self.arrays.num_endpoints and disconnected >= self.arrays.num_endpoints:
            return 1.0  # no endpoint stays connected: the whole cut is lost (also when it is all endpoint links)
        if self.intact_cut == 0:
            return 0.0
        return round(max(0.0, 1.0 - self.degraded_cut(counts, alive) / self.intact_cut), 6)


def _worst(ev: _Evaluator, failures: list[tuple[np.ndarray, np.ndarray]]) -> tuple[int, np.ndarray, np.ndarray]:
    """The failure that disconnects most; ties go to the one removing most cables of the intact cut."""
    arrays, side = ev.arrays, ev.intact_side
    crossing = side[arrays.edge_u] != side[arrays.edge_v]
    best: tuple[tuple[int, int], np.ndarray, np.ndarray] | None = None
    for counts, alive in failures:
        kept = np.where(alive[arrays.edge_u] & alive[arrays.edge_v], counts, 0)
        score = (ev.disconnected(counts, alive), int((arrays.edge_count - kept)[crossing].sum()))
        if best is None or score > best[0]:
            best = (score, counts, alive)
    assert best is not None
    return best[0][0], best[1], best[2]


def fault_table(view: FabricView, intact: tuple[int, np.ndarray] | None = None) -> list[FaultResult]:
    """One entry per component class, worst case over the class (see the module docstring).
    ``intact``: the plane's METIS bisection (cut, side) when already computed."""
    arrays, planes = view.plane, view.num_planes
    ev = _Evaluator(arrays, intact)
    base_counts = arrays.edge_count
    all_alive = np.ones(arrays.num_switches, dtype=bool)
    plane_ports = arrays.num_endpoints
    results: list[FaultResult] = []

    def emit(component: str, count: int, lost_ports: int, lost_ratio_plane: float, method: str) -> None:
        if view.survives_port_loss:
            # every endpoint whose port is lost keeps another plane (or a node-mate's NIC)
            disconnected, degraded = 0, lost_ports
        else:
            disconnected, degraded = lost_ports, 0
        results.append(
            FaultResult(component, count, disconnected, degraded, round(lost_ratio_plane / planes, 6), method)
        )

    emit("endpoint port", plane_ports * planes, 1 if plane_ports else 0, 0.0,
         "exact: an endpoint link carries one port")

    classes: list[tuple[str, list[np.ndarray]]] = []
    for role in dict.fromkeys(arrays.roles.tolist()):
        classes.append((str(role), [np.array([i]) for i in np.flatnonzero(arrays.roles == role)]))
    if arrays.pod_kind and (arrays.pods >= 0).any():
        pods = sorted(set(arrays.pods[arrays.pods >= 0].tolist()))
        classes.append((arrays.pod_kind, [np.flatnonzero(arrays.pods == p) for p in pods]))
    for name, members in classes:
        chosen, exact = _candidates(np.arange(len(members)), len(arrays.edge_u))
        failures = []
        for index in chosen:
            alive = all_alive.copy()
            alive[members[index]] = False
            failures.append((base_counts, alive))
        lost, counts, alive = _worst(ev, failures)
        how = "every one" if exact else f"worst of {len(chosen)} evenly spaced of {len(members)}"
        emit(name, len(members) * planes, lost, ev.lost_ratio(counts, alive, lost),
             f"graph: removed {how}, connected components; "
             "bisection: intact METIS cut vs the same cut degraded (estimate)")

    for group in dict.fromkeys(arrays.edge_groups.tolist()):
        bundles = np.flatnonzero(arrays.edge_groups == group)
        chosen, exact = _candidates(bundles, len(arrays.edge_u))
        failures = []
        for bundle in chosen:
            counts = base_counts.copy()
            counts[bundle] -= 1
            failures.append((counts, all_alive))
        lost, counts, alive = _worst(ev, failures)
        how = "every bundle" if exact else f"worst of {len(chosen)} evenly spaced of {len(bundles)} bundles"
        emit(f"{group} link", int(arrays.edge_count[bundles].sum()) * planes, lost,
             ev.lost_ratio(counts, alive, lost),
             f"graph: one cable removed from {how}; bisection: intact METIS cut vs the same cut degraded (estimate)")

    if planes > 1:
        emit("plane", planes, plane_ports, 1.0, "exact: a plane holds 1/P of the ports and of the bisection")
    return results
