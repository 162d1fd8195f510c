"""A switch-level networkx graph as flat numpy arrays, the form every graph metric works on.

networkx stays the public model; metrics convert once to arrays (one row per switch, one row per
bundle of parallel cables) and build scipy CSR matrices from them. Failures are masks over these
arrays, never copies of the graph (copying a networkx graph per Monte Carlo trial is 35-70x slower;
see /work/shared/reference/algorithms.md, "Graph representation").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["GraphArrays", "to_arrays"]


@dataclass(frozen=True)
class GraphArrays:
    """Switches and cable bundles of one graph, in the graph's (deterministic) node order."""

    names: tuple[str, ...]
    roles: np.ndarray  # str per switch
    endpoints: np.ndarray  # int64: endpoint ports attached to each switch
    planes: np.ndarray  # int64: plane per switch, -1 when the design has one plane
    pods: np.ndarray  # int64: pod or group per switch (the family's grouping), -1 when none
    edge_u: np.ndarray  # int64: one row per pair of connected switches
    edge_v: np.ndarray
    edge_count: np.ndarray  # int64: parallel cables in the bundle
    edge_groups: np.ndarray  # str: link group of the bundle
    pod_kind: str = ""  # what ``pods`` holds: "pod", "group" or "" (none)

    @property
    def num_switches(self) -> int:
        return len(self.names)

    @property
    def num_endpoints(self) -> int:
        return int(self.endpoints.sum())

    @property
    def num_cables(self) -> int:
        return int(self.edge_count.sum())

    @cached_property
    def _csr_template(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """CSR structure of the intact graph: indptr, indices, rows, and the bundle behind each entry."""
        n, m = self.num_switches, len(self.edge_u)
        rows = np.concatenate([self.edge_u, self.edge_v])
        cols = np.concatenate([self.edge_v, self.edge_u])
        bundle = np.concatenate([np.arange(m), np.arange(m)])
        order = np.lexsort((cols, rows))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return indptr, cols[order], rows[order], bundle[order]

    def adjacency(self, edge_count: np.ndarray | None = None, node_alive: np.ndarray | None = None) -> sp.csr_matrix:
        """Symmetric CSR matrix of cable counts; bundles with count 0 or a dead end are dropped.
        Reuses one sorted structure, so a failure costs a mask, not a rebuild."""
        counts = self.edge_count if edge_count is None else edge_count
        indptr, indices, rows, bundle = self._csr_template
        data = counts[bundle].astype(np.float64)
        if node_alive is not None:
            data *= node_alive[rows] & node_alive[indices]
        n = self.num_switches
        matrix = sp.csr_matrix((data, indices, indptr), shape=(n, n))
        if edge_count is not None or node_alive is not None:
            matrix.eliminate_zeros()
        return matrix

    def components(
        self, edge_count: np.ndarray | None = None, node_alive: np.ndarray | None = None
    ) -> tuple[int, np.ndarray]:
        """Connected components (scipy); dead switches get label -1."""
        # the matrix is symmetric: strong components are the connected ones, without a transpose
        num, labels = connected_components(self.adjacency(edge_count, node_alive), directed=True, connection="strong")
        if node_alive is not None:
            labels = np.where(node_alive, labels, -1)
        return num, labels

    def subset(self, node_mask: np.ndarray) -> GraphArrays:
        """The induced subgraph on the masked switches, renumbered in order."""
        index = np.full(self.num_switches, -1, dtype=np.int64)
        index[node_mask] = np.arange(int(node_mask.sum()))
        keep = node_mask[self.edge_u] & node_mask[self.edge_v]
        return GraphArrays(
            names=tuple(name for name, alive in zip(self.names, node_mask) if alive),
            roles=self.roles[node_mask],
            endpoints=self.endpoints[node_mask],
            planes=self.planes[node_mask],
            pods=self.pods[node_mask],
            edge_u=index[self.edge_u[keep]],
            edge_v=index[self.edge_v[keep]],
            edge_count=self.edge_count[keep],
            edge_groups=self.edge_groups[keep],
            pod_kind=self.pod_kind,
        )


def to_arrays(graph: nx.Graph) -> GraphArrays:
    """Arrays of a topology's graph: node attributes ``role``, ``endpoints``, ``plane``, ``pod`` or
    ``group``; edge attributes ``count`` and ``link_group``."""
    names = tuple(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    data = graph.nodes
    roles = np.array([data[n].get("role", "switch") for n in names], dtype=object)
    endpoints = np.array([data[n].get("endpoints", 0) for n in names], dtype=np.int64)
    planes = np.array([data[n].get("plane", -1) for n in names], dtype=np.int64)
    pods = np.array([data[n].get("pod", data[n].get("group", -1)) for n in names], dtype=np.int64)
    first = data[names[0]] if names else {}
    pod_kind = "pod" if any("pod" in data[n] for n in names) else "group" if "group" in first else ""
    edges = list(graph.edges(data=True))
    edge_u = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    edge_v = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    edge_count = np.array([d.get("count", 1) for _, _, d in edges], dtype=np.int64)
    edge_groups = np.array([d.get("link_group", "") for _, _, d in edges], dtype=object)
    return GraphArrays(names, roles, endpoints, planes, pods, edge_u, edge_v, edge_count, edge_groups, pod_kind)
