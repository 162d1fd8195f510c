"""NetBox bulk import: one YAML file per object type, in a directory, in the order to import them.

Each file is what NetBox 4.x's bulk-import page of its object type takes (Import, upload, YAML), and the
files import as written, in name order, into an empty NetBox (tests/test_netbox_import.py imports them into
a real one): ``01-manufacturers``, ``02-device-roles``, ``03-sites``, ``04-racks`` (with ``width``: NetBox
refuses a rack with neither a width nor a rack type), ``05-device-types``, ``06-devices`` and ``07-cables``.

Interfaces come from the device types: each type lists every port of the hardware as an interface
template (the switch's ports as the port plan names them, a node's NIC ports), so NetBox creates them when
it creates each device, unused ports included, as on the real box. There is no interface file: imported
after the devices it could only collide with those interfaces ("Interface with this Device and Name
already exists"), and a type without templates would leave the unused ports out of NetBox. Device types
follow the netbox devicetype-library schema (``is_full_depth`` required, no unknown keys) and its slug rule
(the manufacturer's slug, then the model's). Cables name each end by site, device and interface, so they
resolve in a NetBox that holds other sites with devices of the same names.

Field names follow NetBox's import forms (``reference/export-formats.md``). Interface types: InfiniBand
(switch models named ``ib-...``) by speed, ``infiniband-ndr`` for 400G; Ethernet otherwise, e.g.
``400gbase-x-osfp``. Cables: ``dac-passive`` when electric, ``mmf`` when optical.
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

__all__ = ["FILES", "device_type_slug", "interface_type", "write_netbox"]

FILES = (
    "01-manufacturers.yaml",
    "02-device-roles.yaml",
    "03-sites.yaml",
    "04-racks.yaml",
    "05-device-types.yaml",
    "06-devices.yaml",
    "07-cables.yaml",
)
RACK_WIDTH_IN = 19  # EIA-310 rail-to-rail width, NetBox's rack ``width`` (inches)
MANUFACTURER = "Generic"
NODE_ROLE = "server"
IB_TYPES = {100: "infiniband-edr", 200: "infiniband-hdr", 400: "infiniband-ndr", 800: "infiniband-xdr"}
ETHERNET_TYPES = {100: "100gbase-x-qsfp28", 200: "200gbase-x-qsfp56", 400: "400gbase-x-osfp", 800: "800gbase-x-osfp"}
CABLE_TYPES = {ELECTRIC: "dac-passive"}
OPTICAL_CABLE_TYPE = "mmf"
ROLE_COLOURS = ("2196f3", "4caf50", "ff9800", "9c27b0", "607d8b")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "design"


def device_type_slug(model: str) -> str:
    """The devicetype-library slug: the manufacturer's slug, then the model's."""
    return f"{slug(MANUFACTURER)}-{slug(model)}"


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
    switch = design.switch  # a catalog model says its link layer; a custom one is InfiniBand when named ib-...
    infiniband = switch.link_layer == "infiniband" if switch.catalog_model else switch.name.startswith("ib-")
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
            {"name": f"rack-{r}", "site": site, "status": "planned", "width": RACK_WIDTH_IN,
             "u_height": job.layout_options.rack_units}
            for r in range(layout.num_racks)
        ])
        heights = {group.model: group.u for group in layout.racks.switch_groups}
        models = list(dict.fromkeys(plan.models))  # each model once, in the order its switches come
        write(FILES[4], [
            *({
                "manufacturer": MANUFACTURER, "model": model.name,
                "slug": device_type_slug(model.name), "u_height": heights[model.name],
                "is_full_depth": True,
                "interfaces": [{"name": switch_port(p, model), "type": switch_if} for p in range(1, model.radix + 1)],
            } for model in models),
            {
                "manufacturer": MANUFACTURER, "model": node_model, "slug": device_type_slug(node_model),
                "u_height": job.layout.racks.node_u, "is_full_depth": True,
                "interfaces": [{"name": port, "type": node_if} for port in plan.node_ports()],
            },
        ])
        with open(directory / FILES[5], "w", encoding="utf-8") as handle:
            common = {"manufacturer": MANUFACTURER, "site": site}
            for s, name in enumerate(plan.switches):
                rack, u = layout.switch_position[s]
                device = {"name": name, "role": plan.graph.nodes[name]["role"], **common,
                          "device_type": plan.models[s].name, "rack": f"rack-{rack}", "position": u,
                          "face": "front", "status": "planned"}
                handle.write(f"- {flow_map(device)}\n")
            for n, name in enumerate(plan.node_names()):
                rack, u = layout.node_position[n]
                device = {"name": name, "role": NODE_ROLE, **common, "device_type": node_model,
                          "rack": f"rack-{rack}", "position": u, "face": "front", "status": "planned"}
                handle.write(f"- {flow_map(device)}\n")
        with open(directory / FILES[6], "w", encoding="utf-8") as cables:
            q = scalar
            at = q(site)
            for c in job.cables():  # the keys are fixed, so the lines are formatted directly (speed)
                cables.write(
                    f"- {{side_a_site: {at}, side_a_device: {q(c.a_device)}, side_a_type: dcim.interface, "
                    f"side_a_name: {q(c.a_port)}, side_b_site: {at}, side_b_device: {q(c.z_device)}, "
                    f"side_b_type: dcim.interface, side_b_name: {q(c.z_port)}, "
                    f"type: {CABLE_TYPES.get(c.cable_class, OPTICAL_CABLE_TYPE)}, status: planned, "
                    f"label: {q(c.label)}, length: {q(c.length_m)}, length_unit: m}}\n"
                )
                num_cables += 1
    return num_cables
