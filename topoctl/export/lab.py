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
two ends are in the slice.

Port names. The port plan names ports ``p<cage>`` (``p<cage>/<lane>`` where a breakout splits a
cage) and ``nic<j>``; each emulated OS has its own names, made here from the plan's numbers
(``port_numbers``), never by redesigning the plan's names.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from topoctl.errors import SpecError, shown
from topoctl.export.job import ExportJob
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan

__all__ = ["SELECTORS", "MAX_DEFAULT_SWITCHES", "LabLink", "LabSlice", "lab_slice", "select_switches",
           "default_switches", "port_numbers"]

SELECTORS = ("plane", "pod", "group", "switches")
UNIT_ATTRIBUTES = ("pod", "group")  # the grouping a default slice takes whole, most specific first
MAX_DEFAULT_SWITCHES = 64  # a lab of more emulated switches needs more than one server's memory
_SUBSET = re.compile(r"\s*([a-z]+)\s*=\s*([0-9]+)\s*\Z")
MAX_SUBSET_DIGITS = 18  # a longer number exceeds every design; it is reported, never converted
_NUMBER = re.compile(r"[0-9]+")


def port_numbers(port: str) -> tuple[int, ...]:
    """The numbers in a port-plan port name: ``p7`` -> (7,), ``p3/2`` -> (3, 2), ``nic4`` -> (4,)."""
    return tuple(int(n) for n in _NUMBER.findall(port))


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


def default_switches(plan: PortPlan, limit: int = MAX_DEFAULT_SWITCHES) -> tuple[list[int], str | None]:
    """The default slice (see the module docstring): switch indices and the selectors that describe
    it (None for the whole design; ``+spines`` when higher-tier switches were added to a unit)."""
    everything = list(range(len(plan.switches)))
    if len(everything) <= limit:
        return everything, None
    nodes = plan.graph.nodes
    data = [nodes[name] for name in plan.switches]
    selected, described = everything, []
    if any("plane" in d for d in data):
        first = min(d["plane"] for d in data if "plane" in d)
        selected = [s for s in selected if data[s].get("plane") == first]
        described.append(f"plane={first}")
        if len(selected) <= limit:
            return selected, ",".join(described)
    role_tier = plan.design.topology.role_tier
    tier = [role_tier(d["role"]) for d in data]
    unit_key = next((key for key in UNIT_ATTRIBUTES if any(key in data[s] for s in selected)), None)
    if unit_key is not None:
        first = min(data[s][unit_key] for s in selected if unit_key in data[s])
        unit = [s for s in selected if data[s].get(unit_key) == first][:limit]
        described.append(f"{unit_key}={first}")
    else:  # no unit: the lowest tier's switches, as many as leave room for the spines of the first
        lowest = min(tier[s] for s in selected)
        bottom = [s for s in selected if tier[s] == lowest]
        above = {plan.index[far] for _, far, _, _ in plan.switch_port_map(bottom[0])} - set(bottom)
        unit = bottom[:max(1, limit - len(above))]
        described.append(f"first {len(unit)} {data[bottom[0]]['role']} switches")
    allowed = set(selected)
    members = set(unit)
    # higher-tier neighbours, round-robin over the unit's switches so that each keeps some uplinks
    uplinks = [[plan.index[far] for _, far, _, _ in plan.switch_port_map(s)
                if plan.index[far] in allowed and tier[plan.index[far]] > tier[s]] for s in unit]
    added = 0
    for rank in range(max((len(u) for u in uplinks), default=0)):
        for ups in uplinks:
            if len(members) >= limit:
                break
            if rank < len(ups) and ups[rank] not in members:
                members.add(ups[rank])
                added += 1
    if added:
        described.append("+spines")
    return sorted(members), ",".join(described)


def lab_slice(job: ExportJob, subset: str | None, endpoints: bool = True) -> LabSlice:
    """The switches, nodes and cables of ``subset`` (the default slice for None)."""
    plan = job.plan
    described: str | None = subset
    if subset:
        selected, default = select_switches(plan, subset), False
    else:
        selected, described = default_switches(plan)
        default = described is not None
    chosen = {plan.switches[s] for s in selected}
    links: list[LabLink] = []
    nodes: set[str] = set()
    for c in job.counted(plan.cables(), plan.num_cables()):
        if c.z_device not in chosen:
            continue
        if c.link_group == ENDPOINT_LINK_GROUP:
            if not endpoints:
                continue
            nodes.add(c.a_device)
        elif c.a_device not in chosen:
            continue
        links.append(LabLink(c.a_device, c.a_port, c.z_device, c.z_port, c.speed_gbps))
    return LabSlice([plan.switches[s] for s in selected], sorted(nodes, key=port_numbers), links, described,
                    default)


def ports_by_device(links: list[LabLink]) -> dict[str, list[str]]:
    """Each device's cabled ports in the slice, in port order."""
    out: dict[str, list[str]] = {}
    for link in links:
        out.setdefault(link.a_device, []).append(link.a_port)
        out.setdefault(link.z_device, []).append(link.z_port)
    for ports in out.values():
        ports.sort(key=port_numbers)
    return out

