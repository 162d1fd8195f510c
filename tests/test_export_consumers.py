"""Each export read back by its consumer, or by a reader written from the consumer's parser source
(tests/consumer_parsers.py), with the counts checked against the design:
- IBDM (ibutils): topology file and .ibnl system definitions, every cable loaded;
- BookSim2 anynet and SimAI / ns-3: their readers' tokens, states and checks;
- networkx: DOT through both nx_agraph (Graphviz's own parser) and nx_pydot, GraphML, node-link JSON;
- containerlab: its JSON schema, each kind's interface names and port limit, the management subnet;
- NVIDIA Air: the documented JSON import shape and the OS's port names."""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
import yaml
from consumer_parsers import ParseError, ibdm_load, parse_ibnl, read_anynet, read_simai

from topoctl.errors import ExportError
from topoctl.export import ibtopo
from topoctl.export.containerlab import KINDS, mgmt_subnet
from topoctl.export.job import ExportJob
from topoctl.export.lab import MAX_DEFAULT_SWITCHES, default_switches, port_numbers
from topoctl.export.run import FORMATS, export
from topoctl.export.source import job_from_raw

from export_cases import ALL_DESIGNS, SMALL_DESIGNS, small_job

DATA = Path(__file__).parent / "data"
KEYS = sorted(SMALL_DESIGNS) + ["ft2-partial", "mpft-3tier", "df-parallel", "dragonfly_plus-example0",
                                "rail_only-example0", "hyperx-example0", "ft3-mixed"]


def cables(job: ExportJob) -> int:
    return job.design.counts.num_endpoint_links + job.design.counts.num_switch_links


def switch_pairs(job: ExportJob) -> int:
    return job.plan.graph.number_of_edges()


# -- IBDM ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_ibdm_loads_every_cable(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    count, _ = export(job, "ib-topo", tmp_path / "ib")
    fabric = ibdm_load(tmp_path / "ib" / ibtopo.TOPOLOGY_FILE, tmp_path / "ib" / ibtopo.IBNL_DIRECTORY)
    assert count == cables(job) == len(fabric.cables())
    types = Counter(fabric.system_types.values())
    switch_types = Counter(ibtopo.switch_type(model.name) for model in job.plan.models)  # a system per model
    assert types == {**switch_types,
                     ibtopo.node_type(job.plan.endpoints_per_node, job.plan.ports_per_endpoint): job.plan.num_nodes}
    expected = {frozenset({(c.a_device, ibtopo.ib_port(c.a_port)), (c.z_device, ibtopo.ib_port(c.z_port))})
                for c in job.plan.cables()}
    assert fabric.cables() == expected
    assert fabric.widths == {"4"} and fabric.speeds == {"2.5"}  # 100G lanes: width alone, IBDM's default speed


def test_ibdm_lane_speeds_inside_the_grammar() -> None:
    assert [ibtopo.lane_speed(s) for s in (10, 20, 40, 200, 400, 800)] == ["2.5G", "5G", "10G", None, None, None]


def test_hca_is_a_reserved_word_in_ibnl() -> None:
    """The reason node systems are not called HCA: the scanner makes it a NODETYPE token."""
    with pytest.raises(ParseError, match="expected NAME, got NODETYPE 'HCA'"):
        parse_ibnl("TOPSYSTEM HCA\nNODE CA 1 ConnectX U1\n 1 -> P1\n")
    assert parse_ibnl("\nTOPSYSTEM HOST-1CA-1P\n\nNODE CA 1 ConnectX U1\n   1 -> P1\n") == (["HOST-1CA-1P"], {"P1"})
    assert [ibtopo.switch_type(m) for m in ("HCA", "sw", "4x model", "ib-ndr-64x400g")] == [
        "HCA-switch", "sw", "SW-4x_model", "ib-ndr-64x400g"]


def test_ibdm_reader_refuses_what_ibdm_refuses(tmp_path: Path) -> None:
    (tmp_path / "ibnl").mkdir()
    (tmp_path / "ibnl" / "S.ibnl").write_text("TOPSYSTEM SWX\nNODE SW 2 dev U1\n 1 -> P1\n 2 -> P2\n")
    topo = tmp_path / "t.topo"
    for text, message in [
        ("SWX a\nP1 -4x-> SWX b P1\n", "Ignoring"),  # port lines must be indented
        ("SWX a\n  P1 -4x-100G-> SWX b P1\n", "Ignoring"),  # lane speeds 2.5G, 5G, 10G only
        ("HCA a\n  P1 -4x-> SWX b P1\n", "System class:HCA"),
        ("SWX a\n  P3 -4x-> SWX b P1\n", "has no port P3"),
        ("SWX a\n  P1 -4x-> SWX b P1\n  P1 -4x-> SWX c P1\n", "already connected"),
    ]:
        topo.write_text(text)
        with pytest.raises(ParseError, match=message):
            ibdm_load(topo, tmp_path / "ibnl")


# -- BookSim2 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_booksim_anynet_reader(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    count, unit = export(job, "booksim", tmp_path / "anynet")
    net = read_anynet((tmp_path / "anynet").read_text())
    plan = job.plan
    assert unit == "router pairs" and count == switch_pairs(job)
    assert len(net.router_routers) == len(plan.switches)
    assert sum(len(v) for v in net.router_routers.values()) == 2 * switch_pairs(job)  # each direction a channel
    assert len(net.node_router) == job.design.counts.num_endpoint_links  # one BookSim node per endpoint port
    assert [net.node_router[n] for n in range(len(net.node_router))] == [s for s, _, _, _ in plan.attachments()]
    for s, name in enumerate(plan.switches):
        assert {plan.switches[t] for t in net.router_routers[s]} == set(plan.graph.adj[name])


def test_booksim_reader_refuses_what_booksim_refuses() -> None:
    for text, message in [("# comment\n", "Unknow head"), ("router 0 node 1\n", "sequential node"),
                          ("router 0 node 0\nrouter 1 node 0\n", "multiple router"),
                          ("router 0 router 2 node 0\n", "router numbers")]:
        with pytest.raises(ParseError, match=message):
            read_anynet(text)


# -- SimAI ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_simai_reader(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    count, _ = export(job, "simai", tmp_path / "topo")
    topo = read_simai((tmp_path / "topo").read_text())
    plan, design = job.plan, job.design
    gpus = plan.num_nodes * plan.endpoints_per_node
    assert Counter(topo.node_type) == {0: gpus, 2: plan.num_nodes, 1: len(plan.switches)}
    assert topo.gpus_per_server == plan.endpoints_per_node and topo.gpu_type == "H100"
    assert count == len(topo.links)
    kinds = Counter()
    bandwidth = Counter()
    for src, dst, gbps, _, error in topo.links:
        pair = (topo.node_type[src], topo.node_type[dst])
        kinds[pair] += 1
        bandwidth[pair] += gbps
        assert error == 0
    assert kinds[(0, 2)] == gpus  # each GPU to its server's NVSwitch
    assert bandwidth[(0, 1)] == design.counts.num_endpoint_links * design.endpoint_speed_gbps
    assert kinds[(1, 1)] == switch_pairs(job)  # parallel cables: one link of their summed bandwidth
    assert bandwidth[(1, 1)] == design.counts.num_switch_links * design.switch.port_speed_gbps


def test_simai_refuses_more_links_than_it_addresses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from topoctl.export import simai

    monkeypatch.setattr(simai, "MAX_LINKS", 10)
    with pytest.raises(ExportError, match=r"^SimAI numbers at most 10 links; this design has 24: export a smaller"):
        export(small_job("ft2"), "simai", tmp_path / "topo")
    assert list(tmp_path.iterdir()) == []


# -- networkx: DOT, GraphML, node-link -----------------------------------------------------------------

def _check_graph(graph: nx.Graph, job: ExportJob) -> None:
    assert graph.number_of_nodes() == len(job.plan.switches) + job.plan.num_nodes
    assert graph.number_of_edges() == cables(job)
    roles = Counter(str(data["role"]).strip('"') for _, data in graph.nodes(data=True))
    assert roles.pop("node") == job.plan.num_nodes
    assert roles == job.design.counts.num_switches_by_role


@pytest.mark.filterwarnings("ignore:'[a-zA-Z]+' deprecated:DeprecationWarning")  # pydot 4 on pyparsing 3.3
@pytest.mark.parametrize("key", KEYS)
def test_dot_read_by_agraph_and_pydot(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    path = tmp_path / "fabric.dot"
    export(job, "dot", path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pygraphviz turns Graphviz's own warnings into Python warnings
        agraph = nx.nx_agraph.read_dot(path)
    _check_graph(agraph, job)
    _check_graph(nx.nx_pydot.read_dot(path), job)
    first = next(iter(job.plan.cables()))
    data = agraph.get_edge_data(first.a_device, first.z_device)
    assert {(d["label"], d["a_port"], d["z_port"]) for d in data.values()} >= {(first.label, first.a_port,
                                                                                 first.z_port)}


def test_graphviz_lays_the_dot_out_without_warnings(tmp_path: Path) -> None:
    import pygraphviz

    path = tmp_path / "fabric.dot"
    export(small_job("mpft"), "dot", path)
    graph = pygraphviz.AGraph(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        graph.layout("neato")
    assert len(graph.nodes()) == 24 + 4


@pytest.mark.parametrize("key", KEYS)
def test_graphml_read_by_networkx(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    path = tmp_path / "fabric.graphml"
    count, _ = export(job, "graphml", path)
    graph = nx.read_graphml(path)
    _check_graph(graph, job)
    assert count == cables(job)
    assert sum(d.get("endpoints", 0) for _, d in graph.nodes(data=True)) == job.design.counts.num_endpoint_links
    first = next(iter(job.plan.cables()))
    data = graph.get_edge_data(first.a_device, first.z_device)  # keyed by the edge id where edges are parallel
    assert (data[first.label] if graph.is_multigraph() else data)["a_port"] == first.a_port


@pytest.mark.parametrize("key", KEYS)
def test_node_link_read_by_networkx(key: str, tmp_path: Path) -> None:
    job = small_job(key)
    path = tmp_path / "fabric.json"
    count, _ = export(job, "node-link", path)
    graph = nx.node_link_graph(json.loads(path.read_text()))
    _check_graph(graph, job)
    assert count == cables(job) and graph.is_multigraph()
    switch_graph = nx.Graph(graph.subgraph(job.plan.switches))
    assert nx.is_isomorphic(switch_graph, nx.Graph(job.plan.graph))


# -- containerlab --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clab_schema() -> dict:
    return json.loads((DATA / "containerlab-clab.schema.json").read_text())


INTERFACE = {"sonic": r"eth([1-9]|[12][0-9]|3[0-2])", "srlinux": r"e1-([1-9]|[1-5][0-9]|6[0-4])(-[1-9][0-9]*)?",
             "eos": r"eth[1-9][0-9]*(_[1-9][0-9]*)?"}


def _lab(path: Path, schema: dict, os_name: str = "sonic") -> dict:
    lab = yaml.safe_load(path.read_text())
    jsonschema.Draft7Validator(schema).validate(lab)
    nodes = lab["topology"]["nodes"]
    used = Counter()
    for link in lab["topology"]["links"]:
        for end in link["endpoints"]:
            node, _, iface = end.partition(":")
            pattern = INTERFACE[os_name] if nodes[node]["kind"] != "linux" else r"eth[1-9][0-9]*"
            assert re.fullmatch(pattern, iface), end
            used[end] += 1
    assert not used or max(used.values()) == 1
    subnet = lab["mgmt"]["ipv4-subnet"]
    assert mgmt_subnet(len(nodes)).with_prefixlen == subnet
    return lab


@pytest.mark.parametrize("os_name", sorted(KINDS))
@pytest.mark.parametrize("key", KEYS)
def test_containerlab_kinds(key: str, os_name: str, tmp_path: Path, clab_schema: dict) -> None:
    job = small_job(key)
    path = tmp_path / "lab.clab.yml"
    count, _ = export(job, "containerlab", path, switch_os=os_name)
    lab = _lab(path, clab_schema, os_name)
    assert count == len(lab["topology"]["links"]) == cables(job)  # small designs: the whole design
    kinds = Counter(node["kind"] for node in lab["topology"]["nodes"].values())
    assert kinds == {KINDS[os_name].kind: len(job.plan.switches), "linux": job.plan.num_nodes}


def test_sonic_lab_renumbers_ports_beyond_32_and_refuses_more_than_32(tmp_path: Path, clab_schema: dict) -> None:
    """The issue's reproducer: a 64-port fat tree's leaf uses ports above eth32."""
    job = job_from_raw({"family": "fat_tree", "parameters": {"k": 64, "tiers": 2}}, "t")
    path = tmp_path / "lab.clab.yml"
    with pytest.raises(ExportError, match=r"^containerlab kind sonic-vs maps 32 data ports, but switch leaf-0 has "
                                          r"35 cabled ports in this lab; pick a smaller --subset or --no-endpoints; "
                                          r"or --switch-os eos \(no port limit\)$"):
        export(job, "containerlab", path, subset="switches=4")
    assert not path.exists()
    export(job, "containerlab", path, subset="switches=4", endpoints=False)
    lab = _lab(path, clab_schema)
    ends = [end for link in lab["topology"]["links"] for end in link["endpoints"]]
    assert "leaf-0:eth1" in ends and not any(end.endswith("eth33") for end in ends)
    export(job, "containerlab", path, subset="switches=4", switch_os="srlinux")
    lab = _lab(path, clab_schema, "srlinux")
    ends = {end for link in lab["topology"]["links"] for end in link["endpoints"]}
    assert "leaf-0:e1-17-1" in ends  # SR Linux has the physical port (cage 17, lane 1): the lab keeps it


def test_lab_of_560_nodes_gets_a_22(tmp_path: Path, clab_schema: dict) -> None:
    """An explicit subset keeps every endpoint: 48 switches and 512 nodes need 172.20.0.0/22."""
    job = job_from_raw({"family": "fat_tree", "parameters": {"k": 32, "tiers": 2}}, "t")
    path = tmp_path / "lab.clab.yml"
    count, _ = export(job, "containerlab", path, subset="switches=48")
    lab = _lab(path, clab_schema)
    assert len(lab["topology"]["nodes"]) == 560 and count == cables(job)
    assert lab["mgmt"] == {"network": "fat_tree-mgmt", "ipv4-subnet": "172.20.0.0/22"}


def test_mgmt_subnet_is_sized_to_the_lab() -> None:
    assert [mgmt_subnet(n).with_prefixlen for n in (1, 253, 254, 509, 510, 262_141)] == [
        "172.20.20.0/24", "172.20.20.0/24", "172.20.0.0/23", "172.20.0.0/23", "172.20.0.0/22", "172.20.0.0/14"]
    with pytest.raises(ExportError, match="needs more management addresses"):
        mgmt_subnet(262_142)


@pytest.mark.parametrize(
    ("design", "max_ports", "subset", "counts"),
    [
        # a whole pod of the 3-tier fat tree (k/2 edge + k/2 aggregation) with 6 of its k/2 = 8 cores an
        # aggregation switch, dealt round-robin up to 64 switches
        ({"family": "fat_tree", "parameters": {"k": 16, "tiers": 3}}, None, "pod=0,+spines",
         {"edge": 8, "aggregation": 8, "core": 48}),
        # two-tier: as many leaves as leave room for every spine
        ({"family": "fat_tree", "parameters": {"k": 64, "tiers": 2}}, None, "first 32 leaf switches,+spines",
         {"leaf": 32, "spine": 32}),
        # sonic-vs's 32 ports: 32 leaves (a spine's ports), each with 16 uplinks (half its ports)
        ({"family": "fat_tree", "parameters": {"k": 64, "tiers": 2}}, 32, "first 32 leaf switches,+spines",
         {"leaf": 32, "spine": 16}),
        # 3-tier k=64 on 32 ports: half a pod's edge switches, each with 16 aggregation switches
        ({"family": "fat_tree", "parameters": {"k": 64, "tiers": 3}}, 32,
         "pod=0 (its first 32 switches),+spines", {"edge": 32, "aggregation": 16}),
        ({"family": "multiplane_fat_tree", "parameters": {"planes": 4, "k": 16, "tiers": 2}}, None, "plane=0",
         {"leaf": 16, "spine": 8}),
    ],
)
def test_default_subset_is_a_unit_with_its_spines(design: dict, max_ports: int | None, subset: str,
                                                  counts: dict) -> None:
    job = job_from_raw(design, "t")
    selected, described = default_switches(job.plan, max_ports=max_ports)
    assert described == subset and len(selected) <= MAX_DEFAULT_SWITCHES
    assert Counter(job.plan.graph.nodes[job.plan.switches[s]]["role"] for s in selected) == counts


def test_default_sonic_lab_of_the_issue_spec_fits_32_ports(tmp_path: Path, clab_schema: dict) -> None:
    """specs/fat-tree-2tier-partial.yaml: 64-port switches, two cables a leaf-spine pair."""
    raw = yaml.safe_load((Path(__file__).parent.parent / "specs" / "fat-tree-2tier-partial.yaml").read_text())
    job = job_from_raw(raw, "spec")
    path = tmp_path / "lab.clab.yml"
    export(job, "containerlab", path)
    lab = _lab(path, clab_schema)
    ports = Counter(end.partition(":")[0] for link in lab["topology"]["links"] for end in link["endpoints"])
    switches = [n for n, v in lab["topology"]["nodes"].items() if v["kind"] == "sonic-vs"]
    assert 1 < len(switches) <= MAX_DEFAULT_SWITCHES and max(ports[s] for s in switches) <= 32
    assert len(lab["topology"]["nodes"]) <= 253 and lab["mgmt"]["ipv4-subnet"] == "172.20.20.0/24"
    assert path.read_text().startswith("# containerlab lab of topoctl design 'FT2-1000': default subset first 16 "
                                       "leaf switches,+spines without 280 endpoint links")


def test_default_subset_of_a_grouped_design_is_its_first_group() -> None:
    job = job_from_raw(ALL_DESIGNS["df-parallel"] | {"parameters": {"p": 2, "a": 4, "h": 4, "g": 17}}, "t")
    selected, described = default_switches(job.plan)
    assert described == "group=0" and len(selected) == 4


# -- NVIDIA Air ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("os_name", ["cumulus", "sonic"])
@pytest.mark.parametrize("key", KEYS)
def test_air_topology(key: str, os_name: str, tmp_path: Path) -> None:
    job = small_job(key)
    path = tmp_path / "air.json"
    count, _ = export(job, "air", path, switch_os=os_name)
    topology = json.loads(path.read_text())
    assert topology["format"] == "JSON" and topology["ztp"] is None
    nodes, links = topology["content"]["nodes"], topology["content"]["links"]
    assert count == len(links) == cables(job)
    assert Counter(n["os"] for n in nodes.values()) == {
        {"cumulus": "cumulus-vx-5.16.1", "sonic": "sonic-vs-202305"}[os_name]: len(job.plan.switches),
        "generic/ubuntu2404": job.plan.num_nodes}
    switch_port = r"swp[1-9][0-9]*(s[0-9]+)?" if os_name == "cumulus" else r"eth[1-9][0-9]*"
    used = Counter()
    for link in links:
        for end in link:
            assert set(end) == {"node", "interface"} and end["node"] in nodes
            pattern = switch_port if end["node"] in job.plan.index else r"eth[1-9][0-9]*"
            assert re.fullmatch(pattern, end["interface"]), end
            used[(end["node"], end["interface"])] += 1
    assert max(used.values()) == 1
    first = next(iter(job.plan.cables()))
    cage = port_numbers(first.z_port, job.design.switch)  # (cage,) or (cage, lane) on the switch model
    expected = (f"swp{cage[0]}" + (f"s{cage[1] - 1}" if len(cage) > 1 else "") if os_name == "cumulus"
                else f"eth{job.design.switch.port_number(first.z_port)}")
    assert links[0] == [{"node": first.a_device, "interface": f"eth{port_numbers(first.a_port)[0]}"},
                        {"node": first.z_device, "interface": expected}]


def test_every_format_is_in_the_help() -> None:
    from typer.testing import CliRunner

    from topoctl.cli import app
    from topoctl.cli.options import ExportFormat

    assert [f.value for f in ExportFormat] == list(FORMATS)
    result = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "80"})
    for name, spec in FORMATS.items():
        assert re.search(rf"^  {re.escape(name)} +{re.escape(spec.reader)}$", result.output, re.M), name
    assert max(map(len, result.output.split("\n")[:25])) <= 80
