"""The full design as YAML: the spec fields at the top, everything derived under ``generated``.

The top-level fields are a valid design spec (``topoctl.spec`` skips ``generated`` when loading), so
``topoctl export design.yaml --format design`` rebuilds the same design and writes the same bytes.
``generated`` holds the layout options (reused on reload), the report (counts, count-based cost,
metrics), every switch and node with its rack position, every cable once (A -> Z, in the port plan's
order), and, last because it is summed while the cables stream, the length-aware cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import block, flow_map, flow_seq
from topoctl.physical.layout import LENGTH_AWARE_METHOD, CableTally
from topoctl.report import design_report
from topoctl.spec import GENERATED_KEY

__all__ = ["GENERATED_KEY", "CABLE_FIELDS", "write_design_yaml", "switch_records"]

CABLE_FIELDS = (
    "label", "a_device", "a_port", "z_device", "z_port", "cable_class", "length_m", "speed_gbps", "link_group"
)
SWITCH_ATTRIBUTES = ("plane", "pod", "group", "subgraph")


def switch_records(job: ExportJob) -> list[dict[str, Any]]:
    """Name, role, family attributes, endpoints, rack position and model of every switch."""
    plan, layout = job.plan, job.layout
    nodes = plan.graph.nodes
    out = []
    for s, name in enumerate(plan.switches):
        data = nodes[name]
        rack, u = layout.switch_position[s]
        record: dict[str, Any] = {"name": name, "role": data["role"]}
        record.update((key, data[key]) for key in SWITCH_ATTRIBUTES if key in data)
        record.update(endpoints=data["endpoints"], rack=rack, u=u, model=plan.models[s].name)
        out.append(record)
    return out


def write_design_yaml(job: ExportJob, out: Path) -> int:
    """Write the design; returns the number of cables."""
    design, plan, layout = job.design, job.plan, job.layout
    tally = CableTally(layout.cage_of)
    with atomic_text(out) as handle:
        write = handle.write
        write("# topoctl design: the fields above 'generated' are the spec; 'generated' is derived from them.\n")
        write(block(job.spec))
        write(f"{GENERATED_KEY}:\n")
        write(block({"layout": job.layout_options.as_dict(), "report": design_report(design).as_dict()}, 2))
        write(block({"num_racks": layout.num_racks, "num_nodes": plan.num_nodes, "num_cables": plan.num_cables()}, 2))
        write("  switches:\n")
        for record in switch_records(job):
            write(f"  - {flow_map(record)}\n")
        write("  nodes:\n")
        ports = plan.num_node_ports
        for n, name in enumerate(plan.node_names()):
            rack, u = layout.node_position[n]
            write(f"  - {flow_map({'name': name, 'rack': rack, 'u': u, 'ports': ports})}\n")
        write(f"  cable_fields: {flow_seq(CABLE_FIELDS)}\n")
        write("  cables:\n")
        for c in tally.counted(job.cables()):
            row = (
                c.label, c.a_device, c.a_port, c.z_device, c.z_port,
                c.cable_class, c.length_m, c.speed_gbps, c.link_group,
            )
            write(f"  - {flow_seq(row)}\n")
        cost = tally.cost(design)
        summary = {
            "cost_length_aware_usd": round(cost.total_usd, 2),
            "cost_length_aware_breakdown_usd": {k: round(v, 2) for k, v in cost.as_dict().items()},
            "cost_length_aware_method": LENGTH_AWARE_METHOD,
        }
        write(block(summary, 2))
    return tally.num_cables
