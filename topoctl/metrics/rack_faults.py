"""The rack fault class: one rack's switches and nodes go down at once (power, top-of-rack cooling).

Racks come from the deterministic layout of topoctl.physical.layout (nodes in compute racks, switches
apart in network racks after them). Computed on the whole
graph (every plane of a multi-plane design, which a rack crosses): the rack's switches are removed and
connected components recomputed; an endpoint is
- disconnected: its node is in the rack, or none of its m ports reaches the part of the fabric holding
  the most endpoint ports (unless node-local forwarding to a node-mate's NIC is assumed and another port
  of its node still does: then degraded);
- degraded: it keeps some, not all, of its ports.
Every network rack is tried (the racks that take out switches); of the compute racks, all or an evenly
spaced sample (the method says which); the worst rack is reported.
bisection_lost_ratio: the graph estimate of topoctl.metrics.faults (intact METIS cut vs the same cut
with the rack removed, rebalanced), per plane and averaged for multi-plane designs.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from topoctl.metrics.faults import FaultResult, _Evaluator
from topoctl.metrics.graph_arrays import to_arrays

if TYPE_CHECKING:
    from topoctl.physical.layout import LayoutOptions
    from topoctl.physical.ports import PlannedDesign

__all__ = ["rack_fault"]

MAX_NODE_RACKS = 64


def _bulk_parts(arrays: Any, labels: np.ndarray) -> np.ndarray:
    """Per component label: whether it is the part holding the most endpoint ports of its plane
    (planes are disjoint by design, so each has its own bulk)."""
    live = labels >= 0
    num = int(labels.max()) + 1 if live.any() else 1
    held = np.bincount(labels[live], weights=arrays.endpoints[live], minlength=num)
    plane_of = np.full(num, -1, dtype=np.int64)
    plane_of[labels[live]] = arrays.planes[live]
    bulk = np.zeros(num, dtype=bool)
    for plane in np.unique(plane_of).tolist():
        members = np.flatnonzero(plane_of == plane)
        bulk[members[np.argmax(held[members])]] = True
    return bulk


def _lost_ratio(arrays: Any, alive: np.ndarray) -> float:
    """The share of ``arrays``' intact cut lost with only the ``alive`` switches left."""
    ev = _Evaluator(arrays)
    return ev.lost_ratio(arrays.edge_count, alive, ev.disconnected(arrays.edge_count, alive))


def rack_fault(
    design: PlannedDesign, node_forwarding: bool = False, layout_options: LayoutOptions | None = None
) -> FaultResult:
    """The worst rack of the layout (see the module docstring)."""
    from topoctl.physical.layout import Layout
    from topoctl.physical.ports import PortPlan

    plan = PortPlan(design)
    layout = Layout(plan, layout_options)
    arrays = to_arrays(plan.graph)  # same switch order as the plan (graph order)
    g, m = plan.endpoints_per_node, plan.ports_per_endpoint
    num_endpoints = plan.num_nodes * g
    att = np.fromiter(chain.from_iterable(plan.attachments()), dtype=np.int64).reshape(-1, 4)
    port_switch, port_node = att[:, 0], att[:, 2]
    port_endpoint = port_node * g + (att[:, 3] - 1) // m
    switch_rack = np.array([rack for rack, _ in layout.switch_position], dtype=np.int64)
    node_rack = np.array([rack for rack, _ in layout.node_position], dtype=np.int64)
    endpoint_node = np.arange(num_endpoints) // g

    upper = np.unique(switch_rack)
    node_racks = np.unique(node_rack)
    picks = node_racks
    sampled = len(node_racks) > MAX_NODE_RACKS
    if sampled:
        picks = node_racks[np.unique(np.linspace(0, len(node_racks) - 1, MAX_NODE_RACKS).round().astype(np.int64))]
    chosen = np.unique(np.concatenate([upper, picks]))

    worst: tuple[tuple[int, int], int] | None = None
    for rack in chosen.tolist():
        alive = switch_rack != rack
        _, labels = arrays.components(node_alive=alive)
        bulk = _bulk_parts(arrays, labels)
        port_ok = alive[port_switch] & bulk[np.maximum(labels[port_switch], 0)] & (node_rack[port_node] != rack)
        live_ports = np.bincount(port_endpoint, weights=port_ok, minlength=num_endpoints)
        node_down = node_rack[endpoint_node] == rack
        cut_off = live_ports == 0
        if node_forwarding:
            node_live = np.bincount(port_node, weights=port_ok, minlength=plan.num_nodes)
            rescued = cut_off & ~node_down & (node_live[endpoint_node] > 0)
        else:
            rescued = np.zeros(num_endpoints, dtype=bool)
        disconnected = int((cut_off & ~rescued).sum())
        degraded = int(((live_ports > 0) & (live_ports < m)).sum() + rescued.sum())
        score = (disconnected, degraded)
        if worst is None or score > worst[0]:
            worst = (score, rack)
    assert worst is not None
    (disconnected, degraded), rack = worst
    alive = switch_rack != rack
    if plan.num_planes > 1:  # disjoint planes: each holds 1/P of the bisection, its own METIS cut
        lost = 0.0
        for plane in range(plan.num_planes):
            mask = arrays.planes == plane
            lost += _lost_ratio(arrays.subset(mask), alive[mask]) / plan.num_planes
        lost = round(lost, 6)
    else:
        lost = _lost_ratio(arrays, alive)
    if num_endpoints and disconnected >= num_endpoints:
        lost = 1.0  # no endpoint stays connected: the whole cut is lost
    how = (
        f"every rack ({layout.num_racks})" if not sampled
        else (
            f"the {len(upper)} network racks and {len(picks)} evenly spaced of "
            f"{len(node_racks)} node racks"
        )
    )
    forwarding = (
        "; assumes node-local forwarding to a node-mate's NIC (PXN)"
        if node_forwarding and m == 1 and plan.num_planes > 1
        else ""
    )
    method = (
        f"graph: rack layout of topoctl.physical.layout (default options), removed {how}, worst is rack {rack}; "
        "connected components on every plane; "
        f"bisection: intact METIS cut vs the same cut degraded (estimate){forwarding}"
    )
    return FaultResult("rack", layout.num_racks, disconnected, degraded, lost, method)
