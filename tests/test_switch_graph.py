"""topoctl.topologies.graph: every family's array graph against the networkx graph its build made before
the arrays (rebuilt here independently, one cable at a time), the masks against rebuilt subgraphs, and
the pinned properties (counts, degrees, names) of small instances of every family."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from topoctl.metrics.graph_arrays import to_arrays
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters
from topoctl.topologies.galois import GaloisField
from topoctl.topologies.graph import SwitchGraph
from topoctl.topologies.multiplane_fat_tree import MultiplaneFatTree, MultiplaneFatTreeParameters
from topoctl.topologies.slim_fly import SlimFly, SlimFlyParameters

# -- the networkx graphs as the families built them, one switch and one cable at a time ---------------


def _link(graph: nx.Graph, a: str, b: str, group: str, count: int = 1) -> None:
    if b in graph.adj[a]:
        graph.adj[a][b]["count"] += count
    else:
        graph.add_edge(a, b, count=count, link_group=group)


def fat_tree_graph(tree: FatTree, prefix: str = "", plane: int | None = None) -> nx.Graph:
    graph = nx.Graph()
    extra = {} if plane is None else {"plane": plane}
    if tree.tiers == 2:
        leaves = [f"{prefix}leaf-{i}" for i in range(tree.num_leaves)]
        spines = [f"{prefix}spine-{j}" for j in range(tree.num_spines)]
        for name, endpoints in zip(leaves, tree.endpoints_per_leaf, strict=True):
            graph.add_node(name, role="leaf", endpoints=endpoints, **extra)
        for name in spines:
            graph.add_node(name, role="spine", endpoints=0, **extra)
        for leaf in leaves:
            for spine in spines:
                _link(graph, leaf, spine, "leaf-spine", tree.up // tree.num_spines)
        return graph
    groups = tree.cores_per_group
    cores = [[f"{prefix}core-{a}-{c}" for c in range(groups)] for a in range(tree.up)]
    for row in cores:
        for name in row:
            graph.add_node(name, role="core", endpoints=0, **extra)
    per_leaf, start = tree.endpoints_per_leaf, 0
    for pod, edges in enumerate(tree.edges_per_pod):
        aggs = [f"{prefix}pod{pod}-agg-{a}" for a in range(tree.up)]
        for name in aggs:
            graph.add_node(name, role="aggregation", endpoints=0, pod=pod, **extra)
        for e in range(edges):
            edge = f"{prefix}pod{pod}-edge-{e}"
            graph.add_node(edge, role="edge", endpoints=per_leaf[start + e], pod=pod, **extra)
            for agg in aggs:
                _link(graph, edge, agg, "edge-aggregation")
        start += edges
        for a, agg in enumerate(aggs):
            for core in cores[a]:
                _link(graph, agg, core, "aggregation-core", tree.edges_in_pod // groups)
    return graph


def multiplane_graph(topo: MultiplaneFatTree) -> nx.Graph:
    graph = nx.Graph()
    for index in range(topo.planes):
        graph.update(fat_tree_graph(topo.plane, prefix=f"p{index}-", plane=index))
    return graph


def dragonfly_graph(df: Dragonfly) -> nx.Graph:
    a, g = df.a, df.g
    graph = nx.Graph()
    for grp in range(g):
        for s in range(a):
            graph.add_node(f"g{grp}-sw{s}", role="switch", endpoints=df.p, group=grp)
    for grp in range(g):
        for s in range(a):
            for t in range(s + 1, a):
                _link(graph, f"g{grp}-sw{s}", f"g{grp}-sw{t}", "intra-group")
    for gi, si, gj, sj in zip(*(x.tolist() for x in df.global_links()), strict=True):
        _link(graph, f"g{gi}-sw{si}", f"g{gj}-sw{sj}", "global")
    return graph


def slim_fly_graph(sf: SlimFly) -> nx.Graph:
    q, field = sf.q, GaloisField(sf.q)

    def powers(exponents: range) -> list[int]:
        return [field.exp[e % (q - 1)] for e in exponents]

    if sf.delta == 1:
        gen_x, gen_x2 = powers(range(0, q - 1, 2)), powers(range(1, q - 1, 2))
    elif sf.delta == 0:
        gen_x, gen_x2 = powers(range(0, q - 1, 2)), powers(range(1, q, 2))
    else:
        w = (q + 1) // 4
        gen_x = powers(range(0, 2 * w - 1, 2)) + powers(range(2 * w - 1, 4 * w - 2, 2))
        gen_x2 = powers(range(1, 2 * w, 2)) + powers(range(2 * w, 4 * w - 1, 2))
    graph = nx.Graph()
    for s in (0, 1):
        for x in range(q):
            for y in range(q):
                graph.add_node(f"s{s}-{x}-{y}", role="switch", endpoints=sf.p, subgraph=s)
    for s, generators in ((0, gen_x), (1, gen_x2)):
        for x in range(q):
            for y in range(q):
                for e in generators:
                    y2 = int(field.add[y, e])
                    if y < y2:
                        graph.add_edge(f"s{s}-{x}-{y}", f"s{s}-{x}-{y2}", count=1, link_group="intra-subgraph")
    for x in range(q):
        for m in range(q):
            for c in range(q):
                y = int(field.add[field.mul[m, x], c])
                graph.add_edge(f"s0-{x}-{y}", f"s1-{m}-{c}", count=1, link_group="inter-subgraph")
    return graph


CASES = {
    "fat tree k=8 two tiers": (FatTree.from_parameters(FatTreeParameters(k=8, tiers=2), 64), fat_tree_graph),
    "fat tree k=16, 100 endpoints": (FatTree.from_parameters(FatTreeParameters(k=16, tiers=2, endpoints=100), 64), fat_tree_graph),
    "fat tree k=16 3:1": (FatTree.from_parameters(FatTreeParameters(k=16, tiers=2, oversubscription=3), 64), fat_tree_graph),
    "fat tree k=4 three tiers": (FatTree.from_parameters(FatTreeParameters(k=4, tiers=3), 64), fat_tree_graph),
    "fat tree k=8 three tiers, 77 endpoints": (FatTree.from_parameters(FatTreeParameters(k=8, tiers=3, endpoints=77), 64), fat_tree_graph),
    "fat tree k=12 three tiers 2:1, 300": (
        FatTree.from_parameters(FatTreeParameters(k=12, tiers=3, oversubscription=2, endpoints=300), 64), fat_tree_graph),
    "fat tree k=16 three tiers, 1000": (FatTree.from_parameters(FatTreeParameters(k=16, tiers=3, endpoints=1000), 64), fat_tree_graph),
    "mpft 4 x k=8": (MultiplaneFatTree.from_parameters(
        MultiplaneFatTreeParameters(planes=4, k=8, tiers=2, endpoints_per_node=4), 8), multiplane_graph),
    "mpft 2 x k=8 three tiers": (MultiplaneFatTree.from_parameters(
        MultiplaneFatTreeParameters(planes=2, k=8, tiers=3, endpoints_per_node=2, endpoints=100), 8), multiplane_graph),
    "dragonfly p=1": (Dragonfly.from_parameters(DragonflyParameters(p=1), 64), dragonfly_graph),
    "dragonfly p=2": (Dragonfly.from_parameters(DragonflyParameters(p=2), 64), dragonfly_graph),
    "dragonfly p=2 g=5 (parallel global links)": (Dragonfly.from_parameters(DragonflyParameters(p=2, g=5), 64), dragonfly_graph),
    "dragonfly p=2 g=6": (Dragonfly.from_parameters(DragonflyParameters(p=2, g=6), 64), dragonfly_graph),
    "dragonfly p=4 a=6 h=3 g=4": (Dragonfly.from_parameters(DragonflyParameters(p=4, a=6, h=3, g=4), 64), dragonfly_graph),
    "dragonfly p=1 a=12 h=3 g=7": (Dragonfly.from_parameters(DragonflyParameters(p=1, a=12, h=3, g=7), 64), dragonfly_graph),
    "dragonfly one group, h=0": (Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=0, g=1), 64), dragonfly_graph),
    "dragonfly one switch per group": (Dragonfly.from_parameters(DragonflyParameters(p=1, a=1, h=1, g=2), 64), dragonfly_graph),
    **{f"slim fly q={q}": (SlimFly.from_parameters(SlimFlyParameters(q=q), 200), slim_fly_graph) for q in (3, 4, 5, 7, 8, 9, 11)},
}


def _attributes(graph: nx.Graph) -> tuple[list, list]:
    """Nodes and edges in order with their attributes in order: what exports and metrics iterate."""
    nodes = [(n, list(d.items())) for n, d in graph.nodes(data=True)]
    edges = [(u, v, list(d.items())) for u, v, d in graph.edges(data=True)]
    return nodes, edges


@pytest.mark.parametrize("name", CASES)
def test_to_networkx_is_the_graph_the_family_built_before(name):
    topo, old_builder = CASES[name]
    built = topo.build()
    assert isinstance(built, SwitchGraph)
    new, old = built.to_networkx(), old_builder(topo)
    assert _attributes(new) == _attributes(old)
    assert {n: set(new.adj[n]) for n in new} == {n: set(old.adj[n]) for n in old}
    # the arrays are what the metrics read of the old graph, bundle by bundle
    arrays = to_arrays(old)
    for field in ("roles", "endpoints", "planes", "pods", "edge_u", "edge_v", "edge_count", "edge_groups"):
        assert np.array_equal(getattr(built, field), getattr(arrays, field)), field
    assert built.names == arrays.names and built.pod_kind == arrays.pod_kind


@pytest.mark.parametrize("name", CASES)
def test_pinned_properties(name):
    topo, _ = CASES[name]
    graph, counts = topo.build(), topo.counts()
    assert graph.num_switches == counts.num_switches == len(set(graph.names))
    assert graph.num_cables == counts.num_switch_links and graph.num_endpoints == counts.num_endpoint_links
    # degree sums: every cable has two ends, and no switch uses more ports than it has
    assert graph.cables_per_switch().sum() == 2 * counts.num_switch_links
    assert (graph.endpoints + graph.cables_per_switch() <= topo.radix).all()
    # one bundle per pair, the lower end first, in order of the lower end
    assert (graph.edge_u < graph.edge_v).all() and (np.diff(graph.edge_u) >= 0).all()
    assert len(set(zip(graph.edge_u.tolist(), graph.edge_v.tolist(), strict=True))) == graph.num_bundles
    assert (graph.edge_count >= 1).all()
    for key in ("names", "edge_u", "edge_v", "edge_count"):  # deterministic
        assert np.array_equal(np.asarray(getattr(topo.build(), key)), np.asarray(getattr(graph, key)))
    assert graph.edge_u.dtype == graph.endpoints.dtype == np.int64


def test_names_follow_the_families():
    assert FatTree.from_parameters(FatTreeParameters(k=4, tiers=3), 4).build().names[:6] == (
        "core-0-0", "core-0-1", "core-1-0", "core-1-1", "pod0-agg-0", "pod0-agg-1")
    mpft = MultiplaneFatTree.from_parameters(MultiplaneFatTreeParameters(planes=2, k=4, endpoints_per_node=2), 4).build()
    assert mpft.names[:3] == ("p0-leaf-0", "p0-leaf-1", "p0-leaf-2") and mpft.names[6] == "p1-leaf-0"
    assert mpft.planes.tolist() == [0] * 6 + [1] * 6
    df = Dragonfly.from_parameters(DragonflyParameters(p=1), 4).build()
    assert df.names == ("g0-sw0", "g0-sw1", "g1-sw0", "g1-sw1", "g2-sw0", "g2-sw1")
    assert df.pods.tolist() == [0, 0, 1, 1, 2, 2] and df.pod_kind == "group"
    sf = SlimFly.from_parameters(SlimFlyParameters(q=3), 8).build()
    assert sf.names[:2] == ("s0-0-0", "s0-0-1") and sf.names[9] == "s1-0-0"
    assert sf.to_networkx().nodes["s1-0-0"] == {"role": "switch", "endpoints": 3, "subgraph": 1}


def test_table3_dragonfly_bundles_parallel_global_links():
    graph = Dragonfly.from_parameters(DragonflyParameters(p=16, a=32, h=16, g=511), 64).build()
    assert (graph.num_switches, graph.num_cables) == (16_352, 384_272)
    glob = graph.edge_groups == "global"
    assert int(graph.edge_count[glob].sum()) == 130_816 and int(graph.edge_count[~glob].sum()) == 253_456
    assert set(graph.edge_count[glob].tolist()) == {1, 2}  # groups i, i+1 share two links, on one switch pair


@pytest.mark.parametrize("name", ["fat tree k=8 three tiers, 77 endpoints", "dragonfly p=2 g=5 (parallel global links)",
                                  "slim fly q=7", "mpft 4 x k=8"])
def test_live_adjacency_is_the_induced_subgraph_without_a_rebuild(name):
    graph = CASES[name][0].build()
    rng = np.random.default_rng(3)
    for _ in range(5):
        counts = graph.edge_count - rng.binomial(graph.edge_count, 0.3)
        alive = rng.random(graph.num_switches) >= 0.2
        live = graph.live_adjacency(counts, alive)
        rebuilt = graph.subset(alive).adjacency(counts[alive[graph.edge_u] & alive[graph.edge_v]])
        assert live.shape == rebuilt.shape and (live != rebuilt).nnz == 0
        assert np.array_equal(live.indptr, rebuilt.indptr) and np.array_equal(live.indices, rebuilt.indices)
        num, labels = graph.components(counts, alive)
        assert (labels[~alive] == -1).all() and num >= len(set(labels[alive].tolist()))


def test_networkx_graphs_convert_to_the_same_arrays():
    graph = CASES["fat tree k=4 three tiers"][0].build()
    again = to_arrays(graph.to_networkx())
    assert again.names == graph.names and again.pod_kind == "pod"
    for field in ("roles", "endpoints", "planes", "pods", "edge_u", "edge_v", "edge_count", "edge_groups"):
        assert np.array_equal(getattr(again, field), getattr(graph, field)), field
    assert to_arrays(graph) is graph
