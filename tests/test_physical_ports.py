"""Port plan: cable counts against the closed forms, the documented port assignment, determinism."""

from __future__ import annotations

from collections import Counter

import pytest

from topoctl.design import resolve
from topoctl.errors import NotConstructibleError
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan
from topoctl.spec import DesignSpec

from export_cases import ALL_DESIGNS, small_job


@pytest.mark.parametrize("key", sorted(ALL_DESIGNS))
def test_cable_counts_equal_closed_forms(key: str) -> None:
    plan = small_job(key).plan
    counts = plan.design.counts
    by_group = Counter(c.link_group for c in plan.cables())
    assert by_group.pop(ENDPOINT_LINK_GROUP) == counts.num_endpoint_links
    assert by_group == {g.name: g.count for g in counts.link_groups if g.count}  # empty groups: no cables
    assert plan.num_cables() == counts.num_endpoint_links + counts.num_switch_links


@pytest.mark.parametrize("key", sorted(ALL_DESIGNS))
def test_every_port_used_once_and_within_radix(key: str) -> None:
    plan = small_job(key).plan
    used = Counter()
    for c in plan.cables():
        used[(c.a_device, c.a_port)] += 1
        used[(c.z_device, c.z_port)] += 1
    assert max(used.values()) == 1
    for device, port in used:
        if device in plan.index:  # each switch's port on its own model (KeyError for a name past its last cage)
            model = plan.models[plan.index[device]]
            assert 1 <= model.port_number(port) <= model.radix
    # every node port is cabled exactly once
    node_ports = {(n, p) for n in plan.node_names() for p in plan.node_ports()}
    assert node_ports == {key for key in used if key[0] not in plan.index}
    # switch ports used = endpoints + switch-link degree
    graph = plan.graph
    per_switch = Counter(device for device, _ in used if device in plan.index)
    for name in plan.switches:
        degree = sum(data["count"] for data in graph.adj[name].values())
        assert per_switch[name] == graph.nodes[name]["endpoints"] + degree


@pytest.mark.parametrize("key", ["ft2-partial", "ft3-partial", "mpft-3tier"])
def test_fat_tree_ports_go_down_then_up(key: str) -> None:
    """Documented rule: endpoints first, then lower tiers, then higher tiers."""
    plan = small_job(key).plan
    tier = {"leaf": 0, "edge": 0, "spine": 1, "aggregation": 1, "core": 2}
    nodes = plan.graph.nodes
    number = plan.design.switch.port_number
    ports: dict[str, list[tuple[int, int]]] = {}
    for c in plan.cables():
        a_tier = -1 if c.link_group == ENDPOINT_LINK_GROUP else tier[nodes[c.a_device]["role"]]
        z_tier = tier[nodes[c.z_device]["role"]]
        assert a_tier < z_tier  # A is the lower end
        ports.setdefault(c.z_device, []).append((number(c.z_port), a_tier))
        if c.a_device in plan.index:
            ports.setdefault(c.a_device, []).append((number(c.a_port), z_tier))
    for name, entries in ports.items():
        entries.sort()
        assert [p for p, _ in entries] == list(range(1, len(entries) + 1))
        tiers = [t for _, t in entries]
        assert tiers == sorted(tiers), name


def test_multiplane_endpoint_ports_follow_the_plane_rule() -> None:
    """Endpoint i of a node uses planes (i mod P/m)*m + j for its port j (multiplane_fat_tree docstring)."""
    plan = small_job("mpft").plan  # P = 4, m = 2, G = 4
    planes, m = 4, 2
    nodes = plan.graph.nodes
    for c in plan.cables():
        if c.link_group != ENDPOINT_LINK_GROUP:
            continue
        j = int(c.a_port[3:]) - 1
        endpoint, port = divmod(j, m)
        assert nodes[c.z_device]["plane"] == (endpoint % (planes // m)) * m + port


def test_deployed_mpft_puts_gpu_i_in_plane_i() -> None:
    plan = small_job("mpft-deployed").plan  # P = 8, m = 1, G = 8
    for c in plan.cables():
        if c.link_group == ENDPOINT_LINK_GROUP:
            assert c.z_device.startswith(f"p{int(c.a_port[3:]) - 1}-")


def test_plan_is_deterministic() -> None:
    assert list(small_job("df-parallel").plan.cables()) == list(small_job("df-parallel").plan.cables())


def test_dragonfly_parallel_global_links_on_consecutive_ports() -> None:
    plan = small_job("df-parallel").plan
    seen: dict[tuple[str, str], list[int]] = {}
    for c in plan.cables():
        if c.link_group == "global":
            seen.setdefault((c.a_device, c.z_device), []).append(plan.design.switch.port_number(c.a_port))
    assert any(len(p) > 1 for p in seen.values())
    for ports in seen.values():
        assert ports == list(range(ports[0], ports[0] + len(ports)))


def test_formula_only_slim_fly_is_refused_with_nearest_q() -> None:
    design = resolve(DesignSpec(name="SF", family="slim_fly", parameters={"q": 28}, formula_only=True))
    with pytest.raises(NotConstructibleError) as info:
        PortPlan(design)
    assert str(info.value) == (
        "design 'SF' is formula-only, so it has no cables to export: q=28 is not a prime power, so no MMS "
        "graph exists; nearest valid: 27, 29"
    )


def test_a_split_cage_shows_cage_and_lane() -> None:
    """The calibrated preset is a 32-cage twin-port switch: ports p1/1 .. p32/2, never p33 or p64."""
    plan = small_job("ft2").plan
    switch = plan.design.switch
    names = {c.z_port for c in plan.cables()}
    assert switch.port_name(1) == "p1/1" and switch.port_name(64) == "p32/2"
    assert all(name.count("/") == 1 and 1 <= int(name[1:].split("/")[0]) <= 32 for name in names)
