"""A slice of a fabric small enough to emulate (containerlab, NVIDIA Air), and the port names of the
emulated operating systems.

Selection. ``subset`` is comma-separated selectors that all apply: ``plane=P``, ``pod=D`` and
``group=G`` (the switches' grouping attributes, where the family gives them), ``switches=N`` (the
first N switches reached breadth-first from the first selected switch, neighbours in port order).
Without ``subset`` a design of at most ``MAX_DEFAULT_SWITCHES`` switches is taken whole; a larger one
gives the default slice: its first plane, then, if that is still too large, the first unit of
switches (pod 0, else group 0, else the first endpoint-holding switches that fit) with the higher-
tier switches they reach (their spines), dealt round-robin over the unit's switches and capped at
``MAX_DEFAULT_SWITCHES`` in all. The slice holds the selected switches, the cables between them and
(unless ``endpoints`` is false) the nodes attached to them with only those ports, so every link's
two ends are in the slice. A default slice keeps at most 253 devices in all (each endpoint-holding
switch an equal share of the nodes) and, given the emulated switch's port count, only the endpoint
links a switch has ports for beside its switch links; an explicit ``subset`` keeps every endpoint.

Port names. The port plan names ports ``p<cage>`` (``p<cage>/<lane>`` where a breakout splits a
cage) and ``nic<j>``; each emulated OS has its own names, made here from the plan's numbers
(``port_numbers``), never by redesigning the plan's names.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from topoctl.catalog import SwitchModel
from topoctl.errors import ExportError, SpecError, shown
from topoctl.export.job import ExportJob
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan

__all__ = ["SELECTORS", "MAX_DEFAULT_SWITCHES", "LabLink", "LabSlice", "lab_slice", "select_switches",
           "default_switches", "port_numbers"]

SELECTORS = ("plane", "pod", "group", "switches")
UNIT_ATTRIBUTES = ("pod", "group")  # the grouping a default slice takes whole, most specific first
MAX_DEFAULT_SWITCHES = 64  # a lab of more emulated switches needs more than one server's memory
DEFAULT_LAB_DEVICES = 253  # switches and nodes of a default slice: containerlab's default /24 holds 253
_SUBSET = re.compile(r"\s*([a-z]+)\s*=\s*([0-9]+)\s*\Z")
MAX_SUBSET_DIGITS = 18  # a longer number exceeds every design; it is reported, never converted
_NUMBER = re.compile(r"[0-9]+")


def port_numbers(port: str, switch: SwitchModel | None = None) -> tuple[int, ...]:
    """(cage,) or (cage, lane), from 1, of a switch port by its name on ``switch`` (``p3/2``, ``swp3s1``
    and ``Ethernet3/5`` are all cage 3, lane 2 of a cage split in two); without a switch, the numbers in
    the name (a node's ``nic4`` -> (4,))."""
    if switch is None:
        return tuple(int(n) for n in _NUMBER.findall(port))
    cage, lane = divmod(switch.port_number(port) - 1, switch.ports_per_cage)
    return (cage + 1, lane + 1) if switch.ports_per_cage > 1 else (cage + 1,)


class LabLink(NamedTuple):
    """One cable of the slice, A -> Z as the port plan lists it."""

    a_device: str
    a_port: str
    z_device: str
    z_port: str
    speed_gbps: float


@dataclass(frozen=True)
class LabSlice:
    """The switches (build order), nodes (by number) and cables of a slice; ``subset`` as applied
    (the default slice's selectors, or None for the whole design)."""

    switches: list[str]
    nodes: list[str]
    links: list[LabLink]
    subset: str | None
    default: bool
    dropped_endpoint_links: int = 0


def _parse(subset: str) -> list[tuple[str, int | None, str]]:
    """(selector, value, value as given); the value is None when it has too many digits to be valid."""
    out = []
    for part in subset.split(","):
        match = _SUBSET.match(part)
        if not match or match.group(1) not in SELECTORS:
            raise SpecError(
                f"{shown(part.strip())} is not a selector; "
                f"use {', '.join(f'{s}=N' for s in SELECTORS)}, comma-separated",
                path="--subset",
            )
        digits = match.group(2).lstrip("0") or "0"
        value = int(digits) if len(digits) <= MAX_SUBSET_DIGITS else None
        text = digits if len(digits) <= MAX_SUBSET_DIGITS else f"{digits[:10]}... ({len(digits):,} digits)"
        out.append((match.group(1), value, text))
    return out


def select_switches(plan: PortPlan, subset: str | None) -> list[int]:
    """Indices (build order) of the switches a subset selects (all for None); SpecError naming the
    valid values."""
    selected = list(range(len(plan.switches)))
    if not subset:
        return selected
    nodes = plan.graph.nodes
    for key, value, text in _parse(subset):
        if key == "switches":
            if value is None or not 1 <= value <= len(selected):
                raise SpecError(f"switches={text} is out of range; valid: 1 to {len(selected):,} "
                                "(the switches "
                                f"{'selected' if len(selected) < len(plan.switches) else 'of the design'})",
                                path="--subset")
            selected = _breadth_first(plan, selected, value)
            continue
        values = sorted({nodes[plan.switches[s]][key] for s in selected if key in nodes[plan.switches[s]]})
        if not values:
            raise SpecError(f"{key}= does not apply to this {plan.design.topology.family} design "
                            f"(no switch has a {key}); use switches=N", path="--subset")
        if value not in values:
            raise SpecError(f"{key}={text} does not exist; valid: {values[0]} to {values[-1]}", path="--subset")
        selected = [s for s in selected if nodes[plan.switches[s]].get(key) == value]
    return selected


def _breadth_first(plan: PortPlan, selected: list[int], limit: int) -> list[int]:
    allowed = set(selected)
    order: list[int] = []
    seen: set[int] = set()
    for start in selected:  # each component in turn, so N switches are found even across planes
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue and len(order) < limit:
            s = queue.popleft()
            order.append(s)
            for _, far, _, _ in plan.switch_port_map(s):
                t = plan.index[far]
                if t in allowed and t not in seen:
                    seen.add(t)
                    queue.append(t)
        if len(order) >= limit:
            break
    return sorted(order)


def default_switches(plan: PortPlan, limit: int = MAX_DEFAULT_SWITCHES,
                     max_ports: int | None = None) -> tuple[list[int], str | None]:
    """The default slice (see the module docstring): switch indices and the selectors that describe
    it (None for the whole design; ``+spines`` when higher-tier switches were added to a unit). With
    ``max_ports`` (the emulated switch's ports) a unit has at most that many switches, and each of its
    endpoint-holding switches at most half of them in uplinks, so a spine's and a leaf's ports fit."""
    nodes = plan.graph.nodes
    data = [nodes[name] for name in plan.switches]

    def linked(selection: list[int]) -> bool:
        inside = set(selection)
        return any(plan.index[far] in inside for s in selection for _, far, _, _ in plan.switch_port_map(s))

    def fits(selection: list[int]) -> bool:
        inside = set(selection)
        return len(selection) <= limit and (max_ports is None or all(
            sum(1 for _, far, _, _ in plan.switch_port_map(s) if plan.index[far] in inside) <= max_ports
            for s in selection))

    selected, described = list(range(len(plan.switches))), []
    if fits(selected):
        return selected, None
    if any("plane" in d for d in data):
        first = min(d["plane"] for d in data if "plane" in d)
        selected = [s for s in selected if data[s].get("plane") == first]
        described.append(f"plane={first}")
        if fits(selected):
            return selected, ",".join(described)
    role_tier = plan.design.topology.role_tier
    tier = [role_tier(d["role"]) for d in data]
    unit_size = limit if max_ports is None else min(limit, max_ports)
    allowed = set(selected)

    def uplinks(s: int) -> list[int]:
        """Higher-tier neighbours in port order, as many as fit the uplink ports (cables, not switches)."""
        budget = None if max_ports is None else max_ports // 2 if data[s]["endpoints"] else max_ports
        cables: dict[int, int] = {}
        for _, far, _, _ in plan.switch_port_map(s):
            t = plan.index[far]
            if t in allowed and tier[t] > tier[s]:
                cables[t] = cables.get(t, 0) + 1
        ups, used = [], 0
        for t, count in cables.items():
            if budget is not None and used + count > budget:
                break
            ups.append(t)
            used += count
        return ups

    unit_key = next((key for key in UNIT_ATTRIBUTES if any(key in data[s] for s in selected)), None)
    if unit_key is not None:
        first = min(data[s][unit_key] for s in selected if unit_key in data[s])
        whole = sorted((s for s in selected if data[s].get(unit_key) == first), key=lambda s: (tier[s], s))
        unit = whole[:unit_size]
        described.append(f"{unit_key}={first}")
    else:  # no unit: the lowest tier's switches, as many as leave room for the spines of the first
        lowest = min(tier[s] for s in selected)
        bottom = [s for s in selected if tier[s] == lowest]
        unit = bottom[:max(1, min(unit_size, limit - len(uplinks(bottom[0]))))]
        described.append(f"first {len(unit)} {data[bottom[0]]['role']} switches")
    members = set(unit)
    # higher-tier neighbours, round-robin over the unit's switches so that each keeps some uplinks
    ups_of = [uplinks(s) for s in unit]
    added = 0
    for rank in range(max((len(u) for u in ups_of), default=0)):
        for ups in ups_of:
            if len(members) >= limit:
                break
            if rank < len(ups) and ups[rank] not in members:
                members.add(ups[rank])
                added += 1
    if added and not fits(sorted(members)) and fits(sorted(unit)) and linked(unit):
        members, added = set(unit), 0  # a unit cabled within itself (a pod) alone, when its spines overflow it
    while len(unit) > 1 and not fits(sorted(members)):  # a spine's ports: fewer unit switches
        members.discard(unit.pop())
        members -= {t for t in members - set(unit) if not any(t in ups for ups in ups_of[:len(unit)])}
        if unit_key is None:
            described[-1] = f"first {len(unit)} {data[unit[0]]['role']} switches"
    if unit_key is not None and len(unit) < len(whole):
        described[-1] += f" (its first {len(unit)} switches)"
    if added:
        described.append("+spines")
    return sorted(members), ",".join(described)


def lab_slice(job: ExportJob, subset: str | None, endpoints: bool = True, max_ports: int | None = None) -> LabSlice:
    """The switches, nodes and cables of ``subset``; for None, the default slice, whose switches keep at
    most their share of ``DEFAULT_LAB_DEVICES`` and (with ``max_ports``, the emulated switch's ports)
    only the endpoint links they have ports for."""
    plan = job.plan
    described: str | None = subset
    if subset:
        selected, default = select_switches(plan, subset), False
    else:
        selected, described = default_switches(plan, max_ports=max_ports)
        default = described is not None
    chosen = {plan.switches[s] for s in selected}
    quota = {} if subset or not endpoints else _endpoint_quota(plan, selected, max_ports)
    links: list[LabLink] = []
    nodes: set[str] = set()
    attached: dict[str, int] = {}
    dropped = 0
    for c in job.counted(plan.cables(), plan.num_cables()):
        if c.z_device not in chosen:
            continue
        if c.link_group == ENDPOINT_LINK_GROUP:
            if not endpoints:
                continue
            if c.z_device in quota:
                if attached.get(c.z_device, 0) >= quota[c.z_device]:
                    dropped += 1
                    continue
                attached[c.z_device] = attached.get(c.z_device, 0) + 1
            nodes.add(c.a_device)
        elif c.a_device not in chosen:
            continue
        links.append(LabLink(c.a_device, c.a_port, c.z_device, c.z_port, c.speed_gbps))
    if default and len(chosen) > 1 and all(link.a_device in nodes for link in links):
        # the emulated switch's ports cannot hold one switch with its neighbours: a lab of unconnected
        # switches would emulate nothing of the fabric
        raise ExportError(
            f"the default slice of this design has no cable between its switches within {max_ports} ports per "
            "switch; pick an emulated switch with more ports or a --subset")
    return LabSlice([plan.switches[s] for s in selected], sorted(nodes, key=port_numbers), links, described,
                    default or dropped > 0, dropped)


def _endpoint_quota(plan: PortPlan, selected: list[int], max_ports: int | None) -> dict[str, int]:
    """Endpoint links each endpoint-holding switch of a default slice keeps: an equal share of the
    devices the default management network holds, and no more than the switch has free ports."""
    nodes = plan.graph.nodes
    holders = [s for s in selected if nodes[plan.switches[s]]["endpoints"]]
    if not holders:
        return {}
    share = max(1, (DEFAULT_LAB_DEVICES - len(selected)) // len(holders))
    inside = set(selected)
    quota = {}
    for s in holders:
        free = share
        if max_ports is not None:
            fabric = sum(1 for _, far, _, _ in plan.switch_port_map(s) if plan.index[far] in inside)
            free = min(free, max(0, max_ports - fabric))
        quota[plan.switches[s]] = free
    return quota


def ports_by_device(links: list[LabLink]) -> dict[str, list[str]]:
    """Each device's cabled ports in the slice, in port order."""
    out: dict[str, list[str]] = {}
    for link in links:
        out.setdefault(link.a_device, []).append(link.a_port)
        out.setdefault(link.z_device, []).append(link.z_port)
    for ports in out.values():
        ports.sort(key=port_numbers)
    return out

