"""Ports by role (Topology.ports_by_role): what the busiest switch of each role cables, checked against the
built graph of every example of every family that states them."""

from __future__ import annotations

import numpy as np
import pytest

from topoctl.topologies import FAMILIES


def _ports(name: str, params: dict) -> dict[str, int] | None:
    family = FAMILIES[name]
    return family.from_parameters(family.Parameters.model_validate(params), 64).ports_by_role()


ALL = [(name, params) for name, family in FAMILIES.items() for params in family.examples()]
CASES = [(name, params) for name, params in ALL if _ports(name, params) is not None]
ONE_MODEL = sorted({name for name, params in ALL if _ports(name, params) is None})


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
    assert topology.ports_by_role() == graph_ports(topology.build()), params


def test_the_tree_families_state_ports_by_role_and_the_others_take_one_model():
    """Every example of the fat-tree families states them (rail_only's one-switch rails excepted: no tree
    plane); the direct networks take one model for all their switches."""
    assert {name for name, _ in CASES} == {"fat_tree", "multiplane_fat_tree", "mrft", "rail_only", "rail_optimized"}
    assert set(ONE_MODEL) == {"dragonfly", "dragonfly_plus", "hyperx", "rail_only", "slim_fly"}
