"""The devices and cables of a design as attribute dictionaries, for the graph formats (GraphML,
node-link JSON): switches in build order, then nodes; every cable once, A -> Z, in label order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from topoctl.export.job import ExportJob

__all__ = ["GROUPING", "NODE_ROLE", "devices", "cable_rows", "CABLE_FIELDS"]

GROUPING = ("plane", "pod", "group")  # the switches' grouping attributes, where the family gives them
NODE_ROLE = "node"
# cable attribute -> its type (GraphML attr.type)
CABLE_FIELDS = {"label": "string", "a_port": "string", "z_port": "string", "link_group": "string",
                "cable_class": "string", "length_m": "double", "speed_gbps": "double"}


def devices(job: ExportJob) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, attributes): a switch's role, grouping and number of endpoint ports; a node's role."""
    plan = job.plan
    nodes = plan.graph.nodes
    for name in plan.switches:
        data = nodes[name]
        yield name, {"role": data["role"], **{k: int(data[k]) for k in GROUPING if k in data},
                     "endpoints": int(data["endpoints"])}
    for name in plan.node_names():
        yield name, {"role": NODE_ROLE}


def cable_rows(job: ExportJob) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(A device, Z device, cable attributes) of every cable."""
    for c in job.cables():
        yield c.a_device, c.z_device, {"label": c.label, "a_port": c.a_port, "z_port": c.z_port,
                                       "link_group": c.link_group, "cable_class": c.cable_class,
                                       "length_m": float(c.length_m), "speed_gbps": float(c.speed_gbps)}
