"""Ansible inventory (YAML): every switch and node once with its variables, grouped by role, plane,
pod/group and rack.

Layout: ``all.children.switches.hosts`` and ``all.children.nodes.hosts`` define each host with its
variables (role, plane, pod, group, rack, rack_u, model or ports); the other groups list hosts only:
``role_<role>``, ``plane_<p>``, ``pod_<d>``, ``group_<g>``, ``rack_<r>``. Group names use letters,
digits and underscores, as Ansible requires. ``ansible-inventory -i FILE --list`` reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import flow_map, scalar

__all__ = ["write_ansible"]

GROUPED_ATTRIBUTES = ("plane", "pod", "group")


def write_ansible(job: ExportJob, out: Path, *, endpoints: bool = True) -> int:
    """Write the inventory; returns the number of hosts."""
    plan, layout, design = job.plan, job.layout, job.design
    nodes = plan.graph.nodes
    groups: dict[str, list[str]] = {}

    def member(group: str, host: str) -> None:
        groups.setdefault(group, []).append(host)

    num_hosts = 0
    with atomic_text(out) as handle:
        write = handle.write
        write(
            f"# Ansible inventory of topoctl design {design.name!r}\n"
            "all:\n  children:\n    switches:\n      hosts:\n"
        )
        for s, name in enumerate(plan.switches):
            data = nodes[name]
            rack, u = layout.switch_position[s]
            host: dict[str, Any] = {"role": data["role"]}
            host.update((k, data[k]) for k in GROUPED_ATTRIBUTES if k in data)
            host.update(rack=rack, rack_u=u, model=plan.models[s].name, num_endpoints=data["endpoints"])
            write(f"        {scalar(name)}: {flow_map(host)}\n")
            member(f"role_{_group(data['role'])}", name)
            for key in GROUPED_ATTRIBUTES:
                if key in data:
                    member(f"{key}_{data[key]}", name)
            member(f"rack_{rack}", name)
            num_hosts += 1
        if endpoints and plan.num_nodes:
            write("    nodes:\n      hosts:\n")
            for n, name in enumerate(plan.node_names()):
                rack, u = layout.node_position[n]
                write(
                    f"        {scalar(name)}: "
                    f"{flow_map({'role': 'node', 'rack': rack, 'rack_u': u, 'ports': plan.num_node_ports})}\n"
                )
                member(f"rack_{rack}", name)
                num_hosts += 1
        for group in sorted(groups, key=_group_order):
            write(f"    {group}:\n      hosts:\n")
            for name in groups[group]:
                write(f"        {scalar(name)}: {{}}\n")
    return num_hosts


def _group(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def _group_order(group: str) -> tuple[str, int]:
    kind, _, number = group.rpartition("_")
    return (kind, int(number)) if number.isdigit() else (group, -1)
