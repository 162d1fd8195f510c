"""The contract every family in the registry keeps, checked the same way for each on small instances: the
built graph uses at most the radix on every switch, carries exactly the closed-form counts, loses what
``fault_domains`` says when one component of each class fails, is the same on every build, and has the
endpoint-to-endpoint diameter ``diameter_hops`` says; every design describes itself.

Parametrised over ``topoctl.topologies.FAMILIES``: a new family is checked without editing this file. Its
instances are the family's default design on small-radix switches, the small designs of the spec files in
specs/ (grouped by their ``family``), and the variants the family names in ``examples()``. Everything here reads a networkx graph through ``_graph``, so it holds whether
``build`` returns one or an array graph with ``to_networkx``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict, deque
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from topoctl.design import load_designs
from topoctl.errors import SpecError
from topoctl.topologies import FAMILIES
from topoctl.topologies.base import Topology

from repo_paths import REPO, SPECS

DEFAULT_RADICES = (4, 5, 6, 8, 12, 16)  # each family's default design on these switches
MAX_SWITCHES = 300  # instances are small: every component of every class is removed in turn
MAX_SWITCH_LINKS = 5_000
MAX_RADIX = 64  # the hand-picked designs sit on the smallest radix (up to this) they resolve on

def _graph(topo: Topology) -> nx.Graph:
    """The built graph as networkx, whether ``build`` returns networkx or an array graph."""
    g = topo.build()
    return g.to_networkx() if hasattr(g, "to_networkx") else g


def _small(topo: Topology) -> bool:
    counts = topo.counts()
    return topo.constructible and counts.num_switches <= MAX_SWITCHES and counts.num_switch_links <= MAX_SWITCH_LINKS


def _tightest(family: type[Topology], params: dict[str, Any]) -> Topology:
    """The design on the smallest radix it resolves on, so the radix check has no slack to hide in."""
    parsed = family.Parameters(**params)
    for radix in range(2, MAX_RADIX + 1):
        try:
            return family.from_parameters(parsed, radix)
        except SpecError:
            continue
    raise AssertionError(f"{family.family} {params} resolves on no radix up to {MAX_RADIX}")


def _instances(name: str) -> list[tuple[str, Topology]]:
    family = FAMILIES[name]
    found: list[tuple[str, Topology]] = []
    for radix in DEFAULT_RADICES:
        try:
            topo = family.from_parameters(family.Parameters(), radix)
        except SpecError:
            continue
        found.append((f"defaults@radix{radix}", topo))
    for path in sorted(SPECS.glob("*.yaml")):
        for design in load_designs(path)[1]:
            if design.topology.family == name:
                found.append((f"{path.name}:{design.name}", design.topology))
    for params in family.examples():
        topo = _tightest(family, params)
        found.append((",".join(f"{k}={v}" for k, v in params.items()) + f"@radix{topo.radix}", topo))
    small, seen = [], set()
    for label, topo in found:
        if _small(topo) and topo not in seen:  # frozen dataclasses: equal designs are checked once
            seen.add(topo)
            small.append((label, topo))
    return small


INSTANCES = {name: _instances(name) for name in FAMILIES}
CASES = [pytest.param(topo, id=f"{name}-{label}") for name, found in INSTANCES.items() for label, topo in found]


@cache
def _built(topo: Topology) -> nx.Graph:
    return _graph(topo)


def _plane(graph: nx.Graph, node: str) -> int:
    plane = graph.nodes[node].get("plane")
    return 0 if plane is None else plane


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_names_small_examples(name):
    assert FAMILIES[name].examples(), f"{name}: examples() names no small variant"


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_has_small_instances(name):
    assert len(INSTANCES[name]) >= 3, (
        f"{name}: only {len(INSTANCES[name])} small instances (defaults on radix {DEFAULT_RADICES}, specs/); "
        "name small designs of the family in its examples()"
    )


@pytest.mark.parametrize("topo", CASES)
def test_ports_used_within_the_radix(topo):
    graph = _built(topo)
    for node, data in graph.nodes(data=True):
        used = data["endpoints"] + sum(edge["count"] for edge in graph.adj[node].values())
        assert used <= topo.radix, f"{node} uses {used} ports on a radix-{topo.radix} switch"


@pytest.mark.parametrize("topo", CASES)
def test_closed_form_counts_equal_the_graph(topo):
    graph, counts = _built(topo), topo.counts()
    roles: dict[str, int] = defaultdict(int)
    for _, role in graph.nodes(data="role"):
        roles[role] += 1
    assert dict(roles) == {role: n for role, n in counts.num_switches_by_role.items() if n}
    links: dict[str, int] = defaultdict(int)
    for _, _, data in graph.edges(data=True):
        assert data["count"] >= 1
        links[data["link_group"]] += data["count"]
    assert dict(links) == {group.name: group.count for group in counts.link_groups if group.count}
    assert sum(n for _, n in graph.nodes(data="endpoints")) == counts.num_endpoint_links
    assert counts.num_endpoint_links == counts.num_endpoints * topo.ports_per_endpoint


@pytest.mark.parametrize("topo", CASES)
def test_each_plane_is_connected(topo):
    graph = _built(topo)
    planes = {_plane(graph, node) for node in graph}
    assert len(planes) == topo.num_planes()
    for plane in planes:
        assert nx.is_connected(graph.subgraph(n for n in graph if _plane(graph, n) == plane)), f"plane {plane}"


class _Removal:
    """Endpoint ports cut off by a failure: those on failed switches, and in each plane those outside the
    connected part holding the most endpoint ports (as topoctl.metrics.faults counts them)."""

    def __init__(self, graph: nx.Graph):
        self.graph = graph
        self.nodes = list(graph)
        index = {node: i for i, node in enumerate(self.nodes)}
        self.endpoints = [graph.nodes[n]["endpoints"] for n in self.nodes]
        self.plane = [_plane(graph, n) for n in self.nodes]
        self.adj = [[index[m] for m in graph.adj[n]] for n in self.nodes]
        self.index = index

    def ports_lost(self, switches: list[str] = (), cable: tuple[str, str] | None = None) -> int:
        dead = {self.index[n] for n in switches}
        cut = None if cable is None else {self.index[cable[0]], self.index[cable[1]]}
        lost = sum(self.endpoints[i] for i in dead)
        parts: dict[int, list[int]] = defaultdict(list)
        seen = set(dead)
        for start in range(len(self.nodes)):
            if start in seen:
                continue
            seen.add(start)
            queue, held = deque([start]), 0
            while queue:
                i = queue.popleft()
                held += self.endpoints[i]
                for j in self.adj[i]:
                    if j not in seen and not (cut is not None and {i, j} == cut):
                        seen.add(j)
                        queue.append(j)
            parts[self.plane[start]].append(held)
        return lost + sum(sum(held) - max(held) for held in parts.values())


def _members(graph: nx.Graph, component: str) -> tuple[str, list[Any]]:
    """How one component of a fault-domain class is failed on the graph: ("switches", [switch sets]) for a
    switch role or a grouping attribute of the switches (pod, group, plane: one value, within a plane),
    ("cables", [(u, v, count)]) for "<link group> link" ("switch link": any)."""
    roles = {role for _, role in graph.nodes(data="role")}
    if component in roles:
        return "switches", [[n] for n, role in graph.nodes(data="role") if role == component]
    attributes = {key for _, data in graph.nodes(data=True) for key in data} - {"role", "endpoints"}
    if component in attributes:
        groups: dict[tuple[int, Any], list[str]] = defaultdict(list)
        for node, value in graph.nodes(data=component):
            if value is not None:
                groups[(0 if component == "plane" else _plane(graph, node), value)].append(node)
        return "switches", list(groups.values())
    if component.endswith(" link"):
        group = component.removesuffix(" link")
        cables = [(u, v, d["count"]) for u, v, d in graph.edges(data=True) if group in ("switch", d["link_group"])]
        if cables:
            return "cables", cables
    raise AssertionError(
        f"fault domain class {component!r} is no switch role ({sorted(roles)}), switch attribute "
        f"({sorted(attributes)}) or '<link group> link' of the graph, so it cannot be failed on it"
    )


@pytest.mark.parametrize("topo", CASES)
def test_fault_domains_equal_removal_on_the_graph(topo):
    graph, counts = _built(topo), topo.counts()
    removal, ports = _Removal(graph), topo.ports_per_endpoint
    domains = {domain.component: domain for domain in topo.fault_domains()}
    assert len(domains) == len(topo.fault_domains()), "a component class is listed twice"
    roles = {role for _, role in graph.nodes(data="role")}
    assert {"endpoint port"} | roles <= set(domains), f"classes {sorted(domains)} leave out a switch role"
    for component, domain in domains.items():
        if component == "endpoint port":  # not a node: one port of one endpoint, the rest of its ports intact
            assert domain.count == counts.num_endpoint_links, component
            worst = 1
        elif domain.count == 0:  # a class the design has none of (global links of a one-group dragonfly)
            worst = 0
        else:
            kind, members = _members(graph, component)
            if kind == "switches":
                assert domain.count == len(members), component
                worst = max(removal.ports_lost(switches=m) for m in members)
            else:  # one cable of a bundle: the others keep the two switches joined
                assert domain.count == sum(count for _, _, count in members), component
                worst = max(removal.ports_lost(cable=(u, v)) if count == 1 else 0 for u, v, count in members)
        # one failure stays in one plane: an endpoint with ports in other planes is degraded, not cut off
        expected = (worst, 0) if ports == 1 else (0, worst)
        assert (domain.endpoints_disconnected, domain.endpoints_degraded) == expected, component


def _endpoint_diameter(graph: nx.Graph) -> int:
    """The most switch hops between two switches holding endpoints (BFS from each of them)."""
    holders = {n for n, e in graph.nodes(data="endpoints") if e}
    worst = 0
    for source in holders:
        hops = nx.single_source_shortest_path_length(graph, source)
        worst = max(worst, max(hops[n] for n in holders if n in hops))
    return worst


@pytest.mark.parametrize("topo", CASES)
def test_diameter_hops_equals_the_graph(topo):
    assert topo.diameter_hops() == _endpoint_diameter(_built(topo))


@pytest.mark.parametrize("topo", CASES)
def test_descriptions(topo):
    for text in (type(topo).summary, topo.variant):
        assert text.strip() and "\n" not in text, repr(text)
    assert topo.parameters()


def _digest(graph: nx.Graph) -> str:
    """The graph's nodes and edges with their attributes, in order: equal digests are equal builds."""
    text = repr((list(graph.nodes(data=True)), list(graph.edges(data=True))))
    return hashlib.sha256(text.encode()).hexdigest()


def digests() -> dict[str, str]:
    """Every instance's graph digest, by test id (what the other processes of the determinism test print)."""
    return {case.id: _digest(_graph(case.values[0])) for case in CASES}


@pytest.fixture(scope="module")
def digests_in_other_processes() -> list[dict[str, str]]:
    """The digests built in fresh interpreters with other string-hash seeds (set and dict order of
    strings varies with PYTHONHASHSEED, so a build that leans on it differs between runs)."""
    code = "import json, test_family_contract as c; print(json.dumps(c.digests()))"
    path, out = os.pathsep.join([str(REPO), str(Path(__file__).parent)]), []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        out.append(json.loads(result.stdout))
    return out


@pytest.mark.parametrize("topo", CASES)
def test_build_is_deterministic(topo, request, digests_in_other_processes):
    first = _digest(_graph(topo))
    assert _digest(_graph(topo)) == first, "two builds in one process differ"
    case_id = request.node.callspec.id
    for other in digests_in_other_processes:
        assert other[case_id] == first, "a build in another process (other PYTHONHASHSEED) differs"
