"""A real NetBox imports topoctl's NetBox files as written, in order, through its own bulk-import views,
and its database then holds every device, interface and cable of the design, each cable on the right
interfaces. The instance (NetBox from PyPI in its venv, PostgreSQL and Redis from Debian) is made by
tests/netbox_instance.py; install it with ``python3 tests/netbox_instance.py install``. Without it the
test is skipped, except in CI (CI=true), where .ci/run installs it and a missing NetBox fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from topoctl.export.netbox import write_netbox
from topoctl.export.source import job_from_raw

from netbox_instance import NETBOX_VERSION, NetBox, installed_python, tool_path
from repo_paths import SPECS

pytestmark = [pytest.mark.netbox, pytest.mark.slow]

# FT2-1000 (specs/fat-tree-2tier-partial.yaml: k=64, 1,000 endpoints), a balanced dragonfly (a = 2p = 2h,
# all 9 groups), the slim fly q=5. NetBox spends about 0.1-0.5 s of CPU per interface and cable it creates, so
# the dragonfly is the balanced p=2 one rather than specs/dragonfly-balanced.yaml (1,320 devices, 2,508 cables).
DESIGNS = {
    "FT2-1000": yaml.safe_load((SPECS / "fat-tree-2tier-partial.yaml").read_text()),
    "DF-p2": {"name": "DF-p2", "family": "dragonfly", "parameters": {"p": 2, "a": 4, "h": 2}},
    "SF-q5": {"name": "SF-q5", "family": "slim_fly", "parameters": {"q": 5}},
    # a model per role: 1U edge and aggregation switches, 4U cores of another device type (8 ports each, so
    # NetBox creates few interfaces)
    "MIX": {"name": "MIX", "family": "fat_tree", "parameters": {"tiers": 3, "endpoints": 12, "construction": {
        "pods": 2, "edges_per_pod": 2, "aggregations_per_pod": 2, "cores_per_group": 2}},
        "switch": {"model": "qm9700", "radix": 8},
        "role_switches": {"core": {"model": "q3400", "radix": 8, "port_speed_gbps": 400}}},
}


def _missing() -> str | None:
    if installed_python() is None:
        return f"NetBox {NETBOX_VERSION} is not installed (python3 tests/netbox_instance.py install)"
    for tool in ("redis-server", "runuser"):
        if tool_path(tool) is None:
            return f"{tool} not found (apt-get install redis-server postgresql)"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        return "PostgreSQL server not found (apt-get install postgresql)"
    return None


@pytest.fixture(scope="module")
def netbox(request: pytest.FixtureRequest) -> Iterator[NetBox]:
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the NetBox import: {missing}")
        pytest.skip(missing)
    python = installed_python()
    assert python is not None
    instance = NetBox(python)
    try:
        instance.start()
        instance.migrate()
        yield instance
    finally:
        instance.stop()
        shown = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in instance.timings.items())
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():  # into CI's log, past pytest's capture
            print(f"\nNetBox {NETBOX_VERSION} on PostgreSQL {instance.pg_major}: {shown}")


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_netbox_imports_the_design(name: str, netbox: NetBox, tmp_path: Path) -> None:
    job = job_from_raw(dict(DESIGNS[name]), "test")
    write_netbox(job, tmp_path / "netbox")
    netbox.reset_data()
    found = netbox.import_directory(tmp_path / "netbox")
    netbox.timings[f"import_{name}_s"] = sum(found["timings_s"].values())
    netbox.timings[f"{name}_devices_interfaces_cables"] = (found["devices"], found["interfaces"], len(found["cables"]))

    design, plan = job.design, job.plan
    counts = design.counts
    assert found["devices"] == counts.num_switches + plan.num_nodes
    radix = [model.radix for model in plan.models]  # each switch's own model's
    assert found["interfaces"] == sum(radix) + plan.num_nodes * plan.num_node_ports
    per_device = found["interfaces_per_device"]
    assert all(per_device[s] == radix[i] for i, s in enumerate(plan.switches))
    assert all(per_device[n] == plan.num_node_ports for n in plan.node_names())
    assert len(found["cables"]) == counts.num_endpoint_links + counts.num_switch_links
    expected = {
        c.label: ([[c.a_device, c.a_port]], [[c.z_device, c.z_port]], c.length_m) for c in job.cables()
    }
    got = {label: (a, b, length) for label, a, b, _type, length, _unit in found["cables"]}
    assert got == expected
