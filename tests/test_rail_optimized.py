"""Rail-optimized scalable units: NVIDIA's published DGX SuperPOD component counts, closed forms against
built graphs, rails, planes, hops and fault domains."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan
from topoctl.spec import DesignSpec
from topoctl.topologies.check import check_graph, endpoint_diameter, endpoints_disconnected
from topoctl.topologies.rail_optimized import RailOptimized, RailOptimizedParameters

from bisection_oracle import exact_bisections


def pod(radix: int = 64, **params) -> RailOptimized:
    return RailOptimized.from_parameters(RailOptimizedParameters(**params), radix)


# DGX SuperPOD B200 reference architecture, "Larger DGX SuperPOD component counts" (QM9700 64 x 400G,
# 32 nodes per SU, 8 GPUs per node): SUs, nodes, GPUs | leaf, spine, core | node-leaf, leaf-spine, spine-core
B200 = [
    (2, 64, 512, 16, 8, 0, 512, 512, 0),
    (4, 128, 1024, 32, 16, 0, 1024, 1024, 0),
    (8, 256, 2048, 64, 32, 0, 2048, 2048, 0),
    (16, 512, 4096, 128, 128, 64, 4096, 4096, 4096),
    (32, 1024, 8192, 256, 256, 128, 8192, 8192, 8192),
    (64, 2048, 16384, 512, 512, 256, 16384, 16384, 16384),
]


@pytest.mark.parametrize("units, nodes, gpus, leaf, spine, core, node_leaf, leaf_spine, spine_core", B200)
def test_dgx_superpod_b200_component_counts(units, nodes, gpus, leaf, spine, core, node_leaf, leaf_spine, spine_core):
    topo = pod(units=units)  # defaults: 8 GPUs per node, 32 nodes per SU, k = radix = 64, tiers as needed
    counts = topo.counts()
    assert topo.parameters()["nodes"] == nodes and counts.num_endpoints == gpus
    assert counts.num_switches_by_role == {"leaf": leaf, "spine": spine, **({"core": core} if core else {})}
    links = {g.name: g.count for g in counts.link_groups}
    assert counts.num_endpoint_links == node_leaf
    assert links == {"leaf-spine": leaf_spine, **({"spine-core": spine_core} if core else {})}
    assert topo.tiers == (3 if core else 2)
    graph = topo.build()  # the built graph carries exactly these counts
    check_graph(topo, graph)
    assert Counter(graph.roles.tolist()) == counts.num_switches_by_role
    assert Counter(graph.edge_groups.repeat(graph.edge_count).tolist()) == links
    assert int(graph.endpoints.sum()) == node_leaf


# B300 reference architecture: 64 nodes per SU, a dual-plane fabric (one port of every GPU in each plane),
# reproduced on radix-128 switches with 64 ports down and 64 up: SUs | leaf, spine
B300 = [(1, 16, 8), (2, 32, 16), (4, 64, 32), (8, 128, 64), (16, 256, 128)]


@pytest.mark.parametrize("units, leaf, spine", B300)
def test_dgx_superpod_b300_component_counts(units, leaf, spine):
    topo = pod(128, units=units, nodes_per_unit=64, planes=2)
    assert topo.counts().num_switches_by_role == {"leaf": leaf, "spine": spine}
    assert topo.tiers == 2 and topo.num_endpoints == units * 64 * 8
    assert topo.counts().num_endpoint_links == 2 * topo.num_endpoints


def test_defaults_are_the_largest_two_tier_pod_and_three_tier_maximum():
    assert pod().units == 8 and pod().tiers == 2
    assert pod(tiers=3).units == 256 and pod(tiers=3).num_endpoints == 64**3 // 4


CASES = [
    dict(endpoints_per_node=2, nodes_per_unit=2, units=2, k=4),
    dict(endpoints_per_node=2, nodes_per_unit=2, units=4, k=4),
    dict(endpoints_per_node=4, nodes_per_unit=3, units=2, k=8),
    dict(endpoints_per_node=2, nodes_per_unit=5, units=2, k=8, tiers=3),
    dict(endpoints_per_node=2, nodes_per_unit=2, units=2, k=4, planes=2),
    dict(endpoints_per_node=4, nodes_per_unit=4, units=1, k=8, oversubscription=3.0),
    dict(endpoints_per_node=2, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0),
    dict(endpoints_per_node=1, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0),
    dict(endpoints_per_node=4, nodes_per_unit=8, units=6, k=16, tiers=3),
    dict(endpoints_per_node=8, nodes_per_unit=8, units=2, k=16, planes=2),
]


@pytest.mark.parametrize("params", CASES)
def test_graph_matches_closed_forms(params):
    topo = pod(params["k"], **params)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops()
    g, rails = params["endpoints_per_node"], graph.labels[0][1]
    planes = max(1, params.get("planes", 1))
    per_rail = [int(graph.endpoints[rails == r].sum()) for r in range(g)]
    assert per_rail == [topo.num_endpoints * planes // g] * g  # every node's GPU r on rail r, in every plane
    for name, rail in zip(graph.names, rails.tolist(), strict=True):
        assert (rail >= 0) == ("rail" in name)
        if rail >= 0:
            assert f"rail{rail}-" in name


@pytest.mark.parametrize("params", [CASES[0], CASES[2], CASES[5], dict(endpoints_per_node=2, nodes_per_unit=3, units=2, k=8)])
def test_bisection_is_exact(params):
    topo = pod(params["k"], **params)
    found = exact_bisections(topo.build(), (1.0, 0.5))
    for link, exact in found.items():
        assert topo.bisection(link).links == pytest.approx(exact), link
    assert topo.bisection().kind == "exact"


def test_three_tier_bisection_against_the_exact_cut():
    topo = pod(4, endpoints_per_node=2, nodes_per_unit=2, units=4, k=4)  # 20 switches, two SLGs per rail
    assert topo.tiers == 3 and topo.counts().num_switches == 20
    found = exact_bisections(topo.build(), (1.0,))
    assert topo.bisection().links == pytest.approx(found[1.0])


def test_rail_aligned_hops():
    """Same rail: 2 hops through the rail's spines even across SUs; other rails: 4, through a core."""
    topo = pod(16, endpoints_per_node=4, nodes_per_unit=8, units=6, k=16, tiers=3)
    graph = topo.build().to_networkx()
    hops = dict(nx.all_pairs_shortest_path_length(graph))
    assert topo.groups_per_rail == 1 and topo.leaves_per_group == 6
    assert hops["rail2-leaf-0"]["rail2-leaf-5"] == 2  # SU 0 and SU 5, one rail
    assert hops["rail2-leaf-0"]["rail3-leaf-0"] == 4  # one SU, two rails
    assert topo.diameter_hops() == 4
    two = pod(units=8).build().to_networkx()
    assert nx.shortest_path_length(two, "rail0-leaf-0", "rail7-leaf-7") == 2


@pytest.mark.parametrize("params, component, lost", [
    (dict(endpoints_per_node=4, nodes_per_unit=4, units=1, k=8, oversubscription=3.0), "spine", 12),
    (dict(endpoints_per_node=2, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0), "spine", 6),
    (dict(endpoints_per_node=1, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0), "core", 6),
    (dict(endpoints_per_node=2, nodes_per_unit=2, units=4, k=4), "pod", 4),
])
def test_fault_domains_match_graph_removal(params, component, lost):
    topo = pod(params["k"], **params)
    graph = topo.build().to_networkx()
    domains = {d.component: d for d in topo.fault_domains()}
    assert domains[component].endpoints_disconnected == lost
    for role in topo.counts().num_switches_by_role:
        worst = max(endpoints_disconnected(graph, [n]) for n, r in graph.nodes(data="role") if r == role)
        assert domains[role].endpoints_disconnected == worst, role


def test_dual_plane_failures_degrade():
    domains = {d.component: d for d in pod(128, units=1, nodes_per_unit=64, planes=2).fault_domains()}
    assert (domains["leaf"].endpoints_disconnected, domains["leaf"].endpoints_degraded) == (0, 64)
    assert (domains["plane"].endpoints_disconnected, domains["plane"].endpoints_degraded) == (0, 512)


def test_port_plan_puts_gpu_i_on_rail_i_of_its_unit():
    design = resolve(DesignSpec(name="su", family="rail_optimized", switch={"radix": 16},
                                parameters={"endpoints_per_node": 4, "nodes_per_unit": 8, "units": 6, "k": 16, "tiers": 3}))
    plan = PortPlan(design)
    for c in plan.cables():
        if c.link_group == ENDPOINT_LINK_GROUP:
            node, gpu = int(c.a_device[5:]), int(c.a_port[3:]) - 1
            assert c.z_device == f"rail{gpu}-leaf-{node // 8}"


def test_dual_plane_port_plan():
    design = resolve(DesignSpec(name="b300", family="rail_optimized", switch={"radix": 16},
                                parameters={"endpoints_per_node": 8, "nodes_per_unit": 8, "units": 2, "k": 16, "planes": 2}))
    for c in PortPlan(design).cables():
        if c.link_group == ENDPOINT_LINK_GROUP:
            gpu, port = divmod(int(c.a_port[3:]) - 1, 2)
            assert c.z_device.startswith(f"p{port}-rail{gpu}-leaf-")


@pytest.mark.parametrize(
    "params, radix, path, text",
    [
        (dict(units=9, tiers=2), 64, "units", "use at most 8 units with two tiers"),
        (dict(units=65), 64, "units", "nearest valid: 64, 66"),
        (dict(units=257), 64, "units", "exceed the three-tier maximum 256"),
        (dict(nodes_per_unit=300, tiers=2), 64, "nodes_per_unit", "needs 80 leaves (8 rails x 10)"),
        (dict(nodes_per_unit=2000, tiers=3), 64, "nodes_per_unit", "at most 1024 nodes_per_unit"),
        (dict(k=65), 64, "k", "exceeds the switch radix 64"),
    ],
)
def test_invalid_parameters(params, radix, path, text):
    with pytest.raises(SpecError) as info:
        pod(radix, **params)
    assert info.value.path == path and text in info.value.message, info.value.message


def test_partly_used_leaves_get_the_uplinks_their_endpoints_need():
    big = pod(128)  # 32-node SUs on 128-port leaves: 32 down, 32 up, not 64:64
    counts = big.counts()
    assert (big.num_endpoints, big.down, big.up) == (4096, 32, 32)
    assert counts.num_switches_by_role == {"leaf": 128, "spine": 32} and counts.num_switch_links == 4096
    small = pod(128, nodes_per_unit=16, units=8)
    assert (small.num_endpoints, small.up, small.counts().num_switch_links) == (1024, 16, 1024)
    over = pod(64, units=2, oversubscription=3.0)  # 48:16 split, a leaf holds 32: ceil(32/3) = 11 up
    assert (over.down, over.up) == (32, 11)
    for topo in (pod(16, endpoints_per_node=2, nodes_per_unit=3, units=2), pod(16, endpoints_per_node=2,
                                                                              nodes_per_unit=3, units=4, tiers=3)):
        assert (topo.down, topo.up) == (3, 3)
        check_graph(topo, topo.build())
    assert pod(units=2).up == 32  # the full SuperPOD leaf: 32 down, 32 up


def test_sizing_candidates_of_partly_used_leaves_have_as_many_up_as_down_and_rebuild():
    from topoctl.requirement import parse_requirement
    from topoctl.topologies.sizing import Prices

    prices = Prices(switch_cents=4_900_000, endpoint_cable_cents=30_000, electric_link_cents=16_000,
                    optical_link_cents=180_000)
    req = parse_requirement({"endpoints": 256, "switches": [{"model": "ib-ndr-64x400g", "radix": 24}],
                             "min_bisection_ratio": 0, "families": ["rail_optimized"]}, "test")
    request, switch = req.sizing_request(), req.switch_configs()[0]
    candidates = list(RailOptimized.candidates(request, switch, prices))
    candidates = [c for c in candidates if not c.decided]  # the leaf-split shapes
    assert any(2 * c.shape["down"] < c.shape["k"] for c in candidates)
    for c in candidates:
        d, u, k = c.shape["down"], c.shape["up"], c.shape["k"]
        assert u == (d if 2 * d < k else k - d), c.label()
        topo = RailOptimized.from_parameters(RailOptimizedParameters(**c.design_parameters(8)), switch.radix)
        assert (topo.down, topo.up) == (d, u), c.label()
        assert topo.counts().num_switches_by_role == c.per_tier(), c.label()


def test_descriptions_are_singular_for_one():
    from types import SimpleNamespace

    one = pod(4, endpoints_per_node=1, nodes_per_unit=1, units=1)
    assert one.variant.startswith("1 scalable unit of 1 node x 1 GPU, 2 tiers"), one.variant
    assert pod(units=2).variant.startswith("2 scalable units of 32 nodes x 8 GPUs")
    c = SimpleNamespace(tiers=3, decided=False, shape={"g": 1, "down": 1, "up": 1, "k": 4},
                        size={"units": 1, "spines": 1, "cores": 1})
    assert RailOptimized.sizing_label(c) == "3-tier, 1 SU of 1 node x 1 rail, 1:1 on k=4"
    assert RailOptimized.sizing_note(c) == ("1 scalable unit of 1 node, one leaf per rail per SU "
                                            "(1 leaf, 1 down, 1 up), 1 spine, 1 core")


# -- explicit constructions (parameters.construction) -------------------------------------------------
SMALL = dict(pods=4, edges_per_pod=4, aggregations_per_pod=2, edge_aggregation_links=2,
             aggregations_per_core_group=2, cores_per_group=4, aggregation_core_links=2)


@pytest.mark.parametrize("g, per_unit, units, construction, radix", [
    # one rail, 2 SLGs of one SU, 2 leaves per SU (3 and 2 nodes), 2 cables to each of 2 spines, both spine
    # indices on one group of 2 cores, 2 cables each
    (1, 5, 2, dict(pods=2, edges_per_pod=2, aggregations_per_pod=2, edge_aggregation_links=2,
                   aggregations_per_core_group=2, cores_per_group=2, aggregation_core_links=2), 8),
    (2, 3, 2, dict(pods=2, edges_per_pod=2, aggregations_per_pod=2, edge_aggregation_links=2,
                   aggregations_per_core_group=2, cores_per_group=2, aggregation_core_links=2), 8),  # 2 SUs per SLG
    (2, 3, 2, dict(pods=2, edges_per_pod=2, aggregations_per_pod=1, cores_per_group=1, aggregation_core_links=2), 8),
    (1, 4, 3, dict(pods=3, edges_per_pod=1, aggregations_per_pod=2, edge_aggregation_links=1,
                   aggregations_per_core_group=1, cores_per_group=1, aggregation_core_links=1), 8),
    (2, 2, 2, dict(pods=2, edges_per_pod=2, aggregations_per_pod=3, aggregations_per_core_group=3, cores_per_group=2,
                   aggregation_core_links=1), 8),  # 3 spines per SLG, one group of 2 cores serving all three
])
def test_constructions_match_the_built_graph_and_hold_whole_units_of_one_rail(g, per_unit, units, construction, radix):
    """Counts against the graph (check_graph), hops against the graph, the closed-form bisection against every
    cut of the built graph (endpoint links at 1, 1/2 and 2 cables), fault domains against removal, every SLG
    one rail's whole SUs with the same leaf loads in every SU."""
    topo = pod(radix, endpoints_per_node=g, nodes_per_unit=per_unit, units=units, construction=construction)
    graph = topo.build()
    check_graph(topo, graph)
    assert endpoint_diameter(graph) == topo.diameter_hops() == 4
    for rho, cut in exact_bisections(graph, (1.0, 0.5, 2.0)).items():
        assert topo.bisection(rho).links == pytest.approx(cut), rho
    rail = graph.labels[0][1]
    x, width = construction["pods"] // g, units * g // construction["pods"]
    per_rail = construction["edges_per_pod"] // width
    for p in range(construction["pods"]):
        members = [i for i in range(graph.num_switches) if graph.pods[i] == p and graph.roles[i] == "leaf"]
        assert {int(rail[i]) for i in members} == {p // x}  # one rail per SLG, rail by rail
        loads = [int(graph.endpoints[i]) for i in members]
        assert loads == sorted(loads[:per_rail], reverse=True) * width and sum(loads) == width * per_unit
    nxg = graph.to_networkx()
    domains = {d.component: d for d in topo.fault_domains()}
    for role in topo.counts().num_switches_by_role:
        worst = max(endpoints_disconnected(nxg, [n]) for n, r in nxg.nodes(data="role") if r == role)
        assert domains[role].endpoints_disconnected == worst, role


def test_the_leaf_split_fabric_is_the_construction_it_generalises():
    """The three-tier fabric of the leaf split is the construction with P = G*X, E = W*l, A = S_g, m1 = u/S_g,
    h = 1, C, m2 = U_s/C: the same switch graph, names and bundles, and the same closed forms."""
    for params in (CASES[1], dict(endpoints_per_node=2, nodes_per_unit=5, units=2, k=8, tiers=3),
                   dict(endpoints_per_node=2, nodes_per_unit=3, units=4, k=4, tiers=3, oversubscription=3.0),
                   dict(units=16), dict(units=64)):
        split = pod(params.get("k", 64), **params)
        construction = dict(pods=split.num_groups, edges_per_pod=split.leaves_per_group,
                            aggregations_per_pod=split.spines_per_group, edge_aggregation_links=split.spine_links,
                            aggregations_per_core_group=1, cores_per_group=split.cores_per_group,
                            aggregation_core_links=split.core_links)
        same = pod(split.radix, endpoints_per_node=split.endpoints_per_node, nodes_per_unit=split.nodes_per_unit,
                   units=split.units, k=split.k, construction=construction)
        a, b = split.build(), same.build()
        assert a.names == b.names and a.roles.tolist() == b.roles.tolist()
        assert (a.edge_u.tolist(), a.edge_v.tolist(), a.edge_count.tolist()) == (
            b.edge_u.tolist(), b.edge_v.tolist(), b.edge_count.tolist())
        assert split.counts() == same.counts() and split.bisection().links == same.bisection().links
        assert split.fault_domains() == same.fault_domains()


# 10,240 GPUs in 8-GPU nodes on 64 ports, one plane: what sizing decides (40 SUs of 32 nodes, the B200 SU)
DECIDED_10240 = dict(pods=40, edges_per_pod=8, aggregations_per_pod=8, edge_aggregation_links=4,
                     aggregations_per_core_group=1, cores_per_group=32, aggregation_core_links=1)


def test_10240_gpus_on_896_switches_have_full_bisection_on_the_built_graph():
    """The decided 10,240-GPU fabric: counts against the graph, and full bisection proven on the graph by
    max-flow across a balanced split of the rails (5,120 GPUs' worth from rails 0-3 to rails 4-7) and by
    even spreading (every leaf's endpoints at most its cables up, every spine's share at most its cables up)."""
    topo = pod(64, nodes_per_unit=32, units=40, construction=DECIDED_10240)
    graph = topo.build()
    check_graph(topo, graph)
    assert topo.counts().num_switches_by_role == {"leaf": 320, "spine": 320, "core": 256}
    assert topo.counts().num_switch_links == 20480 and topo.bisection().links == 5120
    roles, up_ports = graph.roles, np.zeros(graph.num_switches, dtype=np.int64)
    upward = {("leaf", "spine"), ("spine", "core")}
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        up_ports[u if (roles[u], roles[v]) in upward else v] += c
    received = np.zeros(graph.num_switches)
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        if {roles[u], roles[v]} == {"leaf", "spine"}:
            leaf, spine = (u, v) if roles[u] == "leaf" else (v, u)
            received[spine] += graph.endpoints[leaf] * c / up_ports[leaf]
    leaves, spines = roles == "leaf", roles == "spine"
    assert (graph.endpoints[leaves] <= up_ports[leaves]).all()
    assert (received[spines] <= up_ports[spines] + 1e-9).all()
    flow = nx.DiGraph()
    for u, v, c in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_count.tolist(), strict=True):
        flow.add_edge(graph.names[u], graph.names[v], capacity=c)
        flow.add_edge(graph.names[v], graph.names[u], capacity=c)
    for name, rail, held in zip(graph.names, graph.labels[0][1].tolist(), graph.endpoints.tolist(), strict=True):
        if held:
            flow.add_edge(*(("source", name) if rail < 4 else (name, "sink")), capacity=held)
    assert nx.maximum_flow_value(flow, "source", "sink") == 5120


def test_sizing_decides_the_scalable_units_construction():
    """10,240 GPUs in 8-GPU nodes, radix 64, one plane: the leaf-split shapes' best is 977 switches (56 SUs of 23
    nodes, 10,304 GPUs); the solver's construction 896 switches holding exactly the 1,280 nodes, in the
    reference's 32-node SUs with one leaf per rail per SU; rebuilt through the spec path and checked
    (topoctl.optimize.result.check, run by size), its spec the construction."""
    from topoctl.optimize import parse_requirement, size
    from topoctl.optimize.result import sized_spec

    fields = {"endpoints": 10240, "endpoints_per_node": 8, "families": ["rail_optimized"], "max_planes": 1}
    best = size(parse_requirement(fields, "test")).best
    design = best.design
    assert best.solution.candidate.decided and design.counts.num_switches == 896
    params = sized_spec(best.solution, parse_requirement(fields, "test")).parameters
    assert params == {"endpoints_per_node": 8, "nodes_per_unit": 32, "units": 40, "k": 64, "tiers": 3,
                      "construction": DECIDED_10240}
    check_graph(design.topology, design.topology.build())
    second = size(parse_requirement(fields, "test"), top=2).designs[1]  # the best leaf-split shape
    assert not second.solution.candidate.decided and second.design.counts.num_switches == 977


def test_a_power_objective_decides_the_construction_too():
    """Under --objective power the decided construction takes part, its edge cables at the optical power
    (every cable of the family is optical): 896 switches, its power the rebuilt design's footprint (check,
    run by size), less than the best leaf-split shape's."""
    from topoctl.optimize import parse_requirement, size

    fields = {"endpoints": 10240, "endpoints_per_node": 8, "families": ["rail_optimized"], "max_planes": 1,
              "objective": "power"}
    best, second = size(parse_requirement(fields, "test"), top=2).designs
    assert best.solution.candidate.decided and best.design.counts.num_switches == 896
    assert not second.solution.candidate.decided and second.solution.objective > best.solution.objective


@pytest.mark.parametrize("changes, params, path, words", [
    (dict(pods=3), {}, "construction.pods", "not a multiple of endpoints_per_node=2"),
    ({}, dict(units=3), "units", "do not split into the 2 spine-leaf groups"),
    (dict(edges_per_pod=3), {}, "construction.edges_per_pod", "not a multiple of the 2 SUs"),
    ({}, dict(nodes_per_unit=1), "nodes_per_unit", "leave a leaf empty"),
    ({}, dict(nodes_per_unit=60), "nodes_per_unit", "exceeds k=16"),
    ({}, dict(tiers=2), "tiers", "set tiers: 3"),
    ({}, dict(oversubscription=1.0), "oversubscription", "leave oversubscription out"),
    ({}, dict(units=None), "units", "a construction needs units"),
    (dict(cores_per_group=1), {}, "construction.cores_per_group", "ports down but"),
])
def test_bad_constructions_name_the_field(changes, params, path, words):
    given = {"endpoints_per_node": 2, "nodes_per_unit": 5, "units": 4, "construction": {**SMALL, **changes}, **params}
    with pytest.raises(SpecError) as info:
        pod(16, **{key: value for key, value in given.items() if value is not None})
    assert info.value.path == path and words in info.value.message, info.value.message
