"""containerlab topology (``NAME.clab.yml``): switches, endpoint nodes as ``linux`` nodes, links.

A whole fabric is too big for a lab, so ``subset`` selects a slice, as comma-separated selectors that
all apply: ``plane=P``, ``pod=D`` and ``group=G`` (the switches' grouping attributes, where the
family gives them), ``switches=N`` (the first N switches reached breadth-first from the first selected
switch, neighbours in port order). The lab holds the selected switches, the links between them, and
(unless ``endpoints`` is false) the nodes attached to them with only those ports, so every link's two
ends are in the lab. Interface names are ``eth<port>``, the port numbers of the full design, so the
lab is cabled as the slice of the real fabric is.
Schema: containerlab's ``clab.schema.json`` (name, topology.nodes.<name>.kind, topology.links[].endpoints).
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

from topoctl.catalog import SwitchModel
from topoctl.errors import SpecError, shown
from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import block, flow_map, flow_seq, scalar
from topoctl.physical.ports import ENDPOINT_LINK_GROUP, PortPlan

__all__ = ["SELECTORS", "select_switches", "write_containerlab", "DEFAULT_SWITCH_KIND", "DEFAULT_SWITCH_IMAGE"]

SELECTORS = ("plane", "pod", "group", "switches")
DEFAULT_SWITCH_KIND = "sonic-vs"
DEFAULT_SWITCH_IMAGE = "docker-sonic-vs:latest"
NODE_KIND = "linux"
NODE_IMAGE = "alpine:3.20"
_SUBSET = re.compile(r"\s*([a-z]+)\s*=\s*([0-9]+)\s*\Z")
MAX_SUBSET_DIGITS = 18  # a longer number exceeds every design; it is reported, never converted


def lab_interface(port: str, switch: SwitchModel | None = None) -> str:
    """A node's ``nic7``, or a switch port by its installer name (``p4/1``: port 7 of a twin-port switch),
    as containerlab's ``eth7`` (the port number)."""
    if switch is None:
        return "eth" + port.lstrip("picn")
    return f"eth{switch.port_number(port)}"


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
    """Indices (build order) of the switches a subset selects; SpecError naming the valid values."""
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


def lab_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", name).strip("-.") or "topoctl"


def write_containerlab(
    job: ExportJob,
    out: Path,
    *,
    subset: str | None = None,
    endpoints: bool = True,
    switch_kind: str = DEFAULT_SWITCH_KIND,
    switch_image: str = DEFAULT_SWITCH_IMAGE,
) -> int:
    """Write the lab; returns the number of links."""
    plan = job.plan
    selected = select_switches(plan, subset)
    chosen = {plan.switches[s] for s in selected}
    graph = plan.graph
    links: list[tuple[str, str]] = []
    lab_nodes: set[str] = set()
    switch = job.design.switch
    for c in job.cables():
        if c.z_device not in chosen:
            continue
        if c.link_group == ENDPOINT_LINK_GROUP:
            if not endpoints:
                continue
            lab_nodes.add(c.a_device)
        elif c.a_device not in chosen:
            continue
        a_switch = None if c.link_group == ENDPOINT_LINK_GROUP else switch
        links.append((f"{c.a_device}:{lab_interface(c.a_port, a_switch)}",
                      f"{c.z_device}:{lab_interface(c.z_port, switch)}"))
    header: dict[str, Any] = {
        "name": lab_name(job.design.name),
        "topology": {"kinds": {switch_kind: {"image": switch_image}, NODE_KIND: {"image": NODE_IMAGE}}},
    }
    with atomic_text(out) as handle:
        write = handle.write
        write(
            f"# containerlab lab of topoctl design {job.design.name!r}"
            + (f", subset {subset}" if subset else "")
            + "\n"
        )
        write(block(header))
        write("  nodes:\n")
        for s in selected:
            name = plan.switches[s]
            data = graph.nodes[name]
            labels = {"role": data["role"], **{k: str(data[k]) for k in ("plane", "pod", "group") if k in data}}
            write(f"    {scalar(name)}: {flow_map({'kind': switch_kind, 'labels': labels})}\n")
        for name in sorted(lab_nodes, key=lambda n: int(n[5:])):
            write(f"    {scalar(name)}: {flow_map({'kind': NODE_KIND, 'labels': {'role': 'node'}})}\n")
        write("  links:\n" if links else "  links: []\n")
        for a, z in links:
            write(f"    - endpoints: {flow_seq([a, z])}\n")
    return len(links)
