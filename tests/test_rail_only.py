"""Rail-only networks: disconnected rails as planes, closed forms against built graphs, the scale-up caps on
throughput, fault domains with and without forwarding, sizing."""

from __future__ import annotations

import networkx as nx
import pytest

from topoctl.design import resolve
from topoctl.errors import SpecError
from topoctl.metrics.analysis import fault_analysis, summary_throughput
from topoctl.metrics.throughput import scale_up_caps
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan
from topoctl.spec import DesignSpec
from topoctl.topologies.check import check_graph, endpoint_diameter
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree, MultiplaneFatTreeParameters
from topoctl.topologies.rail_only import RailOnly, RailOnlyParameters

from bisection_oracle import exact_bisections


def rail_only(radix: int = 64, **params) -> RailOnly:
    return RailOnly.from_parameters(RailOnlyParameters(**params), radix)


def design(radix: int = 64, **params):
    return resolve(DesignSpec(name="ro", family="rail_only", switch={"radix": radix}, endpoint_speed_gbps=400,
                              parameters=params))


def test_one_switch_per_rail():
    topo = rail_only(endpoints=512)  # 64 HGX nodes: 8 rails of one 64-port switch
    counts = topo.counts()
    assert counts.num_switches_by_role == {"leaf": 8} and counts.num_switch_links == 0
    assert topo.tiers == 1 and topo.num_planes() == 8 and topo.diameter_hops() == 0
    assert topo.bisection().links == 8 * 32 and topo.bisection().kind == "exact"
    graph = topo.build()
    check_graph(topo, graph)
    assert graph.names == tuple(f"rail{r}-leaf-0" for r in range(8))
    assert nx.number_connected_components(graph.to_networkx()) == 8


def test_two_tier_rails_at_the_paper_scale_are_mpft_with_one_gpu_per_plane():
    topo = rail_only()  # default: full two-tier rails, 8 x 2,048 GPUs
    mpft = MultiplaneFatTree.from_parameters(MultiplaneFatTreeParameters(planes=8, k=64), 64)
    assert topo.num_endpoints == mpft.num_endpoints == 16384
    assert topo.counts().num_switches_by_role == mpft.counts().num_switches_by_role == {"leaf": 512, "spine": 256}
    assert topo.bisection().links == mpft.bisection().links
    assert topo.plane == mpft.plane == FatTree.from_parameters(FatTreeParameters(k=64, endpoints=2048), 64)


CASES = [
    dict(scale_up_domain=4, k=8, endpoints=24),
    dict(scale_up_domain=2, k=4),
    dict(scale_up_domain=4, rails=2, k=4, endpoints=12),
    dict(scale_up_domain=2, k=4, tiers=3, endpoints=20),
    dict(scale_up_domain=2, k=8, tiers=2, oversubscription=3.0, endpoints=36),
    dict(scale_up_domain=8, k=16, endpoints=200),
    dict(scale_up_domain=1, k=4, tiers=1),
]


@pytest.mark.parametrize("params", CASES)
def test_graph_matches_closed_forms(params):
    topo = rail_only(params["k"], **params)
    graph = topo.build()
    check_graph(topo, graph)  # counts, ports, and every rail (plane) connected
    assert endpoint_diameter(graph) == topo.diameter_hops()
    rails = graph.labels[0][1]
    assert sorted(set(rails.tolist())) == list(range(topo.num_rails))
    if topo.num_rails > 1:
        assert (rails == graph.planes).all()  # a rail is a plane
    for r in range(topo.num_rails):
        assert int(graph.endpoints[rails == r].sum()) == topo.per_rail
    assert nx.number_connected_components(graph.to_networkx()) == topo.num_rails


@pytest.mark.parametrize("params", [CASES[0], CASES[2], dict(scale_up_domain=2, k=6, endpoints=14)])
def test_bisection_is_the_sum_of_the_rails_exact_bisections(params):
    topo = rail_only(params["k"], **params)
    one = topo.analysed_plane().build()
    for link in (1.0, 0.5):
        exact = exact_bisections(one, (link,))[link]
        assert topo.bisection(link).links == pytest.approx(topo.num_rails * exact)


def test_tier_choice():
    assert rail_only(endpoints=512).tiers == 1
    assert rail_only(endpoints=520).tiers == 2  # 65 GPUs a rail: two tiers
    assert rail_only(endpoints=16392).tiers == 3
    with pytest.raises(SpecError) as info:
        rail_only(endpoints=520, tiers=1)
    assert info.value.path == "endpoints" and "1-tier rail maximum 64" in info.value.message


def test_scale_up_caps_formulas():
    """s = ((K-1) + (N-K)(1-1/P))/(N-1); P = K gives N(K-1)/(K(N-1))."""
    n, k, b, r = 4096, 8, 200.0, 400.0
    caps = scale_up_caps(n, k, k, b, r)
    assert caps["all_to_all"].value == pytest.approx(b * k * (n - 1) / (r * n * (k - 1)))
    assert caps["permutation"].value == pytest.approx(b / r)
    assert caps["moe"].value == pytest.approx(min(1.0, b * k / (r * (k - 1))))
    two = scale_up_caps(n, k, 2, b, r)["all_to_all"].value
    assert two == pytest.approx(b * (n - 1) / (r * ((k - 1) + (n - k) / 2)))
    assert scale_up_caps(n, 1, 1, b, r) == {}


def test_throughput_is_capped_by_the_scale_up_domain():
    slow = design(endpoints=4096, scale_up_gbps=200.0)  # NVLink slower than the NIC: forwarding binds
    figures = summary_throughput(slow).as_dict()
    expected = 200 * 8 * 4095 / (400 * 4096 * 7)
    assert figures["all_to_all"]["value"] == pytest.approx(expected, abs=1e-6)
    assert "scale-up forwarding" in figures["all_to_all"]["method"]
    assert figures["permutation"]["value"] == 0.5
    fast = summary_throughput(design(endpoints=4096)).as_dict()  # 3,600 Gb/s: the rails' closed forms stand
    assert fast["all_to_all"]["value"] == 1.0 and fast["moe"]["value"] == 1.0
    mpft = resolve(DesignSpec(name="m", family="multiplane_fat_tree", switch={"radix": 64},
                              parameters={"planes": 8, "k": 64, "endpoints": 4096}))
    assert "scale-up" not in summary_throughput(mpft).all_to_all.method  # no scale-up domain modelled


def test_fault_domains_and_forwarding():
    topo = rail_only(8, scale_up_domain=4, k=8, endpoints=24)
    domains = {d.component: d for d in topo.fault_domains()}
    assert (domains["leaf"].count, domains["leaf"].endpoints_disconnected) == (4, 6)
    assert (domains["rail"].count, domains["rail"].endpoints_disconnected) == (4, 6)
    forwarded = fault_analysis(design(8, scale_up_domain=4, k=8, endpoints=24), node_forwarding=True).as_dict()
    leaf = next(d for d in forwarded["fault_domains"] if d["component"] == "leaf")
    assert (leaf["endpoints_disconnected"], leaf["endpoints_degraded"]) == (0, 6)


def test_port_plan_puts_gpu_i_on_rail_i_mod_p():
    for rails in (4, 2):
        plan = PortPlan(design(8, scale_up_domain=4, rails=rails, k=8, endpoints=24))
        for c in plan.cables():
            if c.link_group == ENDPOINT_LINK_GROUP:
                gpu = int(c.a_port[3:]) - 1
                assert c.z_device.startswith(f"rail{gpu % rails}-")


@pytest.mark.parametrize(
    "params, path, text",
    [
        (dict(rails=3), "rails", "must divide the scale-up domain of 8 GPUs: valid 1, 2, 4, 8"),
        (dict(endpoints=100), "endpoints", "not a whole number of 8-GPU scale-up domains"),
        (dict(tiers=2, endpoints=16392), "endpoints", "above the 2-tier rail maximum 2048"),
        (dict(k=65), "k", "exceeds the switch radix 64"),
    ],
)
def test_invalid_parameters(params, path, text):
    with pytest.raises(SpecError) as info:
        rail_only(**params)
    assert info.value.path == path and text in info.value.message, info.value.message


def test_sizing_picks_one_switch_rails_when_planes_are_allowed():
    from topoctl.optimize import InfeasibleError, parse_requirement, size

    req = parse_requirement({"endpoints": 512, "switches": [{"model": "ib-ndr-64x400g"}], "max_planes": 8,
                             "families": ["fat_tree", "multiplane_fat_tree", "rail_only"]}, "test")
    best = size(req).designs[0].design
    assert best.topology.family == "rail_only" and best.counts.num_switches == 8
    one_plane = parse_requirement({"endpoints": 512, "families": ["rail_only"]}, "test")
    with pytest.raises(InfeasibleError) as info:  # rails are planes: max_planes 1 allows none
        size(one_plane)
    assert "smallest relaxation: max_planes=2" in str(info.value)


def test_one_switch_rail_leaf_and_plane_lose_the_same_share_and_a_full_rack_loses_everything():
    rows = {r["component"]: r for r in fault_analysis(design(64, endpoints=512)).as_dict()["fault_domains"]}
    assert rows["leaf"]["endpoints_disconnected"] == rows["plane"]["endpoints_disconnected"] == 64
    assert rows["leaf"]["bisection_lost_ratio"] == rows["plane"]["bisection_lost_ratio"] == 0.125
    summary = rail_only(64, endpoints=512).bisection_shares()
    assert summary["leaf"][0] == summary["rail"][0] == 0.125
    assert rows["rack"]["endpoints_disconnected"] == 512 and rows["rack"]["bisection_lost_ratio"] == 1.0


@pytest.mark.parametrize("value", [True, False])
def test_tiers_refuses_a_bool(value):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="1, 2 or 3"):
        RailOnlyParameters(tiers=value)
    assert RailOnlyParameters(tiers=1).tiers == 1


def test_descriptions_are_singular_for_one_and_the_moe_note_names_the_node_parameter():
    from topoctl.metrics.analysis import moe_ports_per_node

    one = rail_only(16, scale_up_domain=1, tiers=1, endpoints=8)
    assert one.variant.startswith("1 rail of one switch; scale-up domains of 1 GPU at"), one.variant
    assert rail_only(endpoints=512).variant.startswith("8 rails of one switch, no spine between rails")
    topo = rail_only(16, tiers=1, endpoints=64)
    assert moe_ports_per_node(topo)[2] == "G=8 from scale_up_domain, one plane"
    assert "endpoints_per_node" not in RailOnlyParameters.model_fields
