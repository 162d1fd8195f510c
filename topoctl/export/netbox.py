"""NetBox bulk import: one YAML file per object type, in a directory, in the order to import them.

Files: ``01-manufacturers``, ``02-device-roles``, ``03-sites``, ``04-racks``, ``05-device-types``
(devicetype-library style: manufacturer, model, slug, u_height, interfaces [{name, type}]),
``06-devices`` (name, role, manufacturer, device_type, site, rack, position, face, status),
``07-interfaces`` (device, name, type: the cabled interfaces, which the device types already create;
for checking, or for types imported without interface templates) and ``08-cables`` (side_a_device,
side_a_type, side_a_name, side_b_device, side_b_type, side_b_name, type, status, label, length,
length_unit). Field names follow NetBox's bulk-import forms (``reference/export-formats.md``).
Interface types: InfiniBand (switch models named ``ib-...``) by speed, ``infiniband-ndr`` for 400G;
Ethernet otherwise, e.g. ``400gbase-x-osfp``. Cables: ``dac-passive`` when electric, ``mmf`` when optical.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from topoctl.errors import ExportError
from topoctl.export.atomic import atomic_directory
from topoctl.export.job import ExportJob
from topoctl.export.yamltext import block, flow_map, scalar
from topoctl.physical.ports import switch_port
from topoctl.topologies.base import ELECTRIC

__all__ = ["FILES", "interface_type", "write_netbox"]

FILES = (
    "01-manufacturers.yaml",
    "02-device-roles.yaml",
    "03-sites.yaml",
    "04-racks.yaml",
    "05-device-types.yaml",
    "06-devices.yaml",
    "07-interfaces.yaml",
    "08-cables.yaml",
)
MANUFACTURER = "Generic"
NODE_ROLE = "server"
IB_TYPES = {100: "infiniband-edr", 200: "infiniband-hdr", 400: "infiniband-ndr", 800: "infiniband-xdr"}
ETHERNET_TYPES = {100: "100gbase-x-qsfp28", 200: "200gbase-x-qsfp56", 400: "400gbase-x-osfp", 800: "800gbase-x-osfp"}
CABLE_TYPES = {ELECTRIC: "dac-passive"}
OPTICAL_CABLE_TYPE = "mmf"
ROLE_COLOURS = ("2196f3", "4caf50", "ff9800", "9c27b0", "607d8b")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "design"


def interface_type(speed_gbps: float, infiniband: bool) -> str:
    table = IB_TYPES if infiniband else ETHERNET_TYPES
    speed = int(speed_gbps)
    if speed not in table or speed != speed_gbps:
        valid = ", ".join(str(s) for s in table)
        kind = "InfiniBand" if infiniband else "Ethernet"
        raise ExportError(f"no NetBox {kind} interface type for {speed_gbps:g} Gb/s; valid speeds: {valid}")
    return table[speed]


def write_netbox(job: ExportJob, out: Path) -> int:
    """Write the import directory; returns the number of cables."""
    design, plan, layout = job.design, job.plan, job.layout
    infiniband = design.switch.name.startswith("ib-")
    switch_if = interface_type(design.switch.port_speed_gbps, infiniband)
    node_if = interface_type(design.endpoint_speed_gbps, infiniband)
    site = design.name
    node_model = f"node-{plan.num_node_ports}x{int(design.endpoint_speed_gbps)}g"
    roles = sorted({data["role"] for _, data in plan.graph.nodes(data=True)}) + [NODE_ROLE]
    num_cables = 0
    with atomic_directory(out, replaceable=FILES) as directory:
        def write(name: str, data: Any) -> None:
            (directory / name).write_text(block(data), encoding="utf-8")

        write(FILES[0], [{"name": MANUFACTURER, "slug": slug(MANUFACTURER)}])
        write(FILES[1], [
            {"name": role, "slug": slug(role), "color": ROLE_COLOURS[i % len(ROLE_COLOURS)]}
            for i, role in enumerate(roles)
        ])
        write(FILES[2], [{"name": site, "slug": slug(site), "status": "planned"}])
        write(FILES[3], [
            {"name": f"rack-{r}", "site": site, "status": "planned", "u_height": job.layout_options.rack_units}
            for r in range(layout.num_racks)
        ])
        write(FILES[4], [
            {
                "manufacturer": MANUFACTURER, "model": design.switch.name, "slug": slug(design.switch.name),
                "u_height": job.layout.racks.switch_u,
                "interfaces": [{"name": switch_port(p, design.switch), "type": switch_if}
                               for p in range(1, design.switch.radix + 1)],
            },
            {
                "manufacturer": MANUFACTURER, "model": node_model, "slug": slug(node_model),
                "u_height": job.layout.racks.node_u,
                "interfaces": [{"name": port, "type": node_if} for port in plan.node_ports()],
            },
        ])
        with open(directory / FILES[5], "w", encoding="utf-8") as handle:
            common = {"manufacturer": MANUFACTURER, "site": site}
            for s, name in enumerate(plan.switches):
                rack, u = layout.switch_position[s]
                device = {"name": name, "role": plan.graph.nodes[name]["role"], **common,
                          "device_type": design.switch.name, "rack": f"rack-{rack}", "position": u,
                          "face": "front", "status": "planned"}
                handle.write(f"- {flow_map(device)}\n")
            for n, name in enumerate(plan.node_names()):
                rack, u = layout.node_position[n]
                device = {"name": name, "role": NODE_ROLE, **common, "device_type": node_model,
                          "rack": f"rack-{rack}", "position": u, "face": "front", "status": "planned"}
                handle.write(f"- {flow_map(device)}\n")
        with open(directory / FILES[6], "w", encoding="utf-8") as interfaces, \
                open(directory / FILES[7], "w", encoding="utf-8") as cables:
            q = scalar
            for c in job.cables():  # the keys are fixed, so the lines are formatted directly (speed)
                a_type = node_if if c.link_group == "endpoint" else switch_if
                a, a_port, z, z_port = q(c.a_device), q(c.a_port), q(c.z_device), q(c.z_port)
                interfaces.write(f"- {{device: {a}, name: {a_port}, type: {a_type}}}\n"
                                 f"- {{device: {z}, name: {z_port}, type: {switch_if}}}\n")
                cables.write(
                    f"- {{side_a_device: {a}, side_a_type: dcim.interface, side_a_name: {a_port}, "
                    f"side_b_device: {z}, side_b_type: dcim.interface, side_b_name: {z_port}, "
                    f"type: {CABLE_TYPES.get(c.cable_class, OPTICAL_CABLE_TYPE)}, status: planned, "
                    f"label: {q(c.label)}, length: {q(c.length_m)}, length_unit: m}}\n"
                )
                num_cables += 1
    return num_cables
