"""topoctl.parallel: local processes and a Dask cluster give the serial run's results, byte for byte, for
sweeps and for random-failure trials."""

from __future__ import annotations

import io

import pytest

from topoctl.errors import FlagError
from topoctl.metrics.faults import FabricView
from topoctl.metrics.graph_arrays import to_arrays
from topoctl.metrics.random_failures import random_failures
from topoctl.parallel import Executor, run_map
from topoctl.sweep import SweepSettings, run_sweep, sweep_from, write_rows
from topoctl.topologies.fat_tree import FatTree, FatTreeParameters

SETTINGS = SweepSettings(time_limit_s=300)  # generous: a loaded machine must not turn a point into a time-out row
SWEEP = {"endpoints": "1000..4000x2,100000", "families": ["fat_tree", "dragonfly", "hyperx"]}


def _power(offset: int, item: int) -> int:
    return item**2 + offset


def test_results_come_in_the_items_order_whatever_order_they_finish():
    done: list[int] = []
    local = list(run_map(_power, range(40), 3, Executor("local", 2), window=5, done=done.append))
    assert local == [i**2 + 3 for i in range(40)] == list(run_map(_power, range(40), 3))
    assert done == list(range(1, 41))


@pytest.mark.parametrize("kind, jobs, scheduler, message", [
    ("threads", 1, None, "--executor: 'threads' is not an executor; valid: local, dask"),
    ("local", 0, None, "--jobs: 0 is not a number of processes 1..256"),
    ("dask", 2, None, "--scheduler: the dask executor needs the scheduler's address (tcp://HOST:8786)"),
    ("local", 2, "tcp://127.0.0.1:8786", "--scheduler: a scheduler address goes with --executor dask"),
])
def test_bad_executors_are_flag_errors(kind, jobs, scheduler, message):
    with pytest.raises(FlagError) as caught:
        Executor(kind, jobs, scheduler)
    assert str(caught.value) == message


def _jsonl(rows) -> str:
    out = io.StringIO()
    write_rows(rows, "jsonl", out)
    return out.getvalue()


@pytest.fixture(scope="module")
def serial_sweep() -> str:
    return _jsonl(run_sweep(sweep_from(SWEEP), SETTINGS))


def test_a_sweep_on_two_processes_is_the_serial_sweep(serial_sweep):
    assert _jsonl(run_sweep(sweep_from(SWEEP), SETTINGS, Executor("local", 2))) == serial_sweep
    assert serial_sweep.count('"status": "infeasible"') == 1  # the fat tree at 100,000 endpoints


@pytest.fixture(scope="module")
def ft3_view() -> FabricView:
    return FabricView(to_arrays(FatTree.from_parameters(FatTreeParameters(k=8, tiers=3), 64).build()))


def test_failure_trials_on_two_processes_are_the_serial_trials(ft3_view):
    serial = random_failures(ft3_view, 0.05, 0.02, trials=24, seed=11)
    seen: list[int] = []
    local = random_failures(ft3_view, 0.05, 0.02, trials=24, seed=11, progress=seen.append,
                            executor=Executor("local", 2))
    assert local == serial
    assert seen[-1] == 24 and seen == sorted(seen)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_serial_results(serial_sweep, ft3_view):
    """A LocalCluster of two worker processes on 127.0.0.1: the sweep's rows and the failure trials are
    the single-process ones, byte for byte."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        dask = Executor("dask", 1, cluster.scheduler_address)
        assert _jsonl(run_sweep(sweep_from(SWEEP), SETTINGS, dask)) == serial_sweep
        serial = random_failures(ft3_view, 0.05, 0.02, trials=24, seed=11)
        assert random_failures(ft3_view, 0.05, 0.02, trials=24, seed=11, executor=dask) == serial


def test_an_unreachable_scheduler_is_one_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("topoctl.parallel.CONNECT_TIMEOUT_S", 2.0)
    with pytest.raises(FlagError) as caught:
        list(run_map(_power, range(3), 0, Executor("dask", 1, "tcp://127.0.0.1:9")))
    assert str(caught.value).startswith("--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
