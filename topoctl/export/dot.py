"""DOT graph of the cabled fabric for Graphviz and networkx (``nx_agraph.read_dot``,
``nx_pydot.read_dot``): one vertex per device, one edge per cable.

``graph NAME {`` then one line per device with its role (and plane, pod or group), then one edge per
cable, A -- Z, with the cable's label, both ports, class and length as attributes. The ports are the
edge attributes ``a_port`` and ``z_port``, not DOT's ``"device":"port"`` syntax: that syntax names a
record field or compass point, so Graphviz warns once per port of a plain node and pydot (and
networkx's ``nx_pydot``) reads ``"device":"port"`` as a vertex of its own. Parallel cables are
parallel edges (networkx reads a MultiGraph). NVIDIA Air takes the ``air`` format (JSON, which Air
recommends over DOT).
"""

from __future__ import annotations

import json
from pathlib import Path

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob

__all__ = ["write_dot"]


def _id(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a DOT double-quoted ID escapes as JSON does


def write_dot(job: ExportJob, out: Path) -> int:
    """Write the graph; returns the number of cables."""
    plan = job.plan
    nodes = plan.graph.nodes
    count = 0
    with atomic_text(out) as handle:
        write = handle.write
        write(f"graph {_id(job.design.name)} {{\n")
        for name in plan.switches:
            data = nodes[name]
            attrs = [f'role="{data["role"]}"'] + [f'{k}="{data[k]}"' for k in ("plane", "pod", "group") if k in data]
            write(f"  {_id(name)} [{', '.join(attrs)}];\n")
        for name in plan.node_names():
            write(f'  {_id(name)} [role="node"];\n')
        for c in job.cables():
            write(
                f"  {_id(c.a_device)} -- {_id(c.z_device)} [label={_id(c.label)}, a_port={_id(c.a_port)}, "
                f'z_port={_id(c.z_port)}, cable_class="{c.cable_class}", length_m="{c.length_m:g}"];\n'
            )
            count += 1
        write("}\n")
    return count
