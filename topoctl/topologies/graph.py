"""The switch-level graph as flat numpy arrays: what every family's ``build()`` returns.

One row per switch (name, role, endpoint ports, plane, pod or group) and one row per bundle of parallel
cables between two switches (its ends, cable count and link group). Families fill the arrays with
vectorised numpy, never a loop per cable, in a fixed order: switches in build order, bundles sorted
by (lower end, position in that switch's neighbour list). That is the order networkx lists the edges
of ``to_networkx()``, the graph the families built with networkx before the arrays, so metrics that
sample bundles by index (random failures) give the results they gave then.

Failures are masks over these arrays and over one sorted CSR structure of the intact graph, never
copies of the graph (/work/shared/reference/algorithms.md, "Graph representation" and "Failures").
networkx is imported only by ``to_networkx``, scipy only by the CSR helpers.

Example:
    >>> from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
    >>> graph = FatTree.from_parameters(FatTreeParameters(k=4, tiers=2), radix=4).build()
    >>> graph.num_switches, graph.num_cables, graph.names[:3]
    (6, 8, ('leaf-0', 'leaf-1', 'leaf-2'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

__all__ = ["SwitchGraph", "object_array", "edges_from_keys"]


def object_array(values: Sequence[Any], repeats: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """An object array of ``values`` (each repeated ``repeats`` times): role and link-group labels."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out if repeats is None else np.repeat(out, repeats)


def edges_from_keys(keys: np.ndarray, num_switches: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bundles of a sorted array of cable keys u * num_switches + v: (u, v, count), one row per key."""
    if len(keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys)))
    unique = keys[starts]
    return unique // num_switches, unique % num_switches, counts.astype(np.int64)


@dataclass(frozen=True, eq=False)
class SwitchGraph:
    """Switches and cable bundles of one design, in build order (see the module docstring)."""

    names: tuple[str, ...]
    roles: np.ndarray  # object (str): role per switch
    endpoints: np.ndarray  # int64: endpoint ports attached to each switch
    planes: np.ndarray  # int64: plane per switch, -1 when the design has one plane
    pods: np.ndarray  # int64: pod (fat tree) or group (dragonfly) per switch, -1 when none
    edge_u: np.ndarray  # int64: the switch earlier in build order, one row per pair of connected switches
    edge_v: np.ndarray  # int64: the other switch
    edge_count: np.ndarray  # int64: parallel cables in the bundle
    edge_groups: np.ndarray  # object (str): link group of the bundle
    pod_kind: str = ""  # what ``pods`` holds: "pod", "group" or "" (none)
    labels: tuple[tuple[str, np.ndarray], ...] = ()  # further int node attributes, e.g. the slim fly's subgraph

    # -- sizes -------------------------------------------------------------------------------------
    @property
    def num_switches(self) -> int:
        return len(self.names)

    @property
    def num_bundles(self) -> int:
        return len(self.edge_u)

    @property
    def num_endpoints(self) -> int:
        return int(self.endpoints.sum())

    @property
    def num_cables(self) -> int:
        return int(self.edge_count.sum())

    def cables_per_switch(self) -> np.ndarray:
        """Switch-to-switch cables at each switch (its degree with parallel cables counted)."""
        n = self.num_switches
        weights = self.edge_count.astype(np.float64)
        return (
            np.bincount(self.edge_u, weights, minlength=n) + np.bincount(self.edge_v, weights, minlength=n)
        ).astype(np.int64)

    # -- building ----------------------------------------------------------------------------------
    @classmethod
    def copies(cls, graph: SwitchGraph, num_copies: int, prefix: str = "p{}-") -> SwitchGraph:
        """``num_copies`` disjoint copies of ``graph``, copy i's switches named ``prefix.format(i)`` +
        name and labelled plane i: the planes of a multi-plane fabric."""
        n = graph.num_switches
        offsets = np.repeat(np.arange(num_copies, dtype=np.int64) * n, graph.num_bundles)
        return cls(
            names=tuple(prefix.format(i) + name for i in range(num_copies) for name in graph.names),
            roles=np.tile(graph.roles, num_copies),
            endpoints=np.tile(graph.endpoints, num_copies),
            planes=np.repeat(np.arange(num_copies, dtype=np.int64), n),
            pods=np.tile(graph.pods, num_copies),
            edge_u=np.tile(graph.edge_u, num_copies) + offsets,
            edge_v=np.tile(graph.edge_v, num_copies) + offsets,
            edge_count=np.tile(graph.edge_count, num_copies),
            edge_groups=np.tile(graph.edge_groups, num_copies),
            pod_kind=graph.pod_kind,
            labels=tuple((key, np.tile(values, num_copies)) for key, values in graph.labels),
        )

    def with_plane(self, plane: int) -> SwitchGraph:
        """The same graph with every switch labelled ``plane``."""
        return replace(self, planes=np.full(self.num_switches, plane, dtype=np.int64))

    # -- networkx ----------------------------------------------------------------------------------
    def node_attributes(self) -> list[dict[str, Any]]:
        """Per switch: ``role``, ``endpoints``, then ``pod``/``group`` (where set), the labels and
        ``plane`` (where set), as the families' networkx graphs held them."""
        roles, endpoints = self.roles.tolist(), self.endpoints.tolist()
        pods, planes = self.pods.tolist(), self.planes.tolist()
        labels = [(key, values.tolist()) for key, values in self.labels]
        out = []
        for i in range(self.num_switches):
            attrs: dict[str, Any] = {"role": roles[i], "endpoints": endpoints[i]}
            if self.pod_kind and pods[i] >= 0:
                attrs[self.pod_kind] = pods[i]
            for key, values in labels:
                attrs[key] = values[i]
            if planes[i] >= 0:
                attrs["plane"] = planes[i]
            out.append(attrs)
        return out

    def to_networkx(self) -> nx.Graph:
        """The networkx graph: switches in order with their attributes (``node_attributes``), one edge
        per bundle with ``count`` and ``link_group``, edges listed in bundle order."""
        import networkx as nx

        graph = nx.Graph()
        names = self.names
        graph.add_nodes_from(zip(names, self.node_attributes(), strict=True))
        graph.add_edges_from(
            (names[u], names[v], {"count": c, "link_group": g})
            for u, v, c, g in zip(self.edge_u.tolist(), self.edge_v.tolist(), self.edge_count.tolist(),
                                  self.edge_groups.tolist(), strict=True)
        )
        return graph

    # -- CSR structure and masks -------------------------------------------------------------------
    @cached_property
    def _csr_template(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """CSR structure of the intact graph, both directions: indptr, indices (sorted in each row),
        the row of each entry, and the bundle behind it. Computed once; failures only mask it."""
        n, m = self.num_switches, self.num_bundles
        rows = np.concatenate([self.edge_u, self.edge_v])
        cols = np.concatenate([self.edge_v, self.edge_u])
        order = np.argsort(rows * max(n, 1) + cols, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        bundle = np.concatenate([np.arange(m), np.arange(m)])
        return indptr, cols[order], rows[order], bundle[order]

    def adjacency(self, edge_count: np.ndarray | None = None, node_alive: np.ndarray | None = None) -> sp.csr_matrix:
        """Symmetric CSR matrix of cable counts; bundles with count 0 or a dead end are dropped.
        Reuses one sorted structure, so a failure costs a mask, not a rebuild."""
        import scipy.sparse as sp

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

    def live_adjacency(self, edge_count: np.ndarray, node_alive: np.ndarray) -> sp.csr_matrix:
        """The CSR matrix of cable counts among the live switches, renumbered in order (switch i alive
        becomes row ``node_alive[:i].sum()``), bundles with count 0 dropped: equal to
        ``subset(node_alive).adjacency(...)`` but cut straight from the intact structure, no sort."""
        import scipy.sparse as sp

        indptr, indices, _, bundle = self._csr_template
        live_bundle = (edge_count > 0) & node_alive[self.edge_u] & node_alive[self.edge_v]
        kept = np.flatnonzero(live_bundle[bundle])  # the surviving entries, in order
        row_end = np.searchsorted(kept, indptr[1:])  # kept entries before each row's end (a dead row keeps none)
        sub_indptr = np.concatenate([[0], row_end[node_alive]])
        index = np.cumsum(node_alive) - 1
        live = len(sub_indptr) - 1
        data = edge_count.astype(np.float64)[bundle[kept]]
        return sp.csr_matrix((data, index[indices[kept]], sub_indptr), shape=(live, live))

    def components(
        self, edge_count: np.ndarray | None = None, node_alive: np.ndarray | None = None
    ) -> tuple[int, np.ndarray]:
        """Connected components (scipy); dead switches get label -1."""
        from scipy.sparse.csgraph import connected_components

        # the matrix is symmetric: strong components are the connected ones, without a transpose
        num, labels = connected_components(self.adjacency(edge_count, node_alive), directed=True, connection="strong")
        if node_alive is not None:
            labels = np.where(node_alive, labels, -1)
        return num, labels

    def subset(self, node_mask: np.ndarray) -> SwitchGraph:
        """The induced subgraph on the masked switches, renumbered in order."""
        index = np.full(self.num_switches, -1, dtype=np.int64)
        index[node_mask] = np.arange(int(node_mask.sum()))
        keep = node_mask[self.edge_u] & node_mask[self.edge_v]
        return SwitchGraph(
            names=tuple(name for name, alive in zip(self.names, node_mask.tolist(), strict=True) if alive),
            roles=self.roles[node_mask],
            endpoints=self.endpoints[node_mask],
            planes=self.planes[node_mask],
            pods=self.pods[node_mask],
            edge_u=index[self.edge_u[keep]],
            edge_v=index[self.edge_v[keep]],
            edge_count=self.edge_count[keep],
            edge_groups=self.edge_groups[keep],
            pod_kind=self.pod_kind,
            labels=tuple((key, values[node_mask]) for key, values in self.labels),
        )
