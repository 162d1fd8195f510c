"""Ports by role (Topology.ports_by_role): what the busiest switch of each role cables, checked against the
built graph of every example of every family that states them."""

from __future__ import annotations

import numpy as np
import pytest

from topoctl.topologies import FAMILIES

CASES = [(name, params) for name, family in FAMILIES.items() for params in family.examples()]


def graph_ports(graph) -> dict[str, int]:
    """The most ports any switch of each role cables: its endpoint ports and both ends' share of bundles."""
    cabled = graph.endpoints.astype(np.int64).copy()
    np.add.at(cabled, graph.edge_u, graph.edge_count)
    np.add.at(cabled, graph.edge_v, graph.edge_count)
    out: dict[str, int] = {}
    for role, ports in zip(graph.roles.tolist(), cabled.tolist(), strict=True):
        out[role] = max(out.get(role, 0), int(ports))
    return out


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_ports_by_role_are_the_built_graphs(name, params):
    family = FAMILIES[name]
    topology = family.from_parameters(family.Parameters.model_validate(params), 64)
    ports = topology.ports_by_role()
    if ports is None:
        pytest.skip(f"{name} states no ports by role")
    assert ports == graph_ports(topology.build()), params
