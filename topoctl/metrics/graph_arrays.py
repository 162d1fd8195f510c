"""The array graph every graph metric works on: ``topoctl.topologies.graph.SwitchGraph``, what the
families build (one row per switch, one row per bundle of parallel cables, scipy CSR matrices cut
from one sorted structure). Failures are masks over these arrays, never copies of the graph
(/work/shared/reference/algorithms.md, "Graph representation").

``GraphArrays`` is that type under its metrics name; ``to_arrays`` passes a SwitchGraph through and
converts a networkx graph (hand-made test graphs, the export's port plan) once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from topoctl.topologies.graph import SwitchGraph, object_array

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphArrays", "to_arrays"]

GraphArrays = SwitchGraph


def to_arrays(graph: SwitchGraph | nx.Graph) -> SwitchGraph:
    """A SwitchGraph as it is; a networkx graph as arrays: node attributes ``role``, ``endpoints``,
    ``plane``, ``pod`` or ``group``; edge attributes ``count`` and ``link_group``, edges in
    ``graph.edges`` order."""
    if isinstance(graph, SwitchGraph):
        return graph
    names = tuple(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    data = graph.nodes
    roles = object_array([data[n].get("role", "switch") for n in names])
    endpoints = np.array([data[n].get("endpoints", 0) for n in names], dtype=np.int64)
    planes = np.array([data[n].get("plane", -1) for n in names], dtype=np.int64)
    pods = np.array([data[n].get("pod", data[n].get("group", -1)) for n in names], dtype=np.int64)
    first = data[names[0]] if names else {}
    pod_kind = "pod" if any("pod" in data[n] for n in names) else "group" if "group" in first else ""
    edges = list(graph.edges(data=True))
    edge_u = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    edge_v = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    edge_count = np.array([d.get("count", 1) for _, _, d in edges], dtype=np.int64)
    edge_groups = object_array([d.get("link_group", "") for _, _, d in edges])
    return SwitchGraph(names, roles, endpoints, planes, pods, edge_u, edge_v, edge_count, edge_groups, pod_kind)
