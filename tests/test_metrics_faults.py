"""Fault domains computed on the graph, against the families' closed forms and the paper's claims."""

from __future__ import annotations

import pytest

from topoctl.design import load_designs
from topoctl.metrics.analysis import AnalysisOptions, fabric_view
from topoctl.metrics.faults import FabricView, fault_table
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.spec import builtin_spec_path
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree, MultiplaneFatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters


def by_component(entries):
    return {e.component: e for e in entries}


def mpft(ports: int) -> MultiplaneFatTree:
    return MultiplaneFatTree.from_parameters(
        MultiplaneFatTreeParameters(planes=8, k=64, tiers=2, endpoints_per_node=8, ports_per_endpoint=ports), 64
    )


def test_table3_ft2_leaf_disconnects_32_and_mpft_multiport_none():
    """Done-when: one leaf failure disconnects 32 endpoints in FT2 and none in MPFT with multi-port NICs."""
    _, designs = load_designs(builtin_spec_path())
    ft2 = next(d for d in designs if d.name == "FT2")
    ft2_leaf = by_component(fault_table(fabric_view(ft2, AnalysisOptions())))["leaf"]
    assert ft2_leaf.endpoints_disconnected == 32 and ft2_leaf.endpoints_degraded == 0
    topo = mpft(8)
    table = by_component(fault_table(FabricView(to_arrays(topo.plane.build()), 8, 8)))
    assert table["leaf"].endpoints_disconnected == 0
    assert table["leaf"].endpoints_degraded == 32
    assert table["leaf"].count == 512
    assert table["plane"].endpoints_disconnected == 0 and table["plane"].endpoints_degraded == 2048
    assert table["plane"].bisection_lost_ratio == pytest.approx(1 / 8)
    assert table["endpoint port"].endpoints_disconnected == 0


def test_deployed_mpft_single_port_with_and_without_forwarding():
    topo = mpft(1)
    arrays = to_arrays(topo.plane.build())
    plain = by_component(fault_table(FabricView(arrays, 8, 1, node_forwarding=False)))
    assert plain["leaf"].endpoints_disconnected == 32 and plain["plane"].endpoints_disconnected == 2048
    pxn = by_component(fault_table(FabricView(arrays, 8, 1, node_forwarding=True)))
    assert pxn["leaf"].endpoints_disconnected == 0 and pxn["leaf"].endpoints_degraded == 32


def test_ft2_bisection_lost_ratios():
    """A spine carries 1/32 of the k=64 tree's bisection; a leaf about 1/64."""
    table = by_component(fault_table(FabricView(to_arrays(FatTree.from_parameters(FatTreeParameters(k=64), 64).build()))))
    assert table["spine"].bisection_lost_ratio == pytest.approx(1 / 32)
    assert table["leaf"].bisection_lost_ratio == pytest.approx(1 / 64, rel=0.1)
    assert table["leaf-spine link"].bisection_lost_ratio == pytest.approx(1 / 1024, abs=1e-6)
    assert table["endpoint port"].bisection_lost_ratio == 0


@pytest.mark.parametrize(
    "topo",
    [
        FatTree.from_parameters(FatTreeParameters(k=8, tiers=2), 64),
        FatTree.from_parameters(FatTreeParameters(k=16, tiers=2, endpoints=7), 64),
        FatTree.from_parameters(FatTreeParameters(k=16, tiers=2, endpoints=100), 64),
        FatTree.from_parameters(FatTreeParameters(k=8, tiers=3), 64),
        FatTree.from_parameters(FatTreeParameters(k=8, tiers=3, endpoints=40), 64),
        Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64),
        Dragonfly.from_parameters(DragonflyParameters(p=1, a=1, h=1, g=2), 64),
        SlimFly.from_parameters(SlimFlyParameters(q=5), 64),
    ],
    ids=lambda t: t.variant,
)
def test_graph_agrees_with_closed_form_fault_domains(topo):
    graph = by_component(fault_table(FabricView(to_arrays(topo.build()))))
    for domain in topo.fault_domains():
        if domain.component == "switch link":  # the slim fly's two link groups, one closed-form entry
            matches = [graph["intra-subgraph link"], graph["inter-subgraph link"]]
        else:
            assert domain.component in graph, f"{domain.component} missing from the graph table of {topo.variant}"
            matches = [graph[domain.component]]
        assert sum(e.count for e in matches) == domain.count, domain.component
        for entry in matches:
            assert entry.endpoints_disconnected == domain.endpoints_disconnected, domain.component


def test_every_entry_names_its_method():
    table = fault_table(FabricView(to_arrays(FatTree.from_parameters(FatTreeParameters(k=8, tiers=3), 64).build())))
    for entry in table:
        d = entry.as_dict()
        assert set(d) >= {"component", "count", "endpoints_disconnected", "endpoints_degraded", "bisection_lost_ratio", "method"}
        assert d["method"]
        assert 0 <= d["bisection_lost_ratio"] <= 1
