"""Brute-force routing oracle for small graphs: explicit path lists and LPs, sharing no code with
topoctl.metrics.routing (networkx path enumeration, scipy linprog over path variables).

Loads are on directed bundles (u, v) in units of r per unit theta; a bundle of count k carries k*c/r."""

from __future__ import annotations

from collections import defaultdict
from itertools import permutations

import networkx as nx
import numpy as np
from scipy.optimize import linprog


def nx_graph(arrays) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(arrays.num_switches))
    for u, v, count in zip(arrays.edge_u.tolist(), arrays.edge_v.tolist(), arrays.edge_count.tolist(), strict=True):
        graph.add_edge(u, v, count=count)
    return graph


def capacities(graph: nx.Graph, r: float, c: float) -> dict[tuple[int, int], float]:
    out = {}
    for u, v, d in graph.edges(data=True):
        out[(u, v)] = out[(v, u)] = d["count"] * c / r
    return out


def ecmp_paths(graph: nx.Graph, s: int, t: int) -> list[tuple[list[int], float]]:
    """Every shortest path with its share: parallel cables are separate paths, so a path's weight is the
    product of its bundles' counts."""
    paths = list(nx.all_shortest_paths(graph, s, t))
    weights = [float(np.prod([graph[a][b]["count"] for a, b in zip(p, p[1:], strict=False)])) for p in paths]
    total = sum(weights)
    return [(p, w / total) for p, w in zip(paths, weights, strict=True)]


def add_path(loads: dict, path: list[int], amount: float) -> None:
    for a, b in zip(path, path[1:], strict=False):
        loads[(a, b)] += amount


def minimal_loads(graph: nx.Graph, demand: dict[tuple[int, int], float]) -> dict:
    loads: dict = defaultdict(float)
    for (s, t), d in demand.items():
        for path, share in ecmp_paths(graph, s, t):
            add_path(loads, path, d * share)
    return loads


def valiant_loads(graph: nx.Graph, demand: dict[tuple[int, int], float], weights: np.ndarray) -> dict:
    loads: dict = defaultdict(float)
    for (s, t), d in demand.items():
        for w, pw in enumerate(weights.tolist()):
            if pw == 0:
                continue
            if w != s:
                for path, share in ecmp_paths(graph, s, w):
                    add_path(loads, path, d * pw * share)
            if w != t:
                for path, share in ecmp_paths(graph, w, t):
                    add_path(loads, path, d * pw * share)
    return loads


def theta(loads: dict, cap: dict, cap_at: float = 1.0) -> float:
    return min([cap_at] + [cap[e] / x for e, x in loads.items() if x > 1e-15])


def mix_theta(minimal: dict, valiant: dict, cap: dict, cap_at: float = 1.0) -> float:
    """max a + b, a*minimal + b*valiant within capacity: a two-variable LP."""
    edges = sorted(cap)
    a_ub = [[minimal.get(e, 0.0) / cap[e], valiant.get(e, 0.0) / cap[e]] for e in edges] + [[1.0, 1.0]]
    b_ub = [1.0] * len(edges) + [cap_at]
    res = linprog([-1, -1], A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * 2, method="highs")
    return -res.fun


def path_lp(graph: nx.Graph, demand: dict[tuple[int, int], float], cap: dict, cap_at: float = 1.0) -> float:
    """Maximum concurrent flow over every simple path of every pair (one variable per path)."""
    columns, rows_of = [], []
    pairs = list(demand)
    for index, (s, t) in enumerate(pairs):
        for path in nx.all_simple_paths(graph, s, t):
            columns.append(index)
            rows_of.append(list(zip(path, path[1:], strict=False)))
    edges = sorted(cap)
    edge_index = {e: i for i, e in enumerate(edges)}
    n_paths = len(columns)
    a_ub = np.zeros((len(edges), n_paths + 1))
    for j, hops in enumerate(rows_of):
        for e in hops:
            a_ub[edge_index[e], j] += 1.0
    a_eq = np.zeros((len(pairs), n_paths + 1))
    for j, index in enumerate(columns):
        a_eq[index, j] = 1.0
    for index, pair in enumerate(pairs):
        a_eq[index, -1] = -demand[pair]
    cost = np.zeros(n_paths + 1)
    cost[-1] = -1.0
    res = linprog(cost, A_ub=a_ub, b_ub=[cap[e] for e in edges], A_eq=a_eq, b_eq=np.zeros(len(pairs)),
                  bounds=[(0, None)] * n_paths + [(0, cap_at)], method="highs")
    assert res.status == 0, res.message
    return -res.fun


def endpoint_demand(arrays, pattern_targets) -> dict[tuple[int, int], float]:
    """Switch-pair demand of an endpoint pattern: ``pattern_targets`` (list of (sender, receiver, rate))."""
    port_switch = np.repeat(np.arange(arrays.num_switches), arrays.endpoints)
    demand: dict = defaultdict(float)
    for i, j, rate in pattern_targets:
        s, t = int(port_switch[i]), int(port_switch[j])
        if s != t:
            demand[(s, t)] += rate
    return dict(demand)


def uniform_targets(w: int) -> list[tuple[int, int, float]]:
    return [(i, j, 1.0 / (w - 1)) for i, j in permutations(range(w), 2)]


def shift_targets(w: int, shift: int) -> list[tuple[int, int, float]]:
    return [(i, (i + shift) % w, 1.0) for i in range(w)]


def bit_reverse_targets(w: int) -> list[tuple[int, int, float]]:
    bits = max(1, w.bit_length() - 1)
    out = []
    for i in range(1 << bits):
        j = int(format(i, f"0{bits}b")[::-1], 2)
        out.append((i, j, 1.0))
    return out
