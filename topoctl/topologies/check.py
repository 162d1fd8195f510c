"""Invariants of a built graph against its family's closed forms.

``check_graph`` is what makes a generator trustworthy: the graph must have exactly the counted switches
by role and links by group, carry every endpoint port, keep every switch within its radix, and be
connected (each plane on its own). ``endpoint_diameter`` and ``endpoints_disconnected`` recompute two
closed-form metrics on the graph for tests and small designs.
"""

from __future__ import annotations

from collections import Counter, deque

import networkx as nx

from topoctl.errors import GraphCheckError
from topoctl.topologies.base import Topology

__all__ = ["check_graph", "endpoint_diameter", "endpoints_disconnected"]


def check_graph(topology: Topology, graph: nx.Graph) -> None:
    """Raise GraphCheckError listing every disagreement between ``graph`` and ``topology``'s counts."""
    counts = topology.counts()
    problems = []
    roles = Counter(role for _, role in graph.nodes(data="role"))
    if dict(roles) != {r: n for r, n in counts.num_switches_by_role.items() if n}:
        problems.append(f"switches by role {dict(roles)} != {counts.num_switches_by_role}")
    links: Counter[str] = Counter()
    for _, _, data in graph.edges(data=True):
        links[data["link_group"]] += data["count"]
    expected = {g.name: g.count for g in counts.link_groups if g.count}
    if dict(links) != expected:
        problems.append(f"links by group {dict(links)} != {expected}")
    endpoint_ports = sum(n for _, n in graph.nodes(data="endpoints"))
    if endpoint_ports != counts.num_endpoint_links:
        problems.append(f"endpoint ports {endpoint_ports} != {counts.num_endpoint_links}")
    for node, data in graph.nodes(data=True):
        used = data["endpoints"] + sum(e["count"] for e in graph.adj[node].values())
        if used > topology.radix:
            problems.append(f"{node} uses {used} ports > radix {topology.radix}")
            break
    for plane, nodes in _planes(graph).items():
        if not nx.is_connected(graph.subgraph(nodes)):
            problems.append(f"plane {plane} is not connected")
    if problems:
        raise GraphCheckError(f"{topology.family} graph disagrees with its closed forms: " + "; ".join(problems))


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


def endpoint_diameter(graph: nx.Graph) -> int:
    """Switch hops on the longest shortest path between switches carrying endpoints, within a plane
    (BFS from every such switch: for small graphs)."""
    worst = 0
    for nodes in _planes(graph).values():
        sub = graph.subgraph(nodes)
        holders = {n for n in nodes if graph.nodes[n]["endpoints"]}
        for source in holders:
            worst = max(worst, _eccentricity(sub, source, holders))
    return worst


def endpoints_disconnected(graph: nx.Graph, removed: list[str]) -> int:
    """Endpoint ports cut off when ``removed`` switches fail: those on the removed switches plus those
    outside the part of their plane that keeps the most endpoints."""
    lost = sum(graph.nodes[n]["endpoints"] for n in removed)
    rest = graph.subgraph(n for n in graph if n not in set(removed))
    for nodes in _planes(rest).values():
        parts = [sum(rest.nodes[n]["endpoints"] for n in c) for c in nx.connected_components(rest.subgraph(nodes))]
        lost += sum(parts) - max(parts, default=0)
    return lost
