"""MoE traffic with node-limited routing: the sampled matrix, the fat-tree closed form against the exact
LP and ECMP, and the figures the reports carry."""

from __future__ import annotations

import numpy as np
import pytest

from topoctl.design import load_designs
from topoctl.metrics.analysis import AnalysisOptions, full_analysis, summary_throughput
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.moe_traffic import moe_traffic, sample_targets, tree_moe
from topoctl.metrics.throughput import ecmp_demand
from topoctl.optimize.lp import max_concurrent_flow
from topoctl.spec import builtin_spec_path
from topoctl.topologies.base import BoundKind
from topoctl.topologies.dragonfly import Dragonfly, DragonflyParameters
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters

RATE = 400.0


def table3(name: str):
    _, designs = load_designs(builtin_spec_path())
    return next(d for d in designs if d.name == name)


@pytest.mark.parametrize("num_nodes, m", [(10, 4), (5, 4), (3, 4), (2048, 4), (7, 1)])
def test_targets_are_distinct_remote_and_balanced(num_nodes, m):
    targets = sample_targets(num_nodes, m, seed=3)
    used = min(m, num_nodes - 1)
    assert targets.shape == (num_nodes, used)
    assert all(len(set(row)) == used for row in targets.tolist())
    assert not (targets == np.arange(num_nodes)[:, None]).any()
    assert np.bincount(targets.ravel(), minlength=num_nodes).tolist() == [used] * num_nodes


def test_targets_follow_the_seed():
    assert np.array_equal(sample_targets(64, 4, 7), sample_targets(64, 4, 7))
    assert not np.array_equal(sample_targets(64, 4, 7), sample_targets(64, 4, 8))


def test_demand_conserves_what_every_port_sends():
    """Each port sends one line rate in total; a node's traffic leaves once per destination node."""
    per_switch = np.array([5, 7, 0, 12, 8])  # nodes of 8 straddle switches
    traffic = moe_traffic(per_switch, 8, moe_nodes=2, seed=1)
    assert traffic.num_nodes == 4 and traffic.moe_nodes == 2
    assert traffic.demand.sum() == pytest.approx(per_switch.sum())
    assert np.asarray(traffic.demand.sum(axis=1)).ravel() == pytest.approx(per_switch)
    assert np.asarray(traffic.demand.sum(axis=0)).ravel() == pytest.approx(per_switch)  # balanced receivers
    assert traffic.ingress_cap == 1.0
    assert traffic.network_demand().diagonal().sum() == 0.0


def test_partial_last_node_caps_ingress():
    """20 ports in nodes of 8: the 4-port node receives 8 from its single sender, twice its rate."""
    traffic = moe_traffic(np.array([20]), 8, moe_nodes=1, seed=0)
    assert traffic.num_nodes == 3
    assert traffic.ingress_cap == pytest.approx(0.5)


def test_single_node_sends_nothing_over_the_network():
    traffic = moe_traffic(np.array([4, 4]), 8)
    assert traffic.num_nodes == 1 and traffic.network_demand().nnz == 0


def test_oversubscribed_leaf_sized_nodes_hand_value():
    """k=8, 6:2 leaves, nodes of 6 = one leaf, M=1: a leaf sends 6 line rates up 2 uplinks, theta = 1/3."""
    tree = FatTree.from_parameters(FatTreeParameters(k=8, tiers=2, oversubscription=3), 64)
    traffic = moe_traffic(np.asarray(tree.endpoints_per_leaf), 6, moe_nodes=1, seed=0)
    assert tree_moe(traffic, tree.up, None, RATE, RATE) == pytest.approx(1 / 3)
    arrays = to_arrays(tree.build())
    graph_traffic = moe_traffic(arrays.endpoints, 6, moe_nodes=1, seed=0)
    lp = max_concurrent_flow(arrays, graph_traffic.network_demand().toarray(), RATE, RATE)
    assert lp.value == pytest.approx(1 / 3, abs=1e-6)


@pytest.mark.parametrize(
    "params, ports_per_node, m",
    [
        (dict(k=8, tiers=2), 8, 4),
        (dict(k=8, tiers=2, oversubscription=3), 4, 4),
        (dict(k=8, tiers=2, oversubscription=3), 5, 2),
        (dict(k=4, tiers=3), 2, 4),
        (dict(k=4, tiers=3, endpoints=13), 3, 2),
    ],
)
@pytest.mark.parametrize("seed", [0, 5])
def test_fat_tree_closed_form_equals_lp_and_ecmp(params, ports_per_node, m, seed):
    tree = FatTree.from_parameters(FatTreeParameters(**params), 64)
    pods = tree.edges_per_pod if tree.tiers == 3 else None
    closed = tree_moe(moe_traffic(np.asarray(tree.endpoints_per_leaf), ports_per_node, m, seed), tree.up, pods, RATE, RATE)
    arrays = to_arrays(tree.build())
    traffic = moe_traffic(arrays.endpoints, ports_per_node, m, seed)
    network = traffic.network_demand()
    lp = max_concurrent_flow(arrays, network.toarray(), RATE, RATE)
    assert closed == pytest.approx(min(lp.value, traffic.ingress_cap), abs=1e-6)
    ecmp = ecmp_demand(arrays, network, RATE, RATE, "MoE")
    assert min(ecmp.value, traffic.ingress_cap) == pytest.approx(closed, abs=1e-6)


def test_dragonfly_ecmp_is_a_feasible_routing_below_the_lp():
    """ECMP is one routing, so the LP optimum is at least its throughput; pinned values (seed 0)."""
    arrays = to_arrays(Dragonfly.from_parameters(DragonflyParameters(p=2, a=4, h=2, g=9), 64).build())
    network = moe_traffic(arrays.endpoints, 4, 2, 0).network_demand()
    ecmp = ecmp_demand(arrays, network, RATE, RATE, "MoE").value
    lp = max_concurrent_flow(arrays, network.toarray(), RATE, RATE).value
    assert ecmp <= lp + 1e-9
    assert (round(ecmp, 6), round(lp, 6)) == (ECMP_DF_SMALL, LP_DF_SMALL)


ECMP_DF_SMALL = 0.238095
LP_DF_SMALL = 0.77381


def test_reports_label_the_moe_figure():
    ft2 = summary_throughput(table3("FT2")).moe
    assert ft2.value == 1.0 and ft2.kind == BoundKind.EXACT and ft2.method.startswith("closed form")
    assert (ft2.moe_nodes, ft2.endpoints_per_node, ft2.seed) == (4, 8, 0)
    df = summary_throughput(table3("DF")).moe
    assert df.value is None and df.kind is None and df.method.startswith("not computed")


def test_oversubscribed_design_moe_closed_form_matches_exact_lp_in_full_analysis():
    from topoctl.design import resolve
    from topoctl.spec import DesignSpec

    spec = DesignSpec.model_validate(
        {"name": "os", "family": "fat_tree", "parameters": {"k": 8, "tiers": 2, "oversubscription": 3},
         "endpoint_speed_gbps": 400, "switch": {"model": table3("FT2").switch.name}}
    )
    design = resolve(spec)
    for seed in (0, 1):
        options = AnalysisOptions(moe_nodes=2, moe_seed=seed)
        closed = full_analysis(design, options).throughput.moe
        exact = full_analysis(design, AnalysisOptions(moe_nodes=2, moe_seed=seed, lp=max_concurrent_flow)).throughput.moe
        assert closed.method.startswith("closed form") and exact.method.startswith("exact")
        assert closed.kind == exact.kind == BoundKind.EXACT
        assert closed.value == pytest.approx(exact.value, abs=1e-6)
        assert closed.value < 1.0


def test_cli_moe_flags_reach_the_figure_and_repeat_byte_for_byte():
    import json

    from typer.testing import CliRunner

    from topoctl.cli import app

    runner = CliRunner()
    args = ["design", "--family", "dragonfly", "--param", "p=2", "--param", "a=4", "--param", "h=2", "--param", "g=9",
            "--analysis", "full", "--moe-nodes", "2", "--moe-seed", "0", "--format", "json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    moe = json.loads(first.stdout)["throughput"]["moe"]
    assert (moe["moe_nodes"], moe["seed"], moe["endpoints_per_node"]) == (2, 0, 8)
    assert moe["method"].startswith("estimate: ECMP")
    exact = runner.invoke(app, args + ["--exact-lp"])
    assert json.loads(exact.stdout)["throughput"]["moe"]["method"].startswith("exact")
    summary = runner.invoke(app, ["compare", "--moe-nodes", "1", "--moe-seed", "9", "--format", "json"])
    assert summary.exit_code == 0, summary.output
    for report in json.loads(summary.stdout)["designs"]:
        assert report["throughput"]["moe"]["moe_nodes"] == 1 and report["throughput"]["moe"]["seed"] == 9
    bad = runner.invoke(app, ["moe", "--family", "fat_tree", "--param", "k=8", "--moe-nodes", "0"])
    assert bad.exit_code == 2
    moe_cmd = runner.invoke(app, ["moe", "--family", "fat_tree", "--param", "k=8", "--moe-nodes", "2", "--format", "json"])
    assert json.loads(moe_cmd.stdout)["moe_traffic"]["moe_nodes"] == 2


def test_cli_faults_adds_the_rack_class():
    import json

    from typer.testing import CliRunner

    from topoctl.cli import app

    result = CliRunner().invoke(app, ["faults", "--family", "fat_tree", "--param", "k=8", "--format", "json"])
    assert result.exit_code == 0, result.output
    rack = json.loads(result.stdout)["fault_domains"][-1]
    # the 12 switches share one network rack, apart from the nodes: losing it cuts every endpoint off
    assert rack["component"] == "rack" and rack["endpoints_disconnected"] == 32


@pytest.mark.parametrize("params", [dict(p=2, a=4, h=2, g=9), dict(p=3, a=6, h=3, g=19)])
def test_group_partial_load_equals_brute_force_on_the_pairs_touching_the_group(params):
    """Brute force: ECMP from every source with the demand restricted to pairs touching group 0."""
    import scipy.sparse as sp

    from topoctl.metrics.throughput import _ecmp_loads, group_partial_load

    arrays = to_arrays(Dragonfly.from_parameters(DragonflyParameters(**params), 64).build())
    adj = arrays.adjacency()
    network = moe_traffic(arrays.endpoints, 8, 4, 0).network_demand()
    dense = network.toarray()
    touching = np.zeros_like(dense, dtype=bool)
    touching[arrays.pods == 0, :] = touching[:, arrays.pods == 0] = True
    every = np.flatnonzero(arrays.endpoints > 0)
    brute = float(_ecmp_loads(arrays, adj, every, sp.csr_matrix(np.where(touching, dense, 0.0))).max())
    partial = group_partial_load(arrays, network, 0)
    assert partial == pytest.approx(brute, rel=1e-9)
    assert partial <= float(_ecmp_loads(arrays, adj, every, network).max()) + 1e-9
