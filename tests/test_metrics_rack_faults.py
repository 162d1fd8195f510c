"""The rack fault class against a brute force on networkx: remove one rack's switches and nodes and
check every endpoint's ports."""

from __future__ import annotations

import networkx as nx
import pytest

from topoctl.design import resolve
from topoctl.metrics import rack_faults
from topoctl.metrics.rack_faults import rack_fault
from topoctl.physical.layout import Layout, LayoutOptions
from topoctl.physical.ports import PortPlan
from topoctl.spec import DesignSpec


def design(family: str, parameters: dict):
    return resolve(DesignSpec.model_validate(
        {"name": "t", "family": family, "parameters": parameters, "endpoint_speed_gbps": 400,
         "switch": {"radix": 64, "port_speed_gbps": 400, "price_usd": 1000}}
    ))


def brute_force(built, rack: int, options: LayoutOptions, forwarding: bool) -> tuple[int, int]:
    plan = PortPlan(built)
    layout = Layout(plan, options)
    graph = plan.graph.copy()
    graph.remove_nodes_from([s for i, s in enumerate(plan.switches) if layout.switch_position[i][0] == rack])
    planes = {data.get("plane", -1) for _, data in plan.graph.nodes(data=True)}
    bulk = set()
    for plane in planes:  # the part holding the most endpoint ports, per plane
        parts = [c for c in nx.connected_components(graph) if graph.nodes[next(iter(c))].get("plane", -1) == plane]
        if parts:
            bulk |= max(parts, key=lambda c: sum(graph.nodes[s]["endpoints"] for s in c))
    m = plan.ports_per_endpoint
    live = {}
    node_live = {}
    for s, _, n, j in plan.attachments():
        endpoint = (n, (j - 1) // m)
        ok = plan.switches[s] in bulk and layout.node_position[n][0] != rack
        live[endpoint] = live.get(endpoint, 0) + ok
        node_live[n] = node_live.get(n, 0) + ok
    disconnected = degraded = 0
    for (n, _), count in live.items():
        down = layout.node_position[n][0] == rack
        if count == 0 and forwarding and not down and node_live[n] > 0:
            degraded += 1
        elif count == 0:
            disconnected += 1
        elif count < m:
            degraded += 1
    return disconnected, degraded


CASES = [
    ("fat_tree", {"k": 8, "tiers": 2}, False),
    ("fat_tree", {"k": 8, "tiers": 3}, False),
    ("multiplane_fat_tree", {"planes": 4, "k": 8, "endpoints_per_node": 4}, False),
    ("multiplane_fat_tree", {"planes": 4, "k": 8, "endpoints_per_node": 4}, True),
    ("multiplane_fat_tree", {"planes": 4, "k": 8, "endpoints_per_node": 4, "ports_per_endpoint": 2}, False),
    ("dragonfly", {"p": 2, "a": 4, "h": 2, "g": 9}, False),
]


@pytest.mark.parametrize("family, parameters, forwarding", CASES)
def test_worst_rack_matches_brute_force(family, parameters, forwarding, monkeypatch):
    monkeypatch.setattr(rack_faults, "MAX_NODE_RACKS", 10_000)  # every rack
    options = LayoutOptions(rack_units=12)  # small racks: several per design
    built = design(family, parameters)
    result = rack_fault(built, forwarding, options)
    layout = Layout(PortPlan(built), options)
    assert result.count == layout.num_racks > 2
    every = [brute_force(built, rack, options, forwarding) for rack in range(layout.num_racks)]
    assert (result.endpoints_disconnected, result.endpoints_degraded) == max(every)
    assert result.method.startswith("graph: rack layout") and "every rack" in result.method


def test_spine_rack_of_a_two_tier_tree_cuts_every_leaf_apart():
    """k=8 in 8U racks: the 8 leaves fill one network rack, the 4 spines the next. Without the spines each
    leaf is alone and the bulk is one leaf; without the leaves every endpoint is cut off (the worst)."""
    built = design("fat_tree", {"k": 8, "tiers": 2})
    options = LayoutOptions(rack_units=8)
    plan = PortPlan(built)
    layout = Layout(plan, options)
    spine_racks = {layout.switch_position[i][0] for i, name in enumerate(plan.switches) if name.startswith("spine")}
    assert len(spine_racks) == 1
    assert brute_force(built, spine_racks.pop(), options, False) == (32 - 4, 0)
    result = rack_fault(built, False, options)
    assert result.endpoints_disconnected == 32 and result.bisection_lost_ratio == 1.0


def test_endpoints_with_a_port_in_every_plane_are_lost_only_with_their_rack():
    """m = P: a rack of switches never cuts an endpoint off; the worst rack is the one with most nodes."""
    from collections import Counter

    built = design("multiplane_fat_tree", {"planes": 4, "k": 8, "endpoints_per_node": 4, "ports_per_endpoint": 4})
    options = LayoutOptions(rack_units=12)
    result = rack_fault(built, False, options)
    nodes_per_rack = Counter(rack for rack, _ in Layout(PortPlan(built), options).node_position)
    assert result.endpoints_disconnected == 4 * max(nodes_per_rack.values())
