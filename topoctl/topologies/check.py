"""Invariants of a built graph against its family's closed forms.

``check_graph`` is what makes a generator trustworthy: the graph must have exactly the counted switches
by role and links by group, carry every endpoint port, keep every switch within its radix, and be
connected (each plane on its own). It works on the arrays (``SwitchGraph``). ``endpoint_diameter`` and
``endpoints_disconnected`` recompute two closed-form metrics by breadth-first search for tests and
small designs; they take a SwitchGraph or a networkx graph.
"""

from __future__ import annotations

from collections import Counter, deque
from typing import TYPE_CHECKING

import numpy as np

from topoctl.errors import GraphCheckError
from topoctl.topologies.base import Topology
from topoctl.topologies.graph import SwitchGraph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["check_graph", "endpoint_diameter", "endpoints_disconnected"]


def check_graph(topology: Topology, graph: SwitchGraph) -> None:
    """Raise GraphCheckError listing every disagreement between ``graph`` and ``topology``'s counts."""
    from scipy.sparse.csgraph import connected_components

    counts = topology.counts()
    problems = []
    roles = Counter(graph.roles.tolist())
    if dict(roles) != {r: n for r, n in counts.num_switches_by_role.items() if n}:
        problems.append(f"switches by role {dict(roles)} != {counts.num_switches_by_role}")
    groups = graph.edge_groups.tolist()
    links = {group: 0 for group in dict.fromkeys(groups)}
    for group, count in zip(groups, graph.edge_count.tolist(), strict=True):
        links[group] += count
    expected = {g.name: g.count for g in counts.link_groups if g.count}
    if links != expected:
        problems.append(f"links by group {links} != {expected}")
    endpoint_ports = graph.num_endpoints
    if endpoint_ports != counts.num_endpoint_links:
        problems.append(f"endpoint ports {endpoint_ports} != {counts.num_endpoint_links}")
    used = graph.endpoints + graph.cables_per_switch()
    over = np.flatnonzero(used > topology.radix)
    if len(over):
        problems.append(f"{graph.names[over[0]]} uses {used[over[0]]} ports > radix {topology.radix}")
    planes = np.where(graph.planes >= 0, graph.planes, 0)
    for plane in dict.fromkeys(planes.tolist()):
        parts, _ = connected_components(graph.subset(planes == plane).adjacency(), directed=False)
        if parts != 1:
            problems.append(f"plane {plane} is not connected")
    if problems:
        raise GraphCheckError(f"{topology.family} graph disagrees with its closed forms: " + "; ".join(problems))


def _networkx(graph: SwitchGraph | nx.Graph) -> nx.Graph:
    return graph.to_networkx() if isinstance(graph, SwitchGraph) else graph


def _planes(graph: nx.Graph) -> dict[int, list[str]]:
    planes: dict[int, list[str]] = {}
    for node, plane in graph.nodes(data="plane"):
        planes.setdefault(plane if plane is not None else 0, []).append(node)
    return planes


def _eccentricity(graph: nx.Graph, source: str, targets: set[str]) -> int:
    seen, queue, far = {source: 0}, deque([source]), 0
    while queue:
        node = queue.popleft()
        if node in targets:
            far = max(far, seen[node])
        for nxt in graph.adj[node]:
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                queue.append(nxt)
    return far


def endpoint_diameter(graph: SwitchGraph | nx.Graph) -> int:
    """Switch hops on the longest shortest path between switches carrying endpoints, within a plane
    (BFS from every such switch: for small graphs)."""
    graph = _networkx(graph)
    worst = 0
    for nodes in _planes(graph).values():
        sub = graph.subgraph(nodes)
        holders = {n for n in nodes if graph.nodes[n]["endpoints"]}
        for source in holders:
            worst = max(worst, _eccentricity(sub, source, holders))
    return worst


def endpoints_disconnected(graph: SwitchGraph | nx.Graph, removed: list[str]) -> int:
    """Endpoint ports cut off when ``removed`` switches fail: those on the removed switches plus those
    outside the part of their plane that keeps the most endpoints."""
    import networkx as nx

    graph = _networkx(graph)
    lost = sum(graph.nodes[n]["endpoints"] for n in removed)
    rest = graph.subgraph(n for n in graph if n not in set(removed))
    for nodes in _planes(rest).values():
        parts = [sum(rest.nodes[n]["endpoints"] for n in c) for c in nx.connected_components(rest.subgraph(nodes))]
        lost += sum(parts) - max(parts, default=0)
    return lost
